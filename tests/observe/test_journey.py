"""Journey cells (simulator.observe.journey): counting customers one at a time, every outcome
over all of them (resolved, given up and unfinished)."""

from __future__ import annotations

import math
import pickle

import pytest

from simulator.observe.journey import (
    GAVE_UP,
    RESOLVED,
    UNFINISHED,
    Feeling,
    JourneyCell,
    JourneyRecord,
    Survey,
)

EVEN = tuple([1 / 11] * 11)


def _survey(promoter: float, detractor: float, churn: float, told: float) -> Survey:
    return (promoter, detractor, churn, churn - 0.01, told, 1.0, EVEN)


def test_add_counts_one_customer_into_every_field_it_concerns():
    cell = JourneyCell(customers=4)
    calm: Feeling = (0.0, 0, 0, False)
    furious: Feeling = (100.0, 100, 9, True)
    cell.add(RESOLVED, 300.0, 1, 20.0, 1.0, calm, _survey(0.6, 0.1, 0.02, 0.5))
    cell.add(GAVE_UP, 999.0, 3, 600.0, 5.0, furious, _survey(0.0, 0.9, 0.2, 300.0))
    cell.add(
        RESOLVED, 900.0, 2, 60.0, 2.0, (55.5, 70, 5, True), _survey(0.3, 0.3, 0.05, 2.0),
        (1, 2, 1, 1, 1),
    )  # fmt: skip
    cell.add(UNFINISHED, 999.0, 1, 3600.0, 3.0, (40.0, 40, 4, False), _survey(0.0, 0.7, 0.1, 9))
    assert (cell.resolved, cell.gave_up, cell.unfinished) == (2, 1, 1)
    assert (cell.first_contact, cell.contacts) == (1, 7)
    assert cell.time_to_resolution == 1200.0 and cell.total_wait == 4280.0
    assert len(cell.pending) == 4 and cell.promoters == 0.0  # surveys wait to be settled
    cell.settle()
    assert cell.promoters == pytest.approx(0.9) and cell.detractors == pytest.approx(2.0)
    assert (cell.angry_or_worse, cell.reach, cell.reach_positive) == (2, 311.5, 4.0)
    assert cell.peaks[0] == cell.peaks[100] == cell.peaks[70] == cell.peaks[40] == 1
    assert cell.finals[0] == cell.finals[9] == cell.finals[5] == cell.finals[4] == 1
    assert (cell.repeats, cell.transfers, cell.switches) == (1, 2, 1)
    assert (cell.bot_sessions, cell.bot_failures) == (1, 1)
    assert cell.ltr == pytest.approx([4 / 11] * 11)


def test_every_outcome_has_all_customers_as_denominator():
    cell = JourneyCell(customers=4)
    cell.add(RESOLVED, 60.0, 1, 0.0, 1.0, (0.0, 0, 0, False), _survey(1.0, 0.0, 0.01, 0.0))
    cell.add(RESOLVED, 60.0, 1, 0.0, 1.0, (0.0, 0, 0, False), _survey(1.0, 0.0, 0.01, 0.0))
    cell.add(GAVE_UP, 60.0, 1, 0.0, 3.0, (60.0, 60, 6, True), _survey(0.0, 1.0, 0.05, 10.0))
    cell.add(UNFINISHED, 0.0, 1, 0.0, 3.0, (60.0, 60, 6, True), _survey(0.0, 1.0, 0.05, 10.0))
    kpis = cell.kpis()
    assert kpis["customers"] == kpis["resolved"] + kpis["gave_up"] + kpis["unfinished"] == 4
    assert kpis["unfinished_rate"] == 0.25 and kpis["in_system"] == 1.0
    assert kpis["nps"] == 0.0  # 2 promoters, 2 detractors of 4 customers (not of 3 finished)
    assert (kpis["promoters"], kpis["detractors"]) == (0.5, 0.5)
    assert kpis["effort"] == 2.0 and kpis["churn_rate"] == pytest.approx(0.03)
    assert kpis["excess_churn_rate"] == pytest.approx(0.02)
    assert kpis["frustration"]["share_angry_or_worse"] == 0.5
    assert kpis["frustration"]["mean_final"] == 30.0
    assert sum(kpis["frustration"]["final_distribution"]) == 1.0
    assert kpis["word_of_mouth"] == {"negative": 20.0, "positive": 4.0, "net": -16.0}
    assert kpis["word_of_mouth_reach"] == 20.0
    assert sum(kpis["ltr_distribution"]) == pytest.approx(1.0)


