"""The JSON Schema pieces: a closed mapping must list exactly the keys its reader accepts."""

from __future__ import annotations

import re

import pytest

from simulator.scenario.read.jsonparts import (
    CLOCK_PATTERN,
    DURATION_PATTERN,
    RATE_PATTERN,
    closed_object,
    described,
)


def test_a_closed_object_built_from_other_keys_than_its_readers_is_refused():
    properties = {"start": {}, "end": {}}
    assert closed_object(properties, ["start"], keys=("end", "start"))["required"] == ["start"]
    with pytest.raises(ValueError, match=r"schema properties \['end', 'start'\] differ from the "):
        closed_object(properties, keys=("start", "end", "warmup"))


def test_described_keeps_falsy_defaults_and_drops_none():
    assert described({"type": "string"}, "Free text.", "") == {
        "description": "Free text.",
        "type": "string",
        "default": "",
    }
    assert "default" not in described({"type": "number"}, "A number.")


@pytest.mark.parametrize(
    ("pattern", "good", "bad"),
    [
        (DURATION_PATTERN, ["45s", "4m", "1h30m", "2.5h", "250ms", "90", "1d"], ["4 minutes", ""]),
        (RATE_PATTERN, ["600/h", "10/min", "2 / s", "120"], ["600 per hour", "/h"]),
        (CLOCK_PATTERN, ["08:00", "17:30:15", "30:00"], ["8", "8h", "08-00"]),
    ],
)
def test_unit_patterns(pattern, good, bad):
    assert all(re.search(pattern, text) for text in good), good
    assert not any(re.search(pattern, text) for text in bad), bad
