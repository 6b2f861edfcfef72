"""The test suite's own layout: shared helpers live in tests/support (or a folder's helper module),
no test module imports another, and the shell's VERSIONGUARD_* variables are cleared in one place."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support import ROOT

TESTS = ROOT / "tests"
SKIP = ("e2e/standin_langhost", "e2e/standin_provider", "fixtures")


def _test_sources() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if not any(part in p.relative_to(TESTS).as_posix() for part in SKIP)
            and p != Path(__file__).resolve()]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _is_test_module(name: str) -> bool:
    """``tests.x.test_y`` or a bare ``test_y`` (a folder without ``__init__.py`` is on sys.path)."""
    return name.rsplit(".", 1)[-1].startswith("test_") and (name.startswith("tests.") or "." not in name)


def test_no_test_module_imports_another() -> None:
    offenders = sorted(f"{p.relative_to(ROOT)} imports {name}" for p in _test_sources() for name in _imported(p)
                       if _is_test_module(name))
    assert offenders == []
    assert _is_test_module("tests.test_pack_grpc") and _is_test_module("test_audit")
    assert not _is_test_module("tests.support.cli") and not _is_test_module("lifecycle_helpers")


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _calls(path: Path, method: str) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == method]


def test_the_versionguard_variables_are_cleared_in_one_place() -> None:
    """Only tests/conftest.py drops ``VERSIONGUARD_*`` variables (no per-module copies or variants)."""
    clearing = sorted({p.relative_to(ROOT).as_posix() for p in _test_sources()
                       for call in [*_calls(p, "startswith"), *_calls(p, "delenv")]
                       if any(s.startswith("VERSIONGUARD_") for arg in call.args for s in _strings(arg))})
    assert clearing == ["tests/conftest.py", "tests/test_env_isolation.py"]  # the latter checks none is left


def test_one_sarif_validator() -> None:
    """Only tests/support/sarif.py builds a JSON-schema validator for SARIF."""
    building = sorted({p.relative_to(ROOT).as_posix() for p in _test_sources()
                       for n in ast.walk(ast.parse(p.read_text("utf-8")))
                       if isinstance(n, ast.Attribute) and n.attr in ("Draft4Validator", "validator_for")})
    assert building == ["tests/support/sarif.py"]
