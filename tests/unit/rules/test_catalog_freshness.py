"""catalog-freshness (stack policy) through the servicer's AnalyzeStack."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.testkit import (
    AS_OF,
    CLASSIC,
    NATIVE,
    context,
    day,
    deployment,
    make_catalog,
    only,
)
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.core.engine import evaluate_stack
from versionguard.core.rules import BY_ID

POLICY = "catalog-freshness"


def _freshness(make_pack: Any, age: int, config: dict[str, Any] | None = None, **kw: Any) -> list[Any]:
    pack = make_pack(config, as_of=AS_OF, catalog=make_catalog(as_of=day(-age)), **kw)
    return only(pack.analyze_stack(), POLICY)


@pytest.mark.parametrize("age", [-10, 0, 1, 119, 120])
def test_fresh_catalog_passes(make_pack: Any, age: int) -> None:
    assert _freshness(make_pack, age) == []


@pytest.mark.parametrize("age", [121, 500])
def test_stale_catalog_is_advisory(make_pack: Any, age: int) -> None:
    (diag,) = _freshness(make_pack, age)
    assert diag.level == "advisory"
    assert diag.message == (f"the catalog (test) was last checked on {day(-age).isoformat()}, {age} days ago "
                            "(limit 120).")


@pytest.mark.parametrize(("limit", "age", "fires"), [(10, 10, False), (10, 11, True), (0, 0, False), (0, 1, True)])
def test_configured_limit(make_pack: Any, limit: int, age: int, fires: bool) -> None:
    diags = _freshness(make_pack, age, {POLICY: {"maxCatalogAgeDays": limit}})
    assert len(diags) == int(fires)
    if fires:
        assert f"(limit {limit})" in diags[0].message


@pytest.mark.parametrize(("level", "expected"), [("mandatory", "mandatory"), ("remediate", "mandatory"),
                                                 ("disabled", None)])
def test_configured_level(make_pack: Any, level: str, expected: str | None) -> None:
    diags = _freshness(make_pack, 200, {POLICY: level})
    assert [d.level for d in diags] == ([expected] if expected else [])


def test_resources_do_not_matter(make_pack: Any) -> None:
    pack = make_pack(as_of=AS_OF, catalog=make_catalog(as_of=day(-121)))
    resources = [(NATIVE, deployment("native")), (CLASSIC, deployment("classic")), ("azure:x:Y", {"a": 1})]
    assert len(only(pack.analyze_stack(resources), POLICY)) == 1
    assert only(pack.analyze(deployment("native")), POLICY) == []  # not a resource policy


def test_bundled_catalog_age_boundary(make_pack: Any) -> None:
    bundled = load_catalog()
    at_limit = make_pack(as_of=day(120, bundled.as_of), catalog=bundled)
    assert only(at_limit.analyze_stack(), POLICY) == []
    (diag,) = only(make_pack(as_of=day(121, bundled.as_of), catalog=bundled).analyze_stack(), POLICY)
    assert diag.message.startswith(f"the catalog (bundled catalog) was last checked on {bundled.as_of}, 121 days ago")


def test_engine_level() -> None:
    rule = BY_ID[POLICY]
    assert evaluate_stack(rule, context(make_catalog(as_of=day(-120)))) == []
    assert len(evaluate_stack(rule, context(make_catalog(as_of=day(-121))))) == 1
    assert len(evaluate_stack(rule, context(make_catalog(as_of=day(-31)), max_catalog_age_days=30))) == 1
