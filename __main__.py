"""Declare the stack's Foundry accounts, model deployments and consuming apps from its config; nothing else.

The structured config ``foundry-deployments:accounts`` (and the optional ``foundry-deployments:apps``)
is documented in docs/stack-config.md.
"""

import pulumi

from components.consuming_app import ConsumingApp
from components.foundry_account import FoundryAccount
from components.stack_config import parse_accounts, parse_apps

# Errors name the stack file Pulumi read the config from (stackConfigDir: stacks).
source = f"stacks/Pulumi.{pulumi.get_stack()}.yaml"
location = pulumi.Config("azure-native").get("location")
accounts = parse_accounts(pulumi.Config().require_object("accounts"), source, default_location=location)
apps = parse_apps(pulumi.Config().get_object("apps"), source, accounts, default_location=location)

outputs = {}
declared = {}
for spec in accounts:
    account = declared[spec.name] = FoundryAccount(spec)
    outputs[spec.name] = {
        "endpoint": account.endpoint,
        "openai_v1_base_url": account.openai_v1_base_url,
        "deployments": account.deployments,
    }
pulumi.export("accounts", outputs)
# Apps call their deployment over the v1 API: base URL and deployment name, no api-version.
for app_spec in apps:
    ConsumingApp(app_spec, declared[app_spec.account].openai_v1_base_url)
