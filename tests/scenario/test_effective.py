"""The effective scenario: every default written out in the language, and loading it back gives
the same scenario."""

from __future__ import annotations

import dataclasses
import math

import pytest
import yaml

from simulator.scenario import effective_dict, load_scenario_text
from simulator.scenario.load import BLOCKS
from tests.scenario_texts import DURATION_FORM, FULL, JOURNEYS, MINIMAL, PROFILE, WEEK, replaced


@pytest.fixture(scope="module")
def scenario():
    """The JOURNEYS text, loaded."""
    return load_scenario_text(JOURNEYS, "journeys.yaml")


ROUND_TRIP = {
    "full": FULL,
    "minimal": MINIMAL,
    "duration_form": DURATION_FORM,
    "profile": PROFILE,
    "odd_numbers": MINIMAL.replace("rate: 60", "rate: 7.3/min").replace(
        "default: 4m", "default: {lognormal: {mean: 0.1h, sd: 1.234s}}"
    ),
    "week": WEEK,
    "ten_days_from_a_date": replaced(
        "  days: 7\n  first_day: mon\n", '  date: "2026-11-27..2026-12-06"\n', WEEK
    ),
    "saturday_alone": replaced("  days: 7\n  first_day: mon\n", "  first_day: sat\n", WEEK),
    "weekdays_only": replaced("  days: 7\n", "  days: 5\n", WEEK),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP))
@pytest.mark.parametrize("sort_keys", [True, False])
def test_effective_dict_round_trip(name, sort_keys):
    s = load_scenario_text(ROUND_TRIP[name], f"{name}.yaml")
    effective = effective_dict(s)
    again = load_scenario_text(yaml.safe_dump(effective, sort_keys=sort_keys), "effective.yaml")
    assert again == dataclasses.replace(s, source="effective.yaml")
    assert effective_dict(again) == effective


@pytest.mark.parametrize("sort_keys", [True, False])
def test_round_trip_of_journey_blocks(scenario, sort_keys):
    effective = effective_dict(scenario)
    again = load_scenario_text(yaml.safe_dump(effective, sort_keys=sort_keys), "effective.yaml")
    assert again == dataclasses.replace(scenario, source="effective.yaml")
    assert effective_dict(again) == effective


def test_effective_dict_shows_defaults_in_the_language():
    d = effective_dict(load_scenario_text(MINIMAL))
    assert d["seed"] == 1 and d["description"] == ""
    assert d["horizon"] == {"duration": "8h", "interval": "8h", "warmup": "0s", "drain": "4h"}
    assert d["customers"] == {
        "segments": {
            "all": {
                "share": 1.0,
                "patience_scale": 1.0,
                "reach": 0.0,
                "sensitivity": 1.0,
                "churn_base": 0.01,
                "churn_max": 0.3,
            }
        },
        "intents": {"general": {"share": 1.0}},
    }
    assert d["arrivals"] == {"rate": "60/h", "first_channel": {"voice": 1.0}}
    assert d["channels"]["voice"] == {
        "kind": "synchronous",
        "expected_response": "1m",
        "patience": "none",
        "service_level": "20s",
    }
    assert d["agents"]["voice"]["count"] == 2 and d["agents"]["voice"]["wrap_up"] == "0s"
    assert d["routing"] == [{"when": {"channel": ["voice"]}, "to": "voice", "priority": 0}]
    assert d["agents"]["voice"]["resolves"] == {"default": 1.0}
    assert "bots" not in d and "transfers" not in d["agents"]["voice"]
    assert d["context"] == {
        "shared_record": False,
        "carried_switches": [],
        "re_explain": {"lognormal": {"mean": "1m30s", "sd": "1m"}},
    }
    assert d["retrial"]["enabled"] is False
    assert d["retrial"]["delay"] == {"exponential": {"mean": "30m"}}
    assert d["frustration"]["repeat"] == 20.0


def test_effective_dict_of_full_scenario_keeps_clock_schedules():
    d = effective_dict(load_scenario_text(FULL))
    assert d["horizon"]["start"] == "08:00" and d["horizon"]["end"] == "20:00"
    assert d["agents"]["voice_team"]["count"] == {"08:00": 12, "14:00": 9, "18:30": 4}
    assert d["handle_time"]["general"]["voice"] == {"empirical": ["3m", "4m", "5m"]}
    assert math.isclose(d["handle_time"]["billing_dispute"]["gamma"]["shape"], 2.25)


def test_effective_dict_of_journey_blocks(scenario):
    d = effective_dict(scenario)
    assert d["routing"][4] == {
        "when": {"channel": ["social"]},
        "redirect": {"to": "voice", "follow": 1.0},
        "priority": 0,
    }
    assert d["bots"]["ivr"]["on_failure"] == {"redirect": "chat", "passes_context": True}
    assert d["context"]["carried_switches"] == [["chat", "voice"]]
    assert d["frustration"]["repeat"] == 15.0 and d["frustration"]["transfer"] == 10.0


def test_every_block_is_written_back(scenario):
    """A block the loader reads but the effective scenario leaves out would be lost on the
    round trip (variants are overlays of the base, not part of it)."""
    written = list(effective_dict(scenario))
    # shifts are written when given (tests/scenario/read/test_shifts.py round-trips them)
    assert written == [block.name for block in BLOCKS if block.name not in ("variants", "shifts")]


def test_effective_dict_writes_days_hours_and_overrides_back():
    d = effective_dict(load_scenario_text(WEEK))
    assert d["horizon"]["days"] == 7 and d["horizon"]["first_day"] == "mon"
    assert d["channels"]["voice"]["hours"] == {
        "default": "08:00-20:00",
        "sat": "09:00-13:00",
        "sun": "closed",
    }
    assert d["channels"]["chat"]["hours"] == ["09:00-12:00", "13:00-17:00"]
    assert d["channels"]["email"]["service_level"] == {"within": "8h", "business_hours": True}
    assert list(d["arrivals"]["by_day"]) == ["mon", "sat", "sun"]
    assert d["arrivals"]["by_day"]["sun"] == {"rate": "0/h"}
    team = d["agents"]["voice_team"]
    assert team["count"] == {"08:00": 12, "14:00": 9} and team["overtime"] == "30m"
    assert team["count_by_day"] == {"sat": {"08:00": 0, "09:00": 4, "13:00": 0}, "sun": 0}
    assert d["costs"]["overtime_multiplier"] == 1.5


def test_effective_dict_of_a_plain_day_has_no_day_keys():
    """A single day without hours or overtime is written exactly as before days existed."""
    d = effective_dict(load_scenario_text(FULL))
    assert "days" not in d["horizon"] and "first_day" not in d["horizon"]
    assert not any("hours" in channel for channel in d["channels"].values())
    assert not any("overtime" in group or "count_by_day" in group for group in d["agents"].values())
    assert "by_day" not in d["arrivals"] and "overtime_multiplier" not in d["costs"]
