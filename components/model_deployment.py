"""``ModelDeployment``: one Azure OpenAI / Foundry model deployment with nothing left to defaults.

Model name, model version, ``versionUpgradeOption`` and the SKU are required arguments: an implicit
version or upgrade policy is exactly what lets a deployment break silently when a version retires.
"""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import cognitiveservices

from components.stack_config import (
    DEFAULT_MODEL_FORMAT,
    DeploymentSpec,
    require_capacity,
    require_deployment_name,
    require_sku_name,
    require_text,
    require_upgrade_option,
    require_version,
)

TYPE_TOKEN = "versionguard:foundry:ModelDeployment"
COMPONENT_SUFFIX = "-component"


class ModelDeployment(pulumi.ComponentResource):
    """A ``cognitiveservices.Deployment`` child named after the logical deployment name.

    The component registers as ``<name>-component``; its Deployment child registers as ``<name>``
    (also the Azure deployment name), so policy findings and waivers use the name from the config.
    """

    name: pulumi.Output[str]
    model: pulumi.Output[str]
    version: pulumi.Output[str]
    deployment: cognitiveservices.Deployment

    def __init__(
        self,
        name: str,
        *,
        account_name: pulumi.Input[str],
        resource_group_name: pulumi.Input[str],
        model_name: str,
        model_version: str,
        version_upgrade_option: str,
        sku_name: str,
        sku_capacity: int,
        model_format: str = DEFAULT_MODEL_FORMAT,
        rai_policy_name: str | None = None,
        depends_on: Sequence[pulumi.Resource] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        # Validate before registering anything, so a bad value creates no half-built component.
        name = require_deployment_name(name, "ModelDeployment", "name")
        source = f"ModelDeployment {name!r}"
        model_name = require_text(model_name, source, "model_name", "a model name")
        model_version = require_version(model_version, source, "model_version")
        model_format = require_text(model_format, source, "model_format", "a model format such as OpenAI")
        upgrade = require_upgrade_option(version_upgrade_option, source, "version_upgrade_option")
        sku = require_sku_name(sku_name, source, "sku_name")
        capacity = require_capacity(sku_capacity, source, "sku_capacity")
        if rai_policy_name is not None:
            rai_policy_name = require_text(rai_policy_name, source, "rai_policy_name")

        super().__init__(TYPE_TOKEN, f"{name}{COMPONENT_SUFFIX}", None, opts)
        self.deployment = cognitiveservices.Deployment(
            name,
            deployment_name=name,
            account_name=account_name,
            resource_group_name=resource_group_name,
            properties=cognitiveservices.DeploymentPropertiesArgs(
                model=cognitiveservices.DeploymentModelArgs(
                    format=model_format, name=model_name, version=model_version
                ),
                version_upgrade_option=upgrade,
                rai_policy_name=rai_policy_name,
            ),
            sku=cognitiveservices.SkuArgs(name=sku, capacity=capacity),
            # depends_on goes on the child: children do not inherit their parent's dependencies.
            opts=pulumi.ResourceOptions(parent=self, depends_on=list(depends_on or [])),
        )
        self.name = self.deployment.name
        self.model = self.deployment.properties.apply(lambda p: p.model.name)
        self.version = self.deployment.properties.apply(lambda p: p.model.version)
        self.register_outputs({"name": self.name, "model": self.model, "version": self.version})

    @classmethod
    def from_spec(
        cls,
        spec: DeploymentSpec,
        *,
        account_name: pulumi.Input[str],
        resource_group_name: pulumi.Input[str],
        depends_on: Sequence[pulumi.Resource] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> ModelDeployment:
        """Build from a parsed stack-config entry."""
        return cls(
            spec.name,
            account_name=account_name,
            resource_group_name=resource_group_name,
            model_name=spec.model.name,
            model_version=spec.model.version,
            model_format=spec.model.format,
            version_upgrade_option=spec.version_upgrade_option,
            sku_name=spec.sku.name,
            sku_capacity=spec.sku.capacity,
            rai_policy_name=spec.rai_policy_name,
            depends_on=depends_on,
            opts=opts,
        )
