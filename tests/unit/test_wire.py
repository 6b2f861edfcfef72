"""adapters.crossguard.wire: the analyzer's wire form as plain data, without pulumi_policy."""

from __future__ import annotations

import subprocess
import sys

from pulumi_policy import deserialize, proxy

from tests.unit.testkit import UNKNOWN, secret
from versionguard.adapters.crossguard.wire import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_SENTINELS, from_wire
from versionguard.core.api_usage import scan
from versionguard.core.records import Malformed, Secret, Unknown, normalize


def test_the_wire_constants_are_pulumi_policys() -> None:
    assert (SPECIAL_SIG_KEY, SPECIAL_SECRET_SIG) == (deserialize.SPECIAL_SIG_KEY, deserialize.SPECIAL_SECRET_SIG)
    stock = {getattr(proxy, n) for n in dir(proxy) if n.startswith("UNKNOWN_") and n.endswith("_VALUE")}
    assert len(stock) == 7 and stock == UNKNOWN_SENTINELS


def test_importing_the_wire_and_redaction_modules_loads_no_policy_sdk() -> None:
    """commands.forecast reads the wire form and redacts secrets with these two modules."""
    code = ("import sys, versionguard.adapters.crossguard.wire, versionguard.adapters.crossguard.secrets\n"
            "print(sorted({n.split('.')[0] for n in sys.modules} & {'pulumi_policy', 'grpc', 'pulumi'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_unknowns_carry_their_path_and_secrets_their_value() -> None:
    plain = from_wire({"properties": {"model": {"name": "gpt-4o", "version": secret("2024-11-20")},
                                      "versionUpgradeOption": UNKNOWN},
                       "tags": [UNKNOWN, secret([secret("x")])]})
    assert plain["properties"]["versionUpgradeOption"] == Unknown(("properties", "versionUpgradeOption"), UNKNOWN)
    version = plain["properties"]["model"]["version"]
    assert isinstance(version, Secret) and version.value == "2024-11-20"
    assert plain["tags"][0] == Unknown(("tags", "0"), UNKNOWN)
    assert isinstance(plain["tags"][1], Secret) and isinstance(plain["tags"][1].value[0], Secret)


def test_records_read_through_secrets_and_the_scan_does_not() -> None:
    """As in the pack: a secret deployment input is judged by its value; a secret api-version is not read."""
    rec = normalize("azure-native:cognitiveservices:Deployment", from_wire({
        "properties": secret({"model": {"name": "gpt-4o", "version": secret(" 2024-11-20 ")},
                              "versionUpgradeOption": secret("noautoupgrade")}),
        "sku": {"name": secret("globalstandard")}}), "dep")
    assert (rec.model_name, rec.model_version, rec.upgrade_option, rec.sku_name) == (
        "gpt-4o", "2024-11-20", "NoAutoUpgrade", "GlobalStandard")
    odd = normalize("azure:cognitive/deployment:Deployment", from_wire({"versionUpgradeOption": secret(" Sometimes")}),
                    "dep").upgrade_option
    assert isinstance(odd, Malformed) and odd.describe().startswith("versionUpgradeOption is a string (' Sometimes')")
    found = scan("azure-native:web:WebApp", from_wire({"siteConfig": {"appSettings": [
        {"name": "OPENAI_API_VERSION", "value": secret("2024-10-21")}]}}))
    assert found.empty
