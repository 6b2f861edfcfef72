"""``FoundryAccount``: an AI Foundry / Azure OpenAI account with reviewed defaults and its deployments.

Security defaults (a reviewer should not have to ask for them): Entra ID only (local keys off), a
system-assigned managed identity, public network access off unless the config opens it, and network
ACLs that deny by default whenever they can.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
from pulumi_azure_native import cognitiveservices

from components.model_deployment import COMPONENT_SUFFIX, ModelDeployment
from components.stack_config import ACCOUNT_KINDS, NETWORK_ACCESS, AccountSpec, require_choice

TYPE_TOKEN = "versionguard:foundry:Account"
ACCOUNT_SKU = "S0"


def network_acls(public_network_access: str, ip_rules: Sequence[str]) -> dict[str, Any]:
    """Deny by default unless public access is on with no IP allow-list (then there is nothing to deny to)."""
    if public_network_access == "Enabled" and not ip_rules:
        return {"default_action": "Allow"}
    return {
        "default_action": "Deny",
        # Trusted Azure services (e.g. AI Search with its managed identity) still reach the account.
        "bypass": "AzureServices",
        "ip_rules": [{"value": rule} for rule in ip_rules],
    }


class FoundryAccount(pulumi.ComponentResource):
    """The account (Pulumi name = account name) and its ``ModelDeployment``s, created one at a time.

    The component registers as ``<account name>-component``. Outputs: ``endpoint``,
    ``openai_v1_base_url`` and ``deployments`` (a list of ``{name, model, version}``).
    """

    account: cognitiveservices.Account
    model_deployments: list[ModelDeployment]
    endpoint: pulumi.Output[str]
    openai_v1_base_url: pulumi.Output[str]
    deployments: pulumi.Output[list[dict[str, str]]]

    def __init__(self, spec: AccountSpec, opts: pulumi.ResourceOptions | None = None) -> None:
        source = f"FoundryAccount {spec.name!r}"
        kind = require_choice(spec.kind, ACCOUNT_KINDS, source, "kind")
        access = require_choice(spec.public_network_access, NETWORK_ACCESS, source, "public_network_access")
        super().__init__(TYPE_TOKEN, f"{spec.name}{COMPONENT_SUFFIX}", None, opts)

        self.account = cognitiveservices.Account(
            spec.name,
            account_name=spec.name,
            resource_group_name=spec.resource_group_name,
            location=spec.location,
            kind=kind,
            sku={"name": ACCOUNT_SKU},
            identity={"type": "SystemAssigned"},
            properties={
                "custom_sub_domain_name": spec.name,  # required for Entra ID auth and the openai.azure.com host
                "disable_local_auth": True,
                "public_network_access": access,
                "network_acls": network_acls(access, spec.ip_rules),
            },
            tags=dict(spec.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )

        # Azure rejects concurrent deployment writes on one account, so each waits for the previous one.
        self.model_deployments = []
        for deployment in spec.deployments:
            previous = [self.model_deployments[-1].deployment] if self.model_deployments else []
            self.model_deployments.append(
                ModelDeployment.from_spec(
                    deployment,
                    account_name=self.account.name,
                    resource_group_name=spec.resource_group_name,
                    depends_on=previous,
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )

        self.endpoint = self.account.properties.apply(lambda p: p.endpoint)
        self.openai_v1_base_url = self.account.properties.apply(
            lambda p: f"https://{p.custom_sub_domain_name}.openai.azure.com/openai/v1/"
        )
        self.deployments = pulumi.Output.all(
            *(pulumi.Output.all(name=d.name, model=d.model, version=d.version) for d in self.model_deployments)
        )
        self.register_outputs(
            {
                "endpoint": self.endpoint,
                "openai_v1_base_url": self.openai_v1_base_url,
                "deployments": self.deployments,
            }
        )
