"""The JSON report (described in README.md, "The CLI"): as_of, catalog_as_of, stacks, findings, summary."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from json.encoder import encode_basestring_ascii as _escape  # json.dumps' own escaper (C), ensure_ascii
from typing import TYPE_CHECKING, Any

from versionguard.core.findings import Finding, Report, order_key

if TYPE_CHECKING:
    from versionguard.commands.audit import Judged

_CHUNK = 4096  # findings encoded at a time by :func:`pieces`


def render(report: Report) -> str:
    return dumps_listing(report.to_json(), "findings")


def pieces(report: Report, finding_texts: Sequence[str] | None = None) -> Iterator[str]:
    """The text of :func:`render` in pieces, findings made and encoded a chunk at a time: a file
    writer never holds a fleet report's findings as data and text at once (the same text, byte for byte).
    ``finding_texts``: the findings already encoded (:func:`encode_judged`), in report order."""
    head = dumps_listing(report.to_json(findings=False), "findings")
    before, _, after = head.partition('"findings": []')
    yield before + '"findings": '
    if finding_texts is None:
        text_of = _FindingText()
        texts: Iterator[str] = map(text_of, report.sorted())
    else:
        texts = iter(finding_texts)
    first = True
    while chunk := list(islice(texts, _CHUNK)):
        yield ("[\n    " if first else ",\n    ") + ",\n    ".join(chunk)
        first = False
    yield ("[]" if first else "\n  ]") + after


def encode_judged(outcomes: Iterable[Judged]) -> list[tuple[tuple[Any, ...], str]]:
    """Each finding of ``outcomes`` as its sort key (:func:`order_key`) and its text in the report (what
    :func:`pieces` joins), in judgement order, without making the findings: what a group of deployments
    shares (stack, policy, level, message) is formatted once per group, with :class:`_FindingText`'s
    own pieces. A group with waivers, a stack outcome or a value of another type goes through the
    findings (rare: the same text either way)."""
    text_of = _FindingText()
    pairs: list[tuple[tuple[Any, ...], str]] = []
    add, place, scope = pairs.append, text_of.place, text_of.scope
    for o in outcomes:
        group = o.deployments
        if group is not None and o.waivers is None and type(o.stack) is type(o.policy) is type(o.level) \
                is type(o.message) is str:
            stack, policy, message = o.stack, o.policy, o.message
            optional = o.level != "mandatory"
            head, middle = text_of.head(stack, policy, o.level), text_of.middle(message, False)
            made = len(pairs)
            try:
                for d in group:
                    resource, urn = d.resource, d.arm_id
                    where = scope(d.subscription, d.resource_group)
                    add(((stack, False, optional, resource, urn, policy, message),
                         f"{head}{place(resource, d.arm_type, urn)}{middle}{where}}}"))
                continue
            except TypeError:  # a value of another type than ARM JSON gives (the escaper takes strings only)
                del pairs[made:]
        for f in o.findings():
            add((order_key(f), text_of(f)))
    return pairs


class _Escaped(dict[str, str]):
    """Each string as JSON text (json's own C escaper, as ``json.dumps`` uses), escaped once: a string
    seen before is a dictionary look-up, with no Python call."""

    def __missing__(self, value: str) -> str:
        if len(self) >= 65536:  # unbounded input: bound the cache
            self.clear()
        text = self[value] = _escape(value)
        return text


class _FindingText:
    """``json.dumps(finding.to_json())``, byte for byte, without building the dictionary: a fleet report
    has 100,000s of findings sharing a few hundred policies, messages, types and subscriptions, so each
    such string is escaped once (json's own C escaper, as ``json.dumps`` uses) and the text is formatted."""

    def __init__(self) -> None:
        self._seen = _Escaped()

    def head(self, stack: str, policy: str, level: str) -> str:
        known = self._seen
        return f'{{"stack": {known[stack]}, "policy": {known[policy]}, "level": {known[level]}, "resource": '

    def place(self, resource: str, type_: str, urn: str) -> str:
        return f'{_escape(resource)}, "type": {self._seen[type_]}, "urn": {_escape(urn)}'

    def middle(self, message: str, waived: bool) -> str:
        return f', "message": {self._seen[message]}, "waived": {"true" if waived else "false"}'

    def scope(self, subscription: Any, resource_group: Any) -> str:
        text = ""
        if subscription is not None:
            text += ', "subscription": ' + (self._seen[subscription] if type(subscription) is str
                                            else json.dumps(subscription))
        if resource_group is not None:
            text += ', "resource_group": ' + (self._seen[resource_group] if type(resource_group) is str
                                              else json.dumps(resource_group))
        return text

    def __call__(self, f: Finding) -> str:
        if not (type(f.stack) is type(f.policy) is type(f.level) is type(f.resource) is type(f.type) is type(f.urn)
                is type(f.message) is str and type(f.waived) is bool):
            return json.dumps(f.to_json())  # not the shape this formats: the encoder itself
        text = (self.head(f.stack, f.policy, f.level) + self.place(f.resource, f.type, f.urn)
                + self.middle(f.message, f.waived) + self.scope(f.subscription, f.resource_group))
        if f.waived:
            text += ', "waiver": ' + json.dumps(f.to_json()["waiver"])
        return text + "}"


def dumps_listing(data: dict[str, Any], listing: str, first_key: str = "stack") -> str:
    """Indented JSON with one item of ``data[listing]`` per line. ``indent`` switches json to its
    pure-Python encoder, a third of a fleet audit's time at 100,000 findings: the list goes through
    the C encoder in one call instead, and only the small rest is indented. The compact list is cut
    between items at ``}, {"<first_key>": `` (every item's first key): that text cannot occur inside
    a JSON string, where a quote is always escaped."""
    pieces = []  # joined once: the listing is tens of megabytes in a fleet audit, so no copy is spared
    for key, value in data.items():
        pieces.append(f",\n  {json.dumps(key)}: " if pieces else f"{{\n  {json.dumps(key)}: ")
        if key == listing and value:
            cut = '}, {' + json.dumps(first_key) + ": "
            pieces += ["[\n    ", json.dumps(value)[1:-1].replace(cut, "},\n    {" + cut[4:]), "\n  ]"]
        else:
            pieces.append(json.dumps(value, indent=2).replace("\n", "\n  "))
    pieces.append("\n}\n")
    return "".join(pieces)
