"""A registered resource as the engine presents it to an analyzer: what the runner and the monitor hand on.

It lives apart from the CrossGuard adapter so that running programs (``check``, ``forecast``) loads no
``pulumi_policy``.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.protobuf import struct_pb2


@dataclass(frozen=True)
class Resource:
    """A registered resource as the engine would present it to an analyzer."""

    type: str
    name: str
    urn: str
    properties: struct_pb2.Struct
    parent: str = ""
    dependencies: tuple[str, ...] = ()
    custom: bool = True
