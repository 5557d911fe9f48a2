"""Frustration stays in [0, 100], moves the right way, and tells the three reference stories."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.frustration import (
    EVENTS,
    STATES,
    FrustrationParams,
    after_event,
    after_resolution,
    after_service,
    after_wait,
    patience_factor,
    retry_probability,
    state_of,
    switch_weights,
)

P = FrustrationParams()

frust = st.floats(0.0, 100.0)
seconds = st.floats(0.0, 7 * 86400.0)
sens = st.floats(0.0, 5.0)
shares = st.floats(0.0, 1.0)
events = st.sampled_from(EVENTS)


def in_range(f: float) -> bool:
    return 0.0 <= f <= 100.0


# --- bounds ------------------------------------------------------------------------------------


@given(frust, seconds, seconds, sens, seconds)
def test_wait_keeps_f_in_range(f, waited, expected, sensitivity, already):
    assert in_range(after_wait(f, waited, expected, P, sensitivity, already))


@given(frust, events, sens)
def test_events_keep_f_in_range_and_never_relieve(f, event, sensitivity):
    g = after_event(f, event, P, sensitivity)
    assert in_range(g)
    assert g >= f


@given(frust, seconds, shares)
def test_service_keeps_f_in_range(f, served, empathy):
    assert in_range(after_service(f, served, empathy, P))


@given(frust)
def test_resolution_keeps_f_in_range_and_relieves(f):
    g = after_resolution(f, P)
    assert in_range(g)
    assert g <= f


def test_saturation_never_exceeds_100_even_for_huge_loads():
    assert after_wait(99.0, 1e9, 60, P, sensitivity=5) == pytest.approx(100.0)
    f = 0.0
    for _ in range(1000):
        f = after_event(f, "unresolved", P, sensitivity=3)
    assert f <= 100.0


# --- waiting -----------------------------------------------------------------------------------


@given(frust, seconds, seconds, seconds, sens)
def test_wait_is_monotone_in_waited(f, w1, w2, expected, sensitivity):
    lo, hi = sorted((w1, w2))
    assert after_wait(f, lo, expected, P, sensitivity) <= after_wait(
        f, hi, expected, P, sensitivity
    )


@given(frust, frust, seconds, seconds, sens)
def test_wait_is_monotone_in_f(f1, f2, waited, expected, sensitivity):
    lo, hi = sorted((f1, f2))
    assert after_wait(lo, waited, expected, P, sensitivity) <= after_wait(
        hi, waited, expected, P, sensitivity
    )


# Bounded so F is not fully saturated at `expected`: at 100 there is no room to show either rate.
@given(st.floats(0.0, 95.0), st.floats(60.0, 3600.0), st.floats(0.05, 3.0))
def test_waiting_is_slower_before_expected_than_after(f, expected, sensitivity):
    at = after_wait(f, expected, expected, P, sensitivity)
    before = at - after_wait(f, expected - 60.0, expected, P, sensitivity)
    after = after_wait(f, expected + 60.0, expected, P, sensitivity) - at
    assert before < after


@given(frust, seconds)
def test_wait_is_continuous_at_expected(f, expected):
    eps = 1e-6
    below = after_wait(f, max(expected - eps, 0.0), expected, P)
    above = after_wait(f, expected + eps, expected, P)
    assert above - below < 1e-6


@given(frust, seconds, seconds, seconds, sens)
def test_wait_in_pieces_equals_one_update(f, first, second, expected, sensitivity):
    whole = after_wait(f, first + second, expected, P, sensitivity)
    mid = after_wait(f, first, expected, P, sensitivity)
    pieces = after_wait(mid, second, expected, P, sensitivity, already_s=first)
    assert pieces == pytest.approx(whole, abs=1e-9)


def test_short_wait_within_expectation_is_mild():
    assert after_wait(0.0, 60, 60, P) == pytest.approx(100 * (1 - math.exp(-0.02)))


# --- sensitivity -------------------------------------------------------------------------------


@given(frust, seconds, seconds, events)
def test_sensitivity_zero_means_no_increase(f, waited, expected, event):
    assert after_wait(f, waited, expected, P, sensitivity=0.0) == f
    assert after_event(f, event, P, sensitivity=0.0) == f


@given(frust, events, st.floats(0.0, 3.0), st.floats(0.0, 3.0))
def test_more_sensitive_customers_get_more_frustrated(f, event, s1, s2):
    lo, hi = sorted((s1, s2))
    assert after_event(f, event, P, lo) <= after_event(f, event, P, hi)


# --- events ------------------------------------------------------------------------------------


def test_unknown_event_raises_and_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown frustration event 'shouting'") as info:
        after_event(10.0, "shouting", P)
    for name in EVENTS:
        assert name in str(info.value)


def test_every_event_has_a_coefficient():
    names = {f.name for f in dataclasses.fields(FrustrationParams)}
    assert set(EVENTS) <= names
    for event in EVENTS:
        assert after_event(0.0, event, P) > 0.0


def test_events_compose_additively():
    once = after_event(after_event(30.0, "transfer", P), "repeat", P)
    both = 100 - 70 * math.exp(-(P.transfer + P.repeat) / 100)
    assert once == pytest.approx(both)


# --- service and resolution --------------------------------------------------------------------


@given(frust, seconds, shares)
def test_service_never_increases_f(f, served, empathy):
    assert after_service(f, served, empathy, P) <= f


@given(frust, seconds, shares, shares)
def test_more_empathy_never_gives_higher_f(f, served, e1, e2):
    lo, hi = sorted((e1, e2))
    assert after_service(f, served, hi, P) <= after_service(f, served, lo, P)


def test_resolution_removes_its_share():
    assert after_resolution(80.0, P) == pytest.approx(80.0 * (1 - P.resolution_relief))


# --- states ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "state"),
    [
        (0, "calm"),
        (24.9, "calm"),
        (25, "irritated"),
        (49.9, "irritated"),
        (50, "angry"),
        (74.9, "angry"),
        (75, "furious"),
        (100, "furious"),
    ],
)
def test_states(f, state):
    assert state_of(f, P) == state
    assert state in STATES


@given(frust, frust)
def test_states_are_ordered(f1, f2):
    lo, hi = sorted((f1, f2))
    assert STATES.index(state_of(lo, P)) <= STATES.index(state_of(hi, P))


# --- the three reference stories (calibrate the defaults) --------------------------------------


def smooth_journey(p: FrustrationParams = P) -> float:
    """Voice (expected 1 min), waits 2 min, served 4 min by an empathy-0.6 agent, resolved."""
    f = after_wait(p.initial, 120, 60, p)
    f = after_service(f, 240, 0.6, p)
    return after_resolution(f, p)


def cold_transfer_journey(p: FrustrationParams = P) -> float:
    """Voice: waits 6 min, served 3 min, cold transfer (context lost), waits 7 min, hangs up."""
    f = after_wait(p.initial, 360, 60, p)
    f = after_service(f, 180, 0.5, p)
    f = after_event(f, "transfer", p)
    f = after_event(f, "repeat", p)
    f = after_wait(f, 420, 60, p)
    return after_event(f, "abandon", p)


def three_contact_journey(p: FrustrationParams = P) -> float:
    """Chat bot fails twice; agent without transcript; "please call us"; two unresolved calls."""
    # contact 1: chat (expected 2 min)
    f = after_event(p.initial, "bot_failure", p)
    f = after_event(f, "bot_loop", p)
    f = after_wait(f, 360, 120, p)
    f = after_event(f, "repeat", p)
    f = after_service(f, 300, 0.5, p)
    f = after_event(f, "redirect", p)
    # contact 2: voice (expected 1 min), new agent knows nothing, not resolved
    f = after_wait(f, 480, 60, p)
    f = after_event(f, "repeat", p)
    f = after_service(f, 360, 0.5, p)
    f = after_event(f, "unresolved", p)
    # contact 3: voice again, explains a third time, still not resolved
    f = after_wait(f, 300, 60, p)
    f = after_event(f, "repeat", p)
    f = after_service(f, 240, 0.5, p)
    return after_event(f, "unresolved", p)


def test_smooth_journey_ends_calm():
    assert state_of(smooth_journey(), P) == "calm"


def test_cold_transfer_with_long_wait_ends_angry():
    assert state_of(cold_transfer_journey(), P) == "angry"


def test_three_contact_journey_ends_furious():
    assert state_of(three_contact_journey(), P) == "furious"


def test_sharing_context_makes_the_stories_better():
    """The cost of a lost context is visible: the same journey without repeats ends lower."""
    no_repeat = dataclasses.replace(P, repeat=0.0)
    assert cold_transfer_journey(no_repeat) < cold_transfer_journey()
    assert three_contact_journey(no_repeat) < three_contact_journey()


# --- feedback ----------------------------------------------------------------------------------


@given(frust, frust)
def test_patience_factor_in_unit_interval_and_non_increasing(f1, f2):
    lo, hi = sorted((f1, f2))
    a, b = patience_factor(lo, P), patience_factor(hi, P)
    assert 0.0 < b <= a <= 1.0


def test_patience_factor_at_extremes():
    assert patience_factor(0.0, P) == 1.0
    assert patience_factor(100.0, P) == pytest.approx(math.exp(-P.patience_drop))


@given(shares, frust, frust, st.integers(0, 20), st.floats(0.0, 1.0))
def test_retry_probability_non_increasing_in_f(base, f1, f2, contacts, decay):
    lo, hi = sorted((f1, f2))
    a = retry_probability(base, lo, contacts, decay, P)
    b = retry_probability(base, hi, contacts, decay, P)
    assert 0.0 <= b <= a <= 1.0


@given(shares, frust, st.integers(0, 20), st.integers(0, 20), st.floats(0.0, 1.0))
def test_retry_probability_non_increasing_in_contacts(base, f, c1, c2, decay):
    lo, hi = sorted((c1, c2))
    a = retry_probability(base, f, lo, decay, P)
    b = retry_probability(base, f, hi, decay, P)
    assert 0.0 <= b <= a <= 1.0


def test_retry_probability_formula():
    assert retry_probability(0.8, 50.0, 3, 0.8, P) == pytest.approx(
        0.8 * 0.8**2 * (1 - P.give_up_slope * 0.5)
    )
    assert retry_probability(2.0, 0.0, 1, 1.0, P) == 1.0  # clipped


channel_weights = st.dictionaries(
    st.sampled_from(["voice", "chat", "email", "social"]), st.floats(0.0, 10.0), min_size=1
).filter(lambda w: sum(w.values()) > 0)


@given(channel_weights, st.sampled_from(["voice", "chat", "email", "social"]), frust, frust)
def test_switch_weights_sum_to_one_and_stay_falls_with_f(weights, stay, f1, f2):
    lo, hi = sorted((f1, f2))
    a = switch_weights(stay, weights, lo, P)
    b = switch_weights(stay, weights, hi, P)
    for out in (a, b):
        assert set(out) == set(weights)
        assert sum(out.values()) == pytest.approx(1.0)
        assert all(0.0 <= v <= 1.0 + 1e-12 for v in out.values())
    assert b.get(stay, 0.0) <= a.get(stay, 0.0) + 1e-12


def test_switch_weights_example_and_single_channel():
    out = switch_weights("voice", {"voice": 0.5, "chat": 0.5}, 100.0, P)
    assert out["voice"] == pytest.approx(0.25 / 0.75)
    assert switch_weights("voice", {"voice": 1.0}, 100.0, dataclasses.replace(P, switch_boost=1.0))[
        "voice"
    ] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="positive sum"):
        switch_weights("voice", {"voice": 0.0}, 10.0, P)


# --- parameters --------------------------------------------------------------------------------


def test_defaults_are_documented_numbers():
    assert (P.irritated, P.angry, P.furious) == (25.0, 50.0, 75.0)
    assert P.initial == 0.0


@pytest.mark.parametrize(
    "override",
    [
        {"repeat": -1.0},
        {"wait_fast": math.inf},
        {"resolution_relief": 1.5},
        {"angry": 20.0},
        {"furious": 120.0},
        {"initial": 150.0},
        {"transfer": "lots"},
    ],
)
def test_bad_parameters_are_rejected(override):
    with pytest.raises(ValueError, match="frustration"):
        dataclasses.replace(P, **override)


def test_params_are_frozen_and_overridable_by_name():
    p = dataclasses.replace(P, repeat=30.0)
    assert p.repeat == 30.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.repeat = 1.0  # type: ignore[misc]
