"""Hostile documents fed to every reader through the CLI: exit 2 naming the file, or a clean verdict.

Each reader is driven the way a user drives it (``check``, ``audit``, ``catalog import|diff``); the
documents come from :mod:`tests.hostile.strategies`. For a document broken in a known way the only
right answer is exit 2 with an error naming the file; random edits must merely end cleanly (0, 1 or
2, never a traceback). Speed is not asserted (bench/ measures it), but an alias bomb that expanded
or a deep document that recursed would make these tests hang or crash the interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.hostile.strategies import dump, families, forbidden, mutation
from tests.support import ROOT
from versionguard.cli import app

FIX = ROOT / "tests" / "fixtures"
AS_OF_ARGS = ["--as-of", "2026-12-07"]  # on or after the bundled catalog (2026-12-04)
LIVE = str(FIX / "arm" / "deployments-seed.json")


@dataclass(frozen=True)
class Reader:
    name: str
    kind: str  # yaml | json
    base: Any  # a valid document of this kind
    file_name: str
    argv: Callable[[Path], list[str]]  # CLI arguments that make versionguard read the file
    prepare: Callable[[Path], None] = lambda directory: None  # what else the directory needs


def _project_beside(directory: Path) -> None:
    """The real program and stacks next to a hostile Pulumi.yaml (links: cheap for every example)."""
    for name in ("__main__.py", "components", "stacks", ".venv"):
        if not (directory / name).exists():
            (directory / name).symlink_to(ROOT / name)


def _load(path: Path) -> Any:
    text = path.read_text("utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


WAIVERS = {"waivers": [{"policy": "retired-model-version", "resource": "aif-contoso-prod-swc/prod-chat",
                        "stacks": ["live"], "reason": "CHG-1 migration booked", "granted": "2026-12-01",
                        "expires": "2026-12-20"}]}
SECRET_PROJECT = FIX / "programs" / "secret_config"
PROJECT_CONFIG = {"team": "platform", "window": {"type": "integer", "default": 90},
                  "labels": ["a", "b"], "azure-native:location": {"value": "swedencentral"}}
READERS = [
    Reader("catalog", "yaml", _load(FIX / "catalog.yaml"), "catalog.yaml",
           lambda p: ["audit", LIVE, *AS_OF_ARGS, "--catalog", str(p)]),
    Reader("waivers", "yaml", WAIVERS, "waivers.yaml", lambda p: ["audit", LIVE, *AS_OF_ARGS, "--waivers", str(p)]),
    Reader("policy-config", "json", _load(ROOT / "policies" / "config" / "prod.json"), "prod.json",
           lambda p: ["audit", LIVE, *AS_OF_ARGS, "--policy-config", str(p)]),
    Reader("stack-file", "yaml", _load(ROOT / "stacks" / "Pulumi.dev.yaml"), "Pulumi.hostile.yaml",
           lambda p: ["check", "-s", "hostile", "--project", str(ROOT), "--stack-dir", str(p.parent), *AS_OF_ARGS]),
    Reader("project-file", "yaml", _load(ROOT / "Pulumi.yaml"), "Pulumi.yaml",
           lambda p: ["check", "-s", "dev", "--project", str(p.parent), *AS_OF_ARGS], _project_beside),
    # issue 20: project-level config (Pulumi.yaml `config:`) and a passphrase-provider stack file with secrets
    Reader("project-config", "yaml", {**_load(ROOT / "Pulumi.yaml"), "config": PROJECT_CONFIG}, "Pulumi.yaml",
           lambda p: ["check", "-s", "dev", "--project", str(p.parent), *AS_OF_ARGS], _project_beside),
    Reader("secret-stack-file", "yaml", _load(FIX / "programs" / "secret_config" / "stacks" / "Pulumi.dev.yaml"),
           "Pulumi.hostile.yaml", lambda p: ["check", "-s", "hostile", "--project", str(SECRET_PROJECT),
                                             "--stack-dir", str(p.parent), *AS_OF_ARGS]),
    Reader("arm-deployments", "json", _load(FIX / "arm" / "deployments-seed.json"), "deployments.json",
           lambda p: ["audit", str(p), *AS_OF_ARGS]),
    # The fleet's own export (a bare array, read typed: adapters/azure/az_export.py)
    Reader("az-export", "json", _load(FIX / "arm" / "deployments-az.json"), "deployments.json",
           lambda p: ["audit", str(p), *AS_OF_ARGS]),
    Reader("resource-graph", "json", _load(FIX / "arm" / "resource-graph-az.json"), "graph.json",
           lambda p: ["audit", str(p), *AS_OF_ARGS]),
    Reader("stack-outputs", "json", _load(FIX / "programs" / "stackref" / "platform-prod.json"), "outputs.json",
           lambda p: ["check", "--all", "--project", str(FIX / "programs" / "stackref"), *AS_OF_ARGS,
                      "--stack-outputs", f"acme/ai-platform/prod={p}"]),
    Reader("models-list", "json", _load(FIX / "arm" / "models-list-spec.json"), "models.json",
           lambda p: ["catalog", "import", str(p), *AS_OF_ARGS]),
    Reader("catalog-diff-old", "yaml", _load(FIX / "catalog.yaml"), "old.yaml",
           lambda p: ["catalog", "diff", str(p), "@bundled"]),
    Reader("catalog-diff-new", "yaml", _load(FIX / "catalog.yaml"), "new.yaml",
           lambda p: ["catalog", "diff", "@bundled", str(p)]),
]
BY_NAME = {r.name: r for r in READERS}
# The az export reader proves what the verdict reads and the text's syntax and encoding; a repeated key,
# deep nesting or 1e400 *inside a value it does not read* changes no verdict and is not refused (those
# families put the defect anywhere): tests/hostile/test_az_export.py pins both sides of that line.
NOT_REFUSED = {("az-export", family) for family in ("deep", "duplicate-key", "bad-number")}
CASES = [(r.name, family) for r in READERS for family in families(r.kind) if (r.name, family) not in NOT_REFUSED]


@pytest.fixture(autouse=True)
def _no_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    # VERSIONGUARD_* are cleared suite-wide (tests/conftest.py); a passphrase in the shell would open the secrets.
    for name in ("PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"):
        monkeypatch.delenv(name, raising=False)


def run(reader: Reader, content: bytes, directory: Path) -> tuple[Path, Any]:
    reader.prepare(directory)
    path = directory / reader.file_name
    path.write_bytes(content)
    return path, CliRunner().invoke(app, reader.argv(path))


def assert_ends_cleanly(result: Any, path: Path, broken: bool) -> None:
    """Exit 2 naming the file for broken input; otherwise 0, 1 or 2. Never a traceback, never a
    control character on the terminal."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    # versionguard's own lines; a program that fails prints its own traceback too (by design, to stderr)
    ours = [line for line in result.stderr.splitlines() if line.startswith("versionguard: ")]
    assert forbidden("\n".join(ours)) == [], result.stderr
    if broken:
        assert result.exit_code == 2, (result.exit_code, result.stdout[-2000:])
        assert result.stderr.startswith(f"versionguard: error: {path}: "), result.stderr
    else:
        assert result.exit_code in (0, 1, 2)
        if result.exit_code == 2:
            assert any(line.startswith("versionguard: error: ") for line in ours), result.stderr


