"""Declare the stack's Foundry accounts and model deployments from its config; nothing else.

The structured config ``foundry-deployments:accounts`` is documented in docs/stack-config.md.
"""

import pulumi

from components.foundry_account import FoundryAccount
from components.stack_config import parse_accounts

# Errors name the stack file Pulumi read the config from (stackConfigDir: stacks).
accounts = parse_accounts(
    pulumi.Config().require_object("accounts"),
    f"stacks/Pulumi.{pulumi.get_stack()}.yaml",
    default_location=pulumi.Config("azure-native").get("location"),
)

outputs = {}
for spec in accounts:
    account = FoundryAccount(spec)
    outputs[spec.name] = {
        "endpoint": account.endpoint,
        "openai_v1_base_url": account.openai_v1_base_url,
        "deployments": account.deployments,
    }
pulumi.export("accounts", outputs)
