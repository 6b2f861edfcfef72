"""Run a Pulumi Python program offline under Pulumi's mock runtime and capture what it registers.

No Pulumi CLI, no provider, no cloud: the program's ``__main__.py`` runs in this process against
a mock resource monitor. Every registration is captured as the engine would see it (type, name,
URN, parent, dependencies and the serialized input properties), ready for the analyzer. Mock
outputs echo inputs, so programs that chain outputs keep working.
"""

from __future__ import annotations

import asyncio
import runpy
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import struct_pb2
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import settings as pulumi_settings
from pulumi.runtime.stack import run_pulumi_func

from versionguard.adapters.analyzer import Resource


class _EchoMocks(pulumi.runtime.Mocks):
    """Outputs = inputs plus an id and name, and an endpoint for accounts."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        outputs.setdefault("name", args.name)
        if args.typ.startswith("azure-native:cognitiveservices") and args.typ.endswith(":Account"):
            sub = (outputs.get("properties") or {}).get("customSubDomainName") or args.name
            props = dict(outputs.get("properties") or {})
            props.setdefault("endpoint", f"https://{sub}.openai.azure.com/")
            outputs["properties"] = props
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


class _CapturingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks, project: str, stack: str) -> None:
        super().__init__(mocks)
        self.project, self.stack = project, stack  # not pulumi.get_stack(): runtime state is global
        self.captured: list[Resource] = []

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """URNs as the engine builds them: the parent's qualified type chain, minus the root Stack.

        (The stock mock monitor keeps only the immediate parent's type and includes the Stack, so
        its URNs would not match the ones ``pulumi preview`` reports or a waiver names.)
        """
        qualified = type_
        if parent and type_ != "pulumi:pulumi:Stack":
            parent_type = parent.split("::")[2]
            if parent_type != "pulumi:pulumi:Stack":
                qualified = f"{parent_type}${type_}"
        return "urn:pulumi:" + "::".join([self.stack, self.project, qualified, name])

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            props = struct_pb2.Struct()
            props.CopyFrom(request.object)
            self.captured.append(Resource(
                type=request.type,
                name=request.name,
                urn=self.make_urn(request.parent, request.type, request.name),
                properties=props,
                parent=request.parent,
                dependencies=tuple(request.dependencies),
                custom=bool(request.custom),
            ))
        return super().RegisterResource(request)


@dataclass(frozen=True)
class ProgramRun:
    resources: list[Resource]


def run_program(program_dir: Path, project: str, stack: str, config: Mapping[str, str]) -> ProgramRun:
    """Execute ``program_dir/__main__.py`` for one stack; config keys are ``namespace:key``."""
    mocks = _EchoMocks()
    monitor = _CapturingMonitor(mocks, project, stack)
    main = program_dir / "__main__.py"
    added = str(program_dir) not in sys.path
    if added:
        sys.path.insert(0, str(program_dir))
    # The root Stack resource binds to the current loop, so the loop must exist before set_mocks.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        pulumi_settings.reset_options(project=project, stack=stack, preview=False)  # also a fresh root
        pulumi.runtime.set_all_config(dict(config), [])
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
        loop.run_until_complete(run_pulumi_func(lambda: runpy.run_path(str(main), run_name="__main__")))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
        if added:
            sys.path.remove(str(program_dir))
    return ProgramRun(monitor.captured)
