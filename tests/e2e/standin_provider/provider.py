"""Stand-in ``azure-native`` resource provider: a test double for the Azure cloud.

Used only by the end-to-end tests, which run the real Pulumi CLI against it so that
``pulumi preview``/``pulumi up`` (and policy packs) work offline and without Azure
credentials. It is never a product path: nothing outside ``tests/e2e`` may rely on it.

It speaks the Pulumi ResourceProvider gRPC protocol, reports itself as azure-native
3.29.0 (the version the Python SDK in the venv requests), echoes inputs in ``Check``,
diffs top-level keys, and fabricates ARM-style ids and a few outputs on ``Create``.
See ``tests/e2e/README.md`` for what it deliberately does not model.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterable
from concurrent import futures
from typing import Any, NoReturn

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

PLUGIN_VERSION = "3.29.0"
SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "00000000-0000-0000-0000-000000000001"
CLIENT_ID = "00000000-0000-0000-0000-000000000002"
OBJECT_ID = "00000000-0000-0000-0000-000000000003"

# Same limit the Pulumi SDK uses for its own gRPC servers (resource payloads can be large).
_MAX_MESSAGE = 400 * 1024 * 1024
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", _MAX_MESSAGE),
    ("grpc.max_send_message_length", _MAX_MESSAGE),
]

# Resource token -> (input property holding the resource's own name, ARM type).
_KNOWN_RESOURCES: dict[str, tuple[str, str]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "Microsoft.Resources/resourceGroups"),
    "azure-native:cognitiveservices:Account": ("accountName", "Microsoft.CognitiveServices/accounts"),
    "azure-native:cognitiveservices:Deployment": (
        "deploymentName",
        "Microsoft.CognitiveServices/accounts/deployments",
    ),
}


def _to_dict(s: struct_pb2.Struct) -> dict[str, Any]:
    """Struct -> plain dict. Secret/unknown/asset sentinels pass through untouched."""
    return json_format.MessageToDict(s)


def _to_struct(d: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


def _str(value: Any, fallback: str) -> str:
    """A plain string input, or ``fallback`` when absent or not a string (e.g. a secret wrapper)."""
    return value if isinstance(value, str) and value else fallback


def _resource_name(token: str, props: dict[str, Any], logical_name: str) -> str:
    """The Azure name: the explicit name input, else the Pulumi logical name (no random suffix)."""
    name_key = _KNOWN_RESOURCES.get(token, ("name", ""))[0]
    return _str(props.get(name_key), logical_name)


def _arm_id(token: str, props: dict[str, Any], name: str) -> str:
    """Fabricate an ARM resource id shaped like the real one for ``token``."""
    sub = f"/subscriptions/{SUBSCRIPTION_ID}"
    if token == "azure-native:resources:ResourceGroup":
        return f"{sub}/resourceGroups/{name}"
    rg = f"{sub}/resourceGroups/{_str(props.get('resourceGroupName'), 'unknown-rg')}"
    accounts = f"{rg}/providers/Microsoft.CognitiveServices/accounts"
    if token == "azure-native:cognitiveservices:Account":
        return f"{accounts}/{name}"
    if token == "azure-native:cognitiveservices:Deployment":
        return f"{accounts}/{_str(props.get('accountName'), 'unknown-account')}/deployments/{name}"
    # Any other token: azure-native:<module>:<Type> -> a generic, still ARM-looking id.
    _, module, typ = [*token.split(":"), "", ""][:3]
    return f"{rg}/providers/azure-native.{module}/{typ}/{name}"


def _outputs(token: str, inputs: dict[str, Any], logical_name: str, res_id: str | None) -> dict[str, Any]:
    """Outputs = inputs plus the read-only fields the programs and policies look at."""
    out = dict(inputs)
    name = _resource_name(token, inputs, logical_name)
    out["id"] = res_id or _arm_id(token, inputs, name)
    out["name"] = name
    if token in _KNOWN_RESOURCES:
        out["type"] = _KNOWN_RESOURCES[token][1]
    if token == "azure-native:cognitiveservices:Account":
        props = dict(inputs.get("properties") or {})
        sub_domain = _str(props.get("customSubDomainName"), name)
        props["endpoint"] = f"https://{sub_domain}.openai.azure.com/"
        out["properties"] = props
    return out


def _changed_keys(olds: dict[str, Any], news: dict[str, Any], ignore: Iterable[str]) -> list[str]:
    """Top-level keys whose values differ (added, removed or changed), minus ignored ones."""
    ignored = {path.split(".")[0].split("[")[0] for path in ignore}
    keys = set(olds) | set(news)
    return sorted(k for k in keys if k not in ignored and olds.get(k) != news.get(k))


def _diff_response(changed: list[str]) -> provider_pb2.DiffResponse:
    if not changed:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)
    # No `replaces`: unlike the real provider, nothing here forces a replacement.
    return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_SOME, diffs=changed)


def _unimplemented(context: grpc.ServicerContext, method: str) -> NoReturn:
    context.abort(grpc.StatusCode.UNIMPLEMENTED, f"{method} is not implemented by the stand-in provider")


class StandinAzureNativeProvider(provider_pb2_grpc.ResourceProviderServicer):
    """Answers the engine's provider calls with in-memory, deterministic results."""

    def GetPluginInfo(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=PLUGIN_VERSION)

    def Handshake(self, request: Any, context: grpc.ServicerContext) -> NoReturn:
        # UNIMPLEMENTED is tolerated: the engine falls back to Configure.
        _unimplemented(context, "Handshake")

    def GetSchema(self, request: Any, context: grpc.ServicerContext) -> NoReturn:
        _unimplemented(context, "GetSchema")

    def GetMapping(self, request: Any, context: grpc.ServicerContext) -> NoReturn:
        _unimplemented(context, "GetMapping")

    def GetMappings(self, request: Any, context: grpc.ServicerContext) -> NoReturn:
        _unimplemented(context, "GetMappings")

    def CheckConfig(
        self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext
    ) -> provider_pb2.CheckResponse:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        olds = request.old_inputs if request.HasField("old_inputs") else request.olds
        return _diff_response(_changed_keys(_to_dict(olds), _to_dict(request.news), request.ignoreChanges))

    def Configure(
        self, request: provider_pb2.ConfigureRequest, context: grpc.ServicerContext
    ) -> provider_pb2.ConfigureResponse:
        # supportsPreview=False: during preview the engine shows inputs as outputs, Create isn't called.
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=False)

    def Check(self, request: provider_pb2.CheckRequest, context: grpc.ServicerContext) -> provider_pb2.CheckResponse:
        # The real provider auto-names and applies defaults here; the stand-in only echoes.
        return provider_pb2.CheckResponse(inputs=request.news)

    def Diff(self, request: provider_pb2.DiffRequest, context: grpc.ServicerContext) -> provider_pb2.DiffResponse:
        # Compare against the old *inputs* when the engine sends them, so outputs we
        # fabricated (id, name, endpoint) never show up as spurious changes.
        if request.HasField("old_inputs") and request.old_inputs.fields:
            olds = _to_dict(request.old_inputs)
        else:
            olds = _to_dict(request.olds)
            for derived in ("id", "name", "type"):
                olds.pop(derived, None)
        return _diff_response(_changed_keys(olds, _to_dict(request.news), request.ignoreChanges))

    def Create(self, request: provider_pb2.CreateRequest, context: grpc.ServicerContext) -> provider_pb2.CreateResponse:
        outputs = _outputs(request.type, _to_dict(request.properties), request.name, None)
        return provider_pb2.CreateResponse(id=outputs["id"], properties=_to_struct(outputs))

    def Update(self, request: provider_pb2.UpdateRequest, context: grpc.ServicerContext) -> provider_pb2.UpdateResponse:
        outputs = _outputs(request.type, _to_dict(request.news), request.name, request.id)
        return provider_pb2.UpdateResponse(properties=_to_struct(outputs))

    def Delete(self, request: provider_pb2.DeleteRequest, context: grpc.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def Read(self, request: provider_pb2.ReadRequest, context: grpc.ServicerContext) -> provider_pb2.ReadResponse:
        # Nothing drifts in a world that only exists in the state file.
        return provider_pb2.ReadResponse(id=request.id, properties=request.properties, inputs=request.inputs)

    def Invoke(self, request: provider_pb2.InvokeRequest, context: grpc.ServicerContext) -> provider_pb2.InvokeResponse:
        result: dict[str, Any] = {}
        if request.tok == "azure-native:authorization:getClientConfig":
            result = {
                "clientId": CLIENT_ID,
                "objectId": OBJECT_ID,
                "subscriptionId": SUBSCRIPTION_ID,
                "tenantId": TENANT_ID,
            }
        # `return` is a Python keyword, hence the kwargs spelling.
        return provider_pb2.InvokeResponse(**{"return": _to_struct(result)})

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Stand-in azure-native provider (test double)")
    parser.add_argument("engine", nargs="?", help="engine address (unused: the stand-in logs nothing to it)")
    # The engine may add --logflow, --logtostderr, -v=N, --tracing ...: accept and ignore them.
    parser.parse_known_args(argv)

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_GRPC_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(StandinAzureNativeProvider(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    # The engine reads the port from the first line of stdout.
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()

    def _stop(signum: int, frame: object) -> None:
        server.stop(grace=None)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    server.wait_for_termination()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
