"""The v1 client settings helper, the ConsumingApp component, the ``apps`` stack config and the
shipped staging app: the compliant pattern (v1 base URL and deployment name, no api-version) that
the offline check and the pack judge without a finding."""

from __future__ import annotations

import copy
import json
import runpy
from collections.abc import Callable
from typing import Any

import pulumi
import pytest
import yaml
from typer.testing import CliRunner

from components.client_settings import v1_client_settings
from components.stack_config import APPS_KEY, parse_stack_config
from tests.support import ROOT
from tests.support.recording_monitor import (  # noqa: F401 (pulumi_mocks is a fixture)
    RecordingMonitor,
    pulumi_mocks,
    run,
    set_stack_config,
)
from versionguard.cli import app
from versionguard.core.api_usage import scan
from versionguard.core.errors import InputError

CONTAINER_APP = "azure-native:app:ContainerApp"
ENV_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/cae"


def test_v1_client_settings_carry_no_api_version() -> None:
    settings = v1_client_settings("https://aif.openai.azure.com/openai/v1/", "chat")
    assert settings == [{"name": "OPENAI_BASE_URL", "value": "https://aif.openai.azure.com/openai/v1/"},
                        {"name": "AZURE_OPENAI_DEPLOYMENT", "value": "chat"}]
    found = scan(CONTAINER_APP, {"template": {"containers": [{"env": settings}]}})
    assert found.empty


def test_staging_declares_the_app_with_v1_settings(pulumi_mocks: Callable[..., RecordingMonitor]) -> None:  # noqa: F811
    monitor = pulumi_mocks(stack="staging")
    config = set_stack_config(ROOT / "stacks" / "Pulumi.staging.yaml")
    run(lambda: runpy.run_path(str(ROOT / "__main__.py")) and None)  # not the module globals
    (declared,) = config[APPS_KEY]
    assert monitor.names_of(CONTAINER_APP) == [declared["name"]]
    inputs = monitor.inputs(declared["name"])
    (container,) = inputs["template"]["containers"]
    assert {e["name"]: e["value"] for e in container["env"]} == {
        "OPENAI_BASE_URL": f"https://{declared['account']}.openai.azure.com/openai/v1/",
        "AZURE_OPENAI_DEPLOYMENT": declared["deployment"]}
    assert inputs["managedEnvironmentId"] == declared["environmentId"]
    assert monitor.parents[declared["name"]].endswith(f"::{declared['name']}-component")


def test_offline_check_judges_the_staging_app_without_findings() -> None:
    result = CliRunner().invoke(app, ["check", "-s", "staging", "--as-of", "2026-12-07", "-f", "json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    # Only the deployments: gpt-4o-mini 2024-07-18 is closed to new customers and gpt-4.1 2025-04-14 is
    # Legacy since the 2026-09-02 schedule (the catalog is fresh): nothing about the app or its api-version.
    assert sorted((f["policy"], f["resource"]) for f in findings) == [
        ("deprecated-model-version", "staging-chat-mini"), ("legacy-model-version", "staging-chat")]


# --- stack config: apps --------------------------------------------------------------------------------

def staging_config() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load((ROOT / "stacks" / "Pulumi.staging.yaml").read_text())["config"])


def test_apps_parse_with_canonical_account_and_deployment_names() -> None:
    config = staging_config()
    config[APPS_KEY][0].update(account="AIF-CONTOSO-STG-SWC", deployment="Staging-Chat")
    (spec,) = parse_stack_config(config, "s.yaml").apps
    assert (spec.account, spec.deployment, spec.location) == ("aif-contoso-stg-swc", "staging-chat", "swedencentral")


def test_apps_are_optional() -> None:
    config = staging_config()
    del config[APPS_KEY]
    assert parse_stack_config(config, "s.yaml").apps == ()


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("account", "aif-nope", "[0].account: expected the name of an account of this stack (aif-contoso-stg-swc)"),
    ("deployment", "prod-chat", "[0].deployment: expected the name of a deployment of account aif-contoso-stg-swc"),
    ("environmentId", "cae-staging", "[0].environmentId: expected /subscriptions/<id>/resourceGroups/"),
    ("name", "Chat_API", "[0].name: expected 2-32 lower-case letters"),
    ("image", "", "[0].image: expected a container image reference"),
    ("imag", "x", "[0].imag: expected one of the keys"),
    ("tags", ["x"], "[0].tags: expected a mapping of tag names to strings"),
])
def test_bad_app_entries_name_file_and_key(key: str, value: Any, fragment: str) -> None:
    config = staging_config()
    config[APPS_KEY][0][key] = value
    with pytest.raises(InputError) as err:
        parse_stack_config(config, "stacks/Pulumi.staging.yaml")
    assert str(err.value).startswith(f"stacks/Pulumi.staging.yaml: {APPS_KEY}") and fragment in str(err.value)


def test_app_names_are_unique_and_apps_is_a_list() -> None:
    config = staging_config()
    config[APPS_KEY].append(dict(config[APPS_KEY][0]))
    with pytest.raises(InputError, match=r"apps\[1\]\.name: expected an app name unique in the stack"):
        parse_stack_config(config, "s.yaml")
    config[APPS_KEY] = {"name": "x"}
    with pytest.raises(InputError, match="apps: expected a list of apps"):
        parse_stack_config(config, "s.yaml")


def test_program_rejects_an_app_naming_an_unknown_deployment(pulumi_mocks: Callable[..., RecordingMonitor]) -> None:  # noqa: F811
    pulumi_mocks(stack="staging")
    config = staging_config()
    config[APPS_KEY][0]["deployment"] = "nope"
    pulumi.runtime.set_all_config({k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()})
    with pytest.raises(InputError, match=r"^stacks/Pulumi\.staging\.yaml: foundry-deployments:apps\[0\]\.deployment"):
        run(lambda: runpy.run_path(str(ROOT / "__main__.py")))
