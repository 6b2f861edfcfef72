"""Stack-file config reaches the program as the real Pulumi CLI passes it (``PULUMI_CONFIG``).

The same program runs under `pulumi preview` and under versionguard's offline runner; each writes the
``PULUMI_CONFIG`` it was given to a file, and the two must be equal, key for key and character for
character: plain and quoted dates, timestamps with and without zones, YAML 1.1-only scalars, Go's
number and JSON formats, nested values and keys.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.harness import ROOT, Pulumi, pulumi_env
from versionguard.adapters.program.project import load_project
from versionguard.adapters.program.project_python import find_python
from versionguard.adapters.program.stack_runner import RunOptions, run_program

STACK_FILE = """\
config:
  probe:date: 2026-12-15
  probe:quoted: "2026-12-15"
  probe:zoned: 2026-12-15 10:00:00+00:00
  probe:utc: 2026-12-15T10:00:00Z
  probe:offset: 2026-12-15T10:00:00.500+02:00
  probe:lower: 2026-12-15t10:00:00+00:00
  probe:spaced: 2026-12-15   10:00:00.123456789123
  probe:short: 2026-1-5
  probe:impossible: 2026-02-30
  probe:yes: yes
  probe:on: on
  probe:clock: 10:30
  probe:float: 1.0
  probe:exp: 1e3
  probe:tiny: 0.0000001
  probe:mid: 1.0e+17
  probe:negzero: -0.0
  probe:hex: 0x10
  probe:octal: 0o17
  probe:legacy: 010
  probe:eight: 08
  probe:under: 1_000
  probe:dot: .5
  probe:signed: +12
  probe:u64: 18446744073709551615
  probe:big: 12345678901234567890
  probe:tagged: !!int "12"
  probe:tagfloat: !!float 1
  probe:nothing: ~
  probe:flag: True
  probe:text: plain words
  probe:obj:
    date: 2026-12-15
    at: 2026-12-15 10:00:00+00:00
    quoted: "2026-12-15"
    1: one
    1.5: d
    true: t
    2026-12-15: keyed by a date
    html: "<a&b>"
    uni: "é\\u2028"
    list: [1.0, 0.00001, 1e21, 1e20, 2.5e-7, yes, ~, -0.0]
    notsecret: {secure: 5}
    nested: {deeper: [{when: 2026-1-5T01:02:03Z}]}
"""

PROGRAM = """\
import os
import pulumi

with open(os.environ["VG_CONFIG_DUMP"], "w", encoding="utf-8") as out:
    out.write(os.environ["PULUMI_CONFIG"])
pulumi.ComponentResource("probe:index:Probe", "probe")
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "Pulumi.yaml").write_text(
        f"name: probe\nruntime:\n  name: python\n  options:\n    virtualenv: {ROOT / '.venv'}\n")
    (root / "__main__.py").write_text(PROGRAM)
    return root


def test_the_program_gets_the_same_config_text_offline_as_under_pulumi_preview(
        cli_bin: Path, tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pulumi = Pulumi(project, pulumi_env(cli_bin, tmp_path / "home", tmp_path / "state"), tmp_path)
    pulumi.stack_init("dev")
    (project / "Pulumi.dev.yaml").write_text(STACK_FILE)  # after `stack init`, which rewrites the file

    real_dump = tmp_path / "real.json"
    preview = pulumi.run("preview", "--stack", "dev", env={"VG_CONFIG_DUMP": str(real_dump)})
    assert preview.code == 0, preview.output

    offline_dump = tmp_path / "offline.json"
    monkeypatch.setenv("VG_CONFIG_DUMP", str(offline_dump))
    proj = load_project(project)
    run_program(proj, "dev", RunOptions(find_python(proj)))

    real = json.loads(real_dump.read_text("utf-8"))
    assert real["probe:date"] == "2026-12-15 00:00:00 +0000 UTC"  # the real CLI's own text, not an assumption
    assert json.loads(offline_dump.read_text("utf-8")) == real


PROJECT_CONFIG = """\
config:
  plain: text
  number: 10
  flag: true
  day: "2026-12-15"
  listed: [a, 1, true]
  typed:
    type: integer
    default: 5
  valued:
    value: from-value
  overridden:
    default: project
  obj:
    default: {b: 1, a: [true, 1.5, "2026-12-15"]}
  other:region:
    value: westeurope
"""


def test_project_config_and_secrets_reach_the_program_as_under_pulumi_preview(
        cli_bin: Path, tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20, items 2 and 3: Pulumi.yaml `config:` (shorthand, default:, value:, typed, namespaced) merged
    under the stack's values, and `secure:` values decrypted with the passphrase, exactly as the real CLI
    passes them (PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS)."""
    (project / "Pulumi.yaml").write_text((project / "Pulumi.yaml").read_text() + PROJECT_CONFIG)
    (project / "__main__.py").write_text(PROGRAM.replace(
        'out.write(os.environ["PULUMI_CONFIG"])',
        'out.write(os.environ["PULUMI_CONFIG"] + "\\n" + os.environ.get("PULUMI_CONFIG_SECRET_KEYS", "[]"))'))
    env = pulumi_env(cli_bin, tmp_path / "home", tmp_path / "state")
    pulumi = Pulumi(project, env, tmp_path)
    pulumi.stack_init("dev")
    for args in (["overridden", "stack"], ["--secret", "token", "s3cr3t"],
                 ["--secret", "--path", "deploy.model.version", "2024-11-20"],
                 ["--path", "deploy.model.name", "gpt-4o"]):
        done = pulumi.run("config", "set", *args, "--stack", "dev")
        assert done.code == 0, done.output
    assert "secure: v1:" in (project / "Pulumi.dev.yaml").read_text()

    real_dump = tmp_path / "real.txt"
    preview = pulumi.run("preview", "--stack", "dev", env={"VG_CONFIG_DUMP": str(real_dump)})
    assert preview.code == 0, preview.output

    offline_dump = tmp_path / "offline.txt"
    monkeypatch.setenv("VG_CONFIG_DUMP", str(offline_dump))
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", env["PULUMI_CONFIG_PASSPHRASE"])
    proj = load_project(project)
    run_program(proj, "dev", RunOptions(find_python(proj)))

    real_config, real_secrets = real_dump.read_text("utf-8").split("\n")
    offline_config, offline_secrets = offline_dump.read_text("utf-8").split("\n")
    real = json.loads(real_config)
    assert real["probe:token"] == "s3cr3t" and real["probe:overridden"] == "stack"  # the CLI's own text
    assert json.loads(offline_config) == real
    assert sorted(json.loads(offline_secrets)) == sorted(json.loads(real_secrets))
