"""``audit --live`` and ``catalog fetch``: the real Azure SDK clients against a local HTTPS stub.

The stub (tests/support/azure_stub.py) stands in for Azure Resource Manager and behaves as the sources
say Azure does: Resource Graph answers account rows and nothing for a deployments query; ARM lists each
account's deployments with nextLink paging, 429s with Retry-After, 403s and 404s. The credential is a
static test token. Everything between them is the product path: azure-identity's credential protocol,
the azure-mgmt clients, azure-core's pipeline (bearer auth over TLS, retry policy), versionguard's
paging, concurrency, mapping and judgement.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from azure.core.exceptions import ClientAuthenticationError
from typer.testing import CliRunner

from tests.support import ROOT
from tests.support.azure_stub import ARM_API_VERSION, ArmStub, Running, StaticCredential
from versionguard.adapters.azure import sdk_clients as azure_arm
from versionguard.adapters.azure.resource_graph import ACCOUNTS_QUERY, DEPLOYMENTS_QUERY
from versionguard.cli import app

ARM = ROOT / "tests" / "fixtures" / "arm"
PIN = ["--as-of", "2026-12-07"]
SUB_A, SUB_B = "11111111-2222-3333-4444-555555555555", "99999999-8888-7777-6666-555555555555"
TENANT = "72f988bf-0000-0000-0000-000000000000"


def account_id(sub: str, group: str, name: str) -> str:
    return f"/subscriptions/{sub}/resourceGroups/{group}/providers/Microsoft.CognitiveServices/accounts/{name}"


def account_row(sub: str, group: str, name: str, kind: str = "OpenAI") -> dict[str, Any]:
    """A Resource Graph row of a Cognitive Services account (lower-case type, as Resource Graph writes it)."""
    return {"id": account_id(sub, group, name), "name": name, "type": "microsoft.cognitiveservices/accounts",
            "tenantId": TENANT, "kind": kind, "location": "swedencentral", "resourceGroup": group,
            "subscriptionId": sub, "managedBy": "", "sku": {"name": "S0"}, "plan": None,
            "properties": {"endpoint": f"https://{name}.openai.azure.com/", "provisioningState": "Succeeded"},
            "tags": None, "identity": None, "zones": None, "extendedLocation": None}


def deployment(sub: str, group: str, account: str, name: str, model: str, version: str, sku: str = "GlobalStandard",
               option: str = "OnceNewDefaultVersionAvailable") -> dict[str, Any]:
    """An item of ARM Deployments - List (api-version 2025-09-01): id, name, type, systemData, sku, etag,
    properties with the model, capabilities and rate limits."""
    return {
        "id": f"{account_id(sub, group, account)}/deployments/{name}", "name": name,
        "type": "Microsoft.CognitiveServices/accounts/deployments",
        "systemData": {"createdBy": "ops@contoso.com", "createdByType": "User", "createdAt": "2025-05-02T09:12:44Z",
                       "lastModifiedBy": "ops@contoso.com", "lastModifiedByType": "User",
                       "lastModifiedAt": "2025-05-02T09:12:44Z"},
        "sku": {"name": sku, "capacity": 80}, "etag": '"0d00e1a2-0000-0c00-0000-6820b3d50000"',
        "properties": {"model": {"format": "OpenAI", "name": model, "version": version},
                       "versionUpgradeOption": option, "provisioningState": "Succeeded",
                       "capabilities": {"chatCompletion": "true"}, "raiPolicyName": "Microsoft.DefaultV2",
                       "currentCapacity": 80,
                       "rateLimits": [{"key": "request", "renewalPeriod": 10, "count": 80},
                                      {"key": "token", "renewalPeriod": 60, "count": 80000}]},
    }


def fleet() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Four accounts Resource Graph returns (plus one of another kind it must not), their deployments."""
    accounts = [account_row(SUB_A, "rg-ai-prod", "aif-prod"), account_row(SUB_A, "rg-ai-prod", "aif-hub", "AIServices"),
                account_row(SUB_B, "rg-ai-dev", "aif-prod"), account_row(SUB_B, "rg-ai-dev", "aif-empty"),
                account_row(SUB_B, "rg-ai-dev", "speech-1", "SpeechServices")]
    deployments = {
        account_id(SUB_A, "rg-ai-prod", "aif-prod"): [
            deployment(SUB_A, "rg-ai-prod", "aif-prod", "chat", "gpt-4o", "2024-08-06"),
            deployment(SUB_A, "rg-ai-prod", "aif-prod", "legacy", "gpt-35-turbo", "0301"),
            deployment(SUB_A, "rg-ai-prod", "aif-prod", "mini", "gpt-4o-mini", "2024-07-18"),
            deployment(SUB_A, "rg-ai-prod", "aif-prod", "ptu", "gpt-4.1", "2025-04-14", "ProvisionedManaged",
                       "NoAutoUpgrade")],
        account_id(SUB_A, "rg-ai-prod", "aif-hub"): [
            deployment(SUB_A, "rg-ai-prod", "aif-hub", "hub-chat", "gpt-4.1", "2025-04-14")],
        account_id(SUB_B, "rg-ai-dev", "aif-prod"): [
            deployment(SUB_B, "rg-ai-dev", "aif-prod", "legacy", "gpt-35-turbo", "0301")],
        account_id(SUB_B, "rg-ai-dev", "aif-empty"): [],
        account_id(SUB_B, "rg-ai-dev", "speech-1"): [deployment(SUB_B, "rg-ai-dev", "speech-1", "x", "gpt-4o", "1")],
    }
    return accounts, {k.casefold(): v for k, v in deployments.items()}


