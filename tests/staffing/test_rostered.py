"""A roster as a scenario (simulator/staffing/rostered.py): every group's schedule has the
roster's heads at work, minute by minute."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.staffing.shift_rules import rostered_group


def test_the_rostered_scenario_has_the_rosters_heads_at_work(day):
    scenario, roster = day.rostered, day.roster
    horizon = scenario.horizon
    for group in day.groups:
        coverage = roster.coverage(group, "day")
        schedule = scenario.agents[group]
        assert schedule.shrinkage == rostered_group(day.scenario, group).shrinkage
        # the time-average of the schedule over each interval is the roster's coverage
        for k, expected in enumerate(coverage):
            start = k * horizon.interval
            samples = [schedule.heads_at(start + s) for s in range(0, int(horizon.interval), 60)]
            assert np.mean(samples) == pytest.approx(expected), (group, k)
