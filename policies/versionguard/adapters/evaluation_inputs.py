"""What one evaluation needs besides the resources: date, catalog, waivers, stack.

Loaded once per pack process (or per CLI run) from the environment or explicit paths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from versionguard.adapters.files.catalog_file import load_catalog
from versionguard.adapters.files.env_vars import ENV_CATALOG, ENV_WAIVERS, as_of_from_env, path_from_env
from versionguard.adapters.files.waivers_file import load_waivers
from versionguard.core.catalog import Catalog, dated_by
from versionguard.core.waivers import Waiver, Waivers

# The pack ships its waivers beside the package: policies/waivers.yaml (in this repository's layout only;
# an installed wheel has none there, so the command line looks in the project first, see waivers_file).
DEFAULT_WAIVERS = Path(__file__).resolve().parents[2] / "waivers.yaml"
# Where a project keeps its waivers, beside the policy config of each stack (policies/config/<stack>.json).
PROJECT_WAIVERS = Path("policies") / "waivers.yaml"

WaivedHook = Callable[[str, str, str, str, Waiver], None]  # policy, name, urn, message, waiver


@dataclass(frozen=True)
class Runtime:
    as_of: dt.date
    catalog: Catalog
    waivers: Waivers = field(default_factory=Waivers)
    on_waived: WaivedHook | None = None  # the CLI lists waived findings; the pack drops them


def waivers_file(explicit: Path | None = None, project_root: Path | None = None) -> Path | None:
    """The waivers file: ``explicit`` (``--waivers``), else ``$VERSIONGUARD_WAIVERS``, else the project's
    ``policies/waivers.yaml``, else the pack's own :data:`DEFAULT_WAIVERS` (each of the last two only when
    it exists); None: no waivers."""
    defaults = ([project_root / PROJECT_WAIVERS] if project_root is not None else []) + [DEFAULT_WAIVERS]
    return explicit or path_from_env(ENV_WAIVERS) or next((p for p in defaults if p.is_file()), None)


def load_runtime(
    as_of: dt.date | None = None,
    catalog_path: Path | None = None,
    waivers_path: Path | None = None,
    on_waived: WaivedHook | None = None,
    project_root: Path | None = None,
) -> Runtime:
    """Explicit arguments win over ``VERSIONGUARD_*`` variables, which win over the defaults (the waivers of
    ``project_root`` first, see :func:`waivers_file`)."""
    catalog_path = catalog_path or path_from_env(ENV_CATALOG)
    waivers_path = waivers_file(waivers_path, project_root)
    day = as_of or as_of_from_env()
    return Runtime(
        as_of=day,
        catalog=dated_by(load_catalog(catalog_path), day),
        waivers=load_waivers(waivers_path),
        on_waived=on_waived,
    )
