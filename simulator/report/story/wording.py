"""The wordings of a journey: one template per activity, and the phrases around them.

:data:`TEMPLATES` has one entry per journey activity (:data:`simulator.observe.events.ACTIVITIES`),
each a few wordings ("cases") chosen from the events alone
(:func:`simulator.report.story.telling.wording_case`); the other tables word a change of state,
the outcome and how a customer was chosen. Every field a template may use is in :data:`FIELDS`
(what :func:`simulator.report.story.telling.template_facts` provides).
"""

from __future__ import annotations

import string

from simulator.observe import events as ev
from simulator.observe.trace import PICKS

#: activity -> case -> wording. Fields in braces are facts of the event (see :data:`FIELDS`);
#: an empty wording says nothing (a neighbouring event tells it). The case is chosen from the
#: events alone (see :func:`~simulator.report.story.telling.wording_case`); ``""`` is the usual one.
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
REACH: tuple[str, str, str] = (
    "nobody hears about it from you",
    "you tell 1 person about it",
    "you tell {n} people about it",
)

#: Header wording of each pick (keys of :data:`simulator.observe.trace.PICKS`).
PICK_WORDS: dict[str, str] = {
    "worst": "The worst journey of {n} customers (the highest peak frustration)",
    "typical": "A typical journey: the median peak frustration of {n} customers",
    "best": (
        "The best journey of {n} customers (lowest peak frustration, quickest resolution, "
        "after real service)"
    ),
    "random": "A customer drawn at random among {n} (draw seed {rng_seed})",
    "sample": (
        "One of {n} customers like them in this replication (same segment, intent, first "
        "channel and outcome), shown in the journey explorer as the worst or a typical one"
    ),
    "customer": "Customer chosen by id",
}
assert set(PICK_WORDS) == set(PICKS)

#: Every fact a template may use (what
#: :func:`~simulator.report.story.telling.template_facts` returns).
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


def template_fields(wording: str) -> set[str]:
    """The facts a wording uses (for tests: they must all be in :data:`FIELDS`)."""
    return {name for _, name, _, _ in string.Formatter().parse(wording) if name}
