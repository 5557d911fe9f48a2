"""Why a roster programme cannot be solved (simulator/staffing/roster_programme.py): the interval
the limits cannot meet with the most heads that fit there, or the limits that contradict each
other, named in the planner's terms."""

from __future__ import annotations

import pytest

from simulator.staffing.roster import (
    PartTimeLimits,
    RosterError,
    ShiftRule,
    solve_roster,
)
from tests.staffing.roster_checks import HOURLY, H, one_group


def test_max_heads_that_cannot_meet_an_interval_name_it_and_the_most_that_fit():
    rule = ShiftRule("four", (4 * H,), ((8 * H, 12 * H),), H, max_heads=10)
    needs = (3, 3, 12, 3, 3, 3, 3, 3)
    with pytest.raises(RosterError) as caught:
        solve_roster(one_group(needs, (rule,), HOURLY))
    assert str(caught.value) == (
        "group 'sales' on mon cannot meet its requirement: mon 10:00-11:00 needs 12 heads, "
        "at most 10 fit ('four' 0..10 heads)"
    )
    assert caught.value.group == "sales" and caught.value.day == "mon"


def test_limits_that_contradict_each_other_are_named():
    part = ShiftRule("part", (4 * H,), ((8 * H, 12 * H),), H, min_heads=3, part_time=True)
    with pytest.raises(RosterError, match=r"the limits contradict each other .*at most 2 heads"):
        solve_roster(one_group((1,) * 8, (part,), HOURLY, PartTimeLimits(max_heads=2)))
