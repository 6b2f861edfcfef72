"""api-version-preview through the real CrossGuard servicer: dated previews and the v1
``api-version=preview`` are flagged (advisory by default), GA and v1 GA are not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.api_kit import FLAVOURS, SETTING_FLAVOURS, api_catalog, app, judged
from tests.unit.testkit import iso, only

POLICY = "api-version-preview"


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_dated_preview_is_flagged_in_every_flavour(api_pack: Any, flavour: str) -> None:
    (d,) = judged(api_pack, POLICY, flavour, "2025-04-01-preview")
    assert d.level == "advisory" and "2025-04-01-preview is a preview api-version" in d.message


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_ga_passes_in_every_flavour(api_pack: Any, flavour: str) -> None:
    assert judged(api_pack, POLICY, flavour, "2024-10-21") == []


def test_message_gives_the_end_of_support_when_known(api_pack: Any) -> None:
    (d,) = judged(api_pack, POLICY, "web-app", "2025-03-01-preview")
    assert f"(support ends {iso(1)})" in d.message


def test_preview_suffix_case_and_unknown_previews(api_pack: Any) -> None:
    assert len(judged(api_pack, POLICY, "web-app", "2025-04-01-PREVIEW")) == 1
    assert len(judged(api_pack, POLICY, "web-app", "2031-01-01-preview")) == 1  # not in the catalog: still a preview


def test_v1_preview_value_and_url(api_pack: Any) -> None:
    (setting,) = judged(api_pack, POLICY, "container-app", "preview")
    assert "opts into v1 preview features" in setting.message
    url = {"url": "https://aif-test.openai.azure.com/openai/v1/responses?api-version=preview"}
    (d,) = only(api_pack.analyze(url, "azure-native:apimanagement:Backend", "b"), POLICY)
    assert d.message.startswith("url (URL on aif-test.openai.azure.com) = preview")
    assert only(api_pack.analyze({"url": "https://aif-test.openai.azure.com/openai/v1/"},
                             "azure-native:apimanagement:Backend", "b"), POLICY) == []


@pytest.mark.parametrize("flavour", SETTING_FLAVOURS)
def test_case_variants_of_setting_names(api_pack: Any, flavour: str) -> None:
    assert len(judged(api_pack, POLICY, flavour, "2025-04-01-preview", "azure_openai_api_version")) == 1


def test_prod_level_makes_it_mandatory(make_pack: Any) -> None:
    type_, props = app("web-app", "2025-04-01-preview")
    strict = make_pack({POLICY: {"enforcementLevel": "mandatory"}}, catalog=api_catalog())
    (d,) = only(strict.analyze(props, type_, "app"), POLICY)
    assert d.level == "mandatory"
