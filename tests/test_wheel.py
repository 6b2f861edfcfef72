"""The wheel carries the policy pack and the catalog: built, installed into a fresh virtualenv, and run
from there, as in a repository that is not this one (tests/support/wheel.py; cached outside the repo)."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from google.protobuf import empty_pb2

from tests.support.pack_process import start_pack
from tests.support.wheel import ROOT, build_wheel, installed_venv
from versionguard import __version__
from versionguard.adapters.crossguard.pack_location import locate_pack, pack_virtualenv
from versionguard.core.errors import InputError

GRAPH = ROOT / "tests" / "fixtures" / "arm" / "resource-graph-az.json"


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return installed_venv(tmp_path_factory.mktemp("wheel"))


def run(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "versionguard"), *args], capture_output=True, text=True, check=False,
                          cwd=venv)


def test_the_wheel_holds_the_pack_and_the_catalog(tmp_path):
    names = zipfile.ZipFile(build_wheel(tmp_path)).namelist()
    assert {"versionguard/data/pack/PulumiPolicy.yaml", "versionguard/data/pack/__main__.py",
            "versionguard/data/catalog.yaml", "versionguard/data/catalog.schema.json"} <= set(names)
    assert not [n for n in names if n.startswith(("tests/", "policies/"))]


def test_pack_path_is_inside_the_installed_package(venv):
    done = run(venv, "pack-path")
    assert done.returncode == 0, done.stderr
    pack = Path(done.stdout.strip())
    assert pack.is_relative_to(venv / "lib") and pack.parts[-3:] == ("versionguard", "data", "pack")
    assert pack_virtualenv(pack) == venv  # the Pulumi CLI will run it with this virtualenv's Python
    installed = yaml.safe_load((pack / "PulumiPolicy.yaml").read_text())
    assert installed["version"] == yaml.safe_load((ROOT / "policies" / "PulumiPolicy.yaml").read_text())["version"] \
        == __version__


def test_the_installed_pack_starts_and_lists_every_policy(venv):
    pack = Path(run(venv, "pack-path").stdout.strip())
    proc = start_pack(python=str(venv / "bin" / "python"), pack_dir=pack, env={"VERSIONGUARD_AS_OF": "2026-12-07"})
    try:
        info = proc.stub.GetAnalyzerInfo(empty_pb2.Empty())
    finally:
        proc.close()
    assert info.name == "versionguard"
    assert {"retired-model-version", "no-auto-upgrade-near-retirement"} <= {p.name for p in info.policies}


def test_the_installed_cli_audits_with_the_bundled_catalog(venv):
    done = run(venv, "audit", str(GRAPH), "--as-of", "2026-12-07", "-f", "json")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["catalog_as_of"] == "2026-12-04" and data["summary"]["mandatory"] == 2


def test_without_the_azure_extra_live_commands_say_how_to_install_it(venv):
    done = run(venv, "audit", "--resource-graph", "--as-of", "2026-12-07")
    assert done.returncode == 2 and "pip install 'versionguard[azure]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_pack_path_refuses_an_interpreter_outside_the_virtualenv():
    with pytest.raises(InputError, match="installed in a virtualenv"):
        locate_pack(prefix="/usr")
