"""What cxsim schedule writes (simulator/staffing/schedule_output.py): the same bytes twice,
files that read back, and a roster variant that gives the rostered schedules."""

from __future__ import annotations

import pytest
import yaml

from simulator.scenario import load_scenario, load_variants_text
from simulator.staffing.schedule_output import schedule_document, variant_yaml, write_outputs
from tests.staffing.scenario_texts import SHIFT_DAY


def test_outputs_are_written_the_same_twice_and_read_back(day, tmp_path):
    first = [p.read_bytes() for p in write_outputs(day, tmp_path / "a")]
    second = [p.read_bytes() for p in write_outputs(day, tmp_path / "a")]
    assert first == second
    document = schedule_document(day)
    assert document["roster"]["gap_pct"] == pytest.approx(day.gap_pct)
    assert document["verification"]["met"] is True
    assert sum(row["heads"] for row in document["lines"]) == day.roster.heads
    rostered = load_scenario(tmp_path / "a" / "scenario.rostered.yaml")
    assert rostered.agents == day.rostered.agents
    assert (tmp_path / "a" / "coverage.png").read_bytes().startswith(b"\x89PNG")
    assert (
        (tmp_path / "a" / "roster.csv")
        .read_text()
        .startswith("group,day,shift,start,end,paid,breaks,heads,cost,added\n")
    )


def test_the_roster_variant_gives_the_rostered_schedules(day):
    overlay = yaml.safe_load(variant_yaml(day, "r.yaml"))["variants"]
    text = SHIFT_DAY + yaml.safe_dump({"variants": overlay})
    variant = load_variants_text(text, "day.yaml")["rostered"]
    for group in day.groups:
        assert variant.agents[group] == day.rostered.agents[group]
