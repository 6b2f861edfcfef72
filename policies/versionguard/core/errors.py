"""The one error type for bad input: it always names the file (or source) and the key."""

from __future__ import annotations


class InputError(Exception):
    """Malformed input. The CLI maps it to exit code 2; the pack fails closed on it."""

    def __init__(self, source: str, key: str, expected: str, got: object = None) -> None:
        self.source = source
        self.key = key
        self.expected = expected
        self.got = got
        detail = f"{source}: {key}: expected {expected}"
        if got is not None:
            detail += f", got {got!r}"
        super().__init__(detail)
