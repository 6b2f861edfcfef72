"""The api-version policies over the real analyzer protocol, the pack started as the Pulumi CLI
starts it: schema with settingNames, an app's retired api-version fails, a Pulumi secret (wire
form, as the engine sends it) is not judged, a non-OpenAI resource produces nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from tests.support import ROOT
from tests.support.analyzer_grpc import NAMES, configure, request
from tests.support.pack_process import PackProcess, start_pack

SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
WEB_APP = "azure-native:web:WebApp"


@pytest.fixture(scope="module")
def pack() -> Iterator[PackProcess]:
    proc = start_pack(env={"VERSIONGUARD_AS_OF": "2026-12-07"}, stack="prod")  # on or after the bundled catalog
    yield proc
    proc.close()


def web_app(value: object) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update({"name": "chat-app", "siteConfig": {"appSettings": [
        {"name": "LOG_LEVEL", "value": "info"}, {"name": "openai_api_version", "value": value}]}})
    return s


def test_schema_of_the_api_version_policies(pack: PackProcess) -> None:
    info = {p.name: p for p in pack.stub.GetAnalyzerInfo(empty_pb2.Empty()).policies}
    for name, level in (("api-version-supported", "mandatory"), ("api-version-preview", "advisory"),
                        ("openai-v1-endpoint", "advisory")):
        assert NAMES[info[name].enforcementLevel] == level
        props = json_format.MessageToDict(info[name].configSchema)["properties"]
        assert props["settingNames"]["type"] == "array" and props["failOnUnknown"]["default"] is False


def test_retired_api_version_fails_and_secret_is_not_judged(pack: PackProcess) -> None:
    configure(pack, ROOT / "policies/config/prod.json")
    bad = pack.stub.Analyze(request("chat-app", web_app("2024-02-15-preview"), WEB_APP))
    hits = {(d.policyName, NAMES[d.enforcementLevel]) for d in bad.diagnostics}
    assert hits == {("api-version-supported", "mandatory"), ("api-version-preview", "mandatory"),
                    ("openai-v1-endpoint", "advisory")}
    message = next(d.message for d in bad.diagnostics if d.policyName == "api-version-supported")
    assert "no longer supported since 2024-07-01" in message
    hidden = pack.stub.Analyze(request("chat-app", web_app({**SECRET, "value": "2024-02-15-preview"}), WEB_APP))
    assert list(hidden.diagnostics) == []


def test_non_openai_resource_has_no_findings(pack: PackProcess) -> None:
    configure(pack, None)
    s = struct_pb2.Struct()
    s.update({"kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "tags": {"owner": "x"}})
    response = pack.stub.Analyze(analyzer_pb2.AnalyzeRequest(
        type="azure-native:storage:StorageAccount", properties=s, name="st",
        urn="urn:pulumi:prod::foundry-deployments::azure-native:storage:StorageAccount::st"))
    assert list(response.diagnostics) == []
