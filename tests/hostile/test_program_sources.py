"""Hostile program sources for the fork server's reader (``fork_server.program_sources``/``warm_up``).

The server reads the program's own Python files to find the provider SDK modules to import ahead.
Whatever those files hold (binary junk, deep nesting, broken syntax, huge lines, imports of modules
that do not exist), reading them must end cleanly with nothing imported from them that is not an
installed provider: the program's own run is what reports a broken program.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from versionguard.adapters.program import fork_server

FRAGMENTS = ["import pulumi_", "from pulumi_azure_native import ", "import pulumi_azure_native as a\n", "a.", "(",
             "[", "{", "\\", "\x00", "\ufeff", "'''", "#", "\n", " as ", "def f(:", "lambda:", "pulumi_no_such_sdk",
             "from . import x\n", "import components.", "*"]
sources = st.one_of(
    st.binary(max_size=2_000),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60)
    .map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass")),
    st.integers(1, 50_000).map(lambda n: b"(" * n),
    st.integers(1, 3_000).map(lambda n: b"a" + b".b" * n + b"\n"),
)


@settings(max_examples=40, deadline=None)
@given(main=sources, helper=sources)
def test_any_program_source_is_read_to_an_end_without_importing_the_programs_own(tmp_path_factory, main: bytes,
                                                                               helper: bytes) -> None:
    program = Path(tmp_path_factory.mktemp("program"))
    (program / "__main__.py").write_bytes(b"import helper\n" + main)
    (program / "helper.py").write_bytes(helper)
    before = set(sys.modules)
    warmed = fork_server.warm_up(str(program))
    assert all(name.startswith("pulumi_") for name in warmed)
    assert "helper" not in set(sys.modules) - before
