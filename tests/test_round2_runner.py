"""Fail closed, round 2 (issue 20): the offline runner on what real programs and hostile files showed.

Each test below failed on main before the fix (see the issue-20 report for the mapping). Dates are
pinned (2026-11-22) and the fixture catalog is used: gpt-4o 2024-11-20 retired on 2026-10-01.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict

from tests.support.cli import PROGRAMS, check, check_json
from tests.support.environments import uv_project

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
PARAMETERIZED = PROGRAMS / "parameterized"
SECRET_CONFIG = PROGRAMS / "secret_config"
# The passphrase the fixture's stack file was written with (`pulumi config set --secret --path`,
# Pulumi CLI v3.259.0, passphrase provider); the file is the CLI's output, unedited.
FIXTURE_PASSPHRASE = "versionguard fixture passphrase"
RETIRED = ("retired-model-version", "mandatory")


def runs(project_dir: Path, stack: str) -> dict[str, dict]:
    """name -> registered inputs (as the analyzer is shown them) of one stack's run."""
    from versionguard.adapters.program.project import load_project
    from versionguard.adapters.program.project_python import find_python
    from versionguard.adapters.program.stack_runner import ProgramRun, RunOptions, run_stacks

    project = load_project(project_dir)
    (run,) = run_stacks(project, [stack], RunOptions(find_python(project)))
    assert isinstance(run, ProgramRun), run
    return {r.name: MessageToDict(r.properties) for r in run.resources}


def project(tmp_path: Path, program: str, stack: str | None = "config: {}\n", extra: str = "") -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "Pulumi.yaml").write_text(f"name: p\nruntime: python\n{extra}")
    (root / "__main__.py").write_text(program)
    if stack is not None:
        (root / "Pulumi.dev.yaml").write_text(stack)
    return root


CHAT = """import pulumi
config = pulumi.Config()
pulumi.CustomResource("azure-native:cognitiveservices:Deployment", "chat", {
    "accountName": "a", "resourceGroupName": "rg", "deploymentName": "chat",
    "properties": {"model": {"format": "OpenAI", "name": "gpt-4o", "version": config.get("version") or "2025-04-14"},
                   "versionUpgradeOption": "OnceCurrentVersionExpired"},
    "sku": {"name": "GlobalStandard", "capacity": 10}})
"""


# --- 1. parameterized azure-native packages --------------------------------------------------------

def test_a_deployment_of_a_parameterized_package_is_judged_offline() -> None:
    """`pulumi package add azure-native cognitiveservices v20250601` gives the resource the token
    azure-native_cognitiveservices_v20250601:cognitiveservices/v20250601:Deployment; it used to pass unjudged."""
    out = check_json("--project", str(PARAMETERIZED), "--stack", "dev")
    assert out.code == 1, out.stderr
    assert out.findings() == {("dev-chat", *RETIRED)}
    assert out.run("dev")["deployments"] == 1


# --- 2. project-level config -----------------------------------------------------------------------

def test_project_config_reaches_the_program_as_pulumi_passes_it() -> None:
    from versionguard.adapters.program.project import load_project

    values = load_project(PARAMETERIZED).stack_config("dev").values
    assert values == {"parameterized:modelName": "gpt-4o", "parameterized:modelVersion": "2024-11-20",
                      "parameterized:capacity": "10", "parameterized:upgrade": "NoAutoUpgrade",
                      "parameterized:labels": '["team-a","team-b"]', "azure-native:location": "swedencentral"}
    prod = load_project(PARAMETERIZED).stack_config("prod").values
    assert prod["parameterized:modelVersion"] == "2025-12-11"  # the stack value wins
    assert prod["parameterized:capacity"] == "10"


def test_project_config_defaults_and_stack_overrides_are_judged() -> None:
    out = check_json("--project", str(PARAMETERIZED), "--all")
    assert out.code == 1, out.stderr
    assert out.findings() == {("dev-chat", *RETIRED), ("prod-chat", "auto-upgrade-needs-target", "mandatory")}


