"""The one SARIF 2.1.0 validator: the OASIS schema (draft-04, checked itself) with format checking."""

from __future__ import annotations

import json
from functools import cache

import jsonschema

from tests.support import ROOT

SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    """Strict: the schema must be the draft-04 one it declares and valid itself, and ``format``
    keywords (``uri``, ``date-time``...) are checked, not only annotations."""
    schema = json.loads(SCHEMA.read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator  # the OASIS schema declares draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)
