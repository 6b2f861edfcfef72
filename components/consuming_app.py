"""``ConsumingApp``: a Container App that calls one of the stack's deployments over the v1 API.

It shows the compliant pattern the api-version policies look for: the app's environment carries
the account's v1 base URL and the deployment name (``v1_client_settings``), never an api-version.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import app

from components.client_settings import v1_client_settings
from components.stack_config import AppSpec

TYPE_TOKEN = "versionguard:foundry:ConsumingApp"
COMPONENT_SUFFIX = "-component"


class ConsumingApp(pulumi.ComponentResource):
    """The Container App (Pulumi name = app name), registered under ``<app name>-component``."""

    container_app: app.ContainerApp

    def __init__(self, spec: AppSpec, base_url: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE_TOKEN, f"{spec.name}{COMPONENT_SUFFIX}", None, opts)
        self.container_app = app.ContainerApp(
            spec.name,
            container_app_name=spec.name,
            resource_group_name=spec.resource_group_name,
            location=spec.location,
            managed_environment_id=spec.environment_id,
            identity={"type": "SystemAssigned"},  # Entra ID to the account (local keys are off)
            template={"containers": [{
                "name": spec.name,
                "image": spec.image,
                "env": v1_client_settings(base_url, spec.deployment),
            }]},
            tags=dict(spec.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})