def test_a_required_project_key_no_stack_sets_is_exit_2(tmp_path: Path) -> None:
    root = project(tmp_path, CHAT, extra="config:\n  version:\n    type: string\n")
    out = check("--project", str(root), "--stack", "dev")
    assert out.code == 2, out.stderr
    assert f"{root / 'Pulumi.yaml'}: config.version: expected a value for this key in Pulumi.dev.yaml" in out.stderr


def test_project_config_value_and_default_as_pulumi_merges_them(tmp_path: Path) -> None:
    from versionguard.adapters.program.project import load_project

    root = project(tmp_path, CHAT, stack="config:\n  p:set: stack\n", extra=(
        "config:\n  version: '2024-11-20'\n  aws:region: us-west-2\n  both:\n    value: v\n"
        "  set:\n    default: project\n  obj:\n    default: {b: 1, a: [true, 1.5]}\n  other:sub:\n    value: x\n"))
    values = load_project(root).stack_config("dev").values
    assert values == {"p:version": "2024-11-20", "aws:region": "us-west-2", "p:both": "v", "p:set": "stack",
                      "p:obj": '{"a":[true,1.5],"b":1}', "other:sub": "x"}
    out = check_json("--project", str(root), "--stack", "dev")
    assert out.findings() == {("chat", *RETIRED)}  # the project's plain default reached the program


@pytest.mark.parametrize(("config", "needle"), [
    ("  version: 2024-11-20\n", "Pulumi.yaml: line 4, column 12: expected a quoted date"),
    ("  version:\n    value: a\n    default: b\n", "Pulumi.yaml: config.version: expected either default: or value:"),
])
def test_project_config_pulumi_refuses_is_exit_2(tmp_path: Path, config: str, needle: str) -> None:
    """What the real CLI refuses to load (tests/e2e/test_stack_config_text.py found both)."""
    root = project(tmp_path, CHAT, extra="config:\n" + config)
    out = check("--project", str(root), "--stack", "dev")
    assert out.code == 2, out.stdout
    assert needle in out.stderr


# --- 3. secure: values ----------------------------------------------------------------------------

