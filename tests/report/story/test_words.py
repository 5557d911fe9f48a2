"""How a journey names things (simulator/report/story/words.py): known names read as a customer
says them, unknown names get words built from the name itself, durations read as people say
them."""

from __future__ import annotations

import math

import pytest

from simulator.report.story.words import (
    channel_words,
    humanize,
    intent_words,
    segment_words,
    span,
    team_words,
)


def test_known_names_read_as_a_customer_says_them():
    assert channel_words("voice").by == "by phone" and channel_words("voice").hold == "on hold"
    assert intent_words("card_lost") == "a lost card"
    assert segment_words("online_shopper") == "an online shopper"


def test_any_other_name_is_told_with_words_built_from_it():
    fax = channel_words("fax_line")
    assert (fax.name, fax.by, fax.reach) == ("fax line", "by fax line", "get in touch by fax line")
    assert intent_words("mortgage_renewal") == "your mortgage renewal request"
    assert segment_words("elderly") == "an elderly customer"
    assert segment_words("small_business") == "a small business customer"
    assert humanize("voice_ivr-faq") == "phone IVR FAQ"


@pytest.mark.parametrize(
    ("group", "words"),
    [("phone_agents", "phone"), ("voice_team", "phone"), ("email", "email"), ("team", "team")],
)
def test_a_team_is_named_without_its_trailing_team_word(group, words):
    assert team_words(group) == words


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (0.2, "0 s"),
        (0.6, "1 s"),
        (40.0, "40 s"),
        (59.6, "1 min"),
        (6 * 60.0, "6 min"),
        (3600.0, "1 h"),
        (3900.0, "1 h 5 min"),
        (86400.0, "1 day"),
        (2 * 86400.0 + 7200.0, "2 days 2 h"),
        (-5.0, "0 s"),
        (math.inf, "ever"),
    ],
)
def test_durations_read_as_people_say_them(seconds, said):
    assert span(seconds) == said
