"""openai-v1-endpoint through the real CrossGuard servicer: every dated api-version gets the v1
recommendation; the v1 base URL (with or without api-version=preview) passes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.api_kit import FLAVOURS, SETTING_FLAVOURS, judged
from tests.unit.testkit import only

POLICY = "openai-v1-endpoint"


@pytest.mark.parametrize("value", ["2024-10-21", "2025-04-01-preview", "2023-12-01-preview", "2031-01-01"])
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_every_dated_version_gets_the_v1_recommendation(api_pack: Any, flavour: str, value: str) -> None:
    (d,) = judged(api_pack, POLICY, flavour, value)
    assert d.level == "advisory"
    assert f"= {value}: a dated api-version" in d.message
    assert "https://<resource>.openai.azure.com/openai/v1/" in d.message and "takes no api-version" in d.message


@pytest.mark.parametrize("flavour", SETTING_FLAVOURS)
def test_v1_preview_setting_passes(api_pack: Any, flavour: str) -> None:
    assert judged(api_pack, POLICY, flavour, "preview") == []


@pytest.mark.parametrize("url", [
    "https://aif-test.openai.azure.com/openai/v1/",
    "https://aif-test.openai.azure.com/openai/v1",
    "https://aif-test.openai.azure.com/openai/v1/responses?api-version=preview",
    "https://aif-test.cognitiveservices.azure.com/openai/v1/chat/completions?api-version=preview",
])
def test_v1_urls_pass(api_pack: Any, url: str) -> None:
    assert only(api_pack.analyze({"url": url}, "azure-native:apimanagement:Backend", "b"), POLICY) == []


@pytest.mark.parametrize("host", ["aif.openai.azure.com", "aif.cognitiveservices.azure.com",
                                  "proj.services.ai.azure.com", "AIF.OpenAI.Azure.com"])
def test_each_azure_openai_host(api_pack: Any, host: str) -> None:
    props = {"serviceUrl": f"https://{host}/openai/deployments/d/chat/completions?api-version=2024-10-21"}
    assert len(only(api_pack.analyze(props, "azure-native:apimanagement:Api", "api"), POLICY)) == 1


@pytest.mark.parametrize("url", ["https://example.com/x?api-version=2024-10-21",
                                 "https://management.azure.com/subscriptions?api-version=2024-10-21",
                                 "https://openai.azure.com.evil.test/x?api-version=2024-10-21"])
def test_other_hosts_are_not_azure_openai(api_pack: Any, url: str) -> None:
    assert only(api_pack.analyze({"url": url}, "azure-native:apimanagement:Backend", "b"), POLICY) == []
