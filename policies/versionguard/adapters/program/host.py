"""The script ``check`` runs in the project's own Python to execute one stack's program for a preview.

It is executed as a file by the project's interpreter (never imported by versionguard) and needs
only the standard library and the ``pulumi`` package there: no versionguard, no pulumi_policy. It
connects the program to versionguard's resource monitor (``preview_monitor``) exactly as Pulumi's
language host connects it to the engine (``--monitor``/``--engine`` addresses, dry run), so the SDK
serializes every registration as it would for ``pulumi preview``; the monitor keeps them.

Invokes never reach a provider offline, so this script answers them as unknown: ``*_output`` forms
resolve to an unknown ``Output`` (what the SDK itself does when an invoke's inputs are unknown), and
plain forms return :class:`Unknown` placeholders whose text is the engine's unknown sentinel, so any
input built from them is judged as unknown.

The monitor echoes inputs as outputs, but a provider may return a property in another shape than
it takes it (a Container App's ``identity.userAssignedIdentities``: a list of ids in, a map out).
The SDK converts outputs to the resource's declared output types and fails on such a value, so
:func:`tolerate_reshaped_outputs` makes every echoed property that does not fit its declared output
type unknown, exactly as an output the provider computes: the program keeps running. Inside an echoed
object, every field its output type declares but the inputs lack is unknown too, as azure-native's
own preview outputs have it (``PreviewOutputs``: the inputs in the output shape, unknowns for the
rest): ``account.properties.endpoint`` is unknown, not absent, and an ``apply`` over such an object
waits, as in ``pulumi preview``.

It is started ahead of need (see ``interpreters``): it imports ``pulumi``, then reads its task, one
JSON line on stdin (monitor address, project, stack, organization, root, program, the stack's
environment variables and the result file). The outcome goes to that result file as JSON (never to
stdout, which belongs to the program): ``{"status": "ok"}`` or ``{"status": <failure kind>, ...}``.
No result file means the program ended the interpreter itself (``os._exit``). Python 3.9+ syntax
only: project environments may be older.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
import runpy
import sys
import traceback
import typing
from collections import abc
from enum import Enum
from typing import Any, NoReturn

HERE = os.path.dirname(os.path.abspath(__file__))
# The engine's wire marker for a value not known until the resource exists (rpc.UNKNOWN in the SDK).
UNKNOWN_TEXT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


class Unknown(str):
    """A plain-invoke result value that cannot be known offline.

    Falsy and empty-looking (so the SDK's generated result types accept it for any field type),
    absorbing attribute access, indexing and calls (so ``result.keys[0].value`` keeps running), and
    carrying the unknown sentinel as its text (so a string built from it is judged as unknown).
    """

    def __new__(cls) -> Unknown:
        return super().__new__(cls, UNKNOWN_TEXT)

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Any:
        return iter(())

    def __getitem__(self, key: Any) -> Unknown:
        return Unknown()

    def __getattr__(self, name: str) -> Unknown:
        if name.startswith("_"):  # protocol and SDK-internal probes are not result fields
            raise AttributeError(name)
        return Unknown()

    def __call__(self, *args: Any, **kwargs: Any) -> Unknown:
        return Unknown()

    def get(self, key: Any, default: Any = None) -> Unknown:
        return Unknown()


def plain_result(typ: Any) -> Any:
    """A result object of the invoke's declared type with every field unknown."""
    if typ is None:
        return Unknown()
    try:
        params = list(inspect.signature(typ.__init__).parameters.values())[1:]
        return typ(**{p.name: Unknown() for p in params
                      if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)})
    except Exception:  # a hand-written result type we cannot build: the bare placeholder
        return Unknown()


def answer_invokes_unknown(invoke_module: Any) -> None:
    """Replace the SDK's invoke RPC with an unknown answer (both the plain and the ``*_output`` forms)."""
    invoke_result = invoke_module.InvokeResult

    def unknown_invoke(tok: str, props: Any, opts: Any = None, typ: Any = None, package_ref: Any = None,
                       check_dependencies: bool = False, **_: Any) -> Any:
        async def answer() -> Any:
            if check_dependencies:  # the *_output forms: a wholly unknown Output
                return invoke_result(None, is_secret=False, is_known=False)
            return invoke_result(plain_result(typ))

        return answer()

    invoke_module._invoke = unknown_invoke


