"""The frustration block: each coefficient checked where it is written, the thresholds together."""

from __future__ import annotations

import dataclasses

from simulator.scenario import json_schema
from simulator.scenario.frustration import FrustrationParams
from tests.scenario_texts import at, only, replaced


def test_frustration_problems():
    text = replaced("  repeat: 15\n", "  repaet: 15\n")
    assert only(text) == (
        f"{at(text, 'repaet')}: frustration.repaet: unknown key 'repaet' (did you mean 'repeat'?)"
    )
    text = replaced("  wait_fast: 8\n", "  wait_fast: -8\n")
    assert only(text) == f"{at(text, '-8')}: frustration.wait_fast: expected a value >= 0, found -8"
    text = replaced("  wait_fast: 8\n", "  resolution_relief: 2\n")
    assert only(text) == (
        f"{at(text, 'relief: 2', '2')}: frustration.resolution_relief: "
        "frustration.resolution_relief is a share and must be <= 1 (the defaults and their "
        "meaning are in simulator/scenario/frustration.py and docs/model.md)"
    )
    text = replaced("  wait_fast: 8\n", "  angry: 90\n")
    assert only(text).startswith(
        f"{at(text, 'repeat')}: frustration: frustration thresholds must satisfy"
    )


def test_schema_frustration_properties_follow_the_dataclass():
    props = json_schema()["properties"]["frustration"]["properties"]
    names = [f.name for f in dataclasses.fields(FrustrationParams)]
    assert list(props) == names
    repeat = props["repeat"]
    assert (repeat["type"], repeat["minimum"], repeat["default"]) == ("number", 0, 20.0)
    assert repeat["description"]  # the field's documentation if it has some, else its name
    journey = json_schema()["properties"]
    assert journey["retrial"]["properties"]["enabled"]["default"] is True
    assert journey["bots"]["additionalProperties"]["properties"]["max_turns"]["default"] == 1
    assert all("description" in journey[k] for k in ("bots", "context", "retrial", "frustration"))
