"""The program host's (adapters/program/host.py) two speed patches of the SDK keep its outcome.

The linear end-of-program wait: every output waited for, a failed output raised (early, while
others still pend), a ``ResourceRegistrationFailed`` skipped, outputs created while waiting waited
for too, and an SDK of another shape left alone. The skipped alias URNs: plain aliases kept as
given, an alias the SDK refuses (or one given as an Output) still through the SDK, an SDK without
alias specs left alone.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable, Coroutine
from typing import Any

import pulumi
import pulumi.resource as sdk_resource
import pulumi.runtime.resource as sdk_runtime_resource
import pulumi.runtime.stack as sdk_stack
import pytest

from tests.support import ROOT

HOST = ROOT / "policies" / "versionguard" / "adapters" / "program" / "host.py"


def _host() -> Any:
    spec = importlib.util.spec_from_file_location("_vg_program_host_test", HOST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Namespace:
    """pulumi.runtime.stack's names that the patch reads, so the SDK module itself stays untouched."""

    wait_for_rpcs = sdk_stack.wait_for_rpcs
    SETTINGS = sdk_stack.SETTINGS
    _get_rpc_manager = staticmethod(sdk_stack._get_rpc_manager)
    ResourceRegistrationFailed = sdk_stack.ResourceRegistrationFailed


def _linear_wait() -> Callable[[], Coroutine[Any, Any, None]]:
    namespace = type("Stack", (_Namespace,), {})
    _host().settle_outputs_linearly(namespace)
    assert namespace.wait_for_rpcs is not sdk_stack.wait_for_rpcs
    return namespace.wait_for_rpcs


def _output(future: asyncio.Future[Any]) -> pulumi.Output[Any]:
    known = asyncio.get_running_loop().create_future()
    known.set_result(True)
    return pulumi.Output(set(), future, known)


@pytest.fixture(autouse=True)
def _clean_outputs() -> Any:
    sdk_stack.SETTINGS.outputs.clear()
    yield
    sdk_stack.SETTINGS.outputs.clear()


@pytest.mark.parametrize("which", ["sdk", "linear"])
def test_every_output_is_waited_for_including_ones_created_while_waiting(which: str) -> None:
    async def run() -> list[int]:
        wait = sdk_stack.wait_for_rpcs if which == "sdk" else _linear_wait()
        loop = asyncio.get_running_loop()
        seen: list[int] = []
        futures = [loop.create_future() for _ in range(50)]
        for i, f in enumerate(futures):
            _output(f).apply(seen.append)
            loop.call_later(0.001 * (50 - i), f.set_result, i)
        late = loop.create_future()
        # an output created from an apply (like a resource registered inside one) after the wait began
        _output(futures[0]).apply(lambda _: _output(late).apply(seen.append))
        loop.call_later(0.2, late.set_result, 99)
        await wait()
        return seen

    seen = asyncio.run(run())
    assert sorted(seen) == [*range(50), 99]


@pytest.mark.parametrize("which", ["sdk", "linear"])
def test_a_failed_output_is_raised_without_waiting_for_the_rest(which: str) -> None:
    async def run() -> None:
        wait = sdk_stack.wait_for_rpcs if which == "sdk" else _linear_wait()
        loop = asyncio.get_running_loop()
        never = loop.create_future()  # would hang the wait if a failure did not end it
        _output(never)
        failing = loop.create_future()
        _output(failing)
        loop.call_later(0.01, failing.set_exception, ValueError("the account list is empty"))
        await asyncio.wait_for(wait(), timeout=10)

    with pytest.raises(ValueError, match="the account list is empty"):
        asyncio.run(run())


@pytest.mark.parametrize("which", ["sdk", "linear"])
def test_a_registration_failure_output_is_skipped(which: str) -> None:
    async def run() -> str:
        wait = sdk_stack.wait_for_rpcs if which == "sdk" else _linear_wait()
        loop = asyncio.get_running_loop()
        failed = loop.create_future()
        _output(failed)
        loop.call_soon(failed.set_exception, sdk_stack.ResourceRegistrationFailed("registration failed"))
        ok = loop.create_future()
        _output(ok)
        loop.call_later(0.01, ok.set_result, "done")
        await wait()
        return ok.result()

    assert asyncio.run(run()) == "done"


def test_an_sdk_whose_wait_has_another_shape_keeps_its_own() -> None:
    async def old_wait() -> None:  # no await_all_outstanding_tasks parameter
        return None

    namespace = type("Stack", (_Namespace,), {"wait_for_rpcs": staticmethod(old_wait)})
    _host().settle_outputs_linearly(namespace)
    assert namespace.wait_for_rpcs is old_wait
    bare = type("Stack", (), {"wait_for_rpcs": staticmethod(sdk_stack.wait_for_rpcs)})
    _host().settle_outputs_linearly(bare)  # no SETTINGS: left alone
    assert bare.wait_for_rpcs is sdk_stack.wait_for_rpcs


class _ResourceNamespace:
    collapse_alias_to_urn = staticmethod(sdk_resource.collapse_alias_to_urn)
    Alias = sdk_resource.Alias


def _alias_collapse() -> Any:
    namespace = type("Resource", (_ResourceNamespace,), {})
    _host().skip_alias_urns(namespace, sdk_runtime_resource)
    assert namespace.collapse_alias_to_urn is not sdk_resource.collapse_alias_to_urn
    return namespace.collapse_alias_to_urn


def test_plain_aliases_are_kept_as_given_without_urn_outputs() -> None:
    collapse = _alias_collapse()
    by_type = pulumi.Alias(type_="azure-native:cognitiveservices/v20250601:Deployment")
    assert collapse(by_type, "chat", "azure-native:cognitiveservices:Deployment", None) is by_type
    assert collapse("urn:pulumi:dev::p::t::old", "chat", "t", None) == "urn:pulumi:dev::p::t::old"
    named = pulumi.Alias(name="old-chat", parent=pulumi.ROOT_STACK_RESOURCE)
    assert collapse(named, "chat", "t", None) is named


def test_an_alias_the_sdk_refuses_still_fails_through_the_sdk() -> None:
    async def run() -> None:
        collapse = _alias_collapse()
        urn = collapse(pulumi.Alias(name=None), "chat", "t", None)  # type: ignore[arg-type]
        assert isinstance(urn, pulumi.Output)
        await urn.future()

    with pytest.raises(Exception, match="No valid 'name' passed in for alias"):
        asyncio.run(run())


def test_an_alias_given_as_an_output_goes_through_the_sdk() -> None:
    async def run() -> str | None:
        collapse = _alias_collapse()
        urn = collapse(pulumi.Output.from_input("urn:pulumi:dev::p::t::old"), "chat", "t", None)
        assert isinstance(urn, pulumi.Output)
        return await urn.future()

    assert asyncio.run(run()) == "urn:pulumi:dev::p::t::old"


def test_an_sdk_without_alias_specs_keeps_its_alias_urns() -> None:
    async def prepare_aliases(resource: Any, resource_options: Any) -> list[Any]:  # before alias specs
        return []

    namespace = type("Resource", (_ResourceNamespace,), {})
    _host().skip_alias_urns(namespace, type("Runtime", (), {"prepare_aliases": staticmethod(prepare_aliases)}))
    assert namespace.collapse_alias_to_urn is sdk_resource.collapse_alias_to_urn
