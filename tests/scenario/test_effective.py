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


@pytest.mark.parametrize(
    "uncertainty",
    ["{day_cv: 0.09}", "{day_cv: 0.09, interval_cv: 0.05, interval_correlation: 0.7}"],
)
def test_uncertain_arrivals_round_trip(uncertainty):
    """A day-only uncertainty is written back without ``interval_correlation``, which is refused
    without ``interval_cv`` (cxsim run's effective scenario did not load before)."""
    text = MINIMAL.replace(
        "arrivals: {rate: 60}", f"arrivals: {{rate: 60, uncertainty: {uncertainty}}}"
    )
    assert "uncertainty" in text
    scenario = load_scenario_text(text)
    again = load_scenario_text(yaml.safe_dump(effective_dict(scenario)))
    assert again.arrivals.uncertainty == scenario.arrivals.uncertainty


def test_effective_dict_of_a_plain_day_has_no_day_keys():
    """A single day without hours or overtime is written exactly as before days existed."""
    d = effective_dict(load_scenario_text(FULL))
    assert "days" not in d["horizon"] and "first_day" not in d["horizon"]
    assert not any("hours" in channel for channel in d["channels"].values())
    assert not any("overtime" in group or "count_by_day" in group for group in d["agents"].values())
    assert "by_day" not in d["arrivals"] and "overtime_multiplier" not in d["costs"]


# --------------------------------------------------------------------------------------------
# The round trip as a property: whatever values an accepted scenario holds, the effective
# scenario reads back equal (issue #16: a standard deviation of 6e-08 s was written as
# '6e-08s', which the loader refused after the whole run had been simulated).

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from simulator.scenario import ScenarioError  # noqa: E402
from simulator.units import format_number  # noqa: E402

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


@st.composite
def durations(draw, low: float = 0.001, high: float = 3e7) -> str:
    """A duration as an author writes it: a bare number of seconds, a number and a unit, or a
    compound such as 1h30m; fractions as long as floats allow."""
    unit = draw(st.sampled_from([None, *_UNITS]))
    scale = 1.0 if unit is None else _UNITS[unit]
    x = draw(st.floats(low / scale, high / scale, allow_nan=False, allow_infinity=False))
    if unit is None:
        return repr(x) if draw(st.booleans()) else format_number(x)
    if draw(st.booleans()) and unit in ("h", "m") and x >= 1:
        whole = int(x)
        return f"{whole}{unit}{draw(st.integers(0, 59))}{'m' if unit == 'h' else 's'}"
    return f"{format_number(x)}{unit}"


@st.composite
def rates(draw) -> str:
    unit = draw(st.sampled_from(["s", "min", "h", "d"]))
    per = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}[unit]
    per_second = draw(st.floats(1e-9, 20.0, allow_nan=False))
    return f"{format_number(per_second * per)}/{unit}"


@st.composite
def distributions(draw) -> str:
    kind = draw(st.sampled_from(["constant", "exponential", "lognormal", "gamma", "uniform"]))
    if kind == "constant":
        return draw(durations(low=0.001, high=3e5))
    if kind == "exponential":
        return f"{{exponential: {{mean: {draw(durations(high=3e5))}}}}}"
    if kind == "lognormal":
        return f"{{lognormal: {{mean: {draw(durations(high=3e5))}, sd: {draw(durations())}}}}}"
    if kind == "gamma":
        if draw(st.booleans()):
            shape = draw(st.floats(0.05, 1e3, allow_nan=False))
            return f"{{gamma: {{shape: {shape!r}, scale: {draw(durations(high=3e5))}}}}}"
        mean, sd = draw(durations()), draw(durations())
        return f"{{gamma: {{mean: {mean}, sd: {sd}}}}}"
    low = draw(st.floats(0.001, 1e5, allow_nan=False))
    high = low + draw(st.floats(0.0, 1e5, allow_nan=False))
    return f"{{uniform: {{low: {low!r}, high: {high!r}}}}}"


def _numbers(low: float = 0.0, high: float = 1e6) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


@st.composite
def scenario_texts(draw) -> str:
    """A scenario whose every number is drawn: durations, rates, shares and coefficients."""
    clock = draw(st.booleans())
    if clock:
        start = draw(st.integers(0, 20 * 3600))
        end = start + draw(st.integers(3600, 12 * 3600))
        horizon = (
            f'{{start: "{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d}", '
            f'end: "{end // 3600:02d}:{end // 60 % 60:02d}:{end % 60:02d}", '
            f"interval: {draw(st.sampled_from(['15m', '30m', '1h', '3600', '0.75h']))}}}"
        )
    else:
        horizon = f"{{duration: {draw(st.sampled_from(['2h', '7200.5', '1.25h']))}, interval: 1h}}"
    share = draw(st.floats(0.0, 1.0, allow_nan=False))
    shrinkage = draw(st.floats(0.0, 0.99, allow_nan=False))
    return f"""\
scenario: drawn
seed: {draw(st.integers(0, 10**15))}
horizon: {horizon[:-1]}, warmup: {draw(durations(low=0.001, high=3000))}, \
drain: {draw(durations(low=0.001, high=3e5))}}}
customers:
  segments:
    a: {{share: {share!r}, patience_scale: {draw(_numbers(1e-6, 1e6))!r}, \
reach: {draw(_numbers())!r}}}
    b: {{share: {1.0 - share!r}}}
arrivals: {{rate: {draw(rates())}, first_channel: {{voice: 1}}}}
channels:
  voice:
    patience: {draw(distributions())}
    expected_response: {draw(durations())}
    service_level: {draw(durations())}
agents:
  voice:
    count: {draw(st.integers(0, 1000))}
    shrinkage: {shrinkage!r}
    wrap_up: {draw(distributions())}
handle_time:
  default: {draw(distributions())}
retrial:
  probability: {draw(st.floats(0.0, 1.0, allow_nan=False))!r}
  delay: {draw(distributions())}
frustration:
  wait_fast: {draw(_numbers(0.0, 1e15))!r}
  repeat: {draw(_numbers(0.0, 1e15))!r}
costs:
  agent_hour: {draw(_numbers(0.0, 1e15))!r}
  lifetime_value: {draw(_numbers(0.0, 1e15))!r}
"""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=scenario_texts(), sort_keys=st.booleans())
def test_every_accepted_scenario_round_trips(text: str, sort_keys: bool) -> None:
    try:
        s = load_scenario_text(text, "drawn.yaml")
    except ScenarioError:
        return  # refused (a customer limit, say): nothing to write back
    effective = effective_dict(s)
    dumped = yaml.safe_dump(effective, sort_keys=sort_keys, allow_unicode=True)
    again = load_scenario_text(dumped, "effective.yaml")
    assert again == dataclasses.replace(s, source="effective.yaml")
    assert effective_dict(again) == effective


def test_the_drawn_scenarios_are_mostly_accepted() -> None:
    """The property above says nothing if the drawn scenarios are all refused."""
    from hypothesis import find

    accepted = find(scenario_texts(), lambda text: _loads(text))
    assert accepted


def _loads(text: str) -> bool:
    try:
        load_scenario_text(text)
    except ScenarioError:
        return False
    return True
