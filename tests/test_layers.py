"""The import contracts (pyproject.toml, import-linter) hold, and importing the core or a command
really loads only the libraries it uses.

Layers, top to bottom: cli -> reporters -> commands -> adapters -> core; a module may import only
layers below its own. The core must not import pulumi, pulumi_policy, typer, rich, grpc/protobuf,
matplotlib or the Azure SDKs, so the engine stays a pure function of its inputs. Reporters, commands
and CLI command modules are independent siblings; the adapter subpackages are independent except for
the declared edges; the Azure SDKs, pulumi_policy and matplotlib each belong to one adapter or reporter.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT

PACKAGE = ROOT / "policies" / "versionguard"
LAYERS = ("cli", "reporters", "commands", "adapters", "core")


def test_import_linter_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 10 kept, 0 broken." in done.stdout


def test_every_module_lives_in_a_layer() -> None:
    """No module outside the five layers (besides the package's own __init__/__main__)."""
    stray = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.glob("*.py")
             if p.name not in ("__init__.py", "__main__.py")]
    assert stray == []
    assert sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()) == sorted(LAYERS)


def _loaded_by(modules: list[str]) -> set[str]:
    """The adapter libraries a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted({n.split('.')[0] for n in sys.modules} & "
        "{'pulumi', 'pulumi_policy', 'typer', 'rich', 'grpc', 'azure', 'matplotlib', 'google'})\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(filter(None, done.stdout.strip().split(",")))


def test_importing_the_core_loads_no_adapter_library() -> None:
    """A runtime check beside the static one: import every core module in a fresh interpreter."""
    modules = sorted(
        "versionguard." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in (PACKAGE / "core").rglob("*.py") if p.name != "__init__.py"
    )
    assert _loaded_by(modules) == set()


@pytest.mark.parametrize(("command", "allowed"), [
    # forecast runs programs (pulumi's protobufs, the monitor's gRPC) but judges nothing through CrossGuard
    ("forecast", {"pulumi", "grpc", "google"}),
    # audit and catalog read ARM JSON and files; the Azure SDKs load only when a live client is asked for
    ("audit", set()),
    ("catalog", set()),
    ("pack_path", set()),
])
def test_importing_a_command_loads_only_what_it_uses(command: str, allowed: set[str]) -> None:
    loaded = _loaded_by([f"versionguard.commands.{command}"])
    assert "pulumi_policy" not in loaded
    assert loaded <= allowed, loaded - allowed
