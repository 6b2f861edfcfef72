"""The script ``check`` runs once per run in the project's own Python to fork a fresh process per stack.

Every stack's program needs ``pulumi`` and the Pulumi provider SDKs it uses; importing them is most of
a small program's run (``pulumi`` about 0.25 s, ``pulumi_azure_native.cognitiveservices`` and ``.app``
about 0.45 s on a small machine), and an interpreter per stack paid it once per stack. This server pays
it once: it imports ``pulumi`` and the provider SDK modules the program's own source names
(:func:`warm_up`), then forks one child per stack. A child is a fresh process that has loaded nothing
of any program or stack: the same state as a new interpreter that imported those libraries first. It
then runs exactly what ``host.py`` runs for one stack (``host.run_task``).

What is imported ahead is limited to **Pulumi provider SDKs** (top-level packages named ``pulumi_*``,
installed outside the program's directory, whose ``pulumi-plugin.json`` says ``"resource": true``),
whose modules only declare resource types and register them with the SDK: their import reads no
config and no stack. A hand-written ``pulumi_*`` package (a team's components or settings helper, which
may read config at import) is the program's to import, in its child. The program's own modules, and any
other library, are imported by the program in its child as in a preview. A module that fails to
import ahead is simply left to the program (its error then happens where the program imports it).

Protocol, over the Unix ``SOCK_SEQPACKET`` socket whose descriptor is ``argv[1]`` (``argv[2]``: the
program, file or directory, "" for none):

- parent → server: ``{"run": ID, "task": PATH}`` with one descriptor attached, the child's stdout and
  stderr (a pipe the parent reads); PATH holds the task ``host.run_task`` takes.
- server → parent: ``{"ready": true, "warm": [modules]}`` once, then ``{"started": ID, "pid": PID}`` per
  task and ``{"exited": PID, "code": CODE}`` per child (CODE as ``subprocess.Popen.returncode``).

Each child starts its own session (a timeout stops its whole process group) and gets ``/dev/null`` as
stdin. The server ends when its stdin reaches end of file (the parent closed it, or died). Executed as
a file by the project's interpreter, never imported by versionguard; Python 3.9+ and the standard
library only (an older Python exits before it is ready, and ``check`` falls back to one interpreter
per stack).
"""

from __future__ import annotations

import ast
import gc
import importlib
import importlib.util
import json
import os
import selectors
import signal
import socket
import sys
import traceback
from collections.abc import Iterator
from typing import Any, NoReturn

HERE = os.path.dirname(os.path.abspath(__file__))
PROVIDER_PREFIX = "pulumi_"
MAX_FILES = 200  # of the program's own source read for provider imports
MAX_FILE_BYTES = 2 * 2**20
MAX_MODULES = 64  # provider modules imported ahead