@pytest.fixture
def no_passphrase(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE_FILE", raising=False)
    return monkeypatch


def test_a_secret_model_version_is_decrypted_with_the_passphrase(no_passphrase: pytest.MonkeyPatch) -> None:
    no_passphrase.setenv("PULUMI_CONFIG_PASSPHRASE", FIXTURE_PASSPHRASE)
    out = check_json("--project", str(SECRET_CONFIG), "--stack", "dev")
    assert out.code == 1, out.stderr
    assert out.findings() == {("dev-0", *RETIRED)}
    assert "[secret] 2024-11-20" not in out.stdout  # a secret input stays redacted in messages
    assert "2024-11-20" not in json.dumps(out.report["findings"])


def test_the_passphrase_may_come_from_a_file(no_passphrase: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "phrase").write_text(FIXTURE_PASSPHRASE + "\n")
    no_passphrase.setenv("PULUMI_CONFIG_PASSPHRASE_FILE", str(tmp_path / "phrase"))
    out = check_json("--project", str(SECRET_CONFIG), "--stack", "dev")
    assert out.findings() == {("dev-0", *RETIRED)}


def test_without_a_passphrase_a_secret_is_unknown_and_secret(no_passphrase: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    """Never the literal placeholder: unknown (failOnUnknown territory) and still secret."""
    from versionguard.adapters.program.project import load_project

    config = load_project(SECRET_CONFIG).stack_config("dev")
    assert json.loads(config.values["secret-config:foundry"])["deployments"][0]["model"]["version"] == UNKNOWN
    assert config.secret_keys == ("secret-config:foundry",)
    props = runs(SECRET_CONFIG, "dev")["dev-0"]
    version = props["properties"]["model"]["version"]
    assert version["value"] == UNKNOWN and "4dabf18193072939515e22adb298388d" in version  # secret, unknown
    advisory = check_json("--project", str(SECRET_CONFIG), "--stack", "dev")
    assert advisory.code == 0, advisory.stderr
    (tmp_path / "dev.json").write_text('{"retired-model-version": {"failOnUnknown": true}}')
    strict = check_json("--project", str(SECRET_CONFIG), "--stack", "dev", "--policy-config-dir", str(tmp_path))
    assert strict.code == 1
    assert ("dev-0", *RETIRED) in strict.findings()


def test_a_wrong_passphrase_is_exit_2_naming_the_stack_file(no_passphrase: pytest.MonkeyPatch) -> None:
    no_passphrase.setenv("PULUMI_CONFIG_PASSPHRASE", "not the passphrase")
    out = check("--project", str(SECRET_CONFIG), "--stack", "dev")
    assert out.code == 2
    assert "Pulumi.dev.yaml: encryptionsalt: expected the passphrase of this stack" in out.stderr
    assert "incorrect passphrase" in out.stderr


# --- 4. ESC environments ----------------------------------------------------------------------------

@pytest.mark.parametrize("environment", ["[acme/prod-secrets, acme/models]", "\n  - acme/prod-secrets"])
def test_a_stack_importing_esc_environments_is_exit_2(tmp_path: Path, environment: str) -> None:
    root = project(tmp_path, "raise SystemExit('the program must not run')\n",
                   stack=f"environment: {environment}\nconfig:\n  p:version: '2025-04-14'\n")
    out = check("--project", str(root), "--stack", "dev")
    assert out.code == 2, out.stderr
    assert "Pulumi.dev.yaml: environment: expected no Pulumi ESC environments" in out.stderr
    assert "acme/prod-secrets" in out.stderr and "pulumi preview --policy-pack" in out.stderr


def test_an_empty_environment_list_imports_nothing(tmp_path: Path) -> None:
    root = project(tmp_path, CHAT, stack="environment: []\nconfig:\n  p:version: '2024-11-20'\n")
    out = check_json("--project", str(root), "--stack", "dev")
    assert out.code == 1 and out.findings() == {("chat", *RETIRED)}


# --- 6. files that are there but cannot be read --------------------------------------------------------

def _dangling(path: Path) -> None:
    path.symlink_to(path.parent / "gone.yaml")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _directory(path: Path) -> None:
    path.mkdir()


UNREADABLE = [(_dangling, "a dangling symbolic link"), (_fifo, "a FIFO (named pipe)"), (_directory, "a directory")]


@pytest.mark.parametrize(("make", "got"), UNREADABLE, ids=["dangling", "fifo", "directory"])
def test_an_unreadable_stack_file_is_exit_2_never_absent(tmp_path: Path, make, got: str) -> None:
    root = project(tmp_path, CHAT, stack=None)
    make(root / "Pulumi.dev.yaml")
    for args in (["--stack", "dev"], ["--all"]):
        out = check("--project", str(root), *args, "--timeout", "60")
        assert out.code == 2, (args, out.stdout, out.stderr)
        assert f"{root / 'Pulumi.dev.yaml'}: (file): expected a readable stack file" in out.stderr
        assert got in out.stderr


@pytest.mark.parametrize(("make", "got"), UNREADABLE, ids=["dangling", "fifo", "directory"])
def test_an_unreadable_policy_config_is_exit_2_never_the_defaults(tmp_path: Path, make, got: str) -> None:
    root = project(tmp_path, CHAT)
    configs = tmp_path / "configs"
    configs.mkdir()
    make(configs / "dev.json")
    out = check("--project", str(root), "--stack", "dev", "--policy-config-dir", str(configs), "--timeout", "60")
    assert out.code == 2, out.stdout
    assert f"{configs / 'dev.json'}: (file): expected a readable policy config file" in out.stderr
    assert got in out.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_stack_file_without_read_permission_is_exit_2(tmp_path: Path) -> None:
    root = project(tmp_path, CHAT)
    (root / "Pulumi.dev.yaml").chmod(0)
    out = check("--project", str(root), "--all")
    assert out.code == 2 and "Pulumi.dev.yaml: (file): expected a readable stack file" in out.stderr


def test_is_present_tells_absent_from_unreadable(tmp_path: Path) -> None:
    from versionguard.adapters.files.safe_load import is_present
    from versionguard.core.errors import InputError

    assert is_present(tmp_path / "nothing", "x") is False
    (tmp_path / "file").write_text("")
    assert is_present(tmp_path / "file", "x") is True
    (tmp_path / "link").symlink_to(tmp_path / "file")
    assert is_present(tmp_path / "link", "x") is True
    for make, got in UNREADABLE:
        make(tmp_path / make.__name__)
        with pytest.raises(InputError, match=got.replace("(", r"\(").replace(")", r"\)")):
            is_present(tmp_path / make.__name__, "x")


# --- 8. a program that prints hundreds of MiB ------------------------------------------------------

def test_program_output_is_streamed_and_capped(tmp_path: Path) -> None:
    """32 MiB printed (the bound holds for hundreds: see the report's RSS figures); the run keeps the
    first and the last 512 KiB and says how much it left out."""
    from versionguard.adapters.program.interpreters import OUTPUT_KEEP
    from versionguard.adapters.program.project import load_project
    from versionguard.adapters.program.project_python import find_python
    from versionguard.adapters.program.stack_runner import RunOptions, run_program

    loud = ("import sys\nsys.stdout.write('FIRST\\n')\nblock = ('x' * 1023 + '\\n') * 1024\n"
            "for _ in range(32):\n    sys.stdout.write(block)\nsys.stdout.write('LAST\\n')\n" + CHAT)
    root = project(tmp_path, loud)
    proj = load_project(root)
    run = run_program(proj, "dev", RunOptions(find_python(proj)))
    assert len(run.output) < 2 * OUTPUT_KEEP + 1024
    assert run.output.startswith("FIRST\n") and "LAST\n" in run.output[-OUTPUT_KEEP:]
    left_out = 32 * 1024 * 1024 + len("FIRST\nLAST\n") - 2 * OUTPUT_KEEP
    assert f"[versionguard: {left_out} bytes of the program's output left out here" in run.output


def test_capped_output_keeps_small_output_whole() -> None:
    import io

    from versionguard.adapters.program.interpreters import CappedOutput

    assert CappedOutput(io.BufferedReader(io.BytesIO(b"hello\n"))).text() == "hello\n"
    capped = CappedOutput(io.BufferedReader(io.BytesIO(b"a" * 10 + b"b" * 10 + b"c" * 10)), keep=10)
    assert capped.text() == "a" * 10 + "\n[versionguard: 10 bytes of the program's output left out here; the first " \
                                       "and last 0 KiB are shown]\n" + "c" * 10


# --- 12. URNs carry the whole parent chain -----------------------------------------------------------

def test_offline_urns_carry_the_whole_parent_chain(tmp_path: Path) -> None:
    """docs/waivers.md: a URN copied from `pulumi stack --show-urns` matches offline (pins the behaviour)."""
    nested = ("import pulumi\n"
              "class Account(pulumi.ComponentResource):\n"
              "    def __init__(self, name):\n        super().__init__('acme:foundry:Account', name)\n"
              "class Model(pulumi.ComponentResource):\n"
              "    def __init__(self, name, parent):\n"
              "        super().__init__('acme:foundry:ModelDeployment', name,\n"
              "                         opts=pulumi.ResourceOptions(parent=parent))\n"
              + CHAT.replace('"sku": {"name": "GlobalStandard", "capacity": 10}})',
                             '"sku": {"name": "GlobalStandard", "capacity": 10}}, '
                             'opts=pulumi.ResourceOptions(parent=Model("m", Account("a"))))')
              .replace("import pulumi\n", "", 1))
    root = project(tmp_path, nested, stack="config:\n  p:version: '2024-11-20'\n")
    out = check_json("--project", str(root), "--stack", "dev")
    (finding,) = [f for f in out.report["findings"] if f["policy"] == "retired-model-version"]
    assert finding["urn"] == ("urn:pulumi:dev::p::acme:foundry:Account$acme:foundry:ModelDeployment"
                              "$azure-native:cognitiveservices:Deployment::chat")


# --- real programs ------------------------------------------------------------------------------------

def test_a_container_app_with_user_assigned_identities_is_judged() -> None:
    """The provider turns the identity list into a map: the echoed list does not fit the SDK's output
    type, so it is unknown (as a computed output) instead of crashing the SDK inside the program."""
    out = check_json("--project", str(PROGRAMS / "container_app"), "--stack", "dev")
    assert out.code == 1, out.stderr
    assert out.findings() == {("chat", *RETIRED)}
    assert out.run("dev")["deployments"] == 1


def test_reshaped_echoes_are_unknown_and_fitting_ones_stay_known() -> None:
    props = runs(PROGRAMS / "container_app", "dev")
    container = props["ca-chat"]["template"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["AZURE_OPENAI_DEPLOYMENT"] == UNKNOWN  # `name` is computed by the provider
    assert env["AZURE_CLIENT_ID"] == UNKNOWN
    assert env["AZURE_OPENAI_ENDPOINT"] == UNKNOWN  # computed inside an echoed object: unknown, not absent
    assert props["chat"]["accountName"] == UNKNOWN
    assert props["chat"]["properties"]["model"]["version"] == "2024-11-20"


def test_fits_compares_echoes_with_the_sdks_output_types() -> None:
    import sys
    from collections.abc import Mapping, Sequence

    import pulumi
    from pulumi import _types
    from pulumi.output import Unknown
    from pulumi.runtime import rpc

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "policies/versionguard/adapters/program"))
    try:
        import host
    finally:
        sys.path.pop(0)

    @pulumi.output_type
    class Inner:
        def __init__(self, principal_id: str | None = None) -> None:
            pulumi.set(self, "principal_id", principal_id)

        @property
        @pulumi.getter(name="principalId")
        def principal_id(self) -> str | None:
            return pulumi.get(self, "principal_id")

    class Types:
        unwrap_optional_type = staticmethod(_types.unwrap_optional_type)
        is_output_type = staticmethod(_types.is_output_type)
        output_type_types = staticmethod(_types.output_type_types)

        unknown = Unknown

        @staticmethod
        def rpc_secret(value: object) -> object:
            return (rpc.unwrap_rpc_secret(value),) if rpc.is_rpc_secret(value) else None

    assert host.fits({"a": {"principalId": "x"}}, Mapping[str, Inner], Types)
    assert not host.fits(["id-1"], Mapping[str, Inner], Types)
    assert not host.fits({"a": ["x"]}, Mapping[str, Inner], Types)
    assert host.fits([1, 2.0], Sequence[int], Types) and not host.fits({"a": 1}, Sequence[int], Types)
    assert not host.fits({"principalId": 5}, Inner, Types) and host.fits({"principalId": "p"}, Inner, Types)
    assert host.fits(None, Inner, Types) and host.fits("anything", None, Types)
    assert host.fits({"principalId": Unknown()}, Inner, Types) and host.fits(Unknown(), Mapping[str, Inner], Types)
    filled = host.with_unknowns({"a": {}}, Mapping[str, Inner], Types, Unknown)
    assert isinstance(filled["a"]["principalId"], Unknown)  # declared, not an input: unknown, as in a preview

def test_a_uv_workspace_whose_pulumi_project_is_a_member() -> None:
    workspace = uv_project(PROGRAMS / "uv_workspace")
    out = check_json("--project", str(workspace / "infra"), "--all")
    assert out.code == 1, out.stderr
    assert out.findings() == {("dev-chat", *RETIRED)}
    assert Path(out.run("dev")["python"]).resolve() == (workspace / ".venv" / "bin" / "python").resolve()


def test_a_src_layout_program_reading_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOUNDRY_UPGRADE_OPTION", "NoAutoUpgrade")
    monkeypatch.setenv("FOUNDRY_MODEL_VERSION", "2025-12-11")
    out = check_json("--project", str(PROGRAMS / "src_layout"), "--all")
    assert out.code == 1, out.stderr
    assert out.findings() == {("dev-reasoning", "no-auto-upgrade-near-retirement", "mandatory")}
    monkeypatch.delenv("FOUNDRY_UPGRADE_OPTION")
    missing = check("--project", str(PROGRAMS / "src_layout"), "--all")
    assert missing.code == 2 and "KeyError: 'FOUNDRY_UPGRADE_OPTION'" in missing.stderr


def test_a_program_exporting_an_attribute_its_sdk_lacks_keeps_running(tmp_path: Path) -> None:
    """Code written against a newer SDK reads a field the installed SDK does not declare from an object
    the provider fills in: in a preview the object holds unknowns (azure-native's preview outputs), so the
    apply waits and the program goes on; offline likewise, and the deployment is judged."""
    root = tmp_path / "p"
    shutil.copytree(PROGRAMS / "container_app", root)
    (root / "Pulumi.yaml").write_text((root / "Pulumi.yaml").read_text().replace(
        "../../../../.venv", str(Path(__file__).resolve().parents[1] / ".venv")))
    with (root / "__main__.py").open("a") as handle:
        handle.write("pulumi.export('future', account.properties.apply(lambda p: p.future_endpoint_field))\n"
                     "pulumi.export('futureModel', deployment.properties.apply(lambda p: p.model.future_field))\n")
    out = check_json("--project", str(root), "--stack", "dev")
    assert out.code == 1, out.stderr
    assert out.findings() == {("chat", *RETIRED)}


# --- 11. malformed policy config the schema lets through --------------------------------------------------

@pytest.mark.parametrize(("content", "key"), [
    ({"api-version-supported": {"settingNames": [" "]}}, "api-version-supported.settingNames.0"),
    ({"no-auto-upgrade-near-retirement": {"retirementWindowDays": 10**30}},
     "no-auto-upgrade-near-retirement.retirementWindowDays"),
])
def test_malformed_policy_config_is_exit_2_naming_file_and_key(tmp_path: Path, content: dict, key: str) -> None:
    root = project(tmp_path, CHAT)
    configs = tmp_path / "configs"
    configs.mkdir()
    (configs / "dev.json").write_text(json.dumps(content))
    out = check("--project", str(root), "--stack", "dev", "--policy-config-dir", str(configs))
    assert out.code == 2, out.stdout
    assert f"{configs / 'dev.json'}: {key}: expected" in out.stderr


def test_secrets_of_another_provider_are_unknown_even_with_a_passphrase(no_passphrase: pytest.MonkeyPatch,
                                                                        tmp_path: Path) -> None:
    """A stack whose secrets a KMS or Pulumi Cloud holds (no passphrase salt): unknown and secret."""
    from versionguard.adapters.program.project import load_project

    no_passphrase.setenv("PULUMI_CONFIG_PASSPHRASE", FIXTURE_PASSPHRASE)
    root = project(tmp_path, CHAT, stack="secretsprovider: azurekeyvault://vault.example/keys/k\n"
                                        "encryptedkey: ZmFrZQ==\nconfig:\n  p:version:\n    secure: v1:AAAA:BBBB\n")
    config = load_project(root).stack_config("dev")
    assert config.values == {"p:version": UNKNOWN} and config.secret_keys == ("p:version",)
