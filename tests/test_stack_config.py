"""Tests of the stack-config parser: valid input, every malformed shape, and the shipped stack files.

Every malformed case must raise InputError whose message names the source and the full key path.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from components.stack_config import (
    ACCOUNTS_KEY,
    AccountSpec,
    DeploymentSpec,
    ModelSpec,
    SkuSpec,
    load_stack_file,
    parse_accounts,
    parse_stack_config,
)
from tests.support import ROOT
from versionguard.core.errors import InputError
from versionguard.core.vocabulary import STANDARD_SKUS

SOURCE = "stacks/Pulumi.test.yaml"
A0 = f"{ACCOUNTS_KEY}[0]"
D0 = f"{A0}.deployments[0]"
D1 = f"{A0}.deployments[1]"
STACKS = ["dev", "staging", "prod"]


def valid_accounts() -> list[dict[str, Any]]:
    """A fresh, valid ``foundry-deployments:accounts`` value, as require_object returns it."""
    return [
        {
            "name": "aif-test",
            "resourceGroupName": "rg-test",
            "deployments": [
                {
                    "name": "test-chat",
                    "model": {"name": "gpt-4.1", "version": "2025-04-14"},
                    "versionUpgradeOption": "OnceCurrentVersionExpired",
                    "sku": {"name": "GlobalStandard", "capacity": 100},
                },
                {
                    "name": "test-embed",
                    "model": {"name": "text-embedding-3-large", "version": "1", "format": "OpenAI"},
                    "versionUpgradeOption": "OnceNewDefaultVersionAvailable",
                    "sku": {"name": "Standard", "capacity": 50},
                    "raiPolicyName": "Microsoft.DefaultV2",
                },
            ],
        }
    ]


def parse(raw: object, default_location: str | None = "swedencentral") -> tuple[AccountSpec, ...]:
    return parse_accounts(raw, SOURCE, default_location=default_location)


def error_of(call: Callable[[], object]) -> InputError:
    with pytest.raises(InputError) as caught:
        call()
    return caught.value


# --------------------------------------------------------------------------- valid input


def test_parses_a_valid_config_with_defaults() -> None:
    (account,) = parse(valid_accounts())
    assert account == AccountSpec(
        name="aif-test",
        resource_group_name="rg-test",
        location="swedencentral",
        kind="AIServices",
        public_network_access="Disabled",
        ip_rules=(),
        deployments=(
            DeploymentSpec(
                name="test-chat",
                model=ModelSpec(name="gpt-4.1", version="2025-04-14", format="OpenAI"),
                version_upgrade_option="OnceCurrentVersionExpired",
                sku=SkuSpec(name="GlobalStandard", capacity=100),
                rai_policy_name=None,
            ),
            DeploymentSpec(
                name="test-embed",
                model=ModelSpec(name="text-embedding-3-large", version="1"),
                version_upgrade_option="OnceNewDefaultVersionAvailable",
                sku=SkuSpec(name="Standard", capacity=50),
                rai_policy_name="Microsoft.DefaultV2",
            ),
        ),
    )
    assert account.key == A0
    assert account.deployments[1].key == D1
    assert dict(account.tags) == {}


def test_parses_every_optional_account_key() -> None:
    raw = valid_accounts()
    raw[0].update(
        location="francecentral",
        kind="OpenAI",
        publicNetworkAccess="Enabled",
        ipRules=["203.0.113.0/24", "198.51.100.7"],
        tags={"environment": "test"},
    )
    (account,) = parse(raw)
    assert account.location == "francecentral"  # the account's own location beats the stack default
    assert account.kind == "OpenAI"
    assert account.public_network_access == "Enabled"
    assert account.ip_rules == ("203.0.113.0/24", "198.51.100.7")
    assert dict(account.tags) == {"environment": "test"}


def test_specs_are_frozen() -> None:
    (account,) = parse(valid_accounts())
    with pytest.raises(dataclasses.FrozenInstanceError):
        account.name = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        account.deployments[0].sku.capacity = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        account.tags["x"] = "y"  # type: ignore[index]


def test_case_variants_are_canonicalised() -> None:
    raw = valid_accounts()
    raw[0].update(kind="aiservices", publicNetworkAccess="ENABLED")
    raw[0]["deployments"][0].update(
        versionUpgradeOption="noautoupgrade", sku={"name": "globalprovisionedmanaged", "capacity": 50}
    )
    (account,) = parse(raw)
    assert (account.kind, account.public_network_access) == ("AIServices", "Enabled")
    assert account.deployments[0].version_upgrade_option == "NoAutoUpgrade"
    assert account.deployments[0].sku.name == "GlobalProvisionedManaged"


def test_does_not_modify_its_input() -> None:
    raw = valid_accounts()
    before = copy.deepcopy(raw)
    parse(raw)
    assert raw == before


# --------------------------------------------------------------------------- malformed input

Mutation = Callable[[list[Any]], Any]


def _set(path: str, value: object) -> Mutation:
    """A mutation that sets (or, with ``...``, deletes) ``accounts[0]`` + dotted ``path``."""

    def mutate(raw: list[Any]) -> None:
        *parents, last = path.split(".")
        node: Any = raw[0]
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        index: Any = int(last) if isinstance(node, list) else last
        if value is ...:
            del node[index]
        else:
            node[index] = value

    return mutate


def _public(mutation: Mutation) -> Mutation:
    """``mutation`` on an account with public network access on (where ipRules apply)."""

    def mutate(raw: list[Any]) -> None:
        raw[0]["publicNetworkAccess"] = "Enabled"
        mutation(raw)

    return mutate


# (mutation, key path, fragments the message must contain)
MALFORMED: list[tuple[str, Mutation, str, list[str]]] = [
    ("account name missing", _set("name", ...), f"{A0}.name", ["an account name", "missing"]),
    ("account name null", _set("name", None), f"{A0}.name", ["got null"]),
    ("account name not DNS", _set("name", "aif_test"), f"{A0}.name", ["DNS subdomain", "'aif_test'"]),
    ("account name trailing dash", _set("name", "aif-"), f"{A0}.name", ["DNS subdomain"]),
    ("resource group missing", _set("resourceGroupName", ...), f"{A0}.resourceGroupName", ["missing"]),
    ("resource group number", _set("resourceGroupName", 7), f"{A0}.resourceGroupName", ["got 7"]),
    ("location null", _set("location", None), f"{A0}.location", ["azure-native:location", "got null"]),
    ("kind typo", _set("kind", "AIService"), f"{A0}.kind", ["AIServices, OpenAI", "did you mean 'AIServices'?"]),
    ("access typo", _set("publicNetworkAccess", "Enable"), f"{A0}.publicNetworkAccess", ["did you mean 'Enabled'?"]),
    ("access bool", _set("publicNetworkAccess", False), f"{A0}.publicNetworkAccess", ["Enabled, Disabled"]),
    ("ipRules not list", _public(_set("ipRules", "203.0.113.0/24")), f"{A0}.ipRules", ["a list"]),
    ("ipRules bad entry", _public(_set("ipRules", ["10.0.0.0/8", "office"])), f"{A0}.ipRules[1]", ["IPv4", "'office'"]),
    ("ipRules IPv6", _public(_set("ipRules", ["2001:db8::/32"])), f"{A0}.ipRules[0]", ["IPv4"]),
    ("ipRules while Disabled", _set("ipRules", ["10.0.0.0/8"]), f"{A0}.ipRules", ["publicNetworkAccess is Disabled"]),
    ("tags not mapping", _set("tags", ["a"]), f"{A0}.tags", ["a mapping"]),
    ("tag value number", _set("tags", {"cost": 12}), f"{A0}.tags.cost", ["a string", "got 12"]),
    ("unknown account key", _set("deployment", []), f"{A0}.deployment", ["did you mean 'deployments'?"]),
    ("deployments missing", _set("deployments", ...), f"{A0}.deployments", ["a list of deployments", "missing"]),
    ("deployments mapping", _set("deployments", {"name": "x"}), f"{A0}.deployments", ["a list of deployments"]),
    ("deployments null", _set("deployments", None), f"{A0}.deployments", ["got null"]),
    ("deployment not mapping", _set("deployments.0", "test-chat"), D0, ["a deployment mapping", "'test-chat'"]),
    ("deployment null", _set("deployments.0", None), D0, ["got null"]),
    ("deployment name missing", _set("deployments.0.name", ...), f"{D0}.name", ["a deployment name", "missing"]),
    ("deployment name spaces", _set("deployments.0.name", "test chat"), f"{D0}.name", ["up to 64"]),
    (
        "unknown deployment key",
        _set("deployments.0.versionUpgradeOptions", "NoAutoUpgrade"),
        f"{D0}.versionUpgradeOptions",
        ["did you mean 'versionUpgradeOption'?"],
    ),
    ("model missing", _set("deployments.0.model", ...), f"{D0}.model", ["name and version", "missing"]),
    ("model null", _set("deployments.0.model", None), f"{D0}.model", ["got null"]),
    ("model string", _set("deployments.0.model", "gpt-4.1"), f"{D0}.model", ["a mapping", "'gpt-4.1'"]),
    ("model name missing", _set("deployments.0.model.name", ...), f"{D0}.model.name", ["a model name"]),
    ("model name empty", _set("deployments.0.model.name", ""), f"{D0}.model.name", ["a model name", "got ''"]),
    ("version missing", _set("deployments.0.model.version", ...), f"{D0}.model.version", ["version", "missing"]),
    ("version null", _set("deployments.0.model.version", None), f"{D0}.model.version", ["got null"]),
    ("version int", _set("deployments.0.model.version", 1), f"{D0}.model.version", ["a number", "quote it", "got 1"]),
    ("version float", _set("deployments.0.model.version", 2.0), f"{D0}.model.version", ["quote it"]),
    (
        "version date",
        _set("deployments.0.model.version", dt.date(2025, 4, 14)),
        f"{D0}.model.version",
        ["a date", "quote it"],
    ),
    ("version blank", _set("deployments.0.model.version", "  "), f"{D0}.model.version", ["version string"]),
    ("format empty", _set("deployments.0.model.format", ""), f"{D0}.model.format", ["a model format"]),
    ("model key typo", _set("deployments.0.model.versoin", "1"), f"{D0}.model.versoin", ["did you mean 'version'?"]),
    (
        "upgrade option missing",
        _set("deployments.0.versionUpgradeOption", ...),
        f"{D0}.versionUpgradeOption",
        ["one of OnceNewDefaultVersionAvailable, OnceCurrentVersionExpired, NoAutoUpgrade", "missing"],
    ),
    (
        "upgrade option null",
        _set("deployments.0.versionUpgradeOption", None),
        f"{D0}.versionUpgradeOption",
        ["got null"],
    ),
    (
        "upgrade option typo",
        _set("deployments.0.versionUpgradeOption", "OnceCurentVersionExpired"),
        f"{D0}.versionUpgradeOption",
        ["did you mean 'OnceCurrentVersionExpired'?", "got 'OnceCurentVersionExpired'"],
    ),
    ("sku missing", _set("deployments.0.sku", ...), f"{D0}.sku", ["name and capacity", "missing"]),
    ("sku string", _set("deployments.0.sku", "GlobalStandard"), f"{D0}.sku", ["a mapping"]),
    ("sku name missing", _set("deployments.0.sku.name", ...), f"{D0}.sku.name", ["one of Standard", "missing"]),
    (
        "sku name typo",
        _set("deployments.0.sku.name", "GlobalStandrd"),
        f"{D0}.sku.name",
        ["GlobalProvisionedManaged", "did you mean 'GlobalStandard'?", "got 'GlobalStandrd'"],
    ),
    ("capacity missing", _set("deployments.0.sku.capacity", ...), f"{D0}.sku.capacity", ["positive integer"]),
    ("capacity zero", _set("deployments.0.sku.capacity", 0), f"{D0}.sku.capacity", ["positive integer", "got 0"]),
    ("capacity negative", _set("deployments.0.sku.capacity", -10), f"{D0}.sku.capacity", ["got -10"]),
    ("capacity string", _set("deployments.0.sku.capacity", "100"), f"{D0}.sku.capacity", ["got '100'"]),
    ("capacity float", _set("deployments.0.sku.capacity", 1.5), f"{D0}.sku.capacity", ["got 1.5"]),
    ("capacity bool", _set("deployments.0.sku.capacity", True), f"{D0}.sku.capacity", ["got True"]),
    ("capacity null", _set("deployments.0.sku.capacity", None), f"{D0}.sku.capacity", ["got null"]),
    ("rai policy empty", _set("deployments.0.raiPolicyName", ""), f"{D0}.raiPolicyName", ["non-empty string"]),
    ("rai policy null", _set("deployments.1.raiPolicyName", None), f"{D1}.raiPolicyName", ["got null"]),
    (
        "duplicate deployment name",
        _set("deployments.1.name", "test-chat"),
        f"{D1}.name",
        [f"unique in the stack (also used at {D0}.name)"],
    ),
    (
        "duplicate deployment name, other case",
        _set("deployments.1.name", "Test-Chat"),
        f"{D1}.name",
        ["unique in the stack"],
    ),
]


@pytest.mark.parametrize(("mutate", "key", "fragments"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_config_names_source_and_key(mutate: Mutation, key: str, fragments: list[str]) -> None:
    raw = valid_accounts()
    mutate(raw)
    error = error_of(lambda: parse(raw))
    assert (error.source, error.key) == (SOURCE, key)
    message = str(error)
    assert message.startswith(f"{SOURCE}: {key}: expected ")
    for fragment in fragments:
        assert fragment in message


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"name": "aif-test"}, "a non-empty list of accounts"),
        ("aif-test", "got 'aif-test'"),
        (None, "got null"),
        ([], "a non-empty list of accounts"),
    ],
)
def test_accounts_must_be_a_non_empty_list(raw: object, fragment: str) -> None:
    error = error_of(lambda: parse(raw))
    assert error.key == ACCOUNTS_KEY
    assert str(error).startswith(f"{SOURCE}: {ACCOUNTS_KEY}: expected ")
    assert fragment in str(error)


def test_account_entry_must_be_a_mapping() -> None:
    error = error_of(lambda: parse(["aif-test"]))
    assert (error.key, error.got) == (A0, "aif-test")


def test_location_required_when_no_stack_default() -> None:
    error = error_of(lambda: parse(valid_accounts(), default_location=None))
    assert error.key == f"{A0}.location"
    assert "azure-native:location" in str(error)


def test_deployment_names_are_unique_across_accounts() -> None:
    raw = valid_accounts()
    second = copy.deepcopy(raw[0])
    second["name"] = "aif-other"
    second["deployments"] = second["deployments"][1:]  # 'test-embed' again, in another account
    raw.append(second)
    error = error_of(lambda: parse(raw))
    assert error.key == f"{ACCOUNTS_KEY}[1].deployments[0].name"
    assert f"also used at {D1}.name" in str(error)


def test_account_names_are_unique() -> None:
    raw = valid_accounts()
    second = copy.deepcopy(raw[0])
    second["deployments"] = []
    raw.append(second)
    error = error_of(lambda: parse(raw))
    assert error.key == f"{ACCOUNTS_KEY}[1].name"
    assert "account name unique" in str(error)


def test_account_may_have_no_deployments() -> None:
    raw = valid_accounts()
    raw[0]["deployments"] = []
    assert parse(raw)[0].deployments == ()


# --------------------------------------------------------------------------- the config mapping


def test_stack_config_uses_azure_native_location_and_ignores_other_namespaces() -> None:
    config = {
        "azure-native:location": "swedencentral",
        "azure-native:subscriptionId": "00000000-0000-0000-0000-000000000000",
        ACCOUNTS_KEY: valid_accounts(),
    }
    spec = parse_stack_config(config, SOURCE)
    assert spec.location == "swedencentral"
    assert spec.accounts[0].location == "swedencentral"
    assert [d.name for _, d in spec.deployments()] == ["test-chat", "test-embed"]
    assert spec.config[ACCOUNTS_KEY] == valid_accounts()


@pytest.mark.parametrize(
    ("config", "key", "fragment"),
    [
        (["x"], "config", "a mapping of config keys"),
        (None, "config", "got null"),
        ({"azure-native:location": "swedencentral"}, ACCOUNTS_KEY, "missing"),
        ({"foundry-deployments:acounts": []}, "foundry-deployments:acounts", f"did you mean '{ACCOUNTS_KEY}'?"),
        ({"azure-native:location": 5, ACCOUNTS_KEY: []}, "azure-native:location", "an Azure location"),
    ],
)
def test_malformed_stack_config(config: object, key: str, fragment: str) -> None:
    error = error_of(lambda: parse_stack_config(config, SOURCE))
    assert error.key == key
    assert str(error).startswith(f"{SOURCE}: {key}: ")
    assert fragment in str(error)


# --------------------------------------------------------------------------- stack files


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Pulumi.broken.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def stack_text(version: str = '"2025-04-14"') -> str:
    return f"""\
