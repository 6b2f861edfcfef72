"""Secret inputs never appear in a policy message: the pack shows them as ``[secret]``.

The engine sends secrets marked; pulumi_policy unwraps them before a validation sees the props, so
these tests drive the real analyzer servicer with marked props (testkit.secret) as the engine does.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi_policy.policy import _PolicyAnalyzerServicer

import tests.unit.testkit as testkit
from tests.unit.api_kit import API_POLICIES, app
from tests.unit.testkit import (
    FLAVOURS,
    NATIVE,
    Pack,
    deployment,
    make_runtime,
    only,
    secret,
    urn_of,
)


def _body(props: dict[str, Any], flavour: str) -> dict[str, Any]:
    return props if flavour == "classic" else props["properties"]


def messages(pack: Pack, props: dict[str, Any], flavour: str = "native") -> list[str]:
    return [d.message for d in pack.analyze(props, FLAVOURS[flavour])]


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_secret_model_name_is_shown_as_secret(pack: Pack, flavour: str) -> None:
    props = deployment(flavour, model="gpt-hidden-7", version="2025-01-01", option="NoAutoUpgrade")
    _body(props, flavour)["model"]["name"] = secret("gpt-hidden-7")
    (known,) = only(pack.analyze(props, FLAVOURS[flavour]), "model-version-known")
    assert "gpt-hidden-7" not in known.message and known.message.startswith("[secret] 2025-01-01 is not in")


@pytest.mark.parametrize("option", ["NoAutoUpgrade", "noautoupgrade", " NOAUTOUPGRADE "])
def test_a_secret_upgrade_option_is_shown_as_secret_in_any_spelling(pack: Pack, option: str) -> None:
    props = deployment("native", version="soon", option=option)
    props["properties"]["versionUpgradeOption"] = secret(option)
    (near,) = only(pack.analyze(props), "no-auto-upgrade-near-retirement")
    assert "noautoupgrade" not in near.message.casefold() and "[secret]" in near.message


def test_a_secret_version_is_shown_as_secret(pack: Pack) -> None:
    props = deployment("native", version="soon", option="NoAutoUpgrade")
    props["properties"]["model"]["version"] = secret("soon")
    assert all("soon" not in m.casefold() for m in messages(pack, props))
    assert any("m [secret] retires" in m for m in messages(pack, props))


def test_a_malformed_secret_value_is_not_echoed(pack: Pack) -> None:
    props = deployment("native", version="soon", option="NoAutoUpgrade")
    props["sku"] = {"name": secret(["Globalhidden-sku"]), "capacity": 10.0}
    assert all("hidden-sku" not in m.casefold() for m in messages(pack, props))


def test_a_whole_secret_properties_object_hides_every_value(pack: Pack) -> None:
    props = deployment("native", model="gpt-hidden-7", version="v-hidden-3", option="NoAutoUpgrade")
    props["properties"] = secret(props["properties"])
    found = messages(pack, props)
    assert found and all("hidden" not in m for m in found)


def test_waived_findings_are_redacted_too() -> None:
    seen: list[str] = []
    waiver = {"policy": "model-version-known", "resource": "dep", "reason": "CHG-1", "expires": "2026-02-01"}
    pack = Pack(make_runtime(waivers=[waiver], on_waived=lambda *hit: seen.append(hit[3])))
    props = deployment("native", model="gpt-hidden-7", version="1")
    props["properties"]["model"]["name"] = secret("gpt-hidden-7")
    pack.analyze(props, NATIVE, "dep", urn_of(NATIVE, "dep"))
    assert seen and all("gpt-hidden-7" not in m and "[secret]" in m for m in seen)


def test_plain_values_are_not_redacted(pack: Pack) -> None:
    (known,) = only(pack.analyze(deployment("native", model="gpt-plain", version="1")), "model-version-known")
    assert known.message.startswith("gpt-plain 1 is not in the catalog")


def test_without_a_way_to_tell_secrets_a_validation_fails_closed(pack: Pack,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """No wire form (secrets_of gives None): no message may show a value."""
    from versionguard.adapters.crossguard import secrets as pack_secrets

    monkeypatch.setattr(pack_secrets, "secrets_of", lambda args: None)
    found = pack.analyze(deployment("native", model="gpt-plain", version="far"))
    assert found and {d.message for d in found} == {
        "versionguard cannot tell this resource's secret inputs from plain ones, failing closed."}
    assert {d.level for d in found} >= {"mandatory"}


@pytest.mark.parametrize("resource", ["deployment", "app"])
def test_a_stock_servicer_fails_closed(monkeypatch: pytest.MonkeyPatch, resource: str) -> None:
    """pulumi_policy's own servicer hands validations no wire form, so they cannot tell secret inputs
    from plain ones: every versionguard validation that runs reports that (never a pass, never a value).
    The pack and ``check`` serve through versionguard's servicer, which hands it."""
    if resource == "deployment":
        type_, props = NATIVE, deployment("native", model="gpt-hidden-7", version="2025-01-01", option="NoAutoUpgrade")
        props["properties"]["model"]["name"] = secret("gpt-hidden-7")
    else:
        type_, props = app("web-app", secret("gpt-hidden-7"))
    monkeypatch.setattr(testkit, "VersionguardServicer", _PolicyAnalyzerServicer)
    found = Pack(make_runtime()).analyze(props, type_)
    assert found and {d.message for d in found} == {
        "versionguard cannot tell this resource's secret inputs from plain ones, failing closed."}
    assert {d.policy for d in found} >= set(API_POLICIES)


@pytest.mark.parametrize(("value", "forms"), [
    ("a'b\n", {"a'b\n", "a'b", "a'b\\n"}), (10.0, {"10.0", "10"}), (True, {"True"}), ("  ", set()),
])
def test_secret_forms(value: Any, forms: set[str]) -> None:
    from versionguard.adapters.crossguard import secrets as pack_secrets

    assert pack_secrets.secret_texts({"x": secret(value)}) == forms
