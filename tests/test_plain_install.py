"""Every output format works from the plain install (``scripts/bootstrap``, no test extras).

Two views of one promise: every third-party module the package imports (at module level or inside a
function, as the reporters do) comes from a core dependency or what those require; and each format
renders in a fresh interpreter where the test-only distributions cannot be imported at all.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

from tests.support import ROOT

PACKAGE = ROOT / "policies" / "versionguard"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _name(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


def _closure(roots: list[str]) -> set[str]:
    """The distributions the core dependencies pull in (environment markers evaluated, extras skipped)."""
    seen: set[str] = set()
    todo = [_name(Requirement(r).name) for r in roots]
    while todo:
        dist = todo.pop()
        if dist in seen:
            continue
        seen.add(dist)
        for text in metadata.requires(dist) or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(_name(req.name))
    return seen


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, imported at module level?) for every absolute import in the file."""
    tree = ast.parse(path.read_text("utf-8"))
    top = {id(node) for node in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(alias.name.split(".")[0], id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module.split(".")[0], id(node) in top))
    return out


def test_every_import_comes_from_a_core_dependency() -> None:
    """Module-level imports and everything the reporters import: core dependencies only. An optional
    extra (``azure``) may only be imported inside a function, by a live command that needs it."""
    extras = PYPROJECT["project"]["optional-dependencies"]
    core = _closure(PYPROJECT["project"]["dependencies"])
    optional = core | _closure([r for name, reqs in extras.items() if name != "test" for r in reqs])
    providers = metadata.packages_distributions()
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        output_format = path.parent.name == "reporters"
        for top, module_level in _imports(path):
            if top in sys.stdlib_module_names or top in ("versionguard", "__future__"):
                continue
            dists = {_name(d) for d in providers.get(top, [])}
            if not dists & (core if module_level or output_format else optional):
                where = ", ".join(sorted(dists)) or "not installed"
                missing.append(f"{path.relative_to(ROOT)} imports {top} ({where})")
    assert missing == [], "not in the plain install:\n" + "\n".join(missing)
    assert "junitparser" in core and all("junitparser" not in r for r in extras["test"])


_RENDER_ALL = r"""
import datetime as dt, importlib.abc, sys

class _NoTestExtras(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is a test-only distribution")
        return None

sys.meta_path.insert(0, _NoTestExtras())
from versionguard.core.findings import Finding, Report
from versionguard.core.forecast import Event, Forecast
from versionguard.core.catalog_diff import diff_catalogs
from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.reporters import FORMATS, render
from versionguard.reporters.forecast import FORECAST_FORMATS, render as render_forecast
from versionguard.reporters.catalog_diff import DIFF_FORMATS, render as render_diff
from versionguard.reporters.timeline_chart import write_chart

day = dt.date(2026, 11, 29)
report = Report(day, day, ["dev"], [Finding("dev", "retired-model-version", "mandatory", "r", "t", "u", "m")])
forecast = Forecast(day, 30, day, ["dev"], [Event("dev", "r", "gpt-4o", "1", "Standard", "NoAutoUpgrade", day,
                                                  "stops-working", "d", 0)])
bundled = load_catalog()
for fmt in FORMATS:
    assert render(report, fmt), fmt
for fmt in FORECAST_FORMATS:
    assert render_forecast(forecast, fmt), fmt
for fmt in DIFF_FORMATS:
    assert render_diff(diff_catalogs(bundled, bundled), fmt), fmt
write_chart(forecast, __import__("pathlib").Path(sys.argv[1]))
print("rendered", *FORMATS, *FORECAST_FORMATS, "chart")
"""


def test_every_format_renders_without_the_test_extras(tmp_path: Path) -> None:
    blocked = sorted({top for r in PYPROJECT["project"]["optional-dependencies"]["test"]
                      for top, dists in metadata.packages_distributions().items()
                      if _name(Requirement(r).name) in {_name(d) for d in dists}})
    assert "hypothesis" in blocked and "pytest" in blocked
    script = f"BLOCKED = {set(blocked)!r}\n" + _RENDER_ALL
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "chart.svg")], capture_output=True,
                          text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("rendered table json sarif junit markdown")
    assert (tmp_path / "chart.svg").stat().st_size > 0
