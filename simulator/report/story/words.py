"""How a journey names things: channels, intents, segments, teams, durations and clock times.

The tables say how a customer speaks of the company's names ("voice" reads "phone", an intent
``card_lost`` reads "a lost card"); unknown names get words built from the name itself, so any
scenario can be told. Extend a table to teach the narrative a new name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.observe.trace import TracedJourney
from simulator.report.text import state_at


@dataclass(frozen=True)
class ChannelWords:
    """How to speak of a channel: its name, and the verbs a customer uses with it."""

    name: str  # "phone"
    by: str  # "by phone": how you get in touch
    reach: str  # "call": verb phrase after "You"
    hold: str  # "on hold": where you wait
    pickup: str  # "picks up": what an agent does when your turn comes
    leave: str  # "hang up": what you do when you stop waiting


#: Channel names as a customer says them. Unknown channels get words built from their name.
CHANNELS: dict[str, ChannelWords] = {
    "voice": ChannelWords("phone", "by phone", "call", "on hold", "picks up", "hang up"),
    "phone": ChannelWords("phone", "by phone", "call", "on hold", "picks up", "hang up"),
    "chat": ChannelWords(
        "web chat",
        "in the web chat",
        "open the web chat",
        "in the chat queue",
        "joins the chat",
        "close the chat",
    ),
    "email": ChannelWords(
        "email", "by email", "send an email", "for a reply", "opens your email", "stop waiting"
    ),
    "social": ChannelWords(
        "social media",
        "on social media",
        "post a message on social media",
        "for a reply",
        "picks up your message",
        "stop waiting",
    ),
    "messaging": ChannelWords(
        "messaging app",
        "in the messaging app",
        "send a message in the app",
        "for a reply",
        "picks up your message",
        "stop waiting",
    ),
    "sms": ChannelWords(
        "text message",
        "by text message",
        "send a text message",
        "for a reply",
        "picks up your message",
        "stop waiting",
    ),
    "video": ChannelWords(
        "video call", "by video call", "start a video call", "in the queue", "joins", "hang up"
    ),
}

#: Words inside names (agent groups, queues, bots) replaced to read naturally.
WORDS: dict[str, str] = {"voice": "phone", "ivr": "IVR", "faq": "FAQ"}

#: What the customer contacts the company about, after "about". Default: "your <name> request".
INTENTS: dict[str, str] = {
    "general": "a general question",
    "card_lost": "a lost card",
    "billing_dispute": "a billing dispute",
    "where_is_my_order": "where your order is",
    "returns": "a return",
    "complaint": "a complaint",
    "delivery_problem": "a delivery problem",
    "product_question": "a question about a product",
    "refund": "a refund",
}

#: Who the customer is. Default: "a <name> customer".
SEGMENTS: dict[str, str] = {
    "all": "a customer",
    "default": "a customer",
    "online_shopper": "an online shopper",
    "social_native": "a social-media native",
}

#: Trailing words dropped from agent group and queue names before saying "the ... team".
_TEAM_SUFFIXES = ("agents", "agent", "team", "group")


def humanize(name: str) -> str:
    """``voice_general`` -> ``phone general``: underscores out, a few words replaced."""
    words = name.replace("_", " ").replace("-", " ").split()
    return " ".join(WORDS.get(w.lower(), w) for w in words)


def channel_words(name: str) -> ChannelWords:
    """The words for a channel, from :data:`CHANNELS` or built from its name."""
    known = CHANNELS.get(name)
    if known is not None:
        return known
    words = humanize(name)
    return ChannelWords(
        words,
        f"by {words}",
        f"get in touch by {words}",
        "in the queue",
        "takes your contact",
        "stop waiting",
    )


def intent_words(name: str) -> str:
    return INTENTS.get(name, f"your {humanize(name)} request")


def segment_words(name: str) -> str:
    known = SEGMENTS.get(name)
    if known is not None:
        return known
    words = humanize(name)
    return f"{_article(words)} {words} customer"


def team_words(name: str) -> str:
    """``phone_agents`` -> ``phone``, ``email_team`` -> ``email``: say "the ... team" after it."""
    words = humanize(name).split()
    while len(words) > 1 and words[-1].lower() in _TEAM_SUFFIXES:
        words.pop()
    return " ".join(words)


def _article(words: str) -> str:
    return "an" if words[:1].lower() in "aeiou" and words[:1] else "a"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def span(seconds: float) -> str:
    """A duration as people say it: ``40 s``, ``6 min``, ``1 h 5 min``, ``1 day 2 h``."""
    if not math.isfinite(seconds):
        return "ever"
    s = max(seconds, 0.0)
    if s < 0.5:
        return "0 s"
    if s < 59.5:
        return f"{max(round(s), 1)} s"
    minutes = round(s / 60.0)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    unit = "day" if days == 1 else "days"
    return f"{days} {unit} {hours} h" if hours else f"{days} {unit}"


def clock_of(t: TracedJourney, time: float) -> str:
    """``09:12`` (horizon start + time) on a clock horizon, ``+1h05m`` otherwise."""
    if not t.clock:
        minutes = int(max(time, 0.0) // 60)
        return f"+{minutes // 60}h{minutes % 60:02d}m"
    minutes = int((t.horizon_start + time) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    return f"{text}+{days}d" if days else text


def state_of(t: TracedJourney, f: float) -> str:
    """The state of frustration ``f`` by the journey's own states and levels (its scenario's)."""
    return state_at(f, t.state_levels)