def test_merge_adds_every_count():
    a, b = JourneyCell(customers=1), JourneyCell(customers=1)
    a.add(RESOLVED, 60.0, 1, 0.0, 1.0, (0.0, 0, 0, False), _survey(1.0, 0.0, 0.01, 0.0))
    b.add(UNFINISHED, 0.0, 1, 30.0, 2.0, (60.0, 60, 6, True), _survey(0.0, 1.0, 0.05, 10.0))
    a.merge(b)
    assert (a.customers, a.resolved, a.unfinished, a.total_wait) == (2, 1, 1, 30.0)
    assert a.ltr == pytest.approx([2 / 11] * 11) and a.reach == 10.0
    assert math.isclose(a.kpis()["nps"], 0.0)


def test_recommend_answers_survive_pickling_and_merging():
    """Cells travel between processes (pickled) and merge there: the answers of every customer
    are counted once, whatever object identity they had where they were counted."""
    late = tuple([0.5] + [0.05] * 10)
    a, b = JourneyCell(customers=2), JourneyCell(customers=1)
    for cell, survey in ((a, _survey(1.0, 0.0, 0.01, 0.0)), (a, _survey(1.0, 0.0, 0.01, 0.0))):
        cell.add(RESOLVED, 60.0, 1, 0.0, 1.0, (0.0, 0, 0, False), survey)
    b.add(GAVE_UP, 0.0, 1, 0.0, 3.0, (0.0, 0, 0, False), (0.0, 1.0, 0.1, 0.09, 1.0, 0.0, late))
    a, b = pickle.loads(pickle.dumps(a)), pickle.loads(pickle.dumps(b))
    a.merge(b)
    a.merge(pickle.loads(pickle.dumps(JourneyCell())))
    expected = [2 / 11 + share for share in late]
    assert a.ltr == pytest.approx(expected)
    assert sum(a.kpis()["ltr_distribution"]) == pytest.approx(1.0)


def test_record_names_its_most_likely_answer():
    answers = (0.0,) * 3 + (0.5, 0.5) + (0.0,) * 6
    record = JourneyRecord(
        1, "s", "i", 0.0, False, 1, 0, 0, 0, 0.0, 0, 0, 0.0, None, 0.0, 0.0, 0.0,
        "detractor", 2.0, 0.0, outcome="unfinished", recommend=answers,
    )  # fmt: skip
    assert record.likely_recommend == 3


def test_settled_sums_do_not_depend_on_how_customers_were_split():
    """The engine shares one survey object per outcome and a cell counts customers per object;
    settling adds count x value per survey. However the same customers are spread over cells,
    objects and processes (pickled), the sums agree, and settling twice adds nothing."""
    surveys = [_survey(0.1 * k, 0.05 * k, 0.01 * k, 1.5 * k) for k in range(1, 8)]
    customers = [surveys[(i * i) % 7] for i in range(200)]
    whole = JourneyCell(customers=len(customers))
    for survey in customers:
        whole.add(RESOLVED, 60.0, 1, 0.0, 1.0, (0.0, 0, 0, False), survey)
    whole.settle()
    whole.settle()
    parts = [JourneyCell(customers=50) for _ in range(4)]
    for i, survey in enumerate(customers):
        copy = (*survey[:6], tuple(list(survey[6])))  # an equal survey, another object
        assert copy == survey and copy is not survey
        parts[i % 4].add(RESOLVED, 60.0, 1, 0.0, 1.0, (0.0, 0, 0, False), copy)
    merged = JourneyCell()
    for part in parts:
        merged.merge(pickle.loads(pickle.dumps(part)))
    for name in ("promoters", "detractors", "churn", "excess_churn", "reach", "reach_positive"):
        assert getattr(merged, name) == pytest.approx(getattr(whole, name), rel=1e-12), name
    assert merged.ltr == pytest.approx(whole.ltr, rel=1e-12)
    assert whole.reach == pytest.approx(sum(survey[4] for survey in customers))
    assert not whole.pending and not merged.pending
