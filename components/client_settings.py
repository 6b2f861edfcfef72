"""``v1_client_settings``: the app settings a client needs to call a deployment over the v1 API.

The v1 Azure OpenAI API (``https://<resource>.openai.azure.com/openai/v1/``) is called with the
plain ``OpenAI()`` client and takes no ``api-version`` ("api-version is no longer a required
parameter with the v1 GA API"), so there is no api-version setting to go stale. The OpenAI client
reads its base URL from ``OPENAI_BASE_URL``; the deployment name is the ``model`` of each call.
Authentication is Microsoft Entra ID (the accounts disable local keys), so there is no key setting.
"""

from __future__ import annotations

from typing import Any

import pulumi

BASE_URL_SETTING = "OPENAI_BASE_URL"
DEPLOYMENT_SETTING = "AZURE_OPENAI_DEPLOYMENT"


def v1_client_settings(base_url: pulumi.Input[str], deployment: pulumi.Input[str]) -> list[dict[str, Any]]:
    """``[{name, value}]`` for an env list or App Service ``appSettings``; no api-version on purpose."""
    return [{"name": BASE_URL_SETTING, "value": base_url}, {"name": DEPLOYMENT_SETTING, "value": deployment}]
