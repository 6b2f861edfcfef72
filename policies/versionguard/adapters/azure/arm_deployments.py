"""Read deployments as they exist in Azure from ARM JSON into :class:`DeploymentRecord` s.

Three inputs, told apart by their envelope:

- the ARM Deployments-List response (``{"value": [...], "nextLink"?}``) or the array that
  ``az cognitiveservices account deployment list`` prints;
- Azure Resource Graph results (:mod:`versionguard.adapters.azure.resource_graph`): ``az graph query``
  output or the REST response, whose rows are ARM items plus ``subscriptionId`` and ``resourceGroup``.

A verdict covers the whole result or says it does not: a file that is one page of several (an ARM
``nextLink``, a Resource Graph skip token, truncation or a total above the rows given) is an error
unless the pages given add up to the whole (:func:`gaps_of`) or the caller allows partial input,
and then the gaps are reported.

Each item is normalized like an azure-native resource (ARM and azure-native share the shape). The
envelope must be right (JSON, the list, each item an object with a deployment's ARM ``id``, and for
ARM lists a ``name``): otherwise an :class:`InputError` names the file and the JSON path. Anything
odd *inside* an item (null properties, an unknown SKU, a list where an object belongs) is left to
the rules, which fail closed on it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from versionguard.adapters.azure.arm_json import arm_list
from versionguard.adapters.azure.resource_graph import GraphPage, graph_page, is_graph_response
from versionguard.adapters.files.fast_json import parse_export
from versionguard.adapters.files.safe_load import MAX_EXPORT_BYTES, parse_json, read_bytes
from versionguard.core.errors import InputError
from versionguard.core.records import AZURE_NATIVE_TYPE, DeploymentRecord, judged_content, normalize, shape_of

ARM_DEPLOYMENT_TYPE = "Microsoft.CognitiveServices/accounts/deployments"
TYPE_FOLDED = ARM_DEPLOYMENT_TYPE.casefold()
# Subscription and resource group are optional in the match: an id without them is still a deployment's.
ARM_ID = re.compile(r"^(?:/subscriptions/([^/]+)/resourceGroups/([^/]+))?.*?"
                     r"/providers/Microsoft\.CognitiveServices/accounts/([^/]+)/deployments/([^/]+)/?$",
                     re.IGNORECASE | re.DOTALL)
_ID_EXPECTED = "an ARM id .../providers/Microsoft.CognitiveServices/accounts/<account>/deployments/<name>"
_ENVELOPE = ('an object with a "value" list (ARM Deployments - List), an object with a "data" list (Azure '
             "Resource Graph) or an array (az cognitiveservices account deployment list)")


@dataclass(slots=True)  # not frozen: a frozen dataclass costs 5 times as much to build, 100,000 times over
class LiveDeployment:
    """One deployment read from ARM JSON, with where it came from. Treat it as read-only."""

    record: DeploymentRecord
    arm_id: str
    account: str
    name: str
    arm_type: str
    source: str  # file name
    path: str  # JSON path of the item, e.g. value[3]
    subscription: str | None = None  # from the ARM id
    resource_group: str | None = None

    @property
    def resource(self) -> str:
        return f"{self.account}/{self.name}"


@dataclass(frozen=True)
class Gap:
    """Why the files do not hold the whole result: the file, the JSON key that says so, and what it says."""

    source: str
    key: str
    detail: str

    def __str__(self) -> str:
        return f"{self.source}: {self.detail}"


@dataclass(frozen=True)
class LiveInput:
    deployments: list[LiveDeployment]
    notes: list[str]  # for the terminal: duplicates
    gaps: list[Gap] = field(default_factory=list)  # only with allow_partial: what the verdict does not cover


@dataclass(frozen=True)
class Listing:
    """The items of one input and how to read them."""

    items: list[Any]
    prefix: str  # JSON path of the list: "value", "data" or "" (a bare array)
    graph: bool  # Resource Graph rows: the name comes from the id
    page: GraphPage | None = None  # a Resource Graph page: its paging facts
    next_link: bool = False  # an ARM list page with a nextLink: more pages follow


def parse_text(text: str, source: str) -> Listing:
    """The item list of a Deployments-List response, an ``az`` array or a Resource Graph result."""
    return listing_of(parse_json(text, source), source)


def listing_of(data: Any, source: str) -> Listing:
    """The item list of parsed export data."""
    if is_graph_response(data, source):
        page = graph_page(data, source)
        return Listing(page.rows, "data", True, page=page)
    listing = arm_list(data, source, "deployments", _ENVELOPE)
    return Listing(listing.items, listing.prefix, False, next_link=listing.paged)


def read_items(items: Sequence[Any], prefix: str, source: str, graph: bool = False) -> list[LiveDeployment]:
    """Check each item's envelope (object, ARM id, type, and for ARM lists the name) and normalize it."""
    return [read_item(item, f"{prefix}[{i}]", source, graph) for i, item in enumerate(items)]