@pytest.fixture
def stub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ArmStub]:
    for name in ("AZURE_SUBSCRIPTION_ID", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    # Retries stay azure-core's (Retry-After honoured); fewer of them, and a short backoff, keep tests fast.
    monkeypatch.setattr(azure_arm, "RETRY", {"retry_total": 3, "retry_backoff_factor": 0.01, "retry_backoff_max": 0.05})
    accounts, deployments = fleet()
    with Running(ArmStub(accounts=accounts, deployments=deployments, subscriptions=[SUB_A, SUB_B]),
                 tmp_path) as running:
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
    return invoke("audit", "--live", "--arm-endpoint", stub.url, *PIN, *extra)


def exported(stub: ArmStub, tmp_path: Path) -> list[str]:
    """The offline alternative: one `az cognitiveservices account deployment list` array per account."""
    files = []
    for i, row in enumerate(stub.accounts):
        if row["kind"] in ("OpenAI", "AIServices"):
            files.append(tmp_path / f"account-{i}.json")
            files[-1].write_text(json.dumps(stub.deployments[row["id"].casefold()]), "utf-8")
    return [str(f) for f in files]


def test_live_audit_judges_every_deployment_of_every_account(stub, credential, tmp_path):
    stub.page_size = 1  # Resource Graph: one account per page
    stub.deployments_page_size = 2  # ARM: aif-prod's four deployments in two pages joined by nextLink
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["deployments"] == 6
    assert data["summary"]["accounts_found"] == 4 and data["summary"]["accounts_listed"] == 4
    retired = {(f["resource"], f["subscription"]) for f in data["findings"] if f["policy"] == "retired-model-version"}
    assert retired == {("aif-prod/legacy", SUB_A), ("aif-prod/legacy", SUB_B)}
    assert {f["resource"] for f in data["findings"]} >= {"aif-prod/chat", "aif-prod/ptu", "aif-hub/hub-chat"}
    # The same verdict as the offline alternative: the per-account exports `az` prints.
    offline = json.loads(invoke("audit", *exported(stub, tmp_path), *PIN, "-f", "json").stdout)
    assert data["findings"] == offline["findings"]
    # Step 1: Resource Graph for the accounts, every page.
    graph = stub.requests_to("ResourceGraph")
    assert [c.body["query"] for c in graph] == [ACCOUNTS_QUERY] * 4
    assert [c.body["options"].get("$skipToken") for c in graph] == [None, "1", "2", "3"]
    assert all(c.body["options"]["resultFormat"] == "objectArray" for c in graph)
    # Step 2: ARM for each account's deployments (never the SpeechServices account), every nextLink page.
    listed = stub.requests_to("/deployments")
    assert {c.path.split("/")[8] for c in listed} == {"aif-prod", "aif-hub", "aif-empty"}
    assert all(c.query["api-version"] == [ARM_API_VERSION] for c in listed)
    prod_a = [c.query.get("$skipToken", ["0"])[0] for c in listed if c.path.startswith(f"/subscriptions/{SUB_A}")
              and "/aif-prod/" in c.path]
    assert prod_a == ["0", "2"]
    assert all(c.authorization == f"Bearer {StaticCredential.token}" for c in stub.seen)
    assert credential.scopes[0] == (f"{stub.url}/.default",)


def test_resource_graph_alone_finds_no_deployments(stub, credential):
    """Why two steps: Resource Graph does not index model deployments; the query for them answers no rows
    however many exist (as Azure does: the type is not among Resource Graph's supported types)."""
    endpoint = azure_arm.Endpoint.of(stub.url)
    pages = list(azure_arm.graph_pages(DEPLOYMENTS_QUERY, credential, endpoint))
    assert [p.rows for p in pages] == [[]] and sum(map(len, stub.deployments.values())) > 0


def test_the_old_flag_name_is_an_alias(stub, credential):
    old = invoke("audit", "--resource-graph", "--arm-endpoint", stub.url, *PIN, "-f", "json")
    new = audit_live(stub, "-f", "json")
    assert old.exit_code == new.exit_code == 1
    assert json.loads(old.stdout) == json.loads(new.stdout)


def test_subscriptions_and_management_groups_are_sent(stub, credential):
    result = audit_live(stub, "--subscription", SUB_B, "--management-group", "mg-ai", "-f", "json")
    [call] = stub.requests_to("ResourceGraph")
    assert call.body["subscriptions"] == [SUB_B] and call.body["managementGroups"] == ["mg-ai"]
    assert {c.path.split("/")[2] for c in stub.requests_to("/deployments")} == {SUB_B}
    assert {f["subscription"] for f in json.loads(result.stdout)["findings"] if f.get("subscription")} == {SUB_B}


def test_unlistable_accounts_are_exit_2_naming_each_with_azures_code(stub, credential):
    stub.faults = {"aif-hub": "forbidden", "aif-empty": "parent-deleted"}
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    err = " ".join(result.stderr.split())
    assert "2 of 4 accounts could not be listed" in err and "--allow-partial" in err
    assert (f"account aif-hub (subscription {SUB_A}, resource group rg-ai-prod) not audited: HTTP 403 "
            "AuthorizationFailed: The client 'auditor@contoso.com'") in err
    assert "Microsoft.CognitiveServices/accounts/deployments/read" in err
    assert "account aif-empty (subscription " + SUB_B in err and "HTTP 404 ParentResourceNotFound" in err


@pytest.mark.parametrize("fault, code", [("forbidden", "HTTP 403 AuthorizationFailed"),
                                         ("deleted", "HTTP 404 ResourceNotFound"),
                                         ("parent-deleted", "HTTP 404 ParentResourceNotFound"),
                                         ("throttled:20", "HTTP 429 TooManyRequests"),
                                         ("garbage", "unreadable answer"),
                                         ("drop", "network error")])
def test_allow_partial_judges_the_others_and_every_format_names_the_account(stub, credential, tmp_path, fault, code):
    stub.faults = {"aif-hub": fault}
    stub.retry_after = "0.01"
    outs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "sarif", "junit", "markdown", "table")}
    result = audit_live(stub, "--allow-partial", *[a for fmt, path in outs.items() for a in ("-o", f"{fmt}={path}")])
    assert result.exit_code == 1, result.output  # the retired deployments of the listed accounts still fail it
    name = f"account aif-hub (subscription {SUB_A}, resource group rg-ai-prod) not audited: {code}"
    data = json.loads(outs["json"].read_text())
    assert data["summary"]["deployments"] == 5 and data["summary"]["accounts_listed"] == 3
    assert [p.startswith(name) for p in data["runs"][0]["partial"]] == [True]
    assert "1 account NOT audited" in data["runs"][0]["coverage"]
    sarif = json.loads(outs["sarif"].read_text())
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(n["level"] == "warning" and name in n["message"]["text"] for n in notes)
    props = {p.get("name"): p.get("value") for p in ET.parse(outs["junit"]).iter("property")}
    assert name in props["partial"] and props["accounts_found"] == "4" and props["accounts_listed"] == "3"
    markdown = outs["markdown"].read_text()
    assert "⚠️ partial input" in markdown.splitlines()[0] and name in markdown
    table = " ".join(outs["table"].read_text().split())
    assert name in table and "PARTIAL" in table
    assert "PARTIAL: the verdict covers only the accounts listed" in result.stdout + result.stderr


