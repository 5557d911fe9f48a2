"""A customer's way between contacts (simulator/model/journeys.py), read off the events of a run
where everything happens: a retry comes back after its delay on the channel it names, a
followed redirect or a bot escalation becomes a contact on its target channel at once, and no
customer makes more contacts than the retrial block allows."""

from __future__ import annotations

import pytest

from simulator.experiment.tracing import collect
from simulator.observe import events as ev
from simulator.scenario import load_scenario_text
from tests.conftest import EVERYTHING

MAX_CONTACTS = 3  # EVERYTHING's retrial block


@pytest.fixture(scope="module")
def journeys() -> list[list[ev.JourneyEvent]]:
    return list(collect(load_scenario_text(EVERYTHING))[1].values())


def followers(journeys, activity: str):
    """(event, the event after it) for every ``activity`` not ending its journey."""
    return [
        (event, journey[k + 1])
        for journey in journeys
        for k, event in enumerate(journey[:-1])
        if event.activity == activity
    ]


def test_a_retry_comes_back_after_its_delay_on_the_channel_it_names(journeys):
    retries = followers(journeys, ev.RETRY)
    assert len(retries) > 20
    for retry, back in retries:
        assert back.activity == ev.CONTACTED
        assert back.time == pytest.approx(retry.time + retry.value)
        assert back.channel == retry.detail and back.detail == retry.channel


def test_a_followed_redirect_or_an_escalation_is_a_contact_on_its_target_at_once(journeys):
    moves = followers(journeys, ev.REDIRECTED) + followers(journeys, ev.BOT_ESCALATED)
    followed = [(move, after) for move, after in moves if after.activity == ev.CONTACTED]
    assert len(followed) > 20
    assert len(followed) < len(moves)  # half the social customers do not follow
    for move, contact in followed:
        assert contact.time == move.time and contact.channel == move.detail
        assert contact.detail == move.channel  # where the customer comes from


def test_no_customer_makes_more_contacts_than_the_retrial_block_allows(journeys):
    contacts = [sum(e.activity in (ev.ARRIVED, ev.CONTACTED) for e in j) for j in journeys]
    assert max(contacts) == MAX_CONTACTS
