"""The words of a traced journey: how to name channels, intents, segments and teams, one
template per journey activity, and the phrases of states, outcomes and counts.

Kept apart from :mod:`simulator.report.narrative` (which tells the story and renders it) so that
the wording can be read and changed in one place; the narrative re-exports every table, and
tests change them through either module (they are the same objects).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator.observe import events as ev
from simulator.observe.trace import PICKS

# -- words for names ------------------------------------------------------------------------


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

# -- one template per activity ----------------------------------------------------------------

#: activity -> case -> wording. Fields in braces are facts of the event (see :data:`FIELDS`);
#: an empty wording says nothing (a neighbouring event tells it). The case is chosen from the
#: events alone (see :func:`_case`); ``""`` is the usual one.
TEMPLATES: dict[str, dict[str, str]] = {
    ev.ARRIVED: {"": "You {reach} about {intent}."},
    ev.CONTACTED: {
        "": "You try again, this time {by}.",
        "same": "You {reach} again.",
        "redirect": "So you {reach}.",
    },
    ev.BOT_STARTED: {"": "A bot ({bot}) answers."},
    ev.BOT_LOOPED: {"": "The bot doesn't understand you and asks you to rephrase."},
    ev.BOT_RESOLVED: {"": "The bot sorts it out: problem solved."},
    ev.BOT_ESCALATED: {
        "": "The bot can't help. It hands you to an agent.",
        "redirect": "The bot can't help. It asks you to {to_reach} instead.",
    },
    ev.REDIRECTED: {"": "You are asked to {to_reach} instead."},
    ev.QUEUED: {"": "You wait {hold}.", "silent": ""},
    ev.BLOCKED: {"": "All {channel} lines are busy: you can't get through."},
    ev.CLOSED: {
        "": "The {channel} line is closed at this hour: you can't get through.",
        "waiting": "After {wait} {hold}, you are told that {channel} is closed for the day.",
    },
    ev.CALLBACK: {"": "Rather than hold, you accept the offer of a call back."},
    ev.OVERFLOWED: {"": "To shorten your wait, the {overflow_team} team may now take it too."},
    ev.ANSWERED: {
        "": "After {wait} {hold}, {agent} {pickup}{again}.",
        "now": "{Agent} {pickup} straight away{again}.",
        "late": (
            "You wait {wait} {hold}, longer than the {expected} you expected. "
            "Then {agent} {pickup}{again}."
        ),
        "callback": "{Agent} calls you back, {wait} after you asked{again}.",
    },
    ev.ABANDONED: {
        "": "After {wait} {hold} you {leave}.",
        "late": "After {wait} {hold}, longer than the {expected} you expected, you {leave}.",
    },
    ev.CONTEXT_LOST: {
        "": "What you already said is not passed on.",
        "bot_to_agent": "Your conversation with the bot is not passed on.",
        "transfer": "Nothing you said is passed on.",
        "channel_switch": "The {lost_to} team can't see what you said {lost_from_by}.",
    },
    ev.TRANSFERRED: {"": "After {handle} with the agent, you are transferred to the {team} team."},
    ev.RESOLVED: {
        "": "After {handle} with the agent, your issue is resolved.",
        "plain": "Your issue is resolved.",
        "bot": "",
    },
    ev.UNRESOLVED: {"": "After {handle} with the agent, your issue is still not solved."},
    ev.RETRY: {
        "": "You'll try again in about {delay}, {to_by}.",
        "same": "You'll try again in about {delay}.",
    },
    ev.GAVE_UP: {"": "You give up: your problem is still not solved."},
}

#: Appended to an answer after a lost hand-off: the customer explains again.
AGAIN = ", and you explain everything again"

#: Said when the state rises to ...
STATE_UP: dict[str, str] = {
    "irritated": "You are now irritated.",
    "angry": "You are now angry.",
    "furious": "You are now furious.",
}
#: ... and when it falls to.
STATE_DOWN: dict[str, str] = {
    "calm": "You calm down.",
    "irritated": "You feel better, but you are still irritated.",
    "angry": "You feel a little better, but you are still angry.",
}

#: The end of the story: what happened, then what it meant to the company.
OUTCOME: dict[str, str] = {
    "resolved": (
        "In the end: resolved {ttr} after you first got in touch, with {counts}; {waited}."
    ),
    "gave_up": (
        "In the end: not resolved. You gave up {elapsed} after you first got in touch, "
        "after {counts}; {waited}."
    ),
    "unfinished": (
        "In the end: still not resolved when the simulation stopped, {elapsed} after you first "
        "got in touch, after {counts}; {waited} so far."
    ),
    "impact": (
        "For the company: effort {effort} on a 1-7 scale (7 = hardest), churn risk {churn}, "
        "{nps}, and {reach}."
    ),
}
#: Total waiting: none, some.
WAITED: tuple[str, str] = ("no waiting at all", "{} of waiting in all")
NPS: dict[str, str] = {
    "promoter": "you would recommend them (promoter)",
    "passive": "you would neither recommend nor warn others (passive)",
    "detractor": "you would warn others off (detractor)",
}
#: Counting phrases: (one, many) with ``{n}``; ``none`` when zero (``None``: leave it out).
COUNTS: dict[str, tuple[str | None, str, str]] = {
    "contacts": ("no contact", "1 contact", "{n} contacts"),
    "transfers": (None, "1 transfer", "{n} transfers"),
    "repeats": (
        None,
        "explaining everything again once",
        "explaining everything again {n} times",
    ),
}
#: Word of mouth is an expected number of people (a chance of telling times those who hear).
REACH: tuple[str, str, str] = (
    "hardly anyone hears about it from you",
    "about 1 person hears about it from you, on average",
    "about {n} people hear about it from you, on average",
)

#: Header wording of each pick (keys of :data:`simulator.observe.trace.PICKS`).
PICK_WORDS: dict[str, str] = {
    "worst": "The worst journey of {n} customers (the highest peak frustration)",
    "typical": "A typical journey: the median peak frustration of {n} customers",
    "best": "The best journey of {n} customers (lowest peak frustration, quickest resolution)",
    "random": "A customer drawn at random among {n} (draw seed {rng_seed})",
    "customer": "Customer chosen by id",
}
assert set(PICK_WORDS) == set(PICKS)

#: Every fact a template may use (what :func:`_facts` returns).
FIELDS: frozenset[str] = frozenset(
    {
        "channel",
        "by",
        "reach",
        "hold",
        "pickup",
        "leave",
        "intent",
        "segment",
        "agent",
        "Agent",
        "wait",
        "handle",
        "delay",
        "expected",
        "team",
        "to_by",
        "to_reach",
        "lost_to",
        "lost_from_by",
        "bot",
        "overflow_team",
        "again",
    }
)

# -- naming helpers -------------------------------------------------------------------------


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
    """The text with its first letter in capitals (the rest untouched)."""
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