def read_item(item: Any, path: str, source: str, graph: bool) -> LiveDeployment:
    if type(item) is not dict:
        raise InputError(source, path, "a deployment object", shape_of(item))
    arm_id = item.get("id")
    match = ARM_ID.match(arm_id) if type(arm_id) is str else None
    if graph:
        if match is None:  # the id is the row's identity: checked first
            raise InputError(source, f"{path}.id", _ID_EXPECTED, arm_id)
        name = match.group(4)
    else:
        name = item.get("name")
        if type(name) is not str or not name.strip():
            raise InputError(source, f"{path}.name", "the deployment name (a non-empty string)", name)
        name = name.strip()
        if match is None:
            raise InputError(source, f"{path}.id", _ID_EXPECTED, arm_id)
    arm_type = item.get("type", ARM_DEPLOYMENT_TYPE)
    # Resource Graph writes types in lower case; ARM compares them case-insensitively.
    if type(arm_type) is not str or (arm_type != ARM_DEPLOYMENT_TYPE and arm_type.casefold() != TYPE_FOLDED):
        raise InputError(source, f"{path}.type", ARM_DEPLOYMENT_TYPE, arm_type)
    subscription, group, account = match.group(1), match.group(2), match.group(3)
    record = normalize(AZURE_NATIVE_TYPE, item, name, urn=arm_id, account=account)
    return LiveDeployment(record, arm_id, account, name, arm_type, source, path, subscription, group)


class Deduplicator:
    """The same ARM id twice (case-insensitive, as ARM compares ids): judged once when both copies hold
    the same content, judged both when they differ (two exports taken at different times: dropping
    either could hide a retired model). Either way a note names both places."""

    def __init__(self) -> None:
        self.deployments: list[LiveDeployment] = []
        self.notes: list[str] = []
        self._seen: dict[str, list[LiveDeployment]] = {}

    def add(self, found: Iterable[LiveDeployment]) -> None:
        seen, keep = self._seen, self.deployments
        for d in found:
            key = d.arm_id.casefold()
            earlier = seen.get(key)
            if earlier is None:
                seen[key] = [d]
                keep.append(d)
                continue
            same = next((e for e in earlier if _same_content(e, d)), None)
            if same is not None:
                self.notes.append(f"{d.source}: {d.path} repeats {same.source}: {same.path} ({d.resource}) with "
                                  "the same content; judged once")
                continue
            first = earlier[0]
            self.notes.append(f"{d.source}: {d.path} and {first.source}: {first.path} hold the same ARM id "
                              f"({d.resource}) with different content; both judged")
            earlier.append(d)
            keep.append(d)

    def result(self) -> LiveInput:
        return LiveInput(self.deployments, list(self.notes))

    @property
    def ids(self) -> Collection[str]:
        """Every ARM id seen, case-folded, once."""
        return self._seen.keys()

    @property
    def judged_twice(self) -> bool:
        """Some ARM id is kept twice (copies with different content)."""
        return len(self.deployments) != len(self._seen)


def _same_content(a: LiveDeployment, b: LiveDeployment) -> bool:
    """What the rules judge is equal (an unhashable malformed value: compared as records)."""
    ka, kb = judged_content(a.record), judged_content(b.record)
    if ka is None or kb is None:
        return a.record == b.record
    return ka == kb


