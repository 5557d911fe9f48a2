"""Resource limits on the whole scenario: each refused at the node that sets it, naming the
limit and the setting that moves it, before anything is built at the refused size."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from tests.scenario_texts import ONE_CHANNEL, only, problems


def test_an_interval_below_the_shortest_is_refused_before_the_grid_is_built():
    """``interval: 1ms`` over 4 hours is 14.4 million intervals: validation took 16-38 s and
    600 MB building per-interval lists. It is refused where it is written."""
    text = ONE_CHANNEL.replace('end: "12:00"}', 'end: "12:00", interval: 1ms}')
    assert only(text) == (
        "s.yaml:2:51: horizon.interval: an interval of 1ms is below the shortest planning "
        "interval, 1m (set CXSIM_MIN_INTERVAL to a smaller value to allow it)"
    )


def test_blocks_needing_a_refused_horizon_are_skipped():
    text = ONE_CHANNEL.replace('end: "12:00"}', 'end: "12:00", interval: 1ms}').replace(
        "rate: 600/h", "rate: [600/h]"
    )
    # the per-interval list is not checked against 14.4 million intervals
    assert [p.key_path for p in problems(text)] == ["horizon.interval"]


def test_the_shortest_interval_can_be_lowered(monkeypatch):
    monkeypatch.setenv("CXSIM_MIN_INTERVAL", "10s")
    text = ONE_CHANNEL.replace('end: "12:00"}', 'end: "12:00", interval: 10s}')
    assert load_scenario_text(text).horizon.n_intervals == 4 * 360


def test_too_many_intervals_are_refused():
    text = ONE_CHANNEL.replace('{start: "08:00", end: "12:00"}', "{duration: 8000h, interval: 1m}")
    assert only(text) == (
        "s.yaml:2:38: horizon.interval: 8000h in intervals of 1m makes 480,000 intervals, more "
        "than the limit of 20,000 (use longer intervals, or set CXSIM_MAX_INTERVALS to a larger "
        "value to allow it)"
    )


def test_too_many_customers_are_refused():
    """``1000000000/h`` was accepted ("~4,000,000,000 customers per run") and the run grew by
    60 MB a second."""
    text = ONE_CHANNEL.replace("rate: 600/h", "rate: 1000000000/h")
    assert only(text) == (
        "s.yaml:3:18: arrivals.rate: 4,000,000,000 customers expected per replication, more than "
        "the limit of 1,000,000 (check the rate's unit (600/h, not 600/s), or set "
        "CXSIM_MAX_CUSTOMERS to a larger value to allow it)"
    )


def test_the_customer_limit_can_be_raised(monkeypatch):
    monkeypatch.setenv("CXSIM_MAX_CUSTOMERS", "5_000_000")
    text = ONE_CHANNEL.replace("rate: 600/h", "rate: 1000000/h")
    assert load_scenario_text(text).arrivals.rates[0] * 3600 == 1e6


def test_too_many_slots_in_a_group_are_refused():
    text = ONE_CHANNEL.replace("{count: 5}", "{count: 5000, concurrency: 1000}")
    assert only(text) == (
        "s.yaml:7:37: agents.voice.concurrency: 5,000 agents x concurrency 1,000 = 5,000,000 "
        "slots, more than the limit of 1,000,000 (set CXSIM_MAX_SLOTS to a larger value to "
        "allow it)"
    )


def many_intents(n: int) -> str:
    share = 1 / n
    intents = "".join(f"    i{k}: {share!r}\n" for k in range(n))
    return ONE_CHANNEL + "customers:\n  intents:\n" + intents


def test_a_routing_table_too_large_to_resolve_is_refused():
    rules = "routing:\n" + "".join(
        f"  - when: {{intent: i{k}}}\n    to: voice\n" for k in range(2000)
    )
    text = many_intents(2000) + rules + "  - to: voice\n"
    assert only(text).endswith(
        "routing: 1 channel(s) x 2,000 intent(s) x 1 segment(s) = 2,000 kinds of contact, each "
        "matched against 2,001 rule(s): 4,002,000 checks, more than the limit of 2,000,000 "
        "(set CXSIM_MAX_ROUTING to a larger value to allow it)"
    )


def test_too_many_counting_cells_are_refused():
    text = many_intents(3000).replace(
        '{start: "08:00", end: "12:00"}', "{duration: 300h, interval: 1m}"
    )
    message = only(text)
    assert message.startswith("s.yaml:2:37: horizon: 3,000 kinds of contact")
    assert "18,000 intervals: 54,072,000 cells" in message
    assert "cells, more than the limit of 10,000,000" in message
