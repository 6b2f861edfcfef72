"""``audit --resource-graph`` and ``catalog fetch``: the real Azure SDK clients against a local HTTPS stub.

The stub (tests/support/azure_stub.py) stands in for Azure Resource Manager; the credential is a
static test token. Everything between them is the product path: azure-identity's credential protocol,
the azure-mgmt clients, azure-core's pipeline (bearer auth over TLS, retry policy), versionguard's
paging, mapping and judgement.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from azure.core.exceptions import ClientAuthenticationError
from typer.testing import CliRunner

from tests.support.azure_stub import ArmStub, Running, StaticCredential
from versionguard.adapters.azure import sdk_clients as azure_arm
from versionguard.adapters.azure.resource_graph import QUERY
from versionguard.cli import app

ROOT = Path(__file__).resolve().parents[1]
ARM = ROOT / "tests" / "fixtures" / "arm"
PIN = ["--as-of", "2026-12-07"]
SUB_A, SUB_B = "11111111-2222-3333-4444-555555555555", "99999999-8888-7777-6666-555555555555"


def graph_rows() -> list[dict[str, Any]]:
    return json.loads((ARM / "resource-graph-rest.json").read_text())["data"]


@pytest.fixture
def stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArmStub]:
    for name in ("VERSIONGUARD_AS_OF", "VERSIONGUARD_CATALOG", "VERSIONGUARD_WAIVERS", "AZURE_SUBSCRIPTION_ID",
                 "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with Running(ArmStub(rows=graph_rows(), subscriptions=[SUB_A, SUB_B]), tmp_path) as running:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(running.ca_file))  # trust the test CA, as a proxy user would
        yield running


@pytest.fixture
def credential(monkeypatch: pytest.MonkeyPatch) -> StaticCredential:
    cred = StaticCredential()
    monkeypatch.setattr(azure_arm, "default_credential", lambda: cred)
    return cred


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def audit_live(stub: ArmStub, *extra: str) -> Any:
    return invoke("audit", "--resource-graph", "--arm-endpoint", stub.url, *PIN, *extra)


def test_pages_follow_the_skip_token_until_done(stub, credential):
    stub.page_size = 1  # four rows: four pages
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert {(f["resource"], f["subscription"]) for f in data["findings"] if f["policy"] == "retired-model-version"} \
        == {("aif-contoso-prod/legacy", SUB_A), ("aif-contoso-prod/legacy", SUB_B)}
    # Same verdict as the file the rows came from.
    from_file = json.loads(invoke("audit", str(ARM / "resource-graph-rest.json"), *PIN, "-f", "json").stdout)
    assert data["findings"] == from_file["findings"]
    calls = stub.requests_to("ResourceGraph")
    assert [c.body["options"].get("$skipToken") for c in calls] == [None, "1", "2", "3"]
    assert all(c.body["query"] == QUERY and c.body["options"]["$top"] == 1000 for c in calls)
    assert all(c.body["options"]["resultFormat"] == "objectArray" for c in calls)
    assert all(c.authorization == f"Bearer {StaticCredential.token}" for c in calls)
    assert credential.scopes[0] == (f"{stub.url}/.default",)


def test_subscriptions_and_management_groups_are_sent(stub, credential):
    result = audit_live(stub, "--subscription", SUB_B, "--management-group", "mg-ai", "-f", "json")
    [call] = stub.requests_to("ResourceGraph")
    assert call.body["subscriptions"] == [SUB_B] and call.body["managementGroups"] == ["mg-ai"]
    assert {f["subscription"] for f in json.loads(result.stdout)["findings"] if f.get("subscription")} == {SUB_B}


def test_throttling_is_retried_after_retry_after(stub, credential):
    stub.throttle = 2
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 1, result.output
    calls = stub.requests_to("ResourceGraph")
    assert [c.status for c in calls] == [429, 429, 200]
    assert calls[1].at - calls[0].at >= 0.95 and calls[2].at - calls[1].at >= 0.95  # Retry-After: 1 honoured


def test_service_auth_failure_is_a_clear_error(stub, credential):
    stub.auth_fail = True
    result = audit_live(stub)
    assert result.exit_code == 2 and result.stdout == ""
    assert f"Azure ({stub.url}): Resource Graph query: expected a credential that signs in" in result.stderr
    assert "Authentication failed" in result.stderr


def test_credential_failure_is_a_clear_error(stub, monkeypatch):
    failing = StaticCredential(ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token"))
    monkeypatch.setattr(azure_arm, "default_credential", lambda: failing)
    result = audit_live(stub)
    assert result.exit_code == 2
    assert "DefaultAzureCredential failed to retrieve a token" in result.stderr
    assert stub.requests_to("ResourceGraph") == []  # no unauthenticated request went out


def test_empty_tenant_is_clean(stub, credential):
    stub.rows = []
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 0, result.output
    assert [f for f in json.loads(result.stdout)["findings"] if f["resource"] != "(stack)"] == []


def test_unreachable_endpoint_is_a_clear_error(credential, tmp_path):
    result = invoke("audit", "--resource-graph", "--arm-endpoint", "https://127.0.0.1:9", *PIN)
    assert result.exit_code == 2 and "Azure (https://127.0.0.1:9): Resource Graph query" in result.stderr


def test_live_options_are_checked(stub, credential, tmp_path):
    assert invoke("audit", *PIN).exit_code == 2  # neither files nor --resource-graph
    both = invoke("audit", str(ARM / "resource-graph-az.json"), "--resource-graph", *PIN)
    assert both.exit_code == 2 and "either JSON files or --resource-graph" in both.stderr
    stray = invoke("audit", str(ARM / "resource-graph-az.json"), "--subscription", SUB_A, *PIN)
    assert stray.exit_code == 2 and "only with --resource-graph" in stray.stderr
    plain = invoke("audit", "--resource-graph", "--arm-endpoint", "http://127.0.0.1:1", *PIN)
    assert plain.exit_code == 2 and "--arm-endpoint: expected an https:// URL" in plain.stderr
    assert stub.seen == []


def test_missing_azure_extra_is_a_clear_error(stub, monkeypatch):
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # what an install without the extra looks like
    result = invoke("audit", "--resource-graph", "--arm-endpoint", stub.url, *PIN)
    assert result.exit_code == 2
    assert "pip install 'versionguard[azure]'" in result.stderr and "cannot import azure.identity" in result.stderr


# --- catalog fetch ---------------------------------------------------------------------------------

def region_items() -> dict[str, list[dict[str, Any]]]:
    return {"eastus": json.loads((ARM / "models-az-eastus.json").read_text()),
            "swedencentral": json.loads((ARM / "models-list-swedencentral.json").read_text())["value"]}


def test_catalog_fetch_two_regions_equals_import_of_the_same_data(stub, credential, tmp_path):
    stub.models = region_items()
    stub.models_page_size = 3  # eastus comes in three pages joined by nextLink
    out = tmp_path / "fetched.yaml"
    result = invoke("catalog", "fetch", "-l", "eastus", "--location", "SwedenCentral", "--subscription", SUB_A,
                    "--arm-endpoint", stub.url, *PIN, "-o", str(out))
    assert result.exit_code == 0, result.output
    fetched = json.loads(json.dumps(yaml.safe_load(out.read_text()), default=str))
    files = []
    for region, items in region_items().items():
        files.append(tmp_path / f"models-{region}.json")
        files[-1].write_text(json.dumps({"value": items}))
    imported = yaml.safe_load(invoke("catalog", "import", *map(str, files), *PIN).stdout)
    assert fetched["models"] == [_renamed(m) for m in imported["models"]]
    assert set(fetched["sources"]) == {"models-list-eastus", "models-list-swedencentral"}
    assert fetched["sources"]["models-list-eastus"]["url"].endswith(
        "/subscriptions/{subscriptionId}/providers/Microsoft.CognitiveServices/locations/eastus/models")
    calls = stub.requests_to("/models")
    assert [c.path.split("/")[2] for c in calls] == [SUB_A] * len(calls)
    assert [c.query.get("page", ["0"])[0] for c in calls if "eastus" in c.path] == ["0", "1", "2"]
    assert "catalog fetch: " in result.stderr and "2 region(s)" in result.stderr
    assert "catalog diff bundled catalog" in result.stderr and "added" in result.stderr  # the diff summary


def _renamed(model: dict[str, Any]) -> dict[str, Any]:
    """Import names sources (ids and in notes) after files; fetch after regions."""
    ids = {"models-eastus-json": "models-list-eastus", "models-swedencentral-json": "models-list-swedencentral"}
    text = json.dumps(model, default=str)
    for region in ("eastus", "swedencentral"):
        text = text.replace(f"models-{region}.json", f"Models - List of {region}")
    model = json.loads(text)
    return {**model, "versions": [{**v, "sources": [ids[s] for s in v["sources"]]} for v in model["versions"]]}


def test_catalog_fetch_finds_a_subscription_and_carries_over_previous(stub, credential, tmp_path):
    stub.models = region_items()
    result = invoke("catalog", "fetch", "-l", "swedencentral", "--arm-endpoint", stub.url, *PIN,
                    "--previous", "@bundled")
    assert result.exit_code == 0, result.output
    assert [c.path.split("/")[2] for c in stub.requests_to("/models")] == [SUB_A]  # the first by id
    data = yaml.safe_load(result.stdout)
    assert "previous-catalog" in data["sources"]


def test_catalog_fetch_errors_exit_2(stub, credential):
    stub.models = region_items()
    unknown = invoke("catalog", "fetch", "-l", "atlantis", "--subscription", SUB_A, "--arm-endpoint", stub.url, *PIN)
    assert unknown.exit_code == 2 and "Models - List in atlantis" in unknown.stderr and "HTTP 404" in unknown.stderr
    bad = invoke("catalog", "fetch", "-l", "east us 2!", "--subscription", SUB_A, "--arm-endpoint", stub.url, *PIN)
    assert bad.exit_code == 2 and "--location: expected an Azure region name" in bad.stderr
    stub.auth_fail = True
    denied = invoke("catalog", "fetch", "-l", "eastus", "--subscription", SUB_A, "--arm-endpoint", stub.url, *PIN)
    assert denied.exit_code == 2 and "expected a credential that signs in" in denied.stderr


def test_catalog_fetch_bad_api_data_names_region_and_path(stub, credential):
    items = region_items()
    items["swedencentral"][1]["model"]["lifecycleStatus"] = "Retiring"
    stub.models = items
    result = invoke("catalog", "fetch", "-l", "swedencentral", "--subscription", SUB_A, "--arm-endpoint", stub.url,
                    *PIN)
    assert result.exit_code == 2
    assert "Models - List of swedencentral: value[1].model.lifecycleStatus: expected" in result.stderr


def test_catalog_fetch_validates_the_fetched_catalog_once(stub, credential, monkeypatch):
    """The merged data is validated where it is built; the diff compares that very catalog."""
    from versionguard.adapters.azure import models_list
    from versionguard.commands import catalog as catalog_command
    from versionguard.core.catalog import catalog_from_data

    built: list[str] = []

    def counting(data: Any, source: str) -> Any:
        built.append(source)
        return catalog_from_data(data, source)

    monkeypatch.setattr(models_list, "catalog_from_data", counting)
    monkeypatch.setattr(catalog_command, "catalog_from_data", counting, raising=False)
    stub.models = region_items()
    fetched = catalog_command.fetch_models(["swedencentral"], SUB_A, stub.url, as_of=dt.date(2026, 5, 1))
    assert built == ["catalog fetch"]
    assert fetched.imported.catalog.origin == fetched.diff.new == "catalog fetch"
    assert fetched.imported.catalog == catalog_from_data(fetched.imported.data, "catalog fetch")
