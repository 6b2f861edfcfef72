"""Drive the policy pack in-process exactly as the Pulumi engine drives it over gRPC.

The offline ``check`` builds pulumi_policy's own analyzer servicer around the same policies the
pack serves, configures it with the engine's config merge (``policy_config``), then for each
resource calls ``Remediate`` (applying returned properties, as the engine does) and ``Analyze``,
and finally ``AnalyzeStack``. Enforcement levels, unknown handling and messages therefore come
from pulumi_policy itself, not from a re-implementation.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel

from versionguard.adapters.crossguard.policies import build_policies
from versionguard.adapters.crossguard.servicer import PACK_NAME, VersionguardServicer
from versionguard.adapters.evaluation_inputs import Runtime
from versionguard.adapters.files.policy_config import PolicyInfo, PolicySetting, load_policy_config, reconcile
from versionguard.adapters.program.resource import Resource

# What pulumi_policy reports as its version when PulumiPolicy.yaml is not consulted.
PACK_VERSION = "0.0.1"
_LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.REMEDIATE: "remediate",
    analyzer_pb2.DISABLED: "disabled",
}
_LEVEL_VALUES = {v: k for k, v in _LEVEL_NAMES.items()}


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    level: str
    message: str  # the rule's own message (CrossGuard's description prefix removed)
    urn: str
    resource: Resource | None


@dataclass
class StackEnv:
    """The part of the language host's environment for a pack that the policies use."""

    project: str
    stack: str
    config: Mapping[str, str] = field(default_factory=dict)

    @contextlib.contextmanager
    def applied(self) -> Iterator[None]:
        # PULUMI_DRY_RUN is left out on purpose: with it, pulumi_policy reconfigures the Pulumi runtime
        # on every call (about 1 ms each), which versionguard's policies never read.
        values = {
            "PULUMI_PROJECT": self.project,
            "PULUMI_STACK": self.stack,
            "PULUMI_CONFIG": json.dumps(dict(self.config)),
        }
        saved = {k: os.environ.get(k) for k in values}
        os.environ.update(values)
        try:
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v


class OfflineAnalyzer:
    """One configured pack instance; reuse it for every resource of a stack."""

    def __init__(self, runtime: Runtime, config_path: Path | None) -> None:
        self.servicer = VersionguardServicer(PACK_NAME, PACK_VERSION, build_policies(runtime),
                                                EnforcementLevel.ADVISORY)
        info = self.servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
        self.descriptions = {p.name: p.description for p in info.policies}
        policies = [
            PolicyInfo(p.name, _LEVEL_NAMES[p.enforcementLevel],
                       json_format.MessageToDict(p.configSchema).get("properties", {}),
                       tuple(p.configSchema.required))
            for p in info.policies
        ]
        given = load_policy_config(config_path) if config_path is not None else {}
        self.settings: dict[str, PolicySetting] = reconcile(policies, given, str(config_path or "(defaults)"))
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, setting in self.settings.items():
            entry = request.policyConfig[name]
            entry.enforcementLevel = _LEVEL_VALUES[setting.level]
            entry.properties.update(setting.properties)
        self.servicer.Configure(request, None)
        # The engine calls Remediate for every resource; it can only change anything when some
        # policy is at level remediate, so skip the (props-deserializing) call otherwise.
        self.remediates = any(s.level == "remediate" for s in self.settings.values())

    def analyze(self, resources: Sequence[Resource], env: StackEnv) -> list[Diagnostic]:
        out: list[Diagnostic] = []
        by_urn = {r.urn: r for r in resources}
        final: list[Resource] = []
        with env.applied():
            for res in resources:
                request = _request(res)
                if self.remediates:
                    for remediation in self.servicer.Remediate(request, None).remediations:
                        if remediation.HasField("properties"):
                            request.properties.CopyFrom(remediation.properties)
                res = Resource(res.type, res.name, res.urn, request.properties, res.parent, res.dependencies,
                               res.custom)
                final.append(res)
                out += self._diagnostics(self.servicer.Analyze(request, None), by_urn, res)
            stack_request = analyzer_pb2.AnalyzeStackRequest(resources=[
                analyzer_pb2.AnalyzerResource(type=r.type, properties=r.properties, urn=r.urn, name=r.name,
                                              parent=r.parent, dependencies=list(r.dependencies))
                for r in final
            ])
            out += self._diagnostics(self.servicer.AnalyzeStack(stack_request, None), by_urn, None)
        return out

    def _diagnostics(self, response: Any, by_urn: Mapping[str, Resource], res: Resource | None) -> list[Diagnostic]:
        diags = []
        for d in response.diagnostics:
            prefix = self.descriptions.get(d.policyName, "") + "\n"
            message = d.message[len(prefix):] if d.message.startswith(prefix) else d.message
            diags.append(Diagnostic(d.policyName, _LEVEL_NAMES[d.enforcementLevel], message,
                                    d.urn or (res.urn if res else ""), res or by_urn.get(d.urn)))
        return diags


def _request(res: Resource) -> analyzer_pb2.AnalyzeRequest:
    props = struct_pb2.Struct()
    props.CopyFrom(res.properties)
    return analyzer_pb2.AnalyzeRequest(type=res.type, properties=props, urn=res.urn, name=res.name,
                                       options=analyzer_pb2.AnalyzerResourceOptions(parent=res.parent))


def struct_of(props: Mapping[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(dict(props))
    return s
