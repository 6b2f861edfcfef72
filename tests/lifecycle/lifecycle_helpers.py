"""Helpers of the lifecycle tests: paths, the pinned date, record and ARM item builders.

Every test pins its date (``AS_OF`` or ``--as-of``); nothing depends on today's date.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from tests.support import ROOT
from versionguard.core.records import AZURE_NATIVE_TYPE, CLASSIC_TYPE, DeploymentRecord, normalize

HERE = Path(__file__).resolve().parent
ARM = ROOT / "tests" / "fixtures" / "arm"
SMALL_CATALOG = HERE / "catalog-small.yaml"
AS_OF = dt.date(2026, 5, 1)
def native(model: str, version: str, sku: str | None, option: str | None, name: str = "d") -> DeploymentRecord:
    """An azure-native deployment record (ARM shape)."""
    props: dict[str, Any] = {"model": {"format": "OpenAI", "name": model, "version": version}}
    if option is not None:
        props["versionUpgradeOption"] = option
    body: dict[str, Any] = {"properties": props}
    if sku is not None:
        body["sku"] = {"name": sku, "capacity": 10}
    return normalize(AZURE_NATIVE_TYPE, body, name, f"urn:{name}")


def classic(model: str, version: str, sku: str, option: str | None = None, name: str = "c") -> DeploymentRecord:
    """A classic-provider (azure:cognitive/deployment) record."""
    props: dict[str, Any] = {"model": {"format": "OpenAI", "name": model, "version": version}, "sku": {"name": sku}}
    if option is not None:
        props["versionUpgradeOption"] = option
    return normalize(CLASSIC_TYPE, props, name, f"urn:{name}")


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), "utf-8")
    return path


def arm_item(account: str, name: str, model: dict[str, Any] | None = None, sku: Any = "Standard",
             option: Any = "OnceCurrentVersionExpired", **extra: Any) -> dict[str, Any]:
    """One item of an ARM Deployments-List response."""
    props: dict[str, Any] = {"model": model or {"format": "OpenAI", "name": "gpt-4o", "version": "2024-08-06"}}
    if option is not None:
        props["versionUpgradeOption"] = option
    item: dict[str, Any] = {
        "id": f"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
              f"Microsoft.CognitiveServices/accounts/{account}/deployments/{name}",
        "type": "Microsoft.CognitiveServices/accounts/deployments",
        "name": name,
        "sku": {"name": sku, "capacity": 10} if isinstance(sku, str) else sku,
        "properties": props,
    }
    item.update(extra)
    return item


def graph_row(subscription: str, group: str, account: str, name: str, model: dict[str, Any] | None = None,
              sku: Any = "Standard", option: Any = "OnceCurrentVersionExpired", **extra: Any) -> dict[str, Any]:
    """One Azure Resource Graph row of a model deployment (lower-case type, subscription and group)."""
    item = arm_item(account, name, model, sku, option, **extra)
    item["id"] = item["id"].replace("00000000-0000-0000-0000-000000000000", subscription).replace(
        "/resourceGroups/rg/", f"/resourceGroups/{group}/")
    item.update({"type": "microsoft.cognitiveservices/accounts/deployments", "subscriptionId": subscription,
                 "resourceGroup": group.lower(), "tenantId": "t", "location": "eastus", **extra})
    return item
