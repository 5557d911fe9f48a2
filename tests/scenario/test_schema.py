"""The scenario in engine units (simulator/scenario/schema.py): immutable once read, and a
horizon whose reported intervals count every time at or after its own."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.distributions import Constant
from simulator.scenario import load_scenario_text
from simulator.scenario.schema import Horizon
from tests.scenario_texts import FULL


@given(
    days=st.integers(1, 9),
    start=st.integers(0, 23),
    hours=st.integers(1, 24),
    step=st.sampled_from([900.0, 1800.0, 3600.0, 7200.0]),
    t=st.floats(-1e5, 1e6, allow_nan=False),
)
def test_every_time_counts_in_a_reported_interval_at_or_after_its_own(days, start, hours, step, t):
    """Night bins fold into the next opening (after the last day: the last interval), so per-
    interval sums add up to the totals and nothing is counted before it happened."""
    h = Horizon(duration=hours * 3600.0, interval=step, start=start * 3600.0, clock=True, days=days)
    i = h.interval_of(t)
    assert 0 <= i < h.n_intervals
    opens = h.interval_start(i)
    if 0 <= t < h.end:  # inside interval i, or a night folded into the next opening
        assert opens <= t < opens + step or opens > t
    elif t >= h.end:
        assert i == h.n_intervals - 1
    for k in range(h.n_intervals):  # each reported interval is its own bin
        assert h.interval_of(h.interval_start(k)) == k


def test_scenario_is_immutable():
    s = load_scenario_text(FULL)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.name = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.horizon.duration = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.channels["fax"] = s.channels["voice"]  # type: ignore[index]
    with pytest.raises(TypeError):
        s.handle_time.by_intent["x"] = Constant(1.0)  # type: ignore[index]
    assert isinstance(s.routing, tuple) and isinstance(s.agents["voice_team"].schedule, tuple)
