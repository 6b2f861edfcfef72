"""Text from user input made inert, for every output format and terminal line (one helper for all).

Stack, resource, model and waiver texts come from files and programs versionguard judges, so they
must be shown, never acted on:

- :func:`inert`: control characters (C0 except tab and newline, DEL, C1), bidirectional controls
  (Trojan Source), line/paragraph separators, lone surrogates and non-characters become visible
  escapes (``\\x1b``, ``\\u202e``). An ANSI colour, an OSC 8 hyperlink or a cursor move in a name
  is printed as text, and every output stays encodable as UTF-8.
- :func:`plain`: a rich ``Text``, which rich never parses as console markup, so ``gpt-4o[/]`` or
  ``[link=…]`` is shown literally instead of crashing the table or becoming a link.
- :func:`md_cell` / :func:`md_code`: a GitHub Markdown table cell / code span, inert and escaped
  so that it neither breaks the table nor renders HTML, links, images or emphasis.

JSON and SARIF need none of this: ``json.dumps`` escapes every non-ASCII and control character.
"""

from __future__ import annotations

import re

from rich.text import Text

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufffe\uffff]")
# ASCII punctuation that opens Markdown inline syntax (links, images, emphasis, code, strikethrough)
# or ends a table cell; GitHub's Markdown honours a backslash before any of them.
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]|~])")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: str) -> str:
    """``text`` with every character that could act on a terminal or reader shown as an escape."""
    return _UNSAFE.sub(_escape, text)


def plain(text: str, style: str = "") -> Text:
    """A rich table cell or line that is never read as console markup."""
    return Text(inert(text), style=style)


def md_cell(text: str) -> str:
    """One Markdown table cell: inert, Markdown punctuation backslash-escaped, HTML-escaped (GitHub
    drops unknown tags), flattened onto one line."""
    text = _MARKDOWN_ACTIVE.sub(r"\\\1", inert(text))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def md_code(text: str) -> str:
    """A code span inside a table cell: entities are not decoded in code, so only pipes (which the
    table parser reads first) are escaped; the fence outgrows any backtick run in the text."""
    text = " ".join(inert(text).split()).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
