"""``versionguard audit``: judge live deployments with the same rules, levels and waivers as ``check``.

The result is a :class:`Report`, so every output format and exit code matches ``check``.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import stat
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import pairwise
from operator import itemgetter
from pathlib import Path
from typing import Any

from versionguard.adapters.azure import sdk_clients as azure_arm
from versionguard.adapters.azure.arm_deployments import (
    Deduplicator,
    FileReads,
    Gap,
    LiveDeployment,
    Page,
    bulk_load,
    load_live,
    read_files,
    read_items,
    whole_or_gaps,
)
from versionguard.adapters.azure.resource_graph import ACCOUNTS_QUERY, Account, read_account
from versionguard.adapters.evaluation_inputs import load_runtime
from versionguard.adapters.files.policy_config import PolicyInfo, PolicySetting, load_policy_config, reconcile
from versionguard.adapters.forked import (
    Worker,
    WorkerFailed,
    fork_available,
    run_forked,
    run_started,
    start_early,
    stop,
)
from versionguard.core import engine
from versionguard.core.catalog import Catalog
from versionguard.core.errors import InputError
from versionguard.core.findings import STACK_RESOURCE, Finding, Report, StackRun, order_key
from versionguard.core.records import judged_content
from versionguard.core.rules import RULES, SCOPES
from versionguard.core.rules.base import Context, Level, Rule
from versionguard.core.settings import rule_settings
from versionguard.core.waivers import Waiver, Waivers

DEFAULT_STACK_LABEL = "live"


@dataclass(frozen=True)
class AuditRun:
    report: Report
    notes: list[str]  # for the terminal: paged responses, duplicates
    # The findings as JSON report text, in report order, when they were judged in several processes
    # (``report.findings`` is then empty and ``report.tally`` counts them). None: in ``report.findings``.
    finding_texts: list[str] | None = None


# Outcomes straight to JSON report text (the reporter's own encoder, handed down by the CLI): each
# finding's sort key (:func:`order_key`) and text, in judgement order, without making the findings.
FindingEncoder = Callable[[Iterable["Judged"]], list[tuple[tuple[Any, ...], str]]]
# Below this much input, forking and merging cost more than a second core saves.
PARALLEL_FROM_BYTES = 8 * 2**20
# This process's share against each worker's: it also loads the workers' results once done, so it gets a
# little more and the workers finish (and write their results) while it works (bench_fleet: 2.38 -> 2.31 s).
FIRST_SHARE = 1.15
# The same, for workers started before the command line is parsed (:func:`start_early_shares`): this
# process then has its start (typer, the commands, the catalog: about 0.4 s) still to do.
EARLY_FIRST_SHARE = 0.95


def audit_files(files: Sequence[Path], as_of: dt.date | None = None, catalog_path: Path | None = None,
                waivers_path: Path | None = None, stack_label: str = DEFAULT_STACK_LABEL,
                policy_config: Path | None = None, allow_partial: bool = False, jobs: int = 1,
                encode: FindingEncoder | None = None) -> AuditRun:
    """Read ARM JSON files and judge every deployment in them. Files that are pages of a larger
    result without the rest are an error, unless ``allow_partial``: then the report says what the
    verdict does not cover.

    With ``jobs`` > 1 a large input is split across that many processes (:func:`_audit_sharded`), with
    the same report, notes and errors; with ``encode`` they also encode their findings for the JSON
    report, which then gets them as :attr:`AuditRun.finding_texts`."""
    runtime = load_runtime(as_of, catalog_path, waivers_path)
    settings = policy_settings(policy_config)
    evaluation = {"catalog": runtime.catalog, "as_of": runtime.as_of, "waivers": runtime.waivers,
                  "stack_label": stack_label, "settings": settings}
    judge = partial(audit, **evaluation)
    early = _claim_early(files, jobs)
    shards = early.shards if early is not None else _shards(files, jobs)
    sharded = None
    if len(shards) > 1:
        sharded = _audit_sharded(shards, partial(judged, **evaluation), judge([], rules=()), allow_partial, encode,
                                 early.workers if early is not None else None)
    if sharded is not None:
        run, gaps = sharded
    else:
        live = load_live(files, allow_partial)
        run, gaps = AuditRun(judge(live.deployments), live.notes), live.gaps
    return replace(run, report=_judged_with(run.report, policy_config, tuple(map(str, gaps))))


LiveProgress = Callable[[str, int, int | None], None]  # stage ("accounts", "listed"), done, total if known


def audit_live(subscriptions: Sequence[str] = (), management_groups: Sequence[str] = (),
               arm_endpoint: str | None = None, as_of: dt.date | None = None, catalog_path: Path | None = None,
               waivers_path: Path | None = None, stack_label: str = DEFAULT_STACK_LABEL,
               policy_config: Path | None = None, credential: Any = None,
               concurrency: int = azure_arm.DEFAULT_CONCURRENCY, allow_partial: bool = False,
               progress: LiveProgress | None = None) -> AuditRun:
    """Judge every model deployment in scope, in two steps: Azure Resource Graph finds the accounts of
    kind OpenAI and AIServices (every page), then ARM lists each account's deployments (every page,
    ``concurrency`` accounts at a time). Resource Graph does not index deployments, so it cannot list
    them itself. An account that cannot be listed is an error naming it, unless ``allow_partial``: then
    the others are judged and the report names the accounts not audited. ``credential`` defaults to
    azure-identity's ``DefaultAzureCredential``."""
    runtime = load_runtime(as_of, catalog_path, waivers_path)  # bad local input fails before any request
    settings = policy_settings(policy_config)
    endpoint = azure_arm.Endpoint.of(arm_endpoint)
    credential = credential if credential is not None else azure_arm.default_credential()
    accounts = find_accounts(subscriptions, management_groups, credential, endpoint, progress)
    dedup = Deduplicator()
    failed: list[tuple[Account, azure_arm.Unlisted]] = []
    if progress is not None and not accounts:
        progress("listed", 0, 0)
    with bulk_load():
        for done, (account, listed) in enumerate(
                azure_arm.account_deployments(accounts, credential, endpoint, concurrency), 1):
            if isinstance(listed, azure_arm.Unlisted):
                failed.append((account, listed))
            else:
                source = f"ARM Deployments - List of {account.id}"
                dedup.add(read_items(listed, "value", source))
            if progress is not None:
                progress("listed", done, len(accounts))
    failed.sort(key=lambda pair: pair[0].id.casefold())
    gaps = tuple(f"account {account} not audited: {why}" for account, why in failed)
    if failed and not allow_partial:
        named = "; ".join(gaps[:20]) + (f"; and {len(gaps) - 20} more" if len(gaps) > 20 else "")
        raise InputError(f"Azure ({endpoint.url})", "ARM Deployments - List",
                         f"every account's deployments listed, so that the verdict covers the whole fleet "
                         f"({len(failed)} of {len(accounts)} accounts could not be listed; --allow-partial judges "
                         "the others and names these in the report)", named)
    live = dedup.result()
    report = audit(live.deployments, runtime.catalog, runtime.as_of, runtime.waivers, stack_label, settings)
    report = _judged_with(report, policy_config, gaps)
    runs = [replace(r, accounts=(len(accounts), len(accounts) - len(failed))) for r in report.runs]
    return AuditRun(replace(report, runs=runs), live.notes)