def test_every_base_document_is_valid(tmp_path: Path) -> None:
    for reader in READERS:
        _, result = run(reader, dump(reader.base, reader.kind).encode(), tmp_path)
        assert result.exit_code in (0, 1), (reader.name, result.stderr)


@pytest.mark.parametrize(("reader", "family"), CASES, ids=[f"{r}-{f}" for r, f in CASES])
@settings(max_examples=6, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_broken_documents_exit_2_naming_the_file(reader: str, family: str, tmp_path: Path,
                                                 data: st.DataObject) -> None:
    spec = BY_NAME[reader]
    content = data.draw(families(spec.kind)[family](spec.base, spec.kind), label="document")
    path, result = run(spec, content, tmp_path)
    assert_ends_cleanly(result, path, broken=True)


@pytest.mark.parametrize("reader", [r.name for r in READERS])
@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_randomly_edited_documents_end_cleanly(reader: str, tmp_path: Path, data: st.DataObject) -> None:
    spec = BY_NAME[reader]
    path, result = run(spec, data.draw(mutation(spec.base, spec.kind), label="document"), tmp_path)
    assert_ends_cleanly(result, path, broken=False)


# --- one named example per defect class (each failed before the bounded reader) ---------------------

def _yaml_text(reader: Reader) -> str:
    return dump(reader.base, reader.kind)


def _first_scalar_key(text: str) -> str:
    return next(line for line in text.splitlines() if line and not line.startswith((" ", "-", "#")))


EXAMPLES: dict[str, tuple[Callable[[Reader], bytes], str]] = {
    "alias-bomb": (lambda r: (_yaml_text(r) + 'a: &a ["lol", "lol"]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n'
                              + "".join(f"{chr(99 + i)}: &{chr(99 + i)} [" + ", ".join([f"*{chr(98 + i)}"] * 9)
                                        + "]\n" for i in range(8))).encode(),
                   "expected no YAML anchors"),
    "duplicate-key": (lambda r: (_yaml_text(r) + _first_scalar_key(_yaml_text(r)) + "\n").encode(),
                      "expected each key once per mapping"),
    "utf-16": (lambda r: _yaml_text(r).encode("utf-16"), "(encoding): expected UTF-8 text"),
    "binary": (lambda r: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "expected UTF-8 text"),
    "python-tag": (lambda r: (_yaml_text(r) + 'x: !!python/object/apply:os.system ["true"]\n').encode(),
                   "expected plain YAML values"),
    # a non-finite number compares false with every threshold: refused, naming the line and value
    "nan": (lambda r: (_yaml_text(r) + "x: .nan\n").encode(), "expected a finite number, got '.nan (nan)'"),
    "infinity": (lambda r: (_yaml_text(r) + "x: -.inf\n").encode(), "expected a finite number, got '-.inf (-inf)'"),
    "overflow": (lambda r: (_yaml_text(r) + "x: 1.0e+400\n").encode(), "expected a finite number"),
}
YAML_READERS = [r.name for r in READERS if r.kind == "yaml"]
JSON_READERS = [r.name for r in READERS if r.kind == "json"]


@pytest.mark.parametrize("example", list(EXAMPLES))
@pytest.mark.parametrize("reader", YAML_READERS)
def test_yaml_defect_classes_exit_2_naming_file_and_line(reader: str, example: str, tmp_path: Path) -> None:
    make, expected = EXAMPLES[example]
    path, result = run(BY_NAME[reader], make(BY_NAME[reader]), tmp_path)
    assert_ends_cleanly(result, path, broken=True)
    assert expected in result.stderr


JSON_EXAMPLES = {
    "duplicate-key": (lambda text: text.replace("{", '{"dup": 1, "dup": 2, ', 1), "each key once per JSON object"),
    "deep": (lambda text: "[" * 100_000 + "]" * 100_000, "expected nesting at most 64 levels deep"),
    "utf-16": (lambda text: text, "(encoding): expected UTF-8 text"),
    "nan": (lambda text: text.replace("{", '{"x": NaN, ', 1), "expected standard JSON numbers"),
    # 1e400 is valid JSON syntax that Python reads as infinity
    "overflow": (lambda text: text.replace("{", '{"x": 1e400, ', 1),
                 "line 1: expected a finite number (magnitude at most about 1.8e308), got '1e400'"),
}


@pytest.mark.parametrize("example", list(JSON_EXAMPLES))
@pytest.mark.parametrize("reader", JSON_READERS)
def test_json_defect_classes_exit_2_naming_the_file(reader: str, example: str, tmp_path: Path) -> None:
    spec = BY_NAME[reader]
    if reader == "az-export" and example in ("duplicate-key", "overflow"):
        # put in the first item, under a key no rule reads: the verdict of the document without it
        _, base = run(spec, dump(spec.base, "json").encode(), tmp_path)
        path, result = run(spec, JSON_EXAMPLES[example][0](dump(spec.base, "json")).encode(), tmp_path)
        assert_ends_cleanly(result, path, broken=False)
        assert (result.exit_code, result.stdout) == (base.exit_code, base.stdout)
        return
    make, expected = JSON_EXAMPLES[example]
    text = make(dump(spec.base, "json"))
    path, result = run(spec, text.encode("utf-16" if example == "utf-16" else "utf-8"), tmp_path)
    assert_ends_cleanly(result, path, broken=True)
    assert expected in result.stderr


def test_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    for reader in READERS:
        _, result = run(reader, b"\xef\xbb\xbf" + dump(reader.base, reader.kind).encode(), tmp_path)
        assert result.exit_code in (0, 1), (reader.name, result.stderr)


@pytest.mark.parametrize("reader", YAML_READERS)
def test_deep_nesting_exits_2_instead_of_crashing_the_interpreter(reader: str, tmp_path: Path) -> None:
    """libyaml's composer recursed in C: this killed the process with SIGSEGV (exit 139)."""
    spec = BY_NAME[reader]
    path = tmp_path / spec.file_name
    path.write_text(_yaml_text(spec) + "deep: " + "[" * 100_000 + "]" * 100_000 + "\n")
    done = subprocess.run([sys.executable, "-m", "versionguard", *spec.argv(path)], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.startswith(f"versionguard: error: {path}: line ") and "nesting at most 64" in done.stderr


def test_a_duplicate_retirement_in_the_catalog_is_an_error(tmp_path: Path) -> None:
    """The second ``retirement:`` used to win silently, moving the date the rules judge by."""
    text = (FIX / "catalog.yaml").read_text("utf-8").replace(
        '      - {version: "2025-12-11", lifecycle: ga, retirement: 2026-12-12, sources: [fixture]}\n',
        '      - version: "2025-12-11"\n        lifecycle: ga\n        retirement: 2026-12-12\n'
        "        sources: [fixture]\n        retirement: 2099-01-01\n")
    line = text.splitlines().index("        retirement: 2099-01-01") + 1
    path, result = run(BY_NAME["catalog"], text.encode(), tmp_path)
    assert_ends_cleanly(result, path, broken=True)
    assert f"{path}: line {line}, column 9: expected each key once per mapping, got \"duplicate key " \
           f"'retirement' (first on line {line - 2})\"" in result.stderr


# --- issue 20: the passphrase secrets reader ----------------------------------------------------------

_SECRET_STACK = _load(FIX / "programs" / "secret_config" / "stacks" / "Pulumi.dev.yaml")
_SALT = _SECRET_STACK["encryptionsalt"]
_SECURE = _SECRET_STACK["config"]["secret-config:foundry"]["deployments"][0]["model"]["version"]["secure"]


def _edited(draw: st.DrawFn, text: str) -> str:
    """``text`` with one random edit: a character replaced, dropped or inserted, or a part cut off."""
    at = draw(st.integers(0, len(text)))
    char = draw(st.sampled_from([*":=+/Av1", "\x00", "é", "\n", ""]))
    kind = draw(st.sampled_from(["replace", "drop", "insert", "cut"]))
    if kind == "replace":
        return text[:at] + char + text[at + 1:]
    if kind == "drop":
        return text[:at] + text[at + 1:]
    if kind == "insert":
        return text[:at] + char + text[at:]
    return text[:at]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_edited_salts_and_secrets_decrypt_or_exit_2_naming_the_key(data: st.DataObject, tmp_path: Path) -> None:
    """With the right passphrase, an edited salt line or ciphertext is an InputError naming the stack file
    and key (or, for an edit GCM cannot see, such as none at all, the value); never a traceback."""
    from versionguard.adapters.program.stack_secrets import passphrase_decrypter
    from versionguard.core.errors import InputError

    salt = data.draw(st.one_of(st.just(_SALT), st.builds(lambda d: d, st.just(_SALT)).flatmap(
        lambda s: st.composite(lambda draw: _edited(draw, s))())), label="salt")
    secure = data.draw(st.composite(lambda draw: _edited(draw, _SECURE))(), label="secure")
    path = tmp_path / "Pulumi.dev.yaml"
    env = {"PULUMI_CONFIG_PASSPHRASE": "versionguard fixture passphrase"}
    try:
        decrypter = passphrase_decrypter(path, {"encryptionsalt": salt}, env)
        assert decrypter is not None
        text = decrypter.decrypt(secure, "config.x")
    except InputError as e:
        assert e.source == str(path) and e.key in ("encryptionsalt", "config.x")
        assert forbidden(str(e).replace(repr(salt), "")) == []
    else:
        assert text == "2024-11-20"