def test_a_malformed_deployment_from_arm_is_exit_2_naming_the_account_and_path(stub, credential):
    hub = account_id(SUB_A, "rg-ai-prod", "aif-hub")
    item = deployment(SUB_A, "rg-ai-prod", "aif-hub", "hub-chat", "gpt-4.1", "2025-04-14")
    del item["name"]
    stub.deployments[hub.casefold()] = [item]
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"ARM Deployments - List of {hub}: value[0].name: expected the deployment name" in result.stderr


def test_throttling_is_retried_after_retry_after(stub, credential):
    stub.throttle = 1  # Resource Graph's first answer
    stub.faults = {"aif-hub": "throttled:2"}  # ARM: two 429s, then the list
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 1, result.output
    graph = stub.requests_to("ResourceGraph")
    assert [c.status for c in graph] == [429, 200] and graph[1].at - graph[0].at >= 0.95  # Retry-After: 1
    hub = stub.requests_to("/aif-hub/deployments")
    assert [c.status for c in hub] == [429, 429, 200]
    assert hub[1].at - hub[0].at >= 0.95 and hub[2].at - hub[1].at >= 0.95
    assert json.loads(result.stdout)["summary"]["deployments"] == 6


def test_throttled_past_the_retries_is_named(stub, credential):
    stub.retry_after = "0.01"
    stub.faults = {"aif-prod": "throttled:50"}
    result = audit_live(stub)
    assert result.exit_code == 2
    assert "HTTP 429 TooManyRequests" in result.stderr and "aif-prod" in result.stderr
    # azure-core's retries: the first try and RETRY's retry_total more, per account named aif-prod (two).
    assert len(stub.requests_to("/aif-prod/deployments")) == 2 * (1 + azure_arm.RETRY["retry_total"])