def find_accounts(subscriptions: Sequence[str], management_groups: Sequence[str], credential: Any,
                  endpoint: azure_arm.Endpoint, progress: LiveProgress | None = None) -> list[Account]:
    """The accounts that can hold model deployments, from Resource Graph (every page), each once."""
    source = f"Azure Resource Graph ({endpoint.url})"
    found: dict[str, Account] = {}
    for page in azure_arm.graph_pages(ACCOUNTS_QUERY, credential, endpoint, subscriptions, management_groups):
        for i, row in enumerate(page.rows):
            account = read_account(row, f"page {page.number}: data[{i}]", source)
            found.setdefault(account.id.casefold(), account)
        if progress is not None:
            progress("accounts", len(found), page.total)
    return list(found.values())


@dataclass
class _Shard:
    """What one process makes of its share of the files: a reading error, or its deployments' findings
    in report order (with their sort keys, for the merge) and what the merge must check."""

    error: tuple[str, str, str, Any] | None = None  # the InputError's parts: an InputError does not pickle
    gaps: list[Gap] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ids: array = field(default_factory=lambda: array("q"))  # hash of each ARM id read (case-folded)
    judged_twice: bool = False  # an ARM id twice with different content
    deployments: int = 0
    keys: list[tuple[Any, ...]] = field(default_factory=list)
    findings: Sequence[Finding] | list[str] = ()  # as Finding objects, or as JSON text when asked for
    tally: tuple[int, int, int] = (0, 0, 0)

    # From a worker, the sort keys travel as columns (one tuple per field): 100,000s of small tuples
    # pickle and unpickle in about a third of the time that way.
    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "keys": tuple(zip(*self.keys, strict=True))}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, keys=list(zip(*state["keys"], strict=True)))