config:
  azure-native:location: swedencentral
  foundry-deployments:accounts:
    - name: aif-test
      resourceGroupName: rg-test
      deployments:
        - name: test-chat
          model: {{name: gpt-4.1, version: {version}}}
          versionUpgradeOption: OnceCurrentVersionExpired
          sku: {{name: GlobalStandard, capacity: 10}}
"""


def test_load_stack_file_reads_a_valid_file(tmp_path: Path) -> None:
    path = write(tmp_path, stack_text())
    spec = load_stack_file(path)
    assert spec.source == str(path)
    assert spec.accounts[0].deployments[0].model.version == "2025-04-14"


@pytest.mark.parametrize(
    ("version", "got"),
    [("0613", "got 395"), ("1", "got 1"), ("2025-04-14", "got datetime.date(2025, 4, 14)")],
    ids=["octal", "integer", "date"],
)
def test_unquoted_versions_in_a_file_are_errors(tmp_path: Path, version: str, got: str) -> None:
    path = write(tmp_path, stack_text(version))
    error = error_of(lambda: load_stack_file(path))
    assert str(error).startswith(f"{path}: {ACCOUNTS_KEY}[0].deployments[0].model.version: expected ")
    assert "quote it" in str(error)
    assert got in str(error)


@pytest.mark.parametrize(
    ("text", "key", "fragment"),
    [
        ("config:\n  a: [1, 2\n", "line 3, column 1", "valid YAML"),
        ("config:\n\tkey: 1\n", "line 2, column 1", "valid YAML"),
        ("- just\n- a list\n", "(top level)", "a mapping with a 'config' key"),
        ("", "(top level)", "got null"),
        ("encryptionsalt: abc\n", "config", "missing"),
        (
            stack_text().replace("          sku:", "          model: {name: x, version: '1'}\n          sku:"),
            "line 10, column 11",
            "duplicate key 'model'",
        ),
    ],
    ids=["unclosed-flow", "tab-indent", "list", "empty", "no-config", "duplicate-key"],
)
def test_malformed_stack_files(tmp_path: Path, text: str, key: str, fragment: str) -> None:
    path = write(tmp_path, text)
    error = error_of(lambda: load_stack_file(path))
    assert (error.source, error.key) == (str(path), key)
    assert str(error).startswith(f"{path}: {key}: expected ")
    assert fragment in str(error)


def test_missing_stack_file(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.nope.yaml"
    error = error_of(lambda: load_stack_file(path))
    assert (error.source, error.key) == (str(path), "(file)")


def test_non_utf8_stack_file(tmp_path: Path) -> None:
    path = tmp_path / "Pulumi.latin1.yaml"
    path.write_bytes("config:\n  x: caf\xe9\n".encode("latin-1"))
    error = error_of(lambda: load_stack_file(path))
    assert (error.key, error.expected) == ("line 2", "UTF-8 text")


# --------------------------------------------------------------------------- the shipped stacks


@pytest.mark.parametrize("stack", STACKS)
def test_shipped_stack_parses(stack: str) -> None:
    spec = load_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    deployments = [d for _, d in spec.deployments()]
    assert spec.location
    assert deployments
    models = {d.model.name for d in deployments}
    assert any(m.startswith("gpt-") for m in models), "every stack serves a chat model"
    assert any(m.startswith("text-embedding-") for m in models), "every stack serves embeddings"
    assert all(d.name.startswith(f"{stack}-") for d in deployments)
    # The file's own YAML must agree with what the Pulumi CLI hands the program.
    raw = yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())["config"][ACCOUNTS_KEY]
    assert parse_accounts(raw, "x", default_location=spec.location) == spec.accounts


@pytest.mark.parametrize("stack", STACKS)
def test_shipped_stacks_respect_the_sku_rules(stack: str) -> None:
    """The rules a reviewer checks by eye; the policy pack checks the dates (versionguard check)."""
    spec = load_stack_file(ROOT / "stacks" / f"Pulumi.{stack}.yaml")
    for _, d in spec.deployments():
        if d.version_upgrade_option == "OnceNewDefaultVersionAvailable":
            assert d.sku.name in STANDARD_SKUS, f"{d.name}: auto-update needs a Standard deployment type"
        if d.model.name.startswith("gpt-4o"):
            assert d.sku.name != "Standard", f"{d.name}: regional Standard gpt-4o* retired 2026-03-31"


def test_prod_has_a_provisioned_deployment_that_azure_never_auto_updates() -> None:
    spec = load_stack_file(ROOT / "stacks" / "Pulumi.prod.yaml")
    ptu = [d for _, d in spec.deployments() if d.sku.name == "GlobalProvisionedManaged"]
    assert [d.name for d in ptu] == ["prod-chat-ptu"]
    assert ptu[0].version_upgrade_option in {"OnceCurrentVersionExpired", "NoAutoUpgrade"}
