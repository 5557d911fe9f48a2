"""Outcomes from a journey: bounded, monotone in effort and resolution, smooth, consistent (no
promoter left unresolved or at effort 7), and as docs/model.md writes them."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.outcomes import (
    EFFORT_MAX,
    NPS_CLASSES,
    OutcomeTable,
    churn_probability,
    effort_score,
    likely_class,
    nps,
    nps_shares,
    recommend_distribution,
    telling_probability,
)
from simulator.scenario.outcomes import OutcomeParams
from simulator.scenario.schema import Segment

PARAMS = OutcomeParams()
WEIGHTS = PARAMS.effort
RECOMMEND = PARAMS.recommend
efforts = st.floats(1.0, 7.0)
counts = st.integers(0, 20)
FACTS = (
    "contacts",
    "switches",
    "transfers",
    "repeats",
    "bot_failures",
    "wait_beyond_promise",
    "closed_or_blocked",
)


def _effort(**facts):
    base = dict.fromkeys(FACTS, 0)
    base.update(contacts=1, resolved=True)
    base.update(facts)
    return effort_score(WEIGHTS, **base)


# --- effort ------------------------------------------------------------------------------------


def test_effort_formula():
    assert _effort() == 1.0
    w = WEIGHTS
    expected = (
        1 + w.extra_contact + w.switch + w.transfer + w.repeat + w.wait_beyond_promise * math.log(3)
    )
    assert _effort(contacts=2, switches=1, transfers=1, repeats=1, wait_beyond_promise=2.0) == (
        pytest.approx(expected)
    )
    assert _effort(resolved=False) == 1 + w.unresolved
    assert _effort(contacts=9, repeats=9, resolved=False) == EFFORT_MAX


@given(
    facts=st.fixed_dictionaries(
        {
            "contacts": st.integers(1, 10),
            **{k: counts for k in FACTS[1:] if k != "wait_beyond_promise"},
            "wait_beyond_promise": st.floats(0.0, 1000.0),
            "resolved": st.booleans(),
        }
    ),
    fact=st.sampled_from([*FACTS, "unresolved"]),
)
def test_effort_is_on_the_scale_and_never_falls_with_more_of_a_fact(facts, fact):
    before = _effort(**facts)
    assert 1.0 <= before <= EFFORT_MAX
    more = dict(facts)
    if fact == "unresolved":
        more["resolved"] = False
    else:
        more[fact] += 1
    assert _effort(**more) >= before


# --- recommend ---------------------------------------------------------------------------------


@given(st.booleans(), efforts)
def test_answers_are_a_distribution(resolved, effort):
    answers = recommend_distribution(RECOMMEND, resolved, effort)
    assert len(answers) == 11
    assert all(a >= 0 for a in answers)
    assert math.fsum(answers) == pytest.approx(1.0)


@given(st.booleans(), efforts, efforts)
def test_more_effort_never_makes_a_better_answer(resolved, e1, e2):
    low, high = sorted((e1, e2))
    promoter_low, detractor_low = nps_shares(recommend_distribution(RECOMMEND, resolved, low))
    promoter_high, detractor_high = nps_shares(recommend_distribution(RECOMMEND, resolved, high))
    assert promoter_high <= promoter_low + 1e-12
    assert detractor_high >= detractor_low - 1e-12


@given(efforts)
def test_resolution_never_makes_a_worse_answer(effort):
    resolved = nps_shares(recommend_distribution(RECOMMEND, True, effort))
    unresolved = nps_shares(recommend_distribution(RECOMMEND, False, effort))
    assert unresolved[0] <= resolved[0] and unresolved[1] >= resolved[1]


@given(efforts)
def test_consistency_no_promoter_unresolved_or_at_effort_seven(effort):
    """A customer left unresolved, or whose effort rounds to 7 of 7, never answers 9 or 10."""
    assert nps_shares(recommend_distribution(RECOMMEND, False, effort))[0] == 0.0
    assert nps_shares(recommend_distribution(RECOMMEND, True, max(effort, 6.51)))[0] == 0.0
    assert likely_class(recommend_distribution(RECOMMEND, True, 7.0)) != "promoter"


def test_the_rule_can_be_switched_off():
    loose = dataclasses.replace(RECOMMEND, promoter_requires_resolved=False, promoter_max_effort=7)
    assert nps_shares(recommend_distribution(loose, False, 2.0))[0] > 0.0
    assert nps_shares(recommend_distribution(loose, True, 7.0))[0] > 0.0


def test_levels_a_planner_can_check():
    """An effortless resolved customer is NPS +45 by default; one resolved at effort 3 about 0;
    one who gave up clearly negative."""

    def score(resolved, effort):
        promoter, detractor = nps_shares(recommend_distribution(RECOMMEND, resolved, effort))
        return 100 * (promoter - detractor)

    assert score(True, 1.0) == pytest.approx(45.0)
    assert -15 < score(True, 3.0) < 15
    assert score(False, _effort(resolved=False)) < -60


def test_likely_class():
    assert likely_class(recommend_distribution(RECOMMEND, True, 1.0)) == "promoter"
    assert likely_class(recommend_distribution(RECOMMEND, False, 3.0)) == "detractor"
    assert set(NPS_CLASSES) == {"promoter", "passive", "detractor"}


# --- churn -------------------------------------------------------------------------------------

SEGMENT = Segment("any", 1.0, reach=100.0, churn_base=0.02, churn_max=0.3)


@given(st.booleans(), efforts, efforts)
def test_churn_between_base_and_max_and_never_falls_with_effort(resolved, e1, e2):
    low, high = sorted((e1, e2))
    p_low = churn_probability(PARAMS.churn, SEGMENT, resolved, low)
    p_high = churn_probability(PARAMS.churn, SEGMENT, resolved, high)
    assert SEGMENT.churn_base <= p_low <= p_high <= SEGMENT.churn_max
    assert churn_probability(PARAMS.churn, SEGMENT, False, low) >= p_low


def test_churn_formula_and_cap():
    log_odds = math.log(0.02 / 0.98) + PARAMS.churn.effort * 2 + PARAMS.churn.unresolved
    expected = 1 / (1 + math.exp(-log_odds))
    assert churn_probability(PARAMS.churn, SEGMENT, False, 3.0) == pytest.approx(expected)
    assert churn_probability(PARAMS.churn, SEGMENT, True, 1.0) == pytest.approx(0.02)
    capped = dataclasses.replace(SEGMENT, churn_max=0.03)
    assert churn_probability(PARAMS.churn, capped, False, 7.0) == 0.03
    sure = dataclasses.replace(SEGMENT, churn_base=0.0, churn_max=0.0)
    assert churn_probability(PARAMS.churn, sure, False, 7.0) == 0.0


# --- word of mouth -----------------------------------------------------------------------------


@given(st.booleans(), efforts, efforts)
def test_word_of_mouth_moves_the_right_way_with_effort(resolved, e1, e2):
    low, high = sorted((e1, e2))
    bad, good = PARAMS.negative_word_of_mouth, PARAMS.positive_word_of_mouth
    assert telling_probability(bad, resolved, low, negative=True) <= telling_probability(
        bad, resolved, high, negative=True
    )
    assert telling_probability(good, resolved, low, negative=False) >= telling_probability(
        good, resolved, high, negative=False
    )


@given(st.booleans(), efforts)
def test_word_of_mouth_grows_smoothly_no_step(resolved, effort):
    """A hundredth of an effort point never moves the chance of telling by more than a
    hundredth of the whole (the old rule jumped from 0 to everyone at frustration 50)."""
    bad = PARAMS.negative_word_of_mouth
    step = abs(
        telling_probability(bad, resolved, min(effort + 0.01, 7.0), negative=True)
        - telling_probability(bad, resolved, effort, negative=True)
    )
    assert step <= 0.01 * bad.effort / 4 + 1e-12  # the logistic's slope is at most 1/4


# --- the table and NPS -------------------------------------------------------------------------


def test_table_computes_each_outcome_once_at_effort_rounded_to_a_hundredth():
    table = OutcomeTable(PARAMS, [SEGMENT])
    first = table.get(0, False, 2.344)
    assert table.get(0, False, 2.3449) is first
    assert first == table.compute(0, False, 2.34)
    promoter, detractor, churn, excess, told_bad, told_good, answers = first
    assert (promoter, detractor) == nps_shares(answers)
    assert excess == pytest.approx(churn - SEGMENT.churn_base)
    assert told_bad == pytest.approx(
        telling_probability(PARAMS.negative_word_of_mouth, False, 2.34, negative=True) * 100.0
    )
    assert told_good == pytest.approx(
        telling_probability(PARAMS.positive_word_of_mouth, False, 2.34, negative=False) * 50.0
    )


def test_nps_score():
    assert nps(50, 20, 100) == pytest.approx(30.0)
    assert nps(0.5, 0.25, 1) == pytest.approx(25.0)
    assert nps(0, 10, 10) == pytest.approx(-100.0)
    assert math.isnan(nps(0, 0, 0))
    with pytest.raises(ValueError):
        nps(8, 5, 10)