def _shards(files: Sequence[Path], jobs: int, first_share: float = FIRST_SHARE) -> list[Sequence[Path]]:
    """The files in at most ``jobs`` runs of about equal size (the first ``first_share`` times the
    others), in order: one run when the input is small or fork is not available."""
    if jobs < 2 or len(files) < 2 or not fork_available():
        return [files]
    sizes = []
    for path in files:
        try:
            sizes.append(os.stat(path).st_size)
        except OSError:  # the reader names what is wrong with it
            sizes.append(0)
    total = sum(sizes)
    if total < PARALLEL_FROM_BYTES:
        return [files]
    jobs = min(jobs, len(files))
    weight = first_share + jobs - 1
    shards: list[Sequence[Path]] = []
    start, done = 0, 0
    for i, size in enumerate(sizes):
        done += size
        if done * weight >= total * (first_share + len(shards)) and len(shards) < jobs - 1:
            shards.append(files[start:i + 1])
            start = i + 1
    shards.append(files[start:])
    return [shard for shard in shards if shard]


def _audit_shard(paths: Sequence[Path], outcomes: Callable[..., Iterator[Judged]],
                 encode: FindingEncoder | None) -> _Shard:
    """Read and judge one run of files (in a worker process, or in this one)."""
    return _judge_share(_read_share(paths), outcomes, encode)


def _read_share(paths: Sequence[Path]) -> FileReads | tuple[str, str, str, Any]:
    """The files read, or the parts of the first reading error (an InputError does not pickle)."""
    try:
        return read_files(paths)
    except InputError as e:
        return (e.source, e.key, e.expected, e.got)


def _judge_share(read: FileReads | tuple[str, str, str, Any], outcomes: Callable[..., Iterator[Judged]],
                 encode: FindingEncoder | None) -> _Shard:
    if isinstance(read, tuple):
        return _Shard(error=read)
    live = read.dedup.result()
    return _Shard(None, read.gaps, read.pages, live.notes, array("q", map(hash, read.dedup.ids)),
                  read.dedup.judged_twice, len(live.deployments),
                  *_in_order(outcomes(live.deployments, rules=_DEPLOYMENT_RULES), encode))


@dataclass
class _Early:
    """Workers forked before the command line was parsed, each reading its share of ``files``."""

    files: list[str]  # as given, each made a path and back (what audit_files compares)
    jobs: int
    shards: list[Sequence[Path]]
    workers: list[Worker]