def test_concurrency_is_bounded(stub, credential):
    stub.delay = 0.2
    result = audit_live(stub, "--concurrency", "2", "-f", "json")
    assert result.exit_code == 1, result.output
    assert stub.max_in_flight == 2  # four accounts, two at a time
    one = audit_live(stub, "--concurrency", "1", "-f", "json")
    assert json.loads(one.stdout) == json.loads(result.stdout)


def test_accounts_without_deployments_say_so(stub, credential):
    stub.deployments = {k: [] for k in stub.deployments}
    result = audit_live(stub)
    assert result.exit_code == 0, result.output
    text = " ".join((result.stdout + result.stderr).split())
    assert "4 accounts found, 4 listed, 0 deployments judged: the 4 accounts listed hold no model deployments" in text
    data = json.loads(audit_live(stub, "-f", "json").stdout)
    assert data["runs"][0]["coverage"].endswith("hold no model deployments")
    assert "hold no model deployments" in audit_live(stub, "-f", "markdown").stdout


def test_empty_tenant_is_clean_and_says_why(stub, credential):
    stub.accounts = []
    result = audit_live(stub, "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["resource"] != "(stack)"] == []
    assert data["runs"][0]["coverage"] == ("0 accounts found, 0 listed, 0 deployments judged: no Azure OpenAI or AI "
                                           "Services account in scope, so nothing was judged")
    assert stub.requests_to("/deployments") == []


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
    assert stub.seen == []  # no unauthenticated request went out


def test_unreachable_endpoint_is_a_clear_error(credential, tmp_path, monkeypatch):
    monkeypatch.setattr(azure_arm, "RETRY", {"retry_total": 1, "retry_backoff_factor": 0.01})
    result = invoke("audit", "--live", "--arm-endpoint", "https://127.0.0.1:9", *PIN)
    assert result.exit_code == 2 and "Azure (https://127.0.0.1:9): Resource Graph query" in result.stderr


def test_live_options_are_checked(stub, credential, tmp_path):
    assert invoke("audit", *PIN).exit_code == 2  # neither files nor --live
    both = invoke("audit", str(ARM / "resource-graph-az.json"), "--live", *PIN)
    assert both.exit_code == 2 and "either JSON files or --live" in both.stderr
    stray = invoke("audit", str(ARM / "resource-graph-az.json"), "--subscription", SUB_A, *PIN)
    assert stray.exit_code == 2 and "only with --live" in stray.stderr
    bounded = invoke("audit", str(ARM / "resource-graph-az.json"), "--concurrency", "4", *PIN)
    assert bounded.exit_code == 2 and "only with --live" in bounded.stderr
    for bad in ("0", "65"):
        wrong = invoke("audit", "--live", "--concurrency", bad, "--arm-endpoint", stub.url, *PIN)
        assert wrong.exit_code == 2 and "--concurrency: expected a number of accounts from 1 to 64" in wrong.stderr
    plain = invoke("audit", "--live", "--arm-endpoint", "http://127.0.0.1:1", *PIN)
    assert plain.exit_code == 2 and "--arm-endpoint: expected an https:// URL" in plain.stderr
    assert stub.seen == []


def test_missing_azure_extra_is_a_clear_error(stub, monkeypatch):
    monkeypatch.setitem(sys.modules, "azure.identity", None)  # what an install without the extra looks like
    result = invoke("audit", "--live", "--arm-endpoint", stub.url, *PIN)
    assert result.exit_code == 2
    assert "pip install 'versionguard[azure]'" in result.stderr and "cannot import azure.identity" in result.stderr


def test_progress_only_for_a_person_at_a_terminal(monkeypatch):
    from versionguard.cli import audit as audit_cli

    shown: list[str] = []
    monkeypatch.setattr(audit_cli, "live_progress", lambda label: lambda text, done=False: shown.append(text))
    assert audit_cli._live_progress("json", []) is None  # a machine format on stdout: no progress
    table = audit_cli._live_progress("table", [])
    assert table is not None
    table("accounts", 3, None)
    table("listed", 3, 3)
    assert shown == ["Resource Graph: 3 accounts found so far", "ARM: deployments of 3 of 3 accounts listed"]
    assert audit_cli._live_progress("json", [("json", Path("out.json"))]) is not None  # the report goes to a file
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    from versionguard.cli.options import live_progress

    assert live_progress("x") is None  # not a terminal: no progress


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
