"""Unit tests of the components and the program under Pulumi mocks (no engine, no cloud).

Each test starts a fresh mock runtime through the ``pulumi_mocks`` fixture (tests/support/recording_monitor.py)
and resets it afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import runpy
from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from components.foundry_account import FoundryAccount
from components.model_deployment import ModelDeployment
from components.stack_config import AccountSpec, DeploymentSpec, ModelSpec, SkuSpec
from tests.support import ROOT
from tests.support.recording_monitor import (  # noqa: F401 (pulumi_mocks is a fixture)
    ACCOUNT_TYPE,
    DEPLOYMENT_TYPE,
    RecordingMonitor,
    pulumi_mocks,
    run,
    set_stack_config,
)
from versionguard.core.errors import InputError


@pytest.fixture
def monitor(pulumi_mocks: Callable[..., RecordingMonitor]) -> RecordingMonitor:  # noqa: F811
    return pulumi_mocks()


def deployment_kwargs(**overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "account_name": "aif-test",
        "resource_group_name": "rg-test",
        "model_name": "gpt-4.1",
        "model_version": "2025-04-14",
        "version_upgrade_option": "OnceCurrentVersionExpired",
        "sku_name": "GlobalStandard",
        "sku_capacity": 100,
    }
    kwargs.update(overrides)
    return kwargs


def deployment_spec(name: str, model: str = "gpt-4.1", version: str = "2025-04-14") -> DeploymentSpec:
    return DeploymentSpec(
        name=name,
        model=ModelSpec(name=model, version=version),
        version_upgrade_option="OnceCurrentVersionExpired",
        sku=SkuSpec(name="GlobalStandard", capacity=10),
    )


def account_spec(name: str = "aif-test", *deployments: str, **overrides: Any) -> AccountSpec:
    fields: dict[str, Any] = {
        "name": name,
        "resource_group_name": "rg-test",
        "location": "swedencentral",
        "deployments": tuple(deployment_spec(d) for d in deployments),
    }
    fields.update(overrides)
    return AccountSpec(**fields)


# --------------------------------------------------------------------------- ModelDeployment


def test_deployment_child_inputs_are_exactly_as_declared(monitor: RecordingMonitor) -> None:
    run(lambda: ModelDeployment("prod-chat", rai_policy_name="Microsoft.DefaultV2", **deployment_kwargs()))

    assert monitor.names_of(DEPLOYMENT_TYPE) == ["prod-chat"]
    assert monitor.inputs("prod-chat") == {
        "deploymentName": "prod-chat",
        "accountName": "aif-test",
        "resourceGroupName": "rg-test",
        "properties": {
            "model": {"format": "OpenAI", "name": "gpt-4.1", "version": "2025-04-14"},
            "versionUpgradeOption": "OnceCurrentVersionExpired",
            "raiPolicyName": "Microsoft.DefaultV2",
        },
        "sku": {"name": "GlobalStandard", "capacity": 100},
    }


def test_deployment_is_a_child_of_its_component(monitor: RecordingMonitor) -> None:
    run(lambda: ModelDeployment("prod-chat", **deployment_kwargs()))

    component = monitor.foundry_mocks.registered["prod-chat-component"]
    assert component.typ == "versionguard:foundry:ModelDeployment"
    assert not component.custom
    assert monitor.parents["prod-chat"] == monitor.urns["prod-chat-component"]


def test_case_variants_are_sent_canonical(monitor: RecordingMonitor) -> None:
    kwargs = deployment_kwargs(version_upgrade_option="noautoupgrade", sku_name="globalprovisionedmanaged")
    run(lambda: ModelDeployment("prod-chat-ptu", **kwargs))

    inputs = monitor.inputs("prod-chat-ptu")
    assert inputs["properties"]["versionUpgradeOption"] == "NoAutoUpgrade"
    assert inputs["sku"]["name"] == "GlobalProvisionedManaged"
    assert "raiPolicyName" not in inputs["properties"]  # optional and unset: not sent


def test_model_format_can_be_overridden(monitor: RecordingMonitor) -> None:
    run(lambda: ModelDeployment("dev-other", **deployment_kwargs(model_format="Microsoft")))

    assert monitor.inputs("dev-other")["properties"]["model"]["format"] == "Microsoft"


def test_outputs_name_model_version(monitor: RecordingMonitor) -> None:
    def program() -> dict[str, Any]:
        md = ModelDeployment("dev-embed", **deployment_kwargs(model_name="text-embedding-3-large", model_version="1"))
        return {"name": md.name, "model": md.model, "version": md.version}

    assert run(program) == {"name": "dev-embed", "model": "text-embedding-3-large", "version": "1"}


@pytest.mark.parametrize(
    "missing", ["model_name", "model_version", "version_upgrade_option", "sku_name", "sku_capacity"]
)
def test_required_arguments_have_no_default(monitor: RecordingMonitor, missing: str) -> None:
    kwargs = deployment_kwargs()
    del kwargs[missing]
    with pytest.raises(TypeError, match=missing):
        run(lambda: ModelDeployment("prod-chat", **kwargs))
    assert monitor.names_of(DEPLOYMENT_TYPE) == []


@pytest.mark.parametrize(
    ("field", "value", "fragments"),
    [
        ("version_upgrade_option", None, ["one of OnceNewDefaultVersionAvailable", "NoAutoUpgrade", "got null"]),
        ("version_upgrade_option", "", ["one of OnceNewDefaultVersionAvailable"]),
        ("version_upgrade_option", "OnceNewDefaultVersion", ["did you mean 'OnceNewDefaultVersionAvailable'?"]),
        ("sku_name", "GlobalStandrd", ["one of Standard, GlobalStandard", "did you mean 'GlobalStandard'?"]),
        ("sku_name", None, ["one of Standard", "got null"]),
        ("sku_capacity", 0, ["a positive integer", "got 0"]),
        ("sku_capacity", -5, ["a positive integer"]),
        ("sku_capacity", True, ["a positive integer"]),
        ("sku_capacity", "10", ["a positive integer", "got '10'"]),
        ("model_version", "", ["version"]),
        ("model_version", None, ["version", "got null"]),
        ("model_version", 1, ["quote it", "got 1"]),
        ("model_version", dt.date(2024, 7, 18), ["quote it", "date"]),
        ("model_name", "  ", ["a model name"]),
        ("model_format", "", ["a model format"]),
        ("rai_policy_name", "", ["a non-empty string"]),
    ],
)
def test_bad_values_fail_at_construction(
    monitor: RecordingMonitor, field: str, value: object, fragments: list[str]
) -> None:
    kwargs = deployment_kwargs(**{field: value})
    with pytest.raises(InputError) as caught:
        run(lambda: ModelDeployment("prod-chat", **kwargs))

    message = str(caught.value)
    assert message.startswith(f"ModelDeployment 'prod-chat': {field}: expected ")
    for fragment in fragments:
        assert fragment in message
    assert monitor.foundry_mocks.registered == {}  # nothing half-built


@pytest.mark.parametrize("name", ["", "has space", "-leading-dash", "x" * 65])
def test_bad_deployment_name(monitor: RecordingMonitor, name: str) -> None:
    with pytest.raises(InputError, match="ModelDeployment: name: expected a deployment name"):
        run(lambda: ModelDeployment(name, **deployment_kwargs()))


def test_depends_on_reaches_the_deployment_child(monitor: RecordingMonitor) -> None:
    def program() -> None:
        gate = pulumi.CustomResource("test:index:Gate", "gate", {})
        ModelDeployment("prod-chat", depends_on=[gate], **deployment_kwargs())

    run(program)
    assert monitor.urns["gate"] in monitor.dependencies["prod-chat"]


# --------------------------------------------------------------------------- FoundryAccount


def test_account_security_defaults(monitor: RecordingMonitor) -> None:
    run(lambda: FoundryAccount(account_spec("aif-contoso-prod", "prod-chat")))

    assert monitor.names_of(ACCOUNT_TYPE) == ["aif-contoso-prod"]
    assert monitor.foundry_mocks.registered["aif-contoso-prod-component"].typ == "versionguard:foundry:Account"
    inputs = monitor.inputs("aif-contoso-prod")
    assert inputs["accountName"] == "aif-contoso-prod"
    assert inputs["resourceGroupName"] == "rg-test"
    assert inputs["location"] == "swedencentral"
    assert inputs["kind"] == "AIServices"
    assert inputs["sku"] == {"name": "S0"}
    assert inputs["identity"] == {"type": "SystemAssigned"}
    assert inputs["properties"] == {
        "customSubDomainName": "aif-contoso-prod",
        "disableLocalAuth": True,
        "publicNetworkAccess": "Disabled",
        "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": []},
    }


def test_account_public_access_with_ip_rules_still_denies_by_default(monitor: RecordingMonitor) -> None:
    spec = account_spec("aif-dev", public_network_access="Enabled", ip_rules=("203.0.113.0/24",), kind="OpenAI")
    run(lambda: FoundryAccount(spec))

    inputs = monitor.inputs("aif-dev")
    assert inputs["kind"] == "OpenAI"
    assert inputs["properties"]["publicNetworkAccess"] == "Enabled"
    assert inputs["properties"]["networkAcls"] == {
        "defaultAction": "Deny",
        "bypass": "AzureServices",
        "ipRules": [{"value": "203.0.113.0/24"}],
    }
    assert inputs["properties"]["disableLocalAuth"] is True


def test_account_public_access_without_ip_rules_allows(monitor: RecordingMonitor) -> None:
    run(lambda: FoundryAccount(account_spec("aif-dev", public_network_access="enabled")))  # canonicalised

    properties = monitor.inputs("aif-dev")["properties"]
    assert properties["publicNetworkAccess"] == "Enabled"
    assert properties["networkAcls"] == {"defaultAction": "Allow"}


def test_account_rejects_bad_kind_before_registering(monitor: RecordingMonitor) -> None:
    with pytest.raises(InputError, match=r"FoundryAccount 'aif-dev': kind: expected one of AIServices, OpenAI"):
        run(lambda: FoundryAccount(account_spec("aif-dev", kind="AIService")))
    assert monitor.foundry_mocks.registered == {}


def test_deployments_on_one_account_are_serialized(monitor: RecordingMonitor) -> None:
    names = ["prod-chat", "prod-chat-ptu", "prod-chat-mini", "prod-embed"]
    run(lambda: FoundryAccount(account_spec("aif-prod", *names)))

    account_urn = monitor.urns["aif-prod"]
    deployment_urns = {monitor.urns[n] for n in names}
    for i, name in enumerate(names):
        deps = monitor.dependencies[name]
        assert account_urn in deps  # via accountName
        # Exactly the previous deployment on this account, nothing else.
        expected = {monitor.urns[names[i - 1]]} if i else set()
        assert deps & deployment_urns == expected, name


def test_serialization_is_per_account(monitor: RecordingMonitor) -> None:
    def program() -> None:
        FoundryAccount(account_spec("aif-a", "a-chat", "a-embed"))
        FoundryAccount(account_spec("aif-b", "b-chat"))

    run(program)
    assert monitor.dependencies["b-chat"] == {monitor.urns["aif-b"]}
    assert monitor.urns["a-chat"] in monitor.dependencies["a-embed"]


def test_account_outputs(monitor: RecordingMonitor) -> None:
    def program() -> dict[str, Any]:
        account = FoundryAccount(account_spec("aif-prod", "prod-chat", "prod-embed"))
        return {
            "endpoint": account.endpoint,
            "v1": account.openai_v1_base_url,
            "deployments": account.deployments,
        }

    assert run(program) == {
        "endpoint": "https://aif-prod.cognitiveservices.azure.com/",
        "v1": "https://aif-prod.openai.azure.com/openai/v1/",
        "deployments": [
            {"name": "prod-chat", "model": "gpt-4.1", "version": "2025-04-14"},
            {"name": "prod-embed", "model": "gpt-4.1", "version": "2025-04-14"},
        ],
    }


def test_account_with_no_deployments(monitor: RecordingMonitor) -> None:
    assert run(lambda: FoundryAccount(account_spec("aif-empty")).deployments) == []


# --------------------------------------------------------------------------- the program


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_program_declares_every_configured_deployment(
    pulumi_mocks: Callable[..., RecordingMonitor], stack: str  # noqa: F811
) -> None:
    monitor = pulumi_mocks(stack=stack)
    config = set_stack_config(ROOT / "stacks" / f"Pulumi.{stack}.yaml")

    def program() -> Any:
        runpy.run_path(str(ROOT / "__main__.py"))
        return pulumi.runtime.get_root_resource().outputs["accounts"]

    exported = run(program)
    accounts = config["foundry-deployments:accounts"]
    wanted = [d["name"] for a in accounts for d in a["deployments"]]
    assert sorted(monitor.names_of(DEPLOYMENT_TYPE)) == sorted(wanted)
    # Registrations complete asynchronously: compare as sets, not in declaration order.
    assert sorted(monitor.names_of(ACCOUNT_TYPE)) == sorted(a["name"] for a in accounts)
    for account in accounts:
        assert exported[account["name"]]["openai_v1_base_url"] == (
            f"https://{account['name']}.openai.azure.com/openai/v1/"
        )
        assert [d["name"] for d in exported[account["name"]]["deployments"]] == [
            d["name"] for d in account["deployments"]
        ]
        for declared in account["deployments"]:
            sent = monitor.inputs(declared["name"])
            assert sent["properties"]["model"]["version"] == declared["model"]["version"]
            assert sent["properties"]["versionUpgradeOption"] == declared["versionUpgradeOption"]
            assert sent["sku"] == declared["sku"]


def test_program_reports_bad_config_with_the_stack_file(pulumi_mocks: Callable[..., RecordingMonitor]) -> None:  # noqa: F811
    monitor = pulumi_mocks(stack="dev")
    pulumi.runtime.set_all_config(
        {
            "foundry-deployments:accounts": json.dumps(
                [{"name": "aif-dev", "resourceGroupName": "rg", "location": "swedencentral", "deployments": [{}]}]
            )
        }
    )
    with pytest.raises(InputError, match=r"^stacks/Pulumi\.dev\.yaml: foundry-deployments:accounts\[0\]"):
        run(lambda: runpy.run_path(str(ROOT / "__main__.py")))
    assert monitor.foundry_mocks.registered == {}