_EARLY: _Early | None = None


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def start_early_shares(files: Sequence[str], jobs: int) -> None:
    """Fork the workers of a large audit before the command line is parsed (``cli.early_start``): each
    reads its share of the files while this process loads typer, the commands, the catalog and the
    settings (about 0.4 s), then waits. :func:`audit_files` sends each one its judging when it is
    called with the same files and jobs; otherwise (other arguments after all, an error first) they are
    stopped, at the latest when this process exits. Regular files only: a pipe (``<(...)``) read by a
    worker never claimed could not be read again."""
    global _EARLY
    paths = [Path(f) for f in files]
    if not all(_regular_file(path) for path in paths):
        return
    shards = _shards(paths, jobs, EARLY_FIRST_SHARE)
    if len(shards) < 2:
        return
    workers: list[Worker] = []
    try:
        for i, share in enumerate(shards[1:], 1):
            workers.append(start_early(i, partial(_read_share, share)))
    except Exception:  # no fork or descriptor to be had: the command splits the files (or not) as usual
        stop(workers)
        return
    _EARLY = _Early([str(p) for p in paths], jobs, shards, workers)
    atexit.register(_stop_unclaimed)


def _claim_early(files: Sequence[Path], jobs: int) -> _Early | None:
    """The early workers, when they read these very files for these jobs; else they are stopped."""
    global _EARLY
    early, _EARLY = _EARLY, None
    if early is None or ([str(f) for f in files] == early.files and jobs == early.jobs):
        return early
    stop(early.workers)
    return None


def _stop_unclaimed() -> None:
    global _EARLY
    early, _EARLY = _EARLY, None
    if early is not None:
        stop(early.workers)


def _in_order(outcomes: Iterable[Judged], encode: FindingEncoder | None) -> tuple[
        list[tuple[Any, ...]], list[Finding] | list[str], tuple[int, int, int]]:
    """The findings of ``outcomes`` in report order, as findings or (``encode``) as JSON report text, with
    their sort keys and their (mandatory, advisory, waived) tally."""
    counted = [0, 0, 0]

    def counting() -> Iterator[Judged]:
        for outcome in outcomes:
            mandatory, advisory, waived = outcome.tally()
            counted[0] += mandatory
            counted[1] += advisory
            counted[2] += waived
            yield outcome

    with bulk_load():  # 100,000s of findings or texts, none in a cycle
        pairs: list[tuple[tuple[Any, ...], Any]] = encode(counting()) if encode is not None else [
            (order_key(f), f) for outcome in counting() for f in outcome.findings()]
        pairs.sort(key=itemgetter(0))  # stable, as Report.sorted() is: each key made once
        return [key for key, _ in pairs], [found for _, found in pairs], (counted[0], counted[1], counted[2])


def _audit_sharded(shards: list[Sequence[Path]], outcomes: Callable[..., Iterator[Judged]], blank: Report,
                   allow_partial: bool, encode: FindingEncoder | None,
                   early: Sequence[Worker] | None = None) -> tuple[AuditRun, list[Gap]] | None:
    """Each run of files read and judged in its own process (forked: the catalog and settings come
    along), the findings merged in report order. Every deployment rule judges one deployment at a
    time, so the shares are judged apart; the stack rules judge once, here. ``blank``: the report of
    no findings this one fills.

    The result is the single-process one: the first malformed file in file order is the error; gaps
    and notes come in file order. Duplicates are found within each share; when an ARM id recurs across
    shares, or is kept twice in one (with different content: its findings' order then depends on
    what the other shares hold), or a fork is refused, the files are read again in one process (None)."""
    try:
        if early is None:
            results = run_forked([partial(_audit_shard, paths, outcomes, encode) for paths in shards])
        else:  # each worker has read its share already (start_early_shares): it judges what it read
            results = run_started(partial(_audit_shard, shards[0], outcomes, encode),
                                  [(w, partial(_judge_share, outcomes=outcomes, encode=encode)) for w in early])
    except OSError:  # a fork or pipe refused (a process or descriptor limit): read in one process instead
        return None
    except WorkerFailed as e:
        paths = shards[e.index]
        raise InputError(f"audit of {paths[0]} … {paths[-1]}", "(worker process)",
                         "a worker process that reads and judges these files to finish", e.detail) from None
    for r in results:
        if r.error is not None:
            raise InputError(*r.error)
    gaps = whole_or_gaps([g for r in results for g in r.gaps], [p for r in results for p in r.pages], allow_partial)
    ids = set().union(*(r.ids for r in results))
    if len(ids) != sum(len(r.ids) for r in results) or any(r.judged_twice for r in results):
        return None
    shares = [_Shard(None, keys=keys, findings=findings, tally=counted)
              for keys, findings, counted in [_in_order(outcomes([], rules=_STACK_RULES), encode)]] + results
    in_order = _merged(shares)
    notes = [note for r in results for note in r.notes]
    runs = [StackRun(blank.runs[0].stack, deployments=sum(r.deployments for r in results))]
    if encode is None:
        return AuditRun(replace(blank, findings=in_order, runs=runs), notes), gaps
    mandatory, advisory, waived = (sum(column) for column in zip(*(r.tally for r in shares), strict=True))
    return AuditRun(replace(blank, runs=runs, tally=(mandatory, advisory, waived)), notes, in_order), gaps


