"""The bundled journey stories show in their numbers.

Each scenario in ``scenarios/`` tells a story (see the comment at the top of each file); these
tests run 4 replications of each and check that the story is what the engine produces. Where a
comparison is the point, it is asserted in every replication and, for the size of the effect,
with a Student-t 95 % interval.

The two retail-bank files have the same seed, customers, demand and agents, so replication r of
one and replication r of the other see the same arrivals (common random numbers): their
differences are paired per replication.
"""

from __future__ import annotations

import functools

from simulator.experiment.replication import run_replication
from simulator.experiment.stats import estimate
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario
from tests.paths import SCENARIOS

REPLICATIONS = 4


@functools.cache
def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml")


@functools.cache
def runs(name: str) -> tuple[dict, ...]:
    return tuple(run_replication(scenario(name), r) for r in range(REPLICATIONS))


def journey(name: str, kpi: str) -> list[float]:
    return [run["journey"][kpi] for run in runs(name)]


def frustration(name: str, kpi: str) -> list[float]:
    return [run["journey"]["frustration"][kpi] for run in runs(name)]


def differences(a: list[float], b: list[float]) -> list[float]:
    """``a - b`` per replication."""
    return [x - y for x, y in zip(a, b, strict=True)]


# --------------------------------------------------------------------------------------------
# Retail bank: siloed vs omnichannel


def test_the_two_banks_have_the_same_customers():
    """Common random numbers: only the infrastructure differs, so replication r of each bank
    counts exactly the same customers."""
    assert journey("retail_bank_siloed", "customers") == journey(
        "retail_bank_omnichannel", "customers"
    )


def test_a_shared_record_means_nobody_repeats_themselves():
    siloed = journey("retail_bank_siloed", "repeats_per_100")
    omni = journey("retail_bank_omnichannel", "repeats_per_100")
    assert all(x == 0.0 for x in omni), omni
    assert all(x > 5.0 for x in siloed), siloed
    assert all(d > 0 for d in differences(siloed, omni))
    # Siloed customers lose context at transfers and at channel switches; omnichannel ones never.
    kinds = {
        key.split(":")[0] for run in runs("retail_bank_siloed") for key in run["context_losses"]
    }
    assert {"transfer", "channel_switch"} <= kinds
    assert all(run["context_losses"] == {} for run in runs("retail_bank_omnichannel"))


def test_omnichannel_resolves_more_at_first_contact():
    """No "please call us" for social customers and no re-explaining: more first-contact
    resolutions, in every replication."""
    diffs = differences(
        journey("retail_bank_omnichannel", "fcr"), journey("retail_bank_siloed", "fcr")
    )
    assert all(d > 0 for d in diffs), diffs
    assert estimate(diffs).ci_low > 0.05, diffs  # about +0.15


def test_omnichannel_customers_end_calmer_and_churn_less():
    angry = differences(
        frustration("retail_bank_siloed", "share_angry_or_worse"),
        frustration("retail_bank_omnichannel", "share_angry_or_worse"),
    )
    churn = differences(
        journey("retail_bank_siloed", "churn_rate"),
        journey("retail_bank_omnichannel", "churn_rate"),
    )
    for diffs in (angry, churn):
        assert all(d > 0 for d in diffs), diffs
        assert estimate(diffs).ci_low > 0, diffs
    mean_final = differences(
        frustration("retail_bank_siloed", "mean_final"),
        frustration("retail_bank_omnichannel", "mean_final"),
    )
    assert estimate(mean_final).ci_low > 0, mean_final


# --------------------------------------------------------------------------------------------
# E-commerce with an AI bot


def test_the_ai_bot_contains_most_but_not_all_chats():
    rates = [run["bots"]["order_assistant"]["containment_rate"] for run in runs("ecommerce_ai_bot")]
    assert all(0.4 < r < 0.95 for r in rates), rates
    est = estimate(rates)
    assert est.ci_low > 0.4 and est.ci_high < 0.95, est


def test_complaints_defeat_the_bot_and_order_tracking_does_not():
    """Complaints are 15 % of customers and order tracking 55 %, yet complaints fail the bot
    more often in absolute numbers (containment 5 % vs 85 % per turn)."""
    for run in runs("ecommerce_ai_bot"):
        bot = run["bots"]["order_assistant"]
        failures = bot["failures_by_intent"]
        assert failures["complaint"] > failures["where_is_my_order"], failures
        assert sum(failures.values()) == bot["escalated"] + bot["redirected"]
        assert bot["redirected"] == 0  # it escalates to chat agents, never redirects


# --------------------------------------------------------------------------------------------
# Social-first brand


def test_slow_social_answers_make_customers_angrier_than_at_the_omnichannel_bank():
    social = frustration("social_first_brand", "share_angry_or_worse")
    bank = frustration("retail_bank_omnichannel", "share_angry_or_worse")
    assert min(social) > max(bank), (social, bank)
    assert estimate(social).ci_low > estimate(bank).ci_high


def test_social_waits_exceed_the_promised_hour():
    expected = scenario("social_first_brand").channels["social"].expected_response
    assert expected == 3600.0
    waits = [run["by_channel"]["social"]["mean_wait_s"] for run in runs("social_first_brand")]
    assert all(w > expected for w in waits), waits
    assert estimate(waits).ci_low > expected, waits
