"""waiver-hygiene (stack policy) through the servicer's AnalyzeStack."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import iso, only

POLICY = "waiver-hygiene"
ORIGIN = "test-waivers.yaml"


def waiver(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"policy": "retired-model-version", "resource": "dep", "reason": "CHG-1 booked",
                            "expires": iso(30)}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def hygiene(make_pack: Any, *waivers: dict[str, Any], config: dict[str, Any] | None = None) -> list[Any]:
    return only(make_pack(config, waivers=list(waivers)).analyze_stack(), POLICY)


def test_clean_waivers_pass(make_pack: Any) -> None:
    assert hygiene(make_pack, waiver(), waiver(policy="no-auto-upgrade-near-retirement", stacks=["dev"])) == []


def test_no_waivers_pass(make_pack: Any) -> None:
    assert hygiene(make_pack) == []


@pytest.mark.parametrize(("expires", "expired"), [(iso(0), False), (iso(-1), True), (iso(-100), True)])
def test_expiry_boundary(make_pack: Any, expires: str, expired: bool) -> None:
    diags = hygiene(make_pack, waiver(expires=expires))
    assert len(diags) == int(expired)
    if expired:
        assert diags[0].level == "mandatory"
        assert diags[0].message == (f"waiver #1 (retired-model-version on dep, {ORIGIN}) expired on {expires} and "
                                    "silences nothing.")


@pytest.mark.parametrize("reason", [None, "", "   "], ids=["absent", "empty", "blank"])
def test_no_reason(make_pack: Any, reason: str | None) -> None:
    (diag,) = hygiene(make_pack, waiver(reason=reason))
    assert diag.message == f"waiver #1 (retired-model-version on dep, {ORIGIN}) has no reason, so it silences nothing."


@pytest.mark.parametrize(("expires", "too_long"), [(90, False), (91, True), (365, True)])
def test_length_from_as_of_without_granted(make_pack: Any, expires: int, too_long: bool) -> None:
    diags = hygiene(make_pack, waiver(expires=iso(expires)))
    assert len(diags) == int(too_long)
    if too_long:
        assert diags[0].message.endswith(f"runs {expires} days from {iso(0)} to {iso(expires)}, longer than 90.")


@pytest.mark.parametrize(("granted", "expires", "too_long"), [
    (-10, 80, False), (-10, 81, True), (-60, 30, False), (-61, 30, True),
])
def test_length_from_granted(make_pack: Any, granted: int, expires: int, too_long: bool) -> None:
    diags = hygiene(make_pack, waiver(granted=iso(granted), expires=iso(expires)))
    assert len(diags) == int(too_long)
    if too_long:
        assert f"from {iso(granted)} to {iso(expires)}" in diags[0].message


@pytest.mark.parametrize(("limit", "days", "too_long"), [(60, 60, False), (60, 61, True), (0, 0, False),
                                                         (0, 1, True)])
def test_configured_max_waiver_days(make_pack: Any, limit: int, days: int, too_long: bool) -> None:
    diags = hygiene(make_pack, waiver(expires=iso(days)), config={POLICY: {"maxWaiverDays": limit}})
    assert len(diags) == int(too_long)
    if too_long:
        assert diags[0].message.endswith(f"longer than {limit}.")


@pytest.mark.parametrize("policy", ["retired-model-versoin", "all", "catalog-freshness-x"])
def test_unknown_policy_name(make_pack: Any, policy: str) -> None:
    (diag,) = hygiene(make_pack, waiver(policy=policy))
    assert diag.message == f"waiver #1 ({policy} on dep, {ORIGIN}) names no versionguard policy."


def test_every_problem_of_a_waiver_is_reported(make_pack: Any) -> None:
    diags = hygiene(make_pack, waiver(), waiver(policy="nope", reason="", granted=iso(-200), expires=iso(-1)))
    messages = [d.message for d in diags]
    assert len(messages) == 4
    assert all(m.startswith(f"waiver #2 (nope on dep, {ORIGIN})") for m in messages)
    assert any("names no versionguard policy" in m for m in messages)
    assert any("has no reason" in m for m in messages)
    assert any("expired on" in m for m in messages)
    assert any("runs 199 days" in m for m in messages)


@pytest.mark.parametrize(("stacks", "reported"), [
    (["prod"], False), (["dev"], True), (["prod", "dev"], True), ([], False), (None, True),
])
def test_stacks_filter(make_pack: Any, stacks: list[str] | None, reported: bool) -> None:
    """PULUMI_STACK is ``dev`` (conftest): a waiver for other stacks is not this stack's business."""
    assert len(hygiene(make_pack, waiver(expires=iso(-1), stacks=stacks))) == int(reported)


def test_stacks_filter_follows_pulumi_stack(make_pack: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_STACK", "prod")
    assert len(hygiene(make_pack, waiver(expires=iso(-1), stacks=["prod"]))) == 1
    assert hygiene(make_pack, waiver(expires=iso(-1), stacks=["dev"])) == []


@pytest.mark.parametrize(("level", "expected"), [("advisory", "advisory"), ("remediate", "mandatory"),
                                                 ("disabled", None)])
def test_configured_level(make_pack: Any, level: str, expected: str | None) -> None:
    diags = hygiene(make_pack, waiver(reason=""), config={POLICY: level})
    assert [d.level for d in diags] == ([expected] if expected else [])


# --- fail closed: waivers that would silence nothing, or dodge maxWaiverDays -----------------------

@pytest.mark.parametrize("policy", ["catalog-freshness", "waiver-hygiene"])
def test_a_waiver_naming_a_stack_policy_is_a_violation(make_pack: Any, policy: str) -> None:
    (diag,) = hygiene(make_pack, waiver(policy=policy))
    assert diag.level == "mandatory"
    assert diag.message == (f"waiver #1 ({policy} on dep, {ORIGIN}) names the stack policy {policy}, which judges "
                            "the stack, not a resource: no waiver can silence it.")


@pytest.mark.parametrize(("granted", "future"), [(0, False), (1, True), (300, True)])
def test_a_waiver_granted_after_the_as_of_date_is_a_violation(make_pack: Any, granted: int, future: bool) -> None:
    diags = [d for d in hygiene(make_pack, waiver(granted=iso(granted), expires=iso(granted + 30)))
             if "is granted on" in d.message]
    assert len(diags) == int(future)
    if future:
        assert diags[0].level == "mandatory"
        assert diags[0].message.startswith(f"waiver #1 (retired-model-version on dep, {ORIGIN}) is granted on "
                                           f"{iso(granted)}, after the as-of date {iso(0)}")


def test_a_future_grant_date_does_not_shorten_the_measured_length(make_pack: Any) -> None:
    """granted 300 days ahead, expires 330 days ahead: 30 days from granted, but 330 from the as-of date."""
    messages = [d.message for d in hygiene(make_pack, waiver(granted=iso(300), expires=iso(330)))]
    assert any(m.endswith(f"runs 330 days from {iso(0)} to {iso(330)}, longer than 90.") for m in messages)