def _merged(shares: Sequence[_Shard]) -> list[Any]:
    """The findings of every share (each in report order) in report order, as one sort of them all
    would give them. A report lists its findings in blocks (stack, waived, level), each by resource:
    when every block's findings in one share all come before the same block's in the next (the files
    given in account order, as a shell lists exports named per account), the blocks are joined
    without comparing anything else; otherwise every finding is sorted (stable: ties keep share order)."""
    blocks: dict[tuple[Any, ...], list[tuple[_Shard, int, int]]] = {}
    for share in shares:
        keys, start = share.keys, 0
        while start < len(keys):
            prefix = _BLOCK(keys[start])
            end = bisect_right(keys, prefix, lo=start, key=_BLOCK)
            blocks.setdefault(prefix, []).append((share, start, end))
            start = end
    try:
        ordered = sorted(blocks)
        joined = all(a.keys[a_end - 1] < b.keys[b_start]
                     for runs in blocks.values() for (a, _, a_end), (b, b_start, _) in pairwise(runs))
    except TypeError:  # values of another type than their peers': the sort below orders what can be ordered
        joined = False
    if joined:
        return [found for prefix in ordered for share, start, end in blocks[prefix] for found in
                share.findings[start:end]]
    merged = sorted((pair for r in shares for pair in zip(r.keys, r.findings, strict=True)), key=itemgetter(0))
    return [finding for _, finding in merged]


_BLOCK = itemgetter(0, 1, 2)  # a sort key's (stack, waived, level): its block in the report
_DEPLOYMENT_RULES = tuple(rule for rule in RULES if rule.check_stack is None)
_STACK_RULES = tuple(rule for rule in RULES if rule.check_stack is not None)


def _judged_with(report: Report, policy_config: Path | None, partial: tuple[str, ...] = ()) -> Report:
    """The report's runs name the policy config file the deployments were judged with (None: defaults)
    and, for input read with --allow-partial, what the verdict does not cover (pages, accounts)."""
    runs = [replace(r, policy_config=str(policy_config) if policy_config else None, partial=partial)
            for r in report.runs]
    return replace(report, runs=runs)


def policy_settings(path: Path | None) -> dict[str, PolicySetting]:
    """Levels and properties per policy: defaults, or a ``policies/config/<stack>.json`` file merged
    the way the Pulumi engine merges ``--policy-pack-config``."""
    infos = [PolicyInfo(r.meta.id, r.meta.level.value, r.meta.config) for r in RULES]
    given = load_policy_config(path) if path is not None else {}
    return reconcile(infos, given, str(path) if path else "(defaults)")


def audit(
    live: Sequence[LiveDeployment],
    catalog: Catalog,
    as_of: dt.date,
    waivers: Waivers | None = None,
    stack_label: str = DEFAULT_STACK_LABEL,
    settings: Mapping[str, PolicySetting] | None = None,
    rules: Sequence[Rule] = RULES,
) -> Report:
    """Judge live deployments with every rule (or ``rules``) through :func:`engine.judge`."""
    findings: list[Finding] = []
    with bulk_load():  # 100,000s of findings, none in a cycle: no collector passes over them while they are made
        for outcome in judged(live, catalog, as_of, waivers, stack_label, settings, rules):
            findings += outcome.findings()
    return Report(as_of, catalog.as_of, [stack_label], findings, command="audit",
                  runs=[StackRun(stack_label, deployments=len(live))])


