"""Fitting the outcome model to a survey (simulator/calibrate/outcome_fit.py): synthetic surveys
drawn from known coefficients are recovered within the reported 95 % intervals about 95 % of
the time (the test asks for at least 90 % over repeated draws)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simulator.calibrate.outcome_fit import (
    EFFORT_FACTS,
    design,
    fit_outcomes,
    modelled_effort,
    outcomes_block,
)
from simulator.calibrate.survey import Survey
from simulator.model.outcomes import recommend_distribution
from simulator.scenario import load_scenario_text
from simulator.scenario.outcomes import ChurnModel, EffortWeights, RecommendModel

TRUE_WEIGHTS = EffortWeights(
    extra_contact=0.6,
    switch=0.5,
    transfer=0.3,
    repeat=0.8,
    bot_failure=0.4,
    wait_beyond_promise=0.9,
    unresolved=1.2,
    closed_or_blocked=0.5,
)
TRUE_RECOMMEND = RecommendModel(unresolved=1.8, effort=0.6)
TRUE_CHURN = ChurnModel(effort=0.4, unresolved=1.0)
TRUE_BASE = 0.08
ROWS = 2000
DRAWS = 30


def synthetic(seed: int, rows: int = ROWS, effort_noise: float = 0.5) -> Survey:
    """A survey drawn from the true coefficients: journeys of varied effort, every question."""
    rng = np.random.default_rng(seed)
    contacts = 1 + rng.poisson(0.6, rows)
    resolved = (rng.random(rows) < 0.8).astype(float)
    facts = {
        "switches": rng.binomial(contacts - 1, 0.5),
        "transfers": rng.poisson(0.3, rows),
        "repeats": rng.poisson(0.4, rows),
        "bot_failures": rng.poisson(0.2, rows),
        "closed_or_blocked": rng.poisson(0.15, rows),
    }
    wait = np.where(rng.random(rows) < 0.5, rng.exponential(1.0, rows), 0.0)
    nan = np.full(rows, np.nan)
    survey = Survey(
        "synthetic",
        contacts=contacts.astype(float),
        wait_beyond_promise=wait,
        resolved=resolved,
        recommend=nan,
        effort=nan,
        churned=nan,
        **{name: values.astype(float) for name, values in facts.items()},
    )
    weights = np.array([getattr(TRUE_WEIGHTS, name) for name in EFFORT_FACTS])
    effort = modelled_effort(design(survey), weights)
    answers = np.array(
        [
            rng.choice(11, p=np.array(recommend_distribution(TRUE_RECOMMEND, bool(r), e)))
            for r, e in zip(resolved, effort, strict=True)
        ]
    )
    logit = np.log(TRUE_BASE / (1 - TRUE_BASE)) + TRUE_CHURN.effort * (effort - 1)
    logit += TRUE_CHURN.unresolved * (1 - resolved)
    churned = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(float)
    # Effort answers: the modelled effort plus noise, unclipped (the least-squares model).
    observed_effort = 1 + design(survey) @ weights + rng.normal(0, effort_noise, rows)
    return Survey(
        "synthetic",
        contacts=survey.contacts,
        switches=survey.switches,
        transfers=survey.transfers,
        repeats=survey.repeats,
        bot_failures=survey.bot_failures,
        closed_or_blocked=survey.closed_or_blocked,
        wait_beyond_promise=wait,
        resolved=resolved,
        recommend=answers.astype(float),
        effort=observed_effort,
        churned=churned,
    )


def _truth() -> dict[str, float]:
    truth = {f"effort.{name}": getattr(TRUE_WEIGHTS, name) for name in EFFORT_FACTS}
    truth |= {"recommend.unresolved": 1.8, "recommend.effort": 0.6}
    truth |= {"churn.effort": 0.4, "churn.unresolved": 1.0, "churn.churn_base": TRUE_BASE}
    return truth


def _estimates(seed: int) -> dict[str, tuple[float, float]]:
    fit = fit_outcomes(synthetic(seed))
    found = {f"effort.{c.name}": c.ci for c in fit.effort or []}
    found |= {f"recommend.{c.name}": c.ci for c in fit.recommend or []}
    found |= {f"churn.{c.name}": c.ci for c in fit.churn or []}
    assert fit.churn_base is not None
    found["churn.churn_base"] = fit.churn_base.ci
    return found


@pytest.fixture(scope="module")
def repeated() -> list[dict[str, tuple[float, float]]]:
    return [_estimates(seed) for seed in range(DRAWS)]


@pytest.mark.parametrize("name", sorted(_truth()))
def test_known_coefficients_fall_in_their_intervals(repeated, name):
    true = _truth()[name]
    inside = sum(low <= true <= high for low, high in (draw[name] for draw in repeated))
    assert inside / DRAWS >= 0.9, f"{name}: true {true} inside {inside} of {DRAWS} intervals"
    # And the intervals are informative, not wide enough to contain anything.
    widths = [high - low for low, high in (draw[name] for draw in repeated)]
    assert np.median(widths) < max(0.5 * abs(true), 0.05) * 2, (name, np.median(widths))


def test_the_fitted_block_is_a_valid_outcomes_block():
    fit = fit_outcomes(synthetic(99))
    block = outcomes_block(fit)
    assert fit.recommend_fitted is not None and fit.recommend_observed is not None
    assert np.allclose(fit.recommend_fitted, fit.recommend_observed, atol=0.02)
    assert abs(fit.churn_fitted - fit.churn_observed) < 0.005
    text = (
        "scenario: fitted\nhorizon: {start: '08:00', end: '09:00'}\narrivals: {rate: 10/h}\n"
        "channels: {voice: {patience: {exponential: {mean: 1m}}}}\n"
        "agents: {a: {skills: [voice], count: 1}}\n"
        "handle_time: {default: {exponential: {mean: 3m}}}\n" + yaml.safe_dump({"outcomes": block})
    )
    scenario = load_scenario_text(text)
    assert scenario.outcomes.recommend.effort == block["recommend"]["effort"]
    assert scenario.outcomes.churn.unresolved == block["churn"]["unresolved"]
