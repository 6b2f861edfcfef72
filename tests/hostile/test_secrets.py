"""Generated secret values never appear in a policy message, in any field the engine reads."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.testkit import FLAVOURS, Pack, deployment, make_runtime, secret

SECRET = "[secret]"
FIELDS = {"model.name": ("model", "name"), "model.version": ("model", "version"),
          "versionUpgradeOption": ("versionUpgradeOption",), "sku.name": ("sku", "name")}
secrets = st.one_of(
    st.text(min_size=1, max_size=30), st.sampled_from(["NoAutoUpgrade", "noautoupgrade", " GlobalStandard ",
                                                       "gpt-4o", "2024-08-06", "m", "soon", "globalſtandard",
                                                       "DATAZONESTANDARD"]),
).filter(lambda s: s.strip() and s.strip() not in SECRET)


@pytest.fixture(scope="module")
def strict_pack() -> Pack:
    return Pack(make_runtime(), {"all": "mandatory"})


def _place(props: dict[str, Any], flavour: str, field: tuple[str, ...], value: Any) -> None:
    node = props if flavour == "classic" or field[0] == "sku" else props["properties"]
    for part in field[:-1]:
        node = node.setdefault(part, {})
    node[field[-1]] = value


@pytest.mark.parametrize("flavour", FLAVOURS)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(FIELDS)), value=secrets,
       others=st.sampled_from(["far", "soon", "split", "past", "preview"]))
def test_no_message_shows_a_secret(strict_pack: Pack, flavour: str, field: str, value: str, others: str) -> None:
    props = deployment(flavour, model="m", version=others, option="NoAutoUpgrade", sku="GlobalStandard")
    _place(props, flavour, FIELDS[field], secret(value))
    needle = value.strip().casefold()
    for d in strict_pack.analyze(props, FLAVOURS[flavour]):
        # After "[secret]" is cut out, nothing that reads as the secret may remain.
        assert all(needle not in part.casefold() for part in d.message.split(SECRET)), (d.policy, d.message)
