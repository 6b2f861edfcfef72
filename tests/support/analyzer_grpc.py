"""Talking to a pack over the analyzer protocol as the Pulumi engine does: enforcement-level names,
Analyze requests, and Configure with the engine's merge of schema defaults and a policy-config file."""

from __future__ import annotations

from pathlib import Path

from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2

from tests.support.pack_process import PackProcess
from versionguard.adapters.files.policy_config import PolicyInfo, load_policy_config, reconcile

NATIVE = "azure-native:cognitiveservices:Deployment"
LEVELS = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
          "remediate": analyzer_pb2.REMEDIATE, "disabled": analyzer_pb2.DISABLED}
NAMES = {v: k for k, v in LEVELS.items()}


def request(name: str, p: struct_pb2.Struct, type_: str = NATIVE) -> analyzer_pb2.AnalyzeRequest:
    return analyzer_pb2.AnalyzeRequest(type=type_, properties=p, name=name,
                                       urn=f"urn:pulumi:prod::foundry-deployments::{type_}::{name}")


def configure(pack: PackProcess, config_file: Path | None) -> None:
    """What the engine sends in Configure: schema defaults + file, every policy with a level."""
    info = pack.stub.GetAnalyzerInfo(empty_pb2.Empty())
    policies = [PolicyInfo(p.name, NAMES[p.enforcementLevel],
                           json_format.MessageToDict(p.configSchema).get("properties", {})) for p in info.policies]
    merged = reconcile(policies, load_policy_config(config_file) if config_file else {}, str(config_file))
    req = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, setting in merged.items():
        req.policyConfig[name].enforcementLevel = LEVELS[setting.level]
        req.policyConfig[name].properties.update(setting.properties)
    pack.stub.Configure(req)
