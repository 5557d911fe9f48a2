"""Journey cells (simulator.observe.journey): counting finished customers one at a time."""

from __future__ import annotations

import math

from simulator.observe.journey import JourneyCell, Outcome


def test_add_counts_one_customer_into_every_field_it_concerns():
    cell = JourneyCell(customers=3)
    calm: Outcome = (0.0, 0, 0, False, 0.0, 0.02, "promoter")
    furious: Outcome = (100.0, 100, 9, True, 12.0, 0.4, "detractor")
    cell.add(True, 300.0, 1, 20.0, 1.5, calm)
    cell.add(False, 999.0, 3, 600.0, 5.0, furious)  # time to resolution ignored: gave up
    cell.add(True, 900.0, 2, 60.0, 2.0, (55.5, 70, 5, True, 4.0, 0.1, "passive"), (1, 2, 1, 1, 1))
    assert (cell.resolved, cell.gave_up, cell.first_contact, cell.contacts) == (2, 1, 1, 6)
    assert cell.time_to_resolution == 1200.0 and cell.total_wait == 680.0
    assert (cell.promoters, cell.detractors, cell.angry_or_worse, cell.reach) == (1, 1, 2, 16.0)
    assert cell.peaks[0] == cell.peaks[100] == cell.peaks[70] == 1 and sum(cell.peaks) == 3
    assert cell.finals[0] == cell.finals[9] == cell.finals[5] == 1
    assert (cell.repeats, cell.transfers, cell.switches) == (1, 2, 1)
    assert (cell.bot_sessions, cell.bot_failures) == (1, 1)
    kpis = cell.kpis()
    assert kpis["fcr"] == 1 / 3 and kpis["nps"] == 0.0
    assert math.isclose(kpis["frustration"]["mean_final"], 155.5 / 3)
    assert math.isclose(kpis["churn_rate"], 0.52 / 3)
