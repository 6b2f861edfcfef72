"""Pulumi mocks that record every registration, for the components and the program (no engine, no cloud).

``pulumi_mocks`` (a fixture: import it into the test module) starts a fresh mock runtime and resets it
afterwards: Pulumi keeps its settings, root stack and config in module-level state, which would
otherwise leak registrations from one test into the next.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs

PROJECT = "foundry-deployments"
ACCOUNT_TYPE = "azure-native:cognitiveservices:Account"
DEPLOYMENT_TYPE = "azure-native:cognitiveservices:Deployment"


class FoundryMocks(pulumi.runtime.Mocks):
    """Echo inputs back as outputs, plus what Azure computes that the components chain on."""

    def __init__(self) -> None:
        self.registered: dict[str, MockResourceArgs] = {}

    def new_resource(self, args: MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.registered[args.name] = args
        outputs = dict(args.inputs)
        if args.typ == ACCOUNT_TYPE:
            subdomain = args.inputs["properties"]["customSubDomainName"]
            outputs["name"] = args.inputs["accountName"]
            outputs["properties"] = {
                **args.inputs["properties"],
                "endpoint": f"https://{subdomain}.cognitiveservices.azure.com/",
            }
        elif args.typ == DEPLOYMENT_TYPE:
            outputs["name"] = args.inputs["deploymentName"]
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


class RecordingMonitor(MockMonitor):
    """The mock monitor, also keeping what ``new_resource`` never sees: URNs, parents, dependencies."""

    def __init__(self, mocks: FoundryMocks) -> None:
        super().__init__(mocks)
        self.foundry_mocks = mocks
        self.urns: dict[str, str] = {}
        self.parents: dict[str, str] = {}
        self.dependencies: dict[str, set[str]] = {}

    def RegisterResource(self, request: Any) -> Any:  # gRPC method name
        response = super().RegisterResource(request)
        self.urns[request.name] = response.urn
        self.parents[request.name] = request.parent
        self.dependencies[request.name] = set(request.dependencies)
        return response

    def inputs(self, name: str) -> dict[str, Any]:
        return self.foundry_mocks.registered[name].inputs

    def names_of(self, typ: str) -> list[str]:
        return [name for name, args in self.foundry_mocks.registered.items() if args.typ == typ]


@pytest.fixture
def pulumi_mocks() -> Iterator[Callable[..., RecordingMonitor]]:
    """Start a fresh mock runtime (``start(stack=...)``) on a fresh event loop; reset both afterwards.

    The root Stack resource binds to the current event loop, and earlier tests (or the offline runner)
    may have closed or unset theirs, so each test brings its own.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def start(stack: str = "test") -> RecordingMonitor:
        pulumi.runtime.reset_options()  # drops the previous root stack, so set_mocks makes a new one
        pulumi.runtime.set_all_config({})
        mocks = FoundryMocks()
        monitor = RecordingMonitor(mocks)
        pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
        return monitor

    try:
        yield start
    finally:
        pulumi.runtime.reset_options()
        pulumi.runtime.set_all_config({})
        loop.close()
        asyncio.set_event_loop(None)


def run(program: Callable[[], Any]) -> Any:
    """Run ``program`` like a Pulumi program; wait for every registration; return its resolved result."""
    result: dict[str, Any] = {}

    @pulumi.runtime.test
    def body() -> pulumi.Output[Any]:
        return pulumi.Output.from_input(program()).apply(lambda value: result.setdefault("value", value))

    body()
    return result.get("value")


def set_stack_config(stack_file: Path) -> dict[str, Any]:
    """Give the mock runtime a stack file's config the way the Pulumi CLI does (JSON for objects)."""
    config = yaml.safe_load(stack_file.read_text())["config"]
    pulumi.runtime.set_all_config(
        {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}
    )
    return config