def fits(value: Any, typ: Any, types: Any, depth: int = 0) -> bool:
    """Whether an echoed value has the shape of the SDK's declared output type ``typ`` (``types``: the
    SDK's ``pulumi._types``). Types it cannot read are taken to fit (the SDK then decides)."""
    if value is None or typ is None or typ is Any or depth > 64 or isinstance(value, types.unknown):
        return True  # an unknown input fits any shape
    if isinstance(value, dict) and types.rpc_secret(value):
        value = types.rpc_secret(value)[0]
        if value is None:
            return True
    typ = types.unwrap_optional_type(typ)
    if typ is Any:
        return True
    if inspect.isclass(typ) and types.is_output_type(typ):
        if not isinstance(value, dict):
            return False
        declared = types.output_type_types(typ)
        return all(fits(v, declared.get(k), types, depth + 1) for k, v in value.items())
    origin = typing.get_origin(typ)
    args = typing.get_args(typ)
    if typ is dict or origin in (dict, abc.Mapping, typing.Mapping):
        return isinstance(value, dict) and (len(args) != 2 or all(fits(v, args[1], types, depth + 1)
                                                                 for v in value.values()))
    if typ is list or origin in (list, abc.Sequence, typing.Sequence):
        return isinstance(value, list) and (len(args) != 1 or all(fits(v, args[0], types, depth + 1) for v in value))
    if inspect.isclass(typ) and issubclass(typ, Enum):
        try:
            typ(value)
        except Exception:
            return False
        return True
    if typ is str:
        return isinstance(value, str)
    if typ in (int, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ is bool:
        return isinstance(value, bool)
    return True


def with_unknowns(value: Any, typ: Any, types: Any, unknown: Any, depth: int = 0) -> Any:
    """``value`` (which :func:`fits` ``typ``) with every field its output types declare and it lacks set
    to ``unknown()``, at every level."""
    if value is None or typ is None or depth > 64:
        return value
    if isinstance(value, dict) and types.rpc_secret(value):
        return types.wrap_secret(with_unknowns(types.rpc_secret(value)[0], typ, types, unknown, depth + 1))
    typ = types.unwrap_optional_type(typ)
    if inspect.isclass(typ) and types.is_output_type(typ) and isinstance(value, dict):
        declared = types.output_type_types(typ)
        filled = {k: with_unknowns(v, declared.get(k), types, unknown, depth + 1) for k, v in value.items()}
        return {**{k: unknown() for k in declared if k not in filled}, **filled}
    args = typing.get_args(typ)
    if isinstance(value, dict) and len(args) == 2:
        return {k: with_unknowns(v, args[1], types, unknown, depth + 1) for k, v in value.items()}
    if isinstance(value, list) and len(args) == 1:
        return [with_unknowns(v, args[0], types, unknown, depth + 1) for v in value]
    return value


def tolerate_reshaped_outputs(rpc: Any, types_module: Any, unknown: Any) -> None:
    """Echoed outputs that do not fit the resource's declared output types become unknown (None during
    a preview: the SDK marks the output unknown, as for any output the provider computes)."""
    original = rpc.translate_output_properties
    unknown_type = unknown

    class Types:  # the SDK helpers ``fits`` needs, looked up once
        unwrap_optional_type = staticmethod(types_module.unwrap_optional_type)
        is_output_type = staticmethod(types_module.is_output_type)
        output_type_types = staticmethod(types_module.output_type_types)

        @staticmethod
        def rpc_secret(value: Any) -> Any:
            return (rpc.unwrap_rpc_secret(value),) if rpc.is_rpc_secret(value) else None

        wrap_secret = staticmethod(rpc.wrap_rpc_secret)
        unknown = unknown_type

    def translate(output: Any, transformer: Any, typ: Any = None, *args: Any, **kwargs: Any) -> Any:
        path = kwargs.get("path", args[1] if len(args) > 1 else None)
        top = path is not None and getattr(path, "parent", None) is None and getattr(path, "resource", None)
        if not top:  # nested calls and other callers: the SDK's own conversion
            return original(output, transformer, typ, *args, **kwargs)
        try:
            if not fits(output, typ, Types):
                return None
            return original(with_unknowns(output, typ, Types, unknown), transformer, typ, *args, **kwargs)
        except Exception:  # a shape ``fits`` took for fine after all
            return None

    rpc.translate_output_properties = translate


def user_traceback(exc: BaseException, root: str) -> str:
    """The traceback from the first frame in the program's own files (Pulumi's and ours trimmed)."""
    formatted = traceback.TracebackException.from_exception(exc)
    frames = list(formatted.stack)
    for i, frame in enumerate(frames):
        name = os.path.abspath(frame.filename)
        if not frame.filename.startswith("<") and name.startswith(root + os.sep) and "site-packages" not in name:
            formatted.stack = traceback.StackSummary.from_list(frames[i:])
            break
    return "".join(formatted.format())


def set_config(runtime: Any) -> None:
    config = json.loads(os.environ.get("PULUMI_CONFIG") or "{}")
    secret_keys = json.loads(os.environ.get("PULUMI_CONFIG_SECRET_KEYS") or "[]")
    if hasattr(runtime, "set_all_config"):
        try:
            runtime.set_all_config(config, secret_keys)
            return
        except TypeError:  # SDKs before secret keys took only the config
            runtime.set_all_config(config)
            return
    for key, value in config.items():
        runtime.set_config(key, value)


def settings(runtime: Any, task: dict[str, Any]) -> Any:
    wanted = {"monitor": task["monitor"], "engine": task["monitor"], "project": task["project"],
              "stack": task["stack"], "dry_run": True, "organization": task["organization"],
              "root_directory": task["root"]}
    accepted = inspect.signature(runtime.Settings.__init__).parameters
    return runtime.Settings(**{k: v for k, v in wanted.items() if k in accepted})


def failure(exc: BaseException, root: str) -> dict[str, Any]:
    """The result record of a program that raised (the traceback itself goes to stderr)."""
    import pulumi

    if isinstance(exc, pulumi.ConfigMissingError):
        return {"status": "config-missing", "key": exc.key}
    if isinstance(exc, pulumi.ConfigTypeError):
        return {"status": "config-type", "key": exc.key, "expected": exc.expect_type, "got": exc.value}
    if isinstance(exc, pulumi.RunError):
        return {"status": "run-error", "message": str(exc)}
    sys.stderr.write(user_traceback(exc, root))
    out: dict[str, Any] = {"status": "exception", "message": f"{type(exc).__name__}: {exc}"}
    # An error that names its input (source, key, expected), like versionguard's own InputError.
    if all(isinstance(getattr(exc, a, None), str) for a in ("source", "key", "expected")):
        got = getattr(exc, "got", None)
        out["input"] = {"source": exc.source, "key": exc.key, "expected": exc.expected,  # type: ignore[attr-defined]
                        "got": None if got is None else str(got)}
    return out


def own_sources(program: str) -> list[str]:
    """The program's own Python files that ran: its ``__main__.py`` and every module imported from the
    program directory itself (a package or module directly in it, as ``components/``), never one of an
    installed library, a virtualenv or an editable install elsewhere under the project (``fix`` edits
    literals only in these)."""
    top = program if os.path.isdir(program) else os.path.dirname(program)
    found = {os.path.join(program, "__main__.py") if os.path.isdir(program) else program}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            continue
        path = os.path.abspath(path)
        head = name.split(".")[0]
        if head and (os.path.isdir(os.path.join(top, head)) or os.path.isfile(os.path.join(top, head + ".py"))) \
                and path.startswith(os.path.join(top, head)) and "site-packages" not in path:
            found.add(path)
    return sorted(found)


def settle_outputs_linearly(stack_module: Any) -> None:
    """Make the SDK's end-of-program wait linear in the number of outputs (same outcome, same errors).

    ``wait_for_rpcs`` waits for every pending ``Output`` with ``asyncio.wait(FIRST_COMPLETED)`` in a
    loop: each pass hooks and unhooks a callback on every pending output and usually returns after
    one of them finished, so a stack with n outputs costs O(n^2) (minutes at 1,000 deployments;
    bench/bench_sdk_wait.py times both on the SDK's own ``Output`` objects). Here each output is hooked once and
    the pass ends when all are done or one failed; a failure is raised exactly as the SDK raises it
    (an output faulted by ``ResourceRegistrationFailed`` is skipped, as there). SDKs whose wait has
    another shape keep their own.
    """
    original = getattr(stack_module, "wait_for_rpcs", None)
    shared = getattr(stack_module, "SETTINGS", None)
    rpc_manager = getattr(stack_module, "_get_rpc_manager", None)
    if original is None or shared is None or rpc_manager is None or not hasattr(shared, "outputs") \
            or "await_all_outstanding_tasks" not in inspect.signature(original).parameters:
        return
    skipped = getattr(stack_module, "ResourceRegistrationFailed", ())

    def failed(task: Any) -> bool:
        return task.cancelled() or (task.exception() is not None and not isinstance(task.exception(), skipped))

    async def first_failure_or_all(pending: list[Any]) -> None:
        """Returns when every task in ``pending`` is done or one of them failed."""
        wake = asyncio.get_running_loop().create_future()
        left = [len(pending)]

        def on_done(task: Any) -> None:
            left[0] -= 1
            if (left[0] == 0 or failed(task)) and not wake.done():
                wake.set_result(None)

        for task in pending:
            task.add_done_callback(on_done)
        try:
            await wake
        finally:
            for task in pending:
                task.remove_done_callback(on_done)

    async def settle() -> None:
        while True:
            with shared.lock:
                if not shared.outputs:
                    return
                pending = list(shared.outputs)
                shared.outputs.clear()
            await first_failure_or_all(pending)
            for task in pending:
                if task.done() and failed(task):
                    await task  # raises its exception (or CancelledError), as the SDK's wait does
            unfinished = [task for task in pending if not task.done()]
            if unfinished:  # back for the next pass, with the outputs created meanwhile
                with shared.lock:
                    shared.outputs.update(unfinished)

    async def wait_for_rpcs(await_all_outstanding_tasks: bool = True) -> None:
        while True:
            await original(await_all_outstanding_tasks=False)  # the RPCs, and their unhandled errors
            if await_all_outstanding_tasks:
                await settle()
            if not rpc_manager().rpcs:
                return

    stack_module.wait_for_rpcs = wait_for_rpcs


def skip_alias_urns(resource_module: Any, runtime_resource: Any) -> None:
    """Stop the SDK from turning every alias into a URN ``Output`` that this monitor never reads.

    ``Resource.__init__`` collapses each alias of ``opts.aliases`` into a URN ``Output`` (``_aliases``);
    those URNs are read only to inherit aliases when the monitor lacks alias specs. This monitor has
    them (``aliasSpecs``), so the SDK sends the specs from ``opts.aliases`` and the URNs are dead work:
    azure-native declares about twenty aliases per resource (its API versions), about ten outputs
    each, which was two thirds of a program's run. Plain aliases are kept as given; an alias the SDK
    would refuse (no name or no type) or one given as an ``Output`` still goes through the SDK, so its
    error still fails the run. SDKs without alias specs keep their own.
    """
    original = getattr(resource_module, "collapse_alias_to_urn", None)
    alias_type = getattr(resource_module, "Alias", None)
    prepare = getattr(runtime_resource, "prepare_aliases", None)
    if original is None or alias_type is None or prepare is None \
            or "supports_alias_specs" not in inspect.signature(prepare).parameters:
        return

    def alias_as_given(alias: Any, name: str, type_: str, parent: Any) -> Any:
        if isinstance(alias, str) or (isinstance(alias, alias_type) and alias.name is not None
                                      and alias.type_ is not None):
            return alias
        return original(alias, name, type_, parent)

    resource_module.collapse_alias_to_urn = alias_as_given


def import_pulumi() -> ImportError | None:
    """Import ``pulumi`` (what every program needs first); the error if this Python lacks it."""
    try:
        import pulumi
        import pulumi.runtime  # noqa: F401
    except ImportError as exc:
        return exc
    return None


def run_task(task: dict[str, Any], missing: ImportError | None) -> NoReturn:
    """Run one stack's program as a preview and write its outcome to ``task["result"]``; never returns."""

    def finish(record: dict[str, Any]) -> NoReturn:
        with open(task["result"], "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        sys.stdout.flush()
        sys.stderr.flush()
        # No interpreter teardown: leftover event loops, threads or atexit hooks of the program
        # can neither hang the run nor print "Exception ignored in ..." noise.
        os._exit(0)

    if missing is not None:
        finish({"status": "no-pulumi", "message": str(missing)})
    import pulumi
    import pulumi.runtime

    os.environ.update(task["env"])
    set_config(pulumi.runtime)
    pulumi.runtime.configure(settings(pulumi.runtime, task))
    answer_invokes_unknown(sys.modules["pulumi.runtime.invoke"])
    tolerate_reshaped_outputs(sys.modules["pulumi.runtime.rpc"], sys.modules["pulumi._types"],
                              sys.modules["pulumi.output"].Unknown)
    settle_outputs_linearly(sys.modules["pulumi.runtime.stack"])
    skip_alias_urns(sys.modules["pulumi.resource"], sys.modules["pulumi.runtime.resource"])
    # The SDK sends every debug line to the engine synchronously (one RPC each, about a thousand for a
    # hundred resources); versionguard shows none of them, so they are not sent.
    pulumi.log.debug = lambda *args, **kwargs: None
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)  # unobserved futures of a failed run are expected

    program = os.path.abspath(task["program"])
    if os.path.isdir(program):
        os.chdir(program)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(lambda: runpy.run_path(program, run_name="__main__")))
    except SystemExit as exc:
        finish({"status": "exit", "code": exc.code if isinstance(exc.code, int) or exc.code is None
                else str(exc.code)})
    except BaseException as exc:
        finish(failure(exc, os.path.abspath(task["root"])))
    finish({"status": "ok", "sources": own_sources(program)})


def main() -> NoReturn:
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
        sys.path.pop(0)  # versionguard's adapters must not shadow the program's modules
    missing = import_pulumi()
    line = sys.stdin.readline()
    if not line:  # versionguard needed no more interpreters
        os._exit(0)
    run_task(json.loads(line), missing)


if __name__ == "__main__":
    main()
