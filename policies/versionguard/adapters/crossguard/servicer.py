"""versionguard's CrossGuard analyzer servicer, and serving it over gRPC as ``PolicyPack(...)`` does.

:class:`VersionguardServicer` is pulumi_policy's servicer with two changes that keep the pack
affordable and secret-aware: it reads an Analyze request's properties once for all policies (the
stock one deserializes them again for each policy) and hands the policies the wire form too, in
which Pulumi secrets are still marked (:class:`WireArgs`); and its AnalyzeStack does not deserialize
the stack's resources for versionguard's stack policies (:class:`ResourceFreeStackPolicy`), which
read none.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent import futures
from inspect import isawaitable
from typing import Any, NoReturn

import grpc
from google.protobuf import json_format
from pulumi.runtime import proto
from pulumi.runtime.proto import analyzer_pb2_grpc
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import policy as _policy
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

PACK_NAME = "versionguard"


class WireArgs(ResourceValidationArgs):
    """Validation args that also carry the wire-form properties and a per-request cache."""

    def __init__(self, *args: Any, wire: Mapping[str, Any], shared: dict[Any, Any]) -> None:
        super().__init__(*args)
        self.wire = wire
        self.shared = shared


class ResourceFreeStackPolicy(StackValidationPolicy):
    """A stack policy whose validation reads no resource of the stack (``args.resources`` is empty):
    versionguard's stack rules judge the catalog and the waivers, never a resource."""


# What pulumi_policy's _configure_runtime_settings reads.
_RUNTIME_ENV = ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_ORGANIZATION")


class VersionguardServicer(_policy._PolicyAnalyzerServicer):
    """pulumi_policy's analyzer servicer, reading each Analyze request's properties once and each
    AnalyzeStack request's resources only for a stack policy that reads them.

    ``Analyze`` is the stock method's loop (enforcement levels, remediate reported as mandatory,
    the advisory skip on unknown values, not-applicable) with the properties, options and provider
    deserialized before it instead of once per policy. Policies only read the shared props.
    ``AnalyzeStack`` is the stock method when any enabled stack policy may read the resources;
    when all are :class:`ResourceFreeStackPolicy` (versionguard's), the same loop without
    deserializing every resource once per policy.
    """

    def Analyze(self, request: Any, _context: Any) -> Any:
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        read: tuple[Any, ...] | None = None
        shared: dict[Any, Any] = {}
        for policy, report in self._enabled(ResourceValidationPolicy, response):
            if not policy.has_validation():
                response.not_applicable.append(proto.PolicyNotApplicable(
                    policy_name=policy.name, reason="Policy does not implement validate"))
                continue
            if read is None:
                wire = json_format.MessageToDict(request.properties)
                read = (unknown_checking_proxy(deserialize_properties(wire)), self._get_resource_options(request),
                        self._get_provider_resource(request), wire)
            props, opts, provider, wire = read
            args = WireArgs(request.type, props, request.urn, request.name, opts, provider,
                         self._get_policy_config(policy.name), self._private("stack_tags"), wire=wire, shared=shared)
            self._validate(policy, args, report, response)
        return response

    def AnalyzeStack(self, request: Any, _context: Any) -> Any:
        enabled = [p for p in self._private("policies") if isinstance(p, StackValidationPolicy)
                   and self._get_enforcement_level(p) != EnforcementLevel.DISABLED]
        if not all(isinstance(p, ResourceFreeStackPolicy) for p in enabled):
            return super().AnalyzeStack(request, _context)
        self._configure_runtime_settings()
        response = proto.AnalyzeResponse()
        for policy, report in self._enabled(StackValidationPolicy, response):
            args = StackValidationArgs([], self._get_policy_config(policy.name), self._private("stack_tags"))
            self._validate(policy, args, report, response)
        return response

    def _configure_runtime_settings(self) -> None:
        """The stock method, run again only when its inputs changed (per thread: the runtime config
        is a context variable). It parses the stack's whole ``PULUMI_CONFIG`` on every call, which
        made a stack's analysis O(resources x config size), i.e. quadratic in deployments."""
        key = tuple(os.environ.get(name) for name in _RUNTIME_ENV)
        seen: dict[int, tuple[str | None, ...]] = self.__dict__.setdefault("_runtime_env_seen", {})
        if seen.get(threading.get_ident()) == key:
            return
        super()._configure_runtime_settings()
        seen[threading.get_ident()] = key

    def _enabled(self, kind: type[Policy], response: Any) -> Iterator[tuple[Any, ReportViolation]]:
        """Each enabled policy of ``kind`` with its report function; remediate reports as mandatory."""
        for policy in self._private("policies"):
            level = self._get_enforcement_level(policy)
            if level == EnforcementLevel.DISABLED or not isinstance(policy, kind):
                continue
            if level == EnforcementLevel.REMEDIATE:
                level = EnforcementLevel.MANDATORY
            yield policy, self._create_report_violation(response, policy.name, policy.description, level,
                                                        policy.severity)

    def _validate(self, policy: Any, args: Any, report: ReportViolation, response: Any) -> None:
        """Run one validation as the stock servicer does: an unknown value is the advisory "can't run
        policy during preview" diagnostic, ``args.not_applicable()`` a not-applicable entry."""
        pack_name, pack_version = self._private("policy_pack_name"), self._private("policy_pack_version")
        try:
            result = policy.validate(args, report)
            if isawaitable(result):
                loop = asyncio.new_event_loop()
                loop.run_until_complete(result)
                loop.close()
        except UnknownValueError as e:
            response.diagnostics.append(proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=pack_name, policyPackVersion=pack_version,
                message=(f"can't run policy '{policy.name}' from policy pack '{pack_name}@v{pack_version}' "
                         f"during preview: {e.message}"),
                urn="", description=policy.description,
                enforcementLevel=self._map_enforcement_level(EnforcementLevel.ADVISORY)))
        except _policy._NotApplicableError as e:
            response.not_applicable.append(proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or ""))

    def _private(self, name: str) -> Any:
        """The base class's name-mangled attribute ``__<name>``."""
        return getattr(self, f"_PolicyAnalyzerServicer__{name}")


def serve(policies: list[Policy], *, description: str, display_name: str) -> NoReturn:
    """Serve the pack as ``PolicyPack(...)`` does (same gRPC server, options and port line on stdout),
    with :class:`VersionguardServicer`. Never returns."""
    servicer = VersionguardServicer(PACK_NAME, "0.0.1", policies, EnforcementLevel.ADVISORY, None, description,
                                    display_name)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_policy._GRPC_CHANNEL_OPTIONS)
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(servicer, server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.flush()
    try:
        while True:
            time.sleep(24 * 60 * 60)
    except KeyboardInterrupt:
        server.stop(0)
    raise SystemExit(0)
