"""The roster as a value (simulator/staffing/roster_result.py): its rows are what roster.csv
needs."""

from __future__ import annotations

from simulator.staffing.roster import (
    BreakRule,
    ShiftRule,
    roster_rows,
    solve_roster,
)
from tests.staffing.roster_checks import HOURLY, H, one_group


def test_roster_rows_hold_what_a_roster_csv_needs():
    lunch = BreakRule("lunch", H, 3 * H, 5 * H, paid=False, step_s=H)
    day = ShiftRule("day", (7 * H,), ((8 * H, 8 * H),), H, breaks=(lunch,), hourly_cost=10.0)
    roster = solve_roster(one_group((1, 1, 1, 0, 1, 1, 1, 1), (day,), HOURLY))
    assert roster_rows(roster) == [
        {
            "group": "sales",
            "day": "mon",
            "shift": "day",
            "start": "08:00",
            "end": "16:00",
            "paid": "7h",
            "breaks": "lunch 11:00-12:00 unpaid",
            "heads": 1,
            "cost": 70.0,
        }
    ]