@dataclass(slots=True)
class Judged:
    """One rule's outcome on every deployment of a group that holds the same content, or on the stack
    (``deployments`` None): the findings it makes, before they are made (:meth:`findings`), so that a
    report encoder can write them without building each (see :data:`FindingEncoder`)."""

    stack: str
    policy: str
    level: str
    message: str
    deployments: list[LiveDeployment] | None
    waivers: list[Waiver | None] | None  # each deployment's waiver; None: the policy has none

    def findings(self) -> list[Finding]:
        stack, policy, level, message = self.stack, self.policy, self.level, self.message
        if self.deployments is None:
            return [Finding(stack, policy, level, STACK_RESOURCE, "", "", message)]
        if self.waivers is None:
            # Positional: 100,000s of findings, and keyword arguments cost more per call.
            return [Finding(stack, policy, level, d.resource, d.arm_type, d.arm_id, message, False, None, None,
                            d.subscription, d.resource_group) for d in self.deployments]
        return [Finding(stack, policy, level, d.resource, d.arm_type, d.arm_id, message, w is not None,
                        w and w.reason, w and w.expires, d.subscription, d.resource_group)
                for d, w in zip(self.deployments, self.waivers, strict=True)]

    def tally(self) -> tuple[int, int, int]:
        """Its findings' (mandatory, advisory, waived), as :func:`core.findings.tally` counts them."""
        made = 1 if self.deployments is None else len(self.deployments)
        waived = 0 if self.waivers is None else sum(w is not None for w in self.waivers)
        return (made - waived if self.level == "mandatory" else 0, made - waived if self.level == "advisory" else 0,
                waived)


def judged(live: Sequence[LiveDeployment], catalog: Catalog, as_of: dt.date, waivers: Waivers | None = None,
           stack_label: str = DEFAULT_STACK_LABEL, settings: Mapping[str, PolicySetting] | None = None,
           rules: Sequence[Rule] = RULES) -> Iterator[Judged]:
    """Every rule over each distinct record once; each outcome stamped on every deployment of its group."""
    waivers = waivers or Waivers()
    settings = settings if settings is not None else policy_settings(None)
    members = _by_content(live)
    records = [group[0].record for group in members.values()]
    waived_policies = {w.policy for w in waivers.items}
    level_text = {level: str(level.value) for level in Level}  # Enum.value is slow 100,000s of times over
    for rule in rules:
        policy = rule.meta.id
        setting = settings[policy]
        rs = rule_settings(setting.properties, f"policy config of {policy}")
        ctx = Context(as_of, catalog, rs, waivers, stack_label, SCOPES)
        look_up = policy in waived_policies  # most policies have no waiver: skip the look-up
        for j in engine.judge(records, ctx, levels={policy: Level(setting.level)}, rules=[rule]):
            message = engine.message_of(j.outcome)
            level = level_text[j.level]
            if j.record is None:
                yield Judged(stack_label, policy, level, message, None, None)
                continue
            group = members[id(j.record)]
            # A waiver's resource may be the deployment name, <account>/<deployment> or the ARM id.
            found = [waivers.find(policy, (d.name, d.resource), d.arm_id, stack_label, as_of) for d in group] \
                if look_up else None
            yield Judged(stack_label, policy, level, message, group, found)


def _by_content(live: Sequence[LiveDeployment]) -> dict[int, list[LiveDeployment]]:
    """Deployments grouped by what the rules judge (model, version, option, SKU, …), keyed by the id of
    the group's first record: a fleet of 100,000 holds a few thousand distinct contents, each judged
    once. A record whose content cannot be a key (an unhashable malformed value) is its own group."""
    groups: dict[object, list[LiveDeployment]] = {}
    for d in live:
        key = judged_content(d.record)
        groups.setdefault(id(d) if key is None else key, []).append(d)
    return {id(group[0].record): group for group in groups.values()}