@contextmanager
def bulk_load() -> Iterator[None]:
    """Loading a fleet builds millions of acyclic containers (JSON and records): the cyclic collector
    would re-scan them again and again (half the load time at 100,000 rows), so it waits until the
    load is done, and what was loaded is then kept out of later collections (``gc.freeze``; plain
    reference counting still frees it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def load_live(paths: Iterable[Path], allow_partial: bool = False) -> LiveInput:
    """Read every file; the same ARM id twice (case-insensitive) is judged once when both copies agree,
    both times when they differ (:class:`Deduplicator`). Files that do not
    hold the whole result they come from (see :func:`gaps_of`) are an error, unless ``allow_partial``:
    then the gaps are returned for the report to state."""
    read = read_files(paths)
    return replace(read.dedup.result(), gaps=whole_or_gaps(read.gaps, read.pages, allow_partial))


Page = tuple[str, GraphPage, list[LiveDeployment]]  # a Resource Graph page: its file, paging facts, deployments


@dataclass
class FileReads:
    """Files read in order: their deployments (deduplicated) and their paging facts, not yet matched up
    (files read in several processes are matched up together, by :func:`whole_or_gaps`)."""

    dedup: Deduplicator
    gaps: list[Gap]  # ARM pages with a nextLink, in file order
    pages: list[Page]  # Resource Graph pages, in file order


def read_files(paths: Iterable[Path]) -> FileReads:
    """Read, check and normalize each file in order; the first malformed one raises :class:`InputError`."""
    read = FileReads(Deduplicator(), [], [])
    with bulk_load():
        for path in paths:
            found, listing = read_file(path)
            source = str(path)
            if listing is not None and listing.next_link:
                read.gaps.append(Gap(source, "nextLink", f"an ARM Deployments-List page with a nextLink ({len(found)} "
                                     f"deployment{'' if len(found) == 1 else 's'}): the pages after it are not in "
                                     "the file"))
            if listing is not None and listing.page is not None:
                read.pages.append((source, listing.page, found))
            read.dedup.add(found)
    return read


def read_file(path: Path | str) -> tuple[list[LiveDeployment], Listing | None]:
    """One export's deployments and, unless it is an ``az`` export read typed (:mod:`az_export`, the
    fleet's common case), its listing (envelope and paging facts)."""
    from versionguard.adapters.azure import az_export  # it builds on this module's LiveDeployment

    source = str(path)
    data = read_bytes(path, "JSON file", MAX_EXPORT_BYTES)
    found = az_export.read_deployments(data, source)
    if found is not None:
        return found, None
    listing = listing_of(parse_export(data, source), source)
    return read_items(listing.items, listing.prefix, source, listing.graph), listing


def whole_or_gaps(gaps: list[Gap], pages: Sequence[Page], allow_partial: bool) -> list[Gap]:
    """Every gap of the files read (``gaps``, then what the Resource Graph ``pages`` leave out): an
    error naming the first unless ``allow_partial``."""
    gaps = gaps + gaps_of(pages)
    if gaps and not allow_partial:
        first = gaps[0]
        more = f" (and {len(gaps) - 1} more gap{'s' if len(gaps) > 2 else ''})" if len(gaps) > 1 else ""
        raise InputError(first.source, first.key, "every page of the result, so that the verdict covers the whole "
                         "fleet: pass every page's file (or use audit --resource-graph, or az cognitiveservices "
                         "account deployment list, which page for you), or --allow-partial to judge only what the "
                         "files hold", first.detail + more)
    return gaps


def gaps_of(pages: Sequence[Page]) -> list[Gap]:
    """What Resource Graph pages (file, page, its deployments) leave out. A page that is not a whole
    result on its own (a skip token, a truncated result, a total above its rows) is complete together
    with the pages stating the same total when they hold exactly that many distinct rows (``az graph
    query`` and the REST API repeat the query's total on every page). A page that is not whole and
    states no total cannot be shown to be complete."""
    gaps: list[Gap] = []
    by_total: dict[int, list[Page]] = {}
    for source, page, found in pages:
        if page.total is not None:
            by_total.setdefault(page.total, []).append((source, page, found))
        elif not page.whole:
            token = page.skip_token is not None
            gaps.append(Gap(source, page.token_key if token else "resultTruncated",
                            f"one page of a Resource Graph result ({len(page.rows)} rows, "
                            f"{'a skip token' if token else 'truncated'}) with no total of records, so the other "
                            "pages cannot be shown to be here"))
    for total, group in by_total.items():
        partial = [source for source, page, _ in group if not page.whole]
        if not partial:
            continue  # each page a whole result on its own
        rows = len({d.arm_id.casefold() for _, _, found in group for d in found})
        if rows == total:
            continue
        held = f"{rows} distinct row{'' if rows == 1 else 's'}"
        others = [source for source, _, _ in group if source != partial[0]]
        detail = (f"one page of a Resource Graph result of {total} records, holding {held}" if not others else
                  f"{len(group)} pages of a Resource Graph result of {total} records (with {', '.join(others)}) "
                  f"hold {held}")
        detail += (": the other pages are not given" if rows < total else
                   ", more than they state: pages of different queries that happen to state the same total")
        key = next(page.total_key for source, page, _ in group if source == partial[0])
        gaps.append(Gap(partial[0], key, detail))
    return gaps
