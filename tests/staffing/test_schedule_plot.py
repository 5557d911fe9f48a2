"""coverage.png (simulator/staffing/schedule_plot.py): the same roster draws the same bytes, and
another roster another picture."""

from __future__ import annotations

import dataclasses

from simulator.staffing.schedule_plot import coverage_plot


def test_the_same_roster_draws_the_same_png_and_another_roster_another(day):
    first = coverage_plot(day)
    assert first.startswith(b"\x89PNG") and first == coverage_plot(day)
    thinner = dataclasses.replace(day.roster, lines=day.roster.lines[1:])
    repaired = dataclasses.replace(day.repaired, roster=thinner)
    assert coverage_plot(dataclasses.replace(day, repaired=repaired)) != first
