"""api-version-supported through the real CrossGuard servicer: retired and out-of-support
api-versions fail, the boundary is the support_ends / retirement day, unknown ones are advisory
unless failOnUnknown, every resource flavour and setting-name variant is read."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.api_kit import FLAVOURS, SETTING_FLAVOURS, api_catalog, app, judged
from tests.unit.testkit import iso, only

POLICY = "api-version-supported"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_retired_preview_fails_in_every_flavour(api_pack: Any, flavour: str) -> None:
    (d,) = judged(api_pack, POLICY, flavour, "2023-12-01-preview")
    assert d.level == "mandatory"
    assert f"2023-12-01-preview: retired on {iso(-100)}" in d.message
    assert "/openai/v1/" in d.message and "GA 2024-10-21" in d.message


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_supported_versions_pass_in_every_flavour(api_pack: Any, flavour: str) -> None:
    for value in ("2024-10-21", "2024-06-01", "2025-04-01-preview"):
        assert judged(api_pack, POLICY, flavour, value) == [], value


def test_support_ends_boundary(api_pack: Any) -> None:
    assert judged(api_pack, POLICY, "web-app", "2025-03-01-preview") == []  # support ends tomorrow
    (today,) = judged(api_pack, POLICY, "web-app", "2025-02-01-preview")
    assert f"no longer supported since {iso(0)}" in today.message and "latest three" in today.message
    (past,) = judged(api_pack, POLICY, "web-app", "2024-12-01-preview")
    assert f"no longer supported since {iso(-1)}" in past.message


def test_retirement_day_is_retired(api_pack: Any) -> None:
    (d,) = judged(api_pack, POLICY, "container-app", "2024-09-01-preview")
    assert f"retired on {iso(0)}" in d.message


def test_message_names_the_path_and_setting(api_pack: Any) -> None:
    (d,) = judged(api_pack, POLICY, "web-app", "2023-12-01-preview", "azure_openai_api_version")
    assert d.message.startswith("siteConfig.appSettings[1] (setting azure_openai_api_version) = 2023-12-01-preview")


@pytest.mark.parametrize("name", ["OPENAI_API_VERSION", "openai_api_version", "Azure_OpenAI_Api_Version",
                                  " AZURE_OPENAI_API_VERSION "])
@pytest.mark.parametrize("flavour", SETTING_FLAVOURS)
def test_setting_names_are_case_insensitive(api_pack: Any, flavour: str, name: str) -> None:
    assert len(judged(api_pack, POLICY, flavour, "2023-12-01-preview", name)) == 1


def test_other_setting_names_are_ignored_unless_configured(make_pack: Any) -> None:
    type_, props = app("web-app", "2023-12-01-preview", "LLM_API_VERSION")
    default = make_pack(catalog=api_catalog())
    assert only(default.analyze(props, type_, "app"), POLICY) == []
    configured = make_pack({POLICY: {"settingNames": ["llm_api_version"]}}, catalog=api_catalog())
    (d,) = only(configured.analyze(props, type_, "app"), POLICY)
    assert "setting LLM_API_VERSION" in d.message


@pytest.mark.parametrize("value", ["2025-05-01-preview", "2099-01-01"])
def test_unknown_dated_version_is_advisory_unless_fail_on_unknown(make_pack: Any, value: str) -> None:
    type_, props = app("web-app", value)
    (note,) = only(make_pack(catalog=api_catalog()).analyze(props, type_, "app"), POLICY)
    assert note.level == "advisory" and note.is_preview_skip
    assert f"{value} is a dated api-version not in the catalog's api_versions" in note.raw
    strict = make_pack({POLICY: {"failOnUnknown": True}}, catalog=api_catalog())
    (d,) = only(strict.analyze(props, type_, "app"), POLICY)
    assert d.level == "mandatory" and "not in the catalog" in d.message and "failOnUnknown is set" in d.message


def test_undated_value_is_unknown_too(make_pack: Any) -> None:
    type_, props = app("k8s-configmap", "latest")
    (note,) = only(make_pack(catalog=api_catalog()).analyze(props, type_, "app"), POLICY)
    assert note.level == "advisory" and "latest is an api-version not in the catalog" in note.raw


def test_retired_version_is_reported_before_an_unknown_one(make_pack: Any) -> None:
    type_ = "azure-native:web:WebApp"
    props = {"siteConfig": {"appSettings": [{"name": "OPENAI_API_VERSION", "value": "2025-05-01-preview"},
                                            {"name": "AZURE_OPENAI_API_VERSION", "value": "2023-12-01-preview"}]}}
    diags = only(make_pack(catalog=api_catalog()).analyze(props, type_, "app"), POLICY)
    assert {(d.level, d.is_preview_skip) for d in diags} == {("mandatory", False), ("advisory", True)}


def test_v1_urls_and_v1_preview_are_not_dated(api_pack: Any) -> None:
    type_ = "azure-native:apimanagement:Backend"
    for url in ("https://aif-test.openai.azure.com/openai/v1/",
                "https://aif-test.openai.azure.com/openai/v1/responses?api-version=preview"):
        assert only(api_pack.analyze({"url": url}, type_, "b"), POLICY) == []


def test_a_catalog_without_api_versions_knows_none(make_pack: Any) -> None:
    type_, props = app("web-app", "2024-10-21")
    (note,) = only(make_pack().analyze(props, type_, "app"), POLICY)
    assert note.level == "advisory" and "not in the catalog" in note.raw


def test_waiver_silences_it(make_pack: Any) -> None:
    waivers = [{"policy": POLICY, "resource": "app", "reason": "migration to v1 booked", "expires": iso(30)}]
    type_, props = app("web-app", "2023-12-01-preview")
    assert only(make_pack(catalog=api_catalog(), waivers=waivers).analyze(props, type_, "app"), POLICY) == []
