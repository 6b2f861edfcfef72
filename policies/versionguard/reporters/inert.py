"""Text from user input made inert, for every output format and terminal line (one helper for all).

Stack, resource, model and waiver texts come from files and programs versionguard judges, so they
must be shown, never acted on:

- :func:`inert`: control characters (C0 except tab and newline, DEL, C1), bidirectional controls
  (Trojan Source), line/paragraph separators, lone surrogates and non-characters become visible
  escapes (``\\x1b``, ``\\u202e``). An ANSI colour, an OSC 8 hyperlink or a cursor move in a name
  is printed as text, and every output stays encodable as UTF-8.
- :func:`inert_line`: the same for a one-line message (summary, note, error), where a newline from
  input could otherwise start a line that looks like a verdict.
- :func:`plain`: a rich ``Text``, which rich never parses as console markup, so ``gpt-4o[/]`` or
  ``[link=…]`` is shown literally instead of crashing the table or becoming a link.
- :func:`md_cell` / :func:`md_code`: a GitHub Markdown table cell (plain / monospace), inert and escaped
  so that it neither breaks the table nor renders HTML, links, images or emphasis, and **notifies
  and links nobody**: GitHub turns ``@user``/``@org/team`` into mentions (notifications), ``#123``
  and ``GH-123`` into issue links, and bare ``https://…``, ``www.…`` and e-mail addresses into links,
  after Markdown parsing, on the rendered text (a backslash escape or an HTML entity is decoded first
  and does not stop it; ``<code>`` stops mentions but not autolinks). A zero-width space (U+200B)
  after ``@``, after ``#``/``GH-`` before a digit, inside ``://`` and after ``www`` breaks every one of
  these patterns while the text reads the same (Renovate's release notes use the same device).

JSON and SARIF need none of this: ``json.dumps`` escapes every non-ASCII and control character.
"""

from __future__ import annotations

import re

from rich.text import Text

_UNSAFE_CLASS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
_UNSAFE_IN_LINE = re.compile(f"[\t\n{_UNSAFE_CLASS}]")  # a one-line message: a newline could fake a verdict
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# ASCII punctuation that opens Markdown inline syntax (links, images, emphasis, code, strikethrough)
# or ends a table cell; GitHub's Markdown honours a backslash before any of them.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|~])")
_ZWSP = "\u200b"
# Where GitHub would start a mention, an issue reference or an autolink (see the module docstring).
_GITHUB_ACTIVE = re.compile(r"(@)|(#|\bGH-)(?=[0-9])|(:)(?=//)|\b(www)(?=\.)", re.IGNORECASE)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def inert(text: str) -> str:
    """``text`` with every character that could act on a terminal or reader shown as an escape
    (tab and newline kept: table cells and multi-line messages use them)."""
    return _UNSAFE.sub(_escape, text)


def inert_line(text: str) -> str:
    """:func:`inert` for a line of its own (verdict, note, error): tab and newline are escaped too."""
    return _UNSAFE_IN_LINE.sub(_escape, text)


def plain(text: str, style: str = "") -> Text:
    """A rich table cell or line that is never read as console markup."""
    return Text(inert(text), style=style)


def md_cell(text: str) -> str:
    """One Markdown table cell: inert, Markdown punctuation backslash-escaped, HTML-escaped (GitHub
    drops unknown tags), flattened onto one line."""
    text = _MARKDOWN_ACTIVE.sub(r"\\\1", inert(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(_GITHUB_ACTIVE.sub(_break, text).split())


def _break(match: re.Match[str]) -> str:
    return match.group() + _ZWSP


def md_code(text: str) -> str:
    """Monospace text inside a table cell. Not a backtick code span: GitHub's table parser splits cells
    before it sees code spans and reads ``\\|`` as an escaped backslash followed by a cell border, which
    no escaping inside a code span can avoid. ``<code>`` around a :func:`md_cell` renders the same and
    keeps every character literal."""
    return f"<code>{md_cell(text)}</code>"
