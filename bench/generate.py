"""Synthetic stacks and deployment props for the benchmarks (deterministic)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from versionguard.core.vocabulary import UPGRADE_OPTIONS

# A mix that exercises every rule path: Standard and provisioned, all options, per-SKU dates.
MIX: list[tuple[str, str, str, str]] = [
    ("gpt-4.1", "2025-04-14", "OnceNewDefaultVersionAvailable", "GlobalStandard"),
    ("gpt-4.1", "2025-04-14", "NoAutoUpgrade", "GlobalProvisionedManaged"),
    ("gpt-4o-mini", "2024-07-18", "OnceCurrentVersionExpired", "GlobalStandard"),
    ("text-embedding-3-large", "1", "OnceCurrentVersionExpired", "Standard"),
    ("gpt-5.1", "2025-11-13", "OnceCurrentVersionExpired", "DataZoneStandard"),
]


def native_props(i: int) -> dict[str, Any]:
    model, version, option, sku = MIX[i % len(MIX)]
    return {"accountName": f"acct-{i // 10}", "resourceGroupName": "rg-bench", "deploymentName": f"d{i}",
            "properties": {"model": {"format": "OpenAI", "name": model, "version": version},
                           "versionUpgradeOption": option},
            "sku": {"name": sku, "capacity": 10}}


def write_stack(stack_dir: Path, stack: str, deployments: int, per_account: int = 10) -> Path:
    accounts = []
    for a in range((deployments + per_account - 1) // per_account):
        items = []
        for i in range(a * per_account, min(deployments, (a + 1) * per_account)):
            model, version, option, sku = MIX[i % len(MIX)]
            items.append({"name": f"{stack}-d{i}", "model": {"name": model, "version": version},
                          "versionUpgradeOption": option, "sku": {"name": sku, "capacity": 10}})
        accounts.append({"name": f"aif-{stack}-{a}", "resourceGroupName": "rg-bench", "deployments": items})
    path = stack_dir / f"Pulumi.{stack}.yaml"
    path.write_text(yaml.safe_dump({"config": {"azure-native:location": "swedencentral",
                                               "foundry-deployments:accounts": accounts}}, sort_keys=False))
    return path


def storage_props(i: int) -> dict[str, Any]:
    """A typical non-Azure-OpenAI resource (azure-native:storage:StorageAccount inputs)."""
    return {"accountName": f"stbench{i}", "resourceGroupName": "rg-bench", "location": "swedencentral",
            "kind": "StorageV2", "sku": {"name": "Standard_LRS"}, "enableHttpsTrafficOnly": True,
            "minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": False,
            "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices", "ipRules": []},
            "tags": {"environment": "bench", "owner": "platform"}}


def webapp_props(i: int) -> dict[str, Any]:
    """An app that calls no Azure OpenAI deployment: ordinary app settings only."""
    settings = [{"name": f"SETTING_{k}", "value": f"value-{k}"} for k in range(8)]
    settings.append({"name": "STORAGE_URL", "value": f"https://stbench{i}.blob.core.windows.net/data"})
    return {"name": f"app-bench-{i}", "resourceGroupName": "rg-bench", "location": "swedencentral",
            "serverFarmId": "/subscriptions/s/resourceGroups/rg-bench/providers/Microsoft.Web/serverfarms/plan",
            "httpsOnly": True, "siteConfig": {"appSettings": settings, "linuxFxVersion": "PYTHON|3.12",
                                              "minTlsVersion": "1.2"},
            "tags": {"environment": "bench"}}


def live_properties(rng: random.Random, model: str, version: str, with_option: float, **extra: Any) -> dict[str, Any]:
    """ARM ``properties`` of a live deployment: an upgrade option (share ``with_option``), else null,
    else (5% or 3%) an odd model shape the rules must fail closed on."""
    props: dict[str, Any] = {"model": {"format": "OpenAI", "name": model, "version": version},
                             "provisioningState": "Succeeded", **extra}
    roll = rng.random()
    if roll < 0.85:
        props["versionUpgradeOption"] = rng.choice(UPGRADE_OPTIONS)
    elif roll < with_option:
        props["versionUpgradeOption"] = None
    else:
        props["model"] = rng.choice([[], {"name": model}, None])
    return props
