"""The terminal summary of ``cxsim schedule`` (simulator/staffing/schedule_text.py): the cost
against the bound, whether every target holds, and per group its shifts, hours, cost and KPIs,
with the roster's lines for a short roster. The command is tested in tests/test_cli_schedule.py."""

from __future__ import annotations

from simulator.staffing.schedule_compare import comparison
from simulator.staffing.schedule_text import summary_text


def test_the_summary_gives_the_rosters_cost_verdict_and_every_line(day):
    text = summary_text(day, ["roster.csv", "schedule.json"])
    roster = day.roster
    assert (
        f"Cost {roster.cost:,.0f} for {roster.heads} shifts against the interval lower bound "
        f"{day.lower_bound:,.0f}: +{day.gap_pct:.1f} %"
    ) in text
    assert "Every target holds on the simulated days." in text
    for row in comparison(day):
        shifts = sum(ln.heads for ln in roster.lines if ln.shift.group == row.group)
        assert f"{row.group}: {shifts} shifts, {row.paid_hours:,.1f} paid hours" in text
    worked = [line for line in text.splitlines() if line.startswith("    day ")]
    assert len(worked) == len(roster.lines)  # a short roster is listed line by line
    assert text.endswith("Wrote roster.csv, schedule.json\n")
