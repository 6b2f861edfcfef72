"""versionguard's resource monitor: what a program talks to during an offline ``check``.

A program run by ``program.host`` connects here over gRPC with the same protocol it uses to talk to
the Pulumi engine, and this monitor answers as the engine answers a preview of a **new stack**: it
builds URNs like the engine, runs the program's transforms (``transforms=`` and
``register_resource_transform``) through the SDK's callback server in the order the engine does
(the resource's own, then its parents', then the stack's), echoes each resource's inputs as its
outputs and leaves everything a provider would compute unknown (the SDK marks every output the
answer lacks as unknown during a dry run; the id is empty, hence unknown). Reads answer with no state
(unknown), except ``pulumi.StackReference`` outputs given with ``--stack-outputs``. Method calls
answer unknown. Invokes are answered unknown inside the program by ``program.host``.

This is not Pulumi's engine and no provider runs: no provider ``Check`` (no defaults, no
auto-names), no state, no reads from the cloud. It keeps every registration (type, name, URN,
parent, dependencies, inputs after transforms) as the analyzer is shown it: secrets and unknowns
kept, internal ``__`` keys dropped, and any string built from an unknown placeholder unknown.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator, Mapping
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import (
    callback_pb2,
    callback_pb2_grpc,
    engine_pb2,
    engine_pb2_grpc,
    provider_pb2,
    resource_pb2,
    resource_pb2_grpc,
)

from versionguard.adapters.program.resource import Resource

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's wire sentinel for an unknown value
STACK_TYPE = "pulumi:pulumi:Stack"
STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"

# What the program may use. Not outputValues (unknowns then travel as the plain sentinel, as the
# analyzer sees them) and not resourceReferences (resources then travel as their id or URN, as the
# engine marshals them for an analyzer).
_FEATURES = {
    "secrets": resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    "aliasSpecs": resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
    "deletedWith": resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
    "replaceWith": resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
    "replacementTrigger": resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACEMENT_TRIGGER,
    "transforms": resource_pb2.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
    "invokeTransforms": resource_pb2.RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS,
    "parameterization": resource_pb2.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
    "resourceHooks": resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS,
    "errorHooks": resource_pb2.RESOURCE_MONITOR_FEATURE_ERROR_HOOKS,
}
_GRPC_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024),
                 ("grpc.max_send_message_length", 400 * 1024 * 1024)]


@dataclass
class MonitorLog:
    """What the program told the engine: diagnostics by severity, and notes for the person."""

    errors: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class PreviewMonitor(resource_pb2_grpc.ResourceMonitorServicer, engine_pb2_grpc.EngineServicer):
    """One stack's run: the ResourceMonitor and Engine services with preview answers."""

    def __init__(self, project: str, stack: str, stack_outputs: Mapping[str, Mapping[str, Any]]) -> None:
        self.project, self.stack = project, stack
        self.stack_outputs = stack_outputs
        self.resources: list[Resource] = []
        self.log = MonitorLog()
        self._lock = threading.Lock()
        self._parents: dict[str, str] = {}
        self._transforms: dict[str, list[callback_pb2.Callback]] = {}
        self._stack_transforms: list[callback_pb2.Callback] = []
        self._root = ""

    # --- URNs ------------------------------------------------------------------------------
    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """As the engine builds it: the parent's qualified type chain, minus the root Stack."""
        qualified = type_
        if parent and type_ != STACK_TYPE:
            parent_type = parent.split("::")[2]
            if parent_type != STACK_TYPE:
                qualified = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([self.stack, self.project, qualified, name])

    # --- ResourceMonitor -------------------------------------------------------------------
    def SupportsFeature(self, request: Any, context: Any) -> Any:
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in _FEATURES)

    def GetDeploymentInfo(self, request: Any, context: Any) -> Any:
        return resource_pb2.DeploymentInfo(supportedFeatures=sorted(_FEATURES.values()))

    def RegisterResource(self, request: Any, context: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            return resource_pb2.RegisterResourceResponse(urn=urn)
        with self._lock:
            self._parents[urn] = request.parent
            self._transforms[urn] = list(request.transforms)
        props = self._transformed(request, urn)
        with self._lock:
            self.resources.append(Resource(
                type=request.type, name=request.name, urn=urn, properties=analyzer_view(props),
                parent=request.parent, dependencies=tuple(request.dependencies), custom=bool(request.custom)))
        # Preview of a create: the inputs come back as outputs; the id and the rest stay unknown.
        return resource_pb2.RegisterResourceResponse(urn=urn, id="", object=props)

    def ReadResource(self, request: Any, context: Any) -> Any:
        urn = self.make_urn(request.parent, request.type, request.name)
        state = struct_pb2.Struct()
        if request.type == STACK_REFERENCE_TYPE:
            name = json_format.MessageToDict(request.properties).get("name", request.id)
            state.update({"name": name})
            if name in self.stack_outputs:
                state.update({"outputs": dict(self.stack_outputs[name]), "secretOutputNames": []})
            else:
                self._note(f"StackReference {name!r}: its outputs are unknown offline "
                           f"(pass --stack-outputs {name}=FILE with `pulumi stack output --json`)")
        return resource_pb2.ReadResourceResponse(urn=urn, properties=state)

    def Invoke(self, request: Any, context: Any) -> Any:
        # Invokes are answered unknown inside the program; whatever still arrives is unknown too.
        return resource_pb2.ResourceInvokeResponse(unknown=True)

    def Call(self, request: Any, context: Any) -> Any:
        result = struct_pb2.Struct()
        result.update({"result": UNKNOWN})  # a result with an unknown makes the SDK's Output unknown
        return provider_pb2.CallResponse(**{"return": result})

    def RegisterResourceOutputs(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()

    def RegisterStackTransform(self, request: Any, context: Any) -> Any:
        with self._lock:
            self._stack_transforms.append(request)
        return empty_pb2.Empty()

    def RegisterStackInvokeTransform(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()  # invokes never reach a provider offline: nothing to transform

    def RegisterPackage(self, request: Any, context: Any) -> Any:
        return resource_pb2.RegisterPackageResponse(ref=str(uuid.uuid4()))

    def RegisterResourceHook(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()  # hooks run around real operations; a preview runs none

    def RegisterErrorHook(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()

    def SignalAndWaitForShutdown(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()

    # --- Engine ----------------------------------------------------------------------------
    def Log(self, request: Any, context: Any) -> Any:
        text = request.message.rstrip()
        if request.severity == engine_pb2.ERROR:
            self.log.errors.append(text)
        elif request.severity in (engine_pb2.WARNING, engine_pb2.INFO):
            label = "warning" if request.severity == engine_pb2.WARNING else "info"
            self.log.messages.append(f"{label}: {text}")
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> Any:
        return engine_pb2.GetRootResourceResponse(urn=self._root)

    def SetRootResource(self, request: Any, context: Any) -> Any:
        self._root = request.urn
        return engine_pb2.SetRootResourceResponse()

    def RequirePulumiVersion(self, request: Any, context: Any) -> Any:
        return engine_pb2.RequirePulumiVersionResponse()

    # --- transforms ------------------------------------------------------------------------
    def _transformed(self, request: Any, urn: str) -> struct_pb2.Struct:
        """The inputs after the resource's own transforms, then each ancestor's, then the stack's."""
        with self._lock:
            chain = list(request.transforms)
            parent = request.parent
            while parent:
                chain += self._transforms.get(parent, [])
                parent = self._parents.get(parent, "")
            chain += self._stack_transforms
        props = struct_pb2.Struct()
        props.CopyFrom(request.object)
        if not chain:
            return props
        options = _transform_options(request)
        channels: dict[str, grpc.Channel] = {}
        try:  # channels live for this registration only: none is left open when the program's callback server stops
            for callback in chain:
                if callback.target not in channels:
                    channels[callback.target] = grpc.insecure_channel(callback.target, options=_GRPC_OPTIONS)
                call = resource_pb2.TransformRequest(type=request.type, name=request.name, custom=request.custom,
                                                     parent=request.parent, properties=props, options=options)
                answer = callback_pb2_grpc.CallbacksStub(channels[callback.target]).Invoke(
                    callback_pb2.CallbackInvokeRequest(token=callback.token, request=call.SerializeToString()))
                response = resource_pb2.TransformResponse.FromString(answer.response)
                if response.HasField("properties"):
                    props = response.properties
                if response.HasField("options"):
                    options = response.options
        finally:
            for channel in channels.values():
                channel.close()
        return props

    def _note(self, text: str) -> None:
        with self._lock:
            if text not in self.log.notes:
                self.log.notes.append(text)


def _transform_options(request: Any) -> resource_pb2.TransformResourceOptions:
    return resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies), protect=bool(request.protect),
        ignore_changes=list(request.ignoreChanges), replace_on_changes=list(request.replaceOnChanges),
        version=request.version, provider=request.provider, providers=dict(request.providers),
        plugin_download_url=request.pluginDownloadURL,
        additional_secret_outputs=list(request.additionalSecretOutputs), deleted_with=request.deletedWith)


def analyzer_view(props: struct_pb2.Struct) -> struct_pb2.Struct:
    """The inputs as the engine marshals them for an analyzer: unknowns and secrets kept, internal
    ``__`` keys dropped; a string derived from an unknown placeholder is itself unknown."""
    data = {k: _unknown_if_derived(v) for k, v in json_format.MessageToDict(props).items() if not k.startswith("__")}
    out = struct_pb2.Struct()
    out.update(data)
    return out


def _unknown_if_derived(value: Any) -> Any:
    if isinstance(value, str):
        return UNKNOWN if UNKNOWN in value else value
    if isinstance(value, dict):
        return {k: _unknown_if_derived(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknown_if_derived(v) for v in value]
    return value


@contextmanager
def serve(monitor: PreviewMonitor) -> Iterator[str]:
    """Serve ``monitor`` (ResourceMonitor and Engine) on a loopback port; yields its address."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), options=_GRPC_OPTIONS)
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(monitor, server)
    engine_pb2_grpc.add_EngineServicer_to_server(monitor, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)