def load_host() -> Any:
    """``host.py`` (the one-stack runner) as a module, from this file's directory."""
    spec = importlib.util.spec_from_file_location("versionguard_program_host", os.path.join(HERE, "host.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def program_sources(program: str) -> Iterator[tuple[str, ast.Module]]:
    """The program's own Python files it imports, parsed: its entry file (``__main__.py`` of a
    directory) and, transitively, every module it imports from its own directory (as ``components``),
    at most :data:`MAX_FILES`. Installed libraries are never read."""
    top = program if os.path.isdir(program) else os.path.dirname(program)
    queue = [os.path.join(program, "__main__.py") if os.path.isdir(program) else program]
    seen: set[str] = set()
    while queue and len(seen) < MAX_FILES:
        path = queue.pop(0)
        if path in seen or not os.path.isfile(path):
            continue
        seen.add(path)
        try:
            if os.path.getsize(path) > MAX_FILE_BYTES:
                continue
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read())
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # the program's own run reports what is wrong with it
        yield path, tree
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            for name in names:
                parts = name.split(".")
                for end in range(1, len(parts) + 1):  # each package on the way, then the module
                    base = os.path.join(top, *parts[:end])
                    queue.extend((os.path.join(base, "__init__.py"), base + ".py"))


def named_providers(tree: ast.Module) -> list[str]:
    """Dotted names under a ``pulumi_*`` package that a module imports or reaches by attribute
    (``import pulumi_azure_native as azure_native`` … ``azure_native.cognitiveservices.Account``): the
    candidates; which of them are modules is decided when importing."""
    found: list[str] = []
    aliases: dict[str, str] = {}  # local name -> the module it is bound to
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PROVIDER_PREFIX):
                    found.append(alias.name)
                    if alias.asname:
                        aliases[alias.asname] = alias.name
                    else:
                        aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith(PROVIDER_PREFIX):
            module = node.module or ""
            found.append(module)
            for alias in node.names:
                if alias.name != "*":
                    found.append(f"{module}.{alias.name}")
                    aliases[alias.asname or alias.name] = f"{module}.{alias.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain: list[str] = []
            value: ast.expr = node
            while isinstance(value, ast.Attribute):
                chain.insert(0, value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in aliases:
                for end in range(1, len(chain) + 1):
                    found.append(".".join([aliases[value.id], *chain[:end]]))
    return found


def provider_sdk(name: str, program: str) -> bool:
    """Whether the top-level package of ``name`` is an installed Pulumi provider SDK: a package whose
    ``pulumi-plugin.json`` says ``"resource": true`` (what the SDK generator writes into every provider
    package, component providers' SDKs too; a hand-written ``pulumi_*`` package has none, and
    ``pulumi_policy`` says false),
    installed in site-packages or anywhere outside the program's own directory. Anything else may read
    config or the stack at import, so it is left to the program's own run."""
    try:
        spec = importlib.util.find_spec(name.split(".")[0])
    except (ImportError, ValueError):
        return False
    origin = getattr(spec, "origin", None)
    locations = list(getattr(spec, "submodule_search_locations", None) or [])
    if not isinstance(origin, str) or len(locations) != 1:
        return False
    origin = os.path.abspath(origin)
    top = program if os.path.isdir(program) else os.path.dirname(program)
    parts = origin.split(os.sep)
    if not ("site-packages" in parts or "dist-packages" in parts
            or not origin.startswith(os.path.abspath(top) + os.sep)):
        return False
    try:
        with open(os.path.join(locations[0], "pulumi-plugin.json"), "rb") as handle:
            plugin = json.loads(handle.read(65536))
    except (OSError, ValueError):
        return False
    return isinstance(plugin, dict) and plugin.get("resource") is True


def warm_up(program: str) -> list[str]:
    """Import the provider SDK modules the program's own source names; the ones imported, in order."""
    candidates = [name for _, tree in program_sources(program) for name in named_providers(tree)]
    warmed: list[str] = []
    failed: set[str] = set()
    for name in dict.fromkeys(candidates):
        if len(warmed) >= MAX_MODULES:
            break
        if any(name == f or name.startswith(f + ".") for f in failed):
            continue
        if not provider_sdk(name, program):  # the program's own module of that name, a helper package, none
            failed.add(name.split(".")[0])
            continue
        try:
            if name not in sys.modules and importlib.util.find_spec(name) is None:
                continue  # a class or function of the SDK, not a module
            module = importlib.import_module(name)
            # Provider SDKs load their modules lazily (pulumi._utils.lazy_import): the first attribute
            # looked up runs the module; a name it lacks looks up nothing else.
            getattr(module, "_versionguard_loads_this_module_", None)
        except BaseException:
            failed.add(name)
            continue
        warmed.append(name)
    return warmed


def serve(control_fd: int, program: str) -> NoReturn:
    # No collection while importing (hundreds of thousands of new objects, no garbage to speak of):
    # about a sixth of the imports' time. Then everything imported is frozen, so that no child's
    # collections scan it again.
    gc.disable()
    host = load_host()
    missing = host.import_pulumi()
    warmed = warm_up(program) if missing is None and program else []
    gc.freeze()
    gc.enable()
    control = socket.socket(fileno=control_fd)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so that SIGCHLD writes the wakeup pipe

    def send(message: dict[str, Any]) -> None:
        try:
            control.send(json.dumps(message).encode())
        except OSError:  # the parent is gone
            os._exit(0)

    def reap() -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            send({"exited": pid, "code": os.waitstatus_to_exitcode(status)})

    def fork(message: dict[str, Any], output: int) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            child(message, output)
        os.close(output)
        send({"started": message["run"], "pid": pid})

    def child(message: dict[str, Any], output: int) -> NoReturn:
        try:
            os.setsid()  # its own process group: a timeout stops the program and all it started
            signal.set_wakeup_fd(-1)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            selector.close()
            control.close()
            os.close(wake_read)
            os.close(wake_write)
            os.dup2(output, 1)
            os.dup2(output, 2)
            os.close(output)
            stdin = os.open(os.devnull, os.O_RDONLY)
            os.dup2(stdin, 0)
            os.close(stdin)
            with open(message["task"], encoding="utf-8") as handle:
                task = json.load(handle)
            os.unlink(message["task"])  # it holds the stack's config, decrypted secrets too: read once
            sys.argv[:] = [os.path.join(HERE, "host.py")]  # what the program saw in an interpreter of its own
        except BaseException:
            traceback.print_exc()
            os._exit(70)
        host.run_task(task, missing)

    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    selector.register(wake_read, selectors.EVENT_READ)
    selector.register(0, selectors.EVENT_READ)
    send({"ready": True, "warm": warmed})
    while True:
        for key, _ in selector.select():
            if key.fd == wake_read:
                while True:
                    try:
                        if not os.read(wake_read, 512):
                            break
                    except BlockingIOError:
                        break
            elif key.fd == 0:
                if not os.read(0, 4096):  # the parent closed our stdin, or died
                    os._exit(0)
            else:
                data, fds, _, _ = socket.recv_fds(control, 65536, 1)
                if not data:
                    os._exit(0)
                message = json.loads(data)
                if len(fds) != 1:
                    for fd in fds:
                        os.close(fd)
                    continue
                fork(message, fds[0])
        reap()


if __name__ == "__main__":
    if not (hasattr(socket, "recv_fds") and hasattr(os, "waitstatus_to_exitcode")):
        sys.exit(3)  # Python < 3.9: ending before "ready" makes check run an interpreter per stack instead
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
        sys.path.pop(0)  # versionguard's adapters must not shadow the program's modules
    serve(int(sys.argv[1]), sys.argv[2])
