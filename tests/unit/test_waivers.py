"""Waivers: parsing, malformed files naming file and key, matching, expiry, and silencing in the pack."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from tests.unit.testkit import AS_OF, NATIVE, UNKNOWN, Pack, day, deployment, iso, make_runtime, only, urn_of
from versionguard.adapters.evaluation_inputs import DEFAULT_WAIVERS
from versionguard.adapters.files.waivers_file import load_waivers
from versionguard.core.errors import InputError
from versionguard.core.waivers import Waiver, Waivers, waivers_from_data

POLICY = "retired-model-version"
URN = urn_of(NATIVE, "dep")
SOURCE = "w.yaml"


def entry(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"policy": POLICY, "resource": "dep", "reason": "CHG-1 migration booked",
                            "expires": iso(30)}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def parse(*entries: Any) -> Waivers:
    return waivers_from_data({"waivers": list(entries)}, SOURCE)


# --- parsing ----------------------------------------------------------------------------------------

def test_parse_full_entry() -> None:
    (w,) = parse(entry(stacks=["prod", "dev"], granted=iso(-5), policy=f"  {POLICY} ", resource=" dep ")).items
    assert w == Waiver(POLICY, "dep", "CHG-1 migration booked", day(30), ("prod", "dev"), day(-5), 0)


def test_yaml_file_with_dates_quoted_and_unquoted(tmp_path: Path) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text(f"waivers:\n"
                    f"  - {{policy: {POLICY}, resource: dep, reason: r, expires: {iso(1)}}}\n"
                    f"  - {{policy: {POLICY}, resource: other, reason: r, expires: '{iso(2)}', stacks: [prod]}}\n")
    waivers = load_waivers(path)
    assert waivers.origin == str(path)
    assert [w.expires for w in waivers.items] == [day(1), day(2)]
    assert [w.index for w in waivers.items] == [0, 1]
    assert waivers.items[1].stacks == ("prod",)


@pytest.mark.parametrize("data", [None, {"waivers": None}, {"waivers": []}])
def test_empty_waivers(data: Any) -> None:
    assert waivers_from_data(data, SOURCE).items == ()


def test_no_file_means_no_waivers() -> None:
    assert load_waivers(None).items == ()


def test_shipped_waivers_file_loads() -> None:
    assert DEFAULT_WAIVERS.is_file()
    load_waivers(DEFAULT_WAIVERS)  # must not raise


@pytest.mark.parametrize(("data", "key", "expected"), [
    ({"waivers": [entry(expires="2026-02-30")]}, "waivers[0].expires", "a date YYYY-MM-DD"),
    ({"waivers": [entry(expires="next week")]}, "waivers[0].expires", "a date YYYY-MM-DD"),
    ({"waivers": [entry(expires=20260101)]}, "waivers[0].expires", "a date YYYY-MM-DD"),
    ({"waivers": [{"policy": POLICY, "resource": "dep", "reason": "r"}]}, "waivers[0].expires",
     "every waiver must expire"),
    ({"waivers": [entry(), entry(granted="x")]}, "waivers[1].granted", "a date YYYY-MM-DD"),
    ({"waivers": [entry(policy=3)]}, "waivers[0].policy", "a non-empty string"),
    ({"waivers": [entry(policy="")]}, "waivers[0].policy", "a non-empty string"),
    ({"waivers": [{"resource": "dep", "reason": "r", "expires": iso(1)}]}, "waivers[0].policy", "a non-empty string"),
    ({"waivers": [entry(resource="  ")]}, "waivers[0].resource", "a non-empty string"),
    ({"waivers": [entry(resource=["dep"])]}, "waivers[0].resource", "a non-empty string"),
    ({"waivers": [entry(reason=42)]}, "waivers[0].reason", "a string"),
    ({"waivers": [entry(stacks="prod")]}, "waivers[0].stacks", "a list of stack names"),
    ({"waivers": [entry(stacks=["prod", 1])]}, "waivers[0].stacks", "a list of stack names"),
    ({"waivers": [entry(), entry(), entry(owner="me")]}, "waivers[2].owner", "one of expires, granted"),
    ({"waivers": ["dep"]}, "waivers[0]", "a mapping with policy, resource, reason, expires"),
    ({"waivers": {"policy": POLICY}}, "waivers", "a list of waivers"),
    ({"waivers": [], "extra": 1}, "(top level)", "a single key 'waivers'"),
    ([entry()], "(top level)", "a single key 'waivers'"),
])
def test_malformed_waivers_name_file_and_key(data: Any, key: str, expected: str) -> None:
    with pytest.raises(InputError) as err:
        waivers_from_data(data, SOURCE)
    assert err.value.source == SOURCE
    assert err.value.key == key
    assert str(err.value).startswith(f"{SOURCE}: {key}: expected ")
    assert expected in str(err.value)


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("waivers:\n  - policy: [\n")
    with pytest.raises(InputError) as err:
        load_waivers(path)
    assert err.value.source == str(path)
    assert err.value.key.startswith("line ")
    assert "valid YAML" in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_waivers(tmp_path / "nope.yaml")
    assert (err.value.source, err.value.key) == (str(tmp_path / "nope.yaml"), "(file)")


# --- matching -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("resource", ["dep", URN])
def test_find_by_logical_name_or_urn(resource: str) -> None:
    waivers = parse(entry(resource=resource))
    assert waivers.find(POLICY, "dep", URN, "dev", AS_OF) is not None
    assert waivers.find(POLICY, "other", urn_of(NATIVE, "other"), "dev", AS_OF) is None


ARM_ID = ("/subscriptions/0000-1111/resourceGroups/rg-AI/providers/Microsoft.CognitiveServices/accounts/"
          "aif-prod/deployments/chat")


@pytest.mark.parametrize("resource", ["chat", "aif-prod/chat", ARM_ID, ARM_ID.upper(), ARM_ID.lower()])
def test_find_by_any_of_several_names_or_the_arm_id_in_any_case(resource: str) -> None:
    """A live deployment is known by its name, <account>/<name> and its ARM id (compared as ARM does)."""
    waivers = parse(entry(resource=resource))
    assert waivers.find(POLICY, ("chat", "aif-prod/chat"), ARM_ID, "live", AS_OF) is not None
    assert waivers.items[0].applies(POLICY, ("chat", "aif-prod/chat"), ARM_ID, "live")
    assert waivers.find(POLICY, ("other", "aif-prod/other"), ARM_ID.replace("/chat", "/other"), "live", AS_OF) is None


def test_a_pulumi_urn_is_compared_exactly() -> None:
    """Only ARM ids are case-insensitive: a URN differing in case names another resource."""
    assert parse(entry(resource=URN.upper())).find(POLICY, "x", URN, "dev", AS_OF) is None
    assert parse(entry(resource="DEP")).find(POLICY, "dep", URN, "dev", AS_OF) is None


def test_find_needs_the_same_policy() -> None:
    assert parse(entry()).find("model-version-known", "dep", URN, "dev", AS_OF) is None


@pytest.mark.parametrize(("stacks", "stack", "found"), [
    (None, "dev", True), (None, None, True), (["dev"], "dev", True), (["prod"], "dev", False),
    (["prod", "dev"], "dev", True), (["dev"], None, False), ([], "dev", False),
])
def test_stacks_filter(stacks: list[str] | None, stack: str | None, found: bool) -> None:
    waivers = parse(entry(stacks=stacks))
    assert (waivers.find(POLICY, "dep", URN, stack, AS_OF) is not None) == found


@pytest.mark.parametrize(("expires", "active"), [(0, True), (1, True), (-1, False)])
def test_expiry_boundary(expires: int, active: bool) -> None:
    """A waiver expiring on the as-of date still holds that day; the day after it does not."""
    waivers = parse(entry(expires=iso(expires)))
    assert (waivers.find(POLICY, "dep", URN, "dev", AS_OF) is not None) == active


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_no_reason_silences_nothing(reason: str | None) -> None:
    assert parse(entry(reason=reason)).find(POLICY, "dep", URN, "dev", AS_OF) is None


def test_first_active_waiver_wins() -> None:
    waivers = parse(entry(expires=iso(-1)), entry(reason=""), entry(reason="the good one"))
    found = waivers.find(POLICY, "dep", URN, "dev", AS_OF)
    assert found is not None and found.index == 2


# --- silencing in the pack ------------------------------------------------------------------------------

def _retired_props() -> dict[str, Any]:
    return deployment("native", version="past")


def test_waived_finding_is_silenced_and_reported_through_on_waived() -> None:
    seen: list[tuple[str, str, str, str, Waiver]] = []
    runtime = make_runtime(waivers=[entry()], on_waived=lambda *args: seen.append(args))
    diags = Pack(runtime).analyze(_retired_props(), NATIVE, "dep", URN)
    assert only(diags, POLICY) == []
    ((policy, name, urn, message, waiver),) = seen
    assert (policy, name, urn) == (POLICY, "dep", URN)
    assert message.startswith(f"m past retired on {iso(-1)}")
    assert waiver.reason == "CHG-1 migration booked"


def test_waiver_silences_only_its_policy_and_resource() -> None:
    runtime = make_runtime(waivers=[entry()])
    pack = Pack(runtime, {"upgrade-option-explicit": "mandatory"})
    diags = pack.analyze(_retired_props(), NATIVE, "dep", URN)
    assert only(diags, POLICY) == []
    assert len(only(diags, "upgrade-option-explicit")) == 1
    other = pack.analyze(_retired_props(), NATIVE, "other", urn_of(NATIVE, "other"))
    assert len(only(other, POLICY)) == 1


def test_waived_without_hook_is_just_silent() -> None:
    diags = Pack(make_runtime(waivers=[entry(resource=URN)])).analyze(_retired_props(), NATIVE, "dep", URN)
    assert only(diags, POLICY) == []


@pytest.mark.parametrize("waiver", [
    entry(expires=iso(-1)), entry(reason=""), entry(stacks=["prod"]), entry(policy="model-version-known"),
], ids=["expired", "no-reason", "other-stack", "other-policy"])
def test_inactive_waiver_silences_nothing(waiver: dict[str, Any]) -> None:
    seen: list[Any] = []
    runtime = make_runtime(waivers=[waiver], on_waived=lambda *args: seen.append(args))
    (diag,) = only(Pack(runtime).analyze(_retired_props(), NATIVE, "dep", URN), POLICY)
    assert diag.level == "mandatory"
    assert seen == []


def test_waiver_expiring_on_the_as_of_date_still_silences() -> None:
    runtime = make_runtime(waivers=[entry(expires=AS_OF.isoformat())])
    assert only(Pack(runtime).analyze(_retired_props(), NATIVE, "dep", URN), POLICY) == []
    later = make_runtime(as_of=AS_OF + dt.timedelta(days=1), waivers=[entry(expires=AS_OF.isoformat())])
    assert len(only(Pack(later).analyze(_retired_props(), NATIVE, "dep", URN), POLICY)) == 1


def test_waiver_follows_pulumi_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = make_runtime(waivers=[entry(stacks=["prod"])])
    assert len(only(Pack(runtime).analyze(_retired_props(), NATIVE, "dep", URN), POLICY)) == 1
    monkeypatch.setenv("PULUMI_STACK", "prod")
    assert only(Pack(runtime).analyze(_retired_props(), NATIVE, "dep", URN), POLICY) == []


def test_waiver_also_silences_a_fail_on_unknown_violation() -> None:
    """DESIGN: a valid, unexpired waiver silences that policy for that resource. With failOnUnknown the
    unknown value is a violation of the policy, so the waiver must silence it too (the offline audit's
    engine path does), and the CLI must still hear about it through on_waived."""
    policy = "no-auto-upgrade-near-retirement"
    seen: list[Any] = []
    runtime = make_runtime(waivers=[entry(policy=policy)], on_waived=lambda *args: seen.append(args))
    pack = Pack(runtime, {policy: {"failOnUnknown": True}})
    diags = pack.analyze(deployment("native", version="soon", option=UNKNOWN), NATIVE, "dep", URN)
    assert only(diags, policy) == []
    assert [(p, n) for p, n, *_ in seen] == [(policy, "dep")]


def test_a_waiver_granted_after_the_as_of_date_silences_nothing_yet() -> None:
    """A waiver is in force from ``granted`` (when given) to ``expires``; waiver-hygiene reports the future grant."""
    (w,) = parse(entry(granted=iso(1))).items
    assert not w.is_active(AS_OF)
    assert w.is_active(day(1))
    pack = Pack(make_runtime(waivers=[entry(granted=iso(1))]))
    assert len(only(pack.analyze(_retired_props(), NATIVE, "dep", URN), POLICY)) == 1
