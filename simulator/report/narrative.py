""" "Become the customer": one traced journey told minute by minute, in plain language.

All the prose of a trace lives here, in tables: :data:`TEMPLATES` has one entry per journey
activity (:data:`simulator.observe.events.ACTIVITIES`), each a few wordings ("cases") chosen from
the events alone; :data:`CHANNELS`, :data:`INTENTS` and :data:`SEGMENTS` say how to name things
("voice" reads "phone"); :data:`STATE_UP`, :data:`STATE_DOWN`, :data:`OUTCOME` and the small
phrase tables word the rest. The model never formats anything: it emits
:class:`~simulator.observe.events.JourneyEvent` s, and :func:`narrate` turns a
:class:`~simulator.observe.trace.TracedJourney` into :class:`NarrativeLine` s.

Events of the same simulated instant (arrive, queue, get answered at once) are told on one line;
a template that is the empty string says nothing (its event is told by a neighbour). Every line
carries the customer's frustration after its last event and its state (calm, irritated, angry,
furious); a change of state is said in words at the end of the line.

Renderers: :func:`render_text` (terminal, optional ANSI colours), :func:`render_markdown`,
:func:`to_json` (structured, for other tools and the HTML explorer), :func:`render_html_fragment`
(an escaped ``<ol class="timeline">``) and :func:`render_pair_text` (one customer in two designs).
"""

from __future__ import annotations

import dataclasses
import html
import math
import string
import textwrap
from dataclasses import dataclass
from typing import Any

from simulator.observe import events as ev
from simulator.observe.events import JourneyEvent
from simulator.observe.trace import PICKS, TracedJourney
from simulator.report.text import state_at

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


def _cap(text: str) -> str:
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


# -- the narrative ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NarrativeLine:
    """One line of a journey: a clock time, what happened, and how the customer feels after it."""

    time: float
    clock: str
    text: str
    frustration: float
    state: str
    state_changed: bool
    activity: str


@dataclass
class _Memo:
    """What a narrator remembers along a journey (which team, a pending re-explanation)."""

    other_team: bool = False  # transferred or overflowed: name the team that answers
    reexplain: bool = False


def _case(t: TracedJourney, i: int) -> str:
    """Which wording of its activity's template event ``i`` gets; ``""`` is the usual one."""
    events = t.events
    e = events[i]
    prev = events[i - 1] if i > 0 else None
    nxt = events[i + 1] if i + 1 < len(events) else None
    same_prev = prev is not None and prev.time == e.time
    same_next = nxt is not None and nxt.time == e.time
    activity = e.activity
    if activity == ev.CONTACTED:
        if same_prev and prev is not None and prev.activity in (ev.REDIRECTED, ev.BOT_ESCALATED):
            return "redirect"
        return "same" if e.detail == e.channel else ""
    if activity == ev.QUEUED:
        if nxt is not None and (
            (same_next and nxt.activity in (ev.BLOCKED, ev.CLOSED))
            or (nxt.activity == ev.ANSWERED and (nxt.value or 0.0) < 0.5)
        ):
            return "silent"  # blocked, or answered at once: the next event tells it
        return ""
    if activity == ev.CLOSED:
        return "waiting" if e.value else ""  # the wait is known when it closed on them
    if activity == ev.BOT_ESCALATED:
        if same_next and nxt is not None and nxt.activity in (ev.CONTACTED, ev.GAVE_UP):
            return "redirect"
        return ""
    if activity in (ev.ANSWERED, ev.ABANDONED):
        wait = e.value or 0.0
        if activity == ev.ANSWERED:
            if _callback_pending(events, i):
                return "callback"
            if wait < 0.5:
                return "now"
        expected = t.expected_response.get(e.channel, 0.0)
        return "late" if wait > expected and span(wait) != span(expected) else ""
    if activity == ev.CONTEXT_LOST:
        kind = e.detail.partition(":")[0]
        return kind if kind in TEMPLATES[ev.CONTEXT_LOST] else ""
    if activity == ev.RESOLVED:
        if prev is not None and prev.activity == ev.BOT_RESOLVED:
            return "bot"
        return "plain" if e.value is None else ""
    if activity == ev.RETRY:
        return "same" if e.detail == e.channel else ""
    return ""


def _callback_pending(events: tuple[JourneyEvent, ...], i: int) -> bool:
    """Whether the contact answered at event ``i`` had asked for a call back.

    ``callback requested`` follows the ``queued`` event of its contact, so look back to it.
    """
    for e in reversed(events[:i]):
        if e.activity == ev.CALLBACK:
            return True
        if e.activity == ev.QUEUED:
            return False
    return False


def _facts(t: TracedJourney, e: JourneyEvent, memo: _Memo) -> dict[str, str]:
    """Every :data:`FIELDS` value for event ``e`` (most are unused by its template)."""
    ch = channel_words(e.channel)
    target = channel_words(e.detail) if e.detail else ch
    kind, _, pair = e.detail.partition(":")
    source, _, dest = pair.partition("->")
    value = e.value if e.value is not None else 0.0
    # After a transfer or an overflow, say which team answers (the group's name).
    agent = f"an agent from the {team_words(e.resource)} team" if memo.other_team else "an agent"
    facts = {
        "channel": ch.name,
        "by": ch.by,
        "reach": ch.reach,
        "hold": ch.hold,
        "pickup": ch.pickup,
        "leave": ch.leave,
        "intent": intent_words(t.record.intent),
        "segment": segment_words(t.record.segment),
        "agent": agent,
        "Agent": _cap(agent),
        "wait": span(value),
        "handle": span(value),
        "delay": span(value),
        "expected": span(t.expected_response.get(e.channel, 0.0)),
        "team": team_words(e.detail) if e.detail else "",
        "to_by": target.by,
        "to_reach": target.reach,
        "lost_to": channel_words(dest).name if kind == "channel_switch" else "",
        "lost_from_by": channel_words(source).by if kind == "channel_switch" else "",
        "bot": humanize(e.resource),
        "overflow_team": team_words(e.resource),
        "again": AGAIN if memo.reexplain else "",
    }
    assert facts.keys() == FIELDS
    return facts


def _remember(memo: _Memo, e: JourneyEvent) -> None:
    activity = e.activity
    if activity in (ev.ARRIVED, ev.CONTACTED):
        memo.other_team = False
    elif activity in (ev.TRANSFERRED, ev.OVERFLOWED):
        memo.other_team = True
    elif activity == ev.CONTEXT_LOST:
        memo.reexplain = True
    elif activity == ev.ANSWERED:
        memo.reexplain = False


def narrate(t: TracedJourney) -> list[NarrativeLine]:
    """The journey as lines: one per instant with something to say, then the outcome."""
    memo = _Memo()
    state = state_of(t, t.initial_frustration)
    lines: list[NarrativeLine] = []
    # The line being built: its first event, time, sentences and frustration so far.
    current: dict[str, Any] | None = None
    order = list(t.state_levels)  # least to most frustrated

    def close() -> None:
        nonlocal state, current
        if current is None:
            return
        f = current["f"]
        new = state_of(t, f)
        changed = new != state
        texts = current["texts"]
        if changed:
            worse = order.index(new) > order.index(state)
            texts.append((STATE_UP if worse else STATE_DOWN)[new])
        lines.append(
            NarrativeLine(
                time=current["time"],
                clock=clock_of(t, current["time"]),
                text=" ".join(texts),
                frustration=f,
                state=new,
                state_changed=changed,
                activity=current["activity"],
            )
        )
        state = new
        current = None

    for i, e in enumerate(t.events):
        case = _case(t, i)
        wording = TEMPLATES[e.activity][case]
        text = wording.format(**_facts(t, e, memo)) if wording else ""
        _remember(memo, e)
        if current is not None and current["time"] == e.time:
            current["f"] = e.frustration
            if text:
                current["texts"].append(text)
            continue
        if not text:
            continue  # silent, told by the next event (which sets the frustration shown)
        close()
        current = {"time": e.time, "activity": e.activity, "texts": [text], "f": e.frustration}
    close()
    lines.extend(_ending(t))
    return lines


def _count(what: str, n: int) -> str | None:
    none, one, many = COUNTS[what]
    if n == 0:
        return none
    return one if n == 1 else many.format(n=n)


def _counts(t: TracedJourney) -> str:
    r = t.record
    parts = [
        c
        for c in (
            _count("contacts", r.contacts),
            _count("transfers", r.transfers),
            _count("repeats", r.repeats),
        )
        if c
    ]
    return _listing(parts)


def _listing(parts: list[str]) -> str:
    """``a``, ``a and b``, ``a, b, and c``."""
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def _ending(t: TracedJourney) -> list[NarrativeLine]:
    r = t.record
    end = t.events[-1].time if t.events else r.arrived_s
    f = r.final_frustration
    state = state_of(t, f)
    facts = {
        "ttr": span(r.time_to_resolution_s or 0.0),
        "elapsed": span(end - r.arrived_s),
        "counts": _counts(t),
        "waited": WAITED[0] if r.total_wait_s < 0.5 else WAITED[1].format(span(r.total_wait_s)),
        "effort": f"{r.effort:.1f}",
        "churn": f"{100.0 * r.churn_probability:.0f} %",
        "nps": NPS.get(r.nps_class, r.nps_class),
        "reach": _reach(r.word_of_mouth),
    }
    key = "resolved" if r.resolved else "gave_up"
    clock = clock_of(t, end)
    return [
        NarrativeLine(end, clock, OUTCOME[key].format(**facts), f, state, False, "outcome"),
        NarrativeLine(end, clock, OUTCOME["impact"].format(**facts), f, state, False, "impact"),
    ]


def _reach(people: float) -> str:
    n = round(people)
    none, one, many = REACH
    return none if n <= 0 else (one if n == 1 else many.format(n=n))


def summary_line(t: TracedJourney) -> str:
    """One sentence for lists: ``Customer 2008 (digital, billing dispute): 3 contacts, ...``."""
    r = t.record
    state = state_of(t, r.final_frustration)
    if r.resolved:
        outcome = f"resolved in {span(r.time_to_resolution_s or 0.0)}, {state}"
    else:
        outcome = f"gave up {state}"
    contacts = "1 contact" if r.contacts == 1 else f"{r.contacts} contacts"
    repeats = "1 repeat" if r.repeats == 1 else f"{r.repeats} repeats"
    return (
        f"Customer {r.cid} ({humanize(r.segment)}, {humanize(r.intent)}): "
        f"{contacts}, {repeats}, {outcome}"
    )


def header(t: TracedJourney) -> list[str]:
    """Who the customer is and how they were chosen: two sentences."""
    r = t.record
    who = f"Customer {r.cid}: {segment_words(r.segment)}, about {intent_words(r.intent)}."
    chosen = PICK_WORDS.get(t.pick, t.pick).format(n=t.population, rng_seed=t.rng_seed)
    filters = [
        f"segment {t.segment}" if t.segment else "",
        f"intent {t.intent}" if t.intent else "",
    ]
    filters = [x for x in filters if x]
    if filters and t.pick != "customer":
        chosen += f", among those with {' and '.join(filters)}"
    date = f", {t.date}" if t.date else ""
    where = f"Scenario {t.scenario}, replication {t.replication}, seed {t.seed}{date}. {chosen}."
    return [who, where]


# -- renderers ----------------------------------------------------------------------------------

#: ANSI colours of the states (render_text with color=True only).
ANSI: dict[str, str] = {
    "calm": "\x1b[32m",
    "irritated": "\x1b[33m",
    "angry": "\x1b[31m",
    "furious": "\x1b[1;35m",
}
ANSI_RESET = "\x1b[0m"
METER_CELLS = 10
_END = ("outcome", "impact")


def meter(f: float, cells: int = METER_CELLS) -> str:
    """``[#####.....]``: one ``#`` per 10 points (rounded)."""
    filled = min(cells, max(0, int(f * cells / 100.0 + 0.5)))
    return "[" + "#" * filled + "." * (cells - filled) + "]"


def render_text(t: TracedJourney, color: bool = False, width: int = 100) -> str:
    """The journey for a terminal: a header, one line per instant with a frustration meter."""
    lines = narrate(t)
    out = [*_wrap(" ".join(header(t)), width), ""]
    steps = [x for x in lines if x.activity not in _END]
    clock_w = max((len(x.clock) for x in steps), default=5)
    for x in steps:
        level = f"{meter(x.frustration)} {x.frustration:3.0f} {x.state:<9}"
        if color:
            level = f"{ANSI[x.state]}{level}{ANSI_RESET}"
        prefix = f"{x.clock:>{clock_w}}  "
        indent = " " * (clock_w + 2 + len(meter(0)) + 1 + 3 + 1 + 9 + 1)
        body = _wrap(x.text, max(20, width - len(indent)))
        out.append(prefix + level + " " + body[0])
        out.extend(indent + more for more in body[1:])
    out.append("")
    for x in lines:
        if x.activity in _END:
            out.extend(_wrap(x.text, width))
    return "\n".join(out) + "\n"


def _wrap(text: str, width: int) -> list[str]:
    """Wrap at spaces only: scenario names such as ``retail-bank-siloed`` stay whole."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [""]


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(t: TracedJourney) -> str:
    """The journey as a Markdown section: a table of steps, then the outcome."""
    lines = narrate(t)
    who, where = header(t)
    out = [f"### {_md(who.rstrip('.'))}", "", f"*{_md(where)}*", ""]
    out += ["| time | frustration | what happens |", "| --- | --- | --- |"]
    for x in lines:
        if x.activity not in _END:
            level = f"{x.frustration:.0f} {x.state}"
            if x.state_changed:
                level = f"**{level}**"
            out.append(f"| {x.clock} | {level} | {_md(x.text)} |")
    out.append("")
    for x in lines:
        if x.activity in _END:
            out += [_md(x.text), ""]
    return "\n".join(out)


def _plain(value: Any) -> Any:
    """JSON-safe: non-finite floats become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(t: TracedJourney) -> dict[str, Any]:
    """The trace as plain data (``json.dumps``-able): customer, record, events, narrative."""
    r = t.record
    first = t.events[0].channel if t.events else ""
    data = {
        "scenario": t.scenario,
        "description": t.description,
        "replication": t.replication,
        "seed": t.seed,
        "pick": t.pick,
        "population": t.population,
        "filters": {"segment": t.segment, "intent": t.intent},
        "rng_seed": t.rng_seed,
        "horizon": {"start": t.horizon_start, "clock": t.clock, "date": t.date},
        "customer": {
            "id": r.cid,
            "segment": r.segment,
            "intent": r.intent,
            "first_channel": first,
            "arrived_s": r.arrived_s,
            "arrived": clock_of(t, r.arrived_s),
        },
        "record": dataclasses.asdict(r),
        "states": dict(t.state_levels),
        "thresholds": dict(t.thresholds),
        "expected_response": dict(t.expected_response),
        "summary": summary_line(t),
        "header": header(t),
        "events": [{**dataclasses.asdict(e), "clock": clock_of(t, e.time)} for e in t.events],
        "narrative": [dataclasses.asdict(x) for x in narrate(t)],
    }
    return _plain(data)


def render_html_fragment(t: TracedJourney) -> str:
    """An escaped ``<ol class="timeline">`` of the journey, for the HTML journey explorer.

    Each step is ``<li class="step state-<state>[ changed]">`` with a ``<time>``, a meter
    (``<meter>`` 0-100), the level and the text; the outcome lines have class ``outcome``.
    """
    esc = html.escape
    r = t.record
    # The meter turns amber where the second state begins and red where the third does.
    _first, low, high, *_rest = t.state_levels.values()
    out = [
        f'<ol class="timeline" data-customer="{r.cid}" data-scenario="{esc(t.scenario)}" '
        f'data-pick="{esc(t.pick)}">'
    ]
    for x in narrate(t):
        end = x.activity in _END
        classes = ["outcome" if end else "step", f"state-{x.state}"]
        if x.state_changed:
            classes.append("changed")
        level = f"{x.frustration:.0f} {x.state}"
        out.append(
            f'<li class="{" ".join(classes)}" data-activity="{esc(x.activity)}" '
            f'data-time="{x.time:.1f}"><time>{esc(x.clock)}</time> '
            f'<meter min="0" max="100" low="{low:g}" high="{high:g}" optimum="0" '
            f'value="{x.frustration:.1f}" title="frustration {esc(level)}"></meter> '
            f'<span class="level">{esc(level)}</span> <span class="text">{esc(x.text)}</span></li>'
        )
    out.append("</ol>")
    return "\n".join(out)


def _outcome_word(t: TracedJourney) -> str:
    r = t.record
    if r.resolved:
        return f"resolved in {span(r.time_to_resolution_s or 0.0)}"
    return "gave up"


def render_pair_text(
    a: TracedJourney,
    b: TracedJourney,
    labels: tuple[str, str] = ("siloed", "omnichannel"),
    color: bool = False,
    width: int = 100,
) -> str:
    """One customer in two designs: both journeys, then a table and a sentence of differences."""
    ra, rb = a.record, b.record
    out = _wrap(
        f"Customer {ra.cid}: {segment_words(ra.segment)}, about {intent_words(ra.intent)}, "
        f"in two designs: {labels[0]} ({a.scenario}) and {labels[1]} ({b.scenario}).",
        width,
    )
    out.append("")
    for label, t in zip(labels, (a, b), strict=True):
        title = f"== {label}: {t.scenario} "
        out += [title + "=" * max(0, width - len(title)), render_text(t, color, width)]
    state_a, state_b = state_of(a, ra.final_frustration), state_of(b, rb.final_frustration)
    rows = [
        ("contacts", str(ra.contacts), str(rb.contacts)),
        ("repeats (explaining again)", str(ra.repeats), str(rb.repeats)),
        ("transfers", str(ra.transfers), str(rb.transfers)),
        ("channel switches", str(ra.switches), str(rb.switches)),
        ("waiting", span(ra.total_wait_s), span(rb.total_wait_s)),
        (
            "peak frustration",
            f"{ra.peak_frustration:.0f} {state_of(a, ra.peak_frustration)}",
            f"{rb.peak_frustration:.0f} {state_of(b, rb.peak_frustration)}",
        ),
        (
            "final frustration",
            f"{ra.final_frustration:.0f} {state_a}",
            f"{rb.final_frustration:.0f} {state_b}",
        ),
        ("outcome", _outcome_word(a), _outcome_word(b)),
        ("effort (1-7)", f"{ra.effort:.1f}", f"{rb.effort:.1f}"),
        (
            "churn risk",
            f"{100 * ra.churn_probability:.0f} %",
            f"{100 * rb.churn_probability:.0f} %",
        ),
        ("word of mouth (people)", f"{ra.word_of_mouth:.0f}", f"{rb.word_of_mouth:.0f}"),
    ]
    w0 = max(len(r[0]) for r in rows) + 2
    w1 = max(len(labels[0]), *(len(r[1]) for r in rows)) + 2
    title = f"== Key differences, {labels[0]} vs {labels[1]} "
    out += [title + "=" * max(0, width - len(title)), ""]
    out.append(f"{'':<{w0}}{labels[0]:<{w1}}{labels[1]}")
    out += [f"{name:<{w0}}{x:<{w1}}{y}" for name, x, y in rows]
    out += ["", *_wrap(_difference(a, b, labels), width)]
    return "\n".join(out) + "\n"


def _difference(a: TracedJourney, b: TracedJourney, labels: tuple[str, str]) -> str:
    """One sentence: what changes for this customer in the second design."""
    ra, rb = a.record, b.record
    versus = f"with {labels[0]}"
    said = []
    for what, x, y in (
        ("contact", ra.contacts, rb.contacts),
        ("transfer", ra.transfers, rb.transfers),
    ):
        if x != y:
            n = abs(y - x)
            said.append(f"has {n} {'fewer' if y < x else 'more'} {what}{'s' if n != 1 else ''}")
    if ra.repeats != rb.repeats:
        if rb.repeats == 0:
            said.append(f"never has to explain everything again ({_times(ra.repeats)} {versus})")
        else:
            said.append(f"explains everything again {_times(rb.repeats)}, not {_times(ra.repeats)}")
    dw = rb.total_wait_s - ra.total_wait_s
    if abs(dw) >= 30:
        said.append(f"waits {span(abs(dw))} {'less' if dw < 0 else 'more'}")
    if ra.resolved != rb.resolved:
        said.append(
            "is resolved instead of giving up"
            if rb.resolved
            else "gives up instead of being resolved"
        )
    sa, sb = state_of(a, ra.final_frustration), state_of(b, rb.final_frustration)
    if sa != sb:
        said.append(f"ends {sb} instead of {sa}")
    dc = 100 * (rb.churn_probability - ra.churn_probability)
    if abs(dc) >= 0.5:
        said.append(f"has a churn risk {abs(dc):.0f} points {'lower' if dc < 0 else 'higher'}")
    if not said:
        return (
            f"For customer {ra.cid}, nothing that matters changes with {labels[1]}: "
            f"the journey ends {sb} in both."
        )
    return f"With {labels[1]}, customer {ra.cid} {_listing(said)}."


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def template_fields(wording: str) -> set[str]:
    """The facts a wording uses (for tests: they must all be in :data:`FIELDS`)."""
    return {name for _, name, _, _ in string.Formatter().parse(wording) if name}


__all__ = [
    "CHANNELS",
    "FIELDS",
    "INTENTS",
    "OUTCOME",
    "SEGMENTS",
    "TEMPLATES",
    "ChannelWords",
    "NarrativeLine",
    "channel_words",
    "clock_of",
    "header",
    "meter",
    "narrate",
    "render_html_fragment",
    "render_markdown",
    "render_pair_text",
    "render_text",
    "span",
    "summary_line",
    "template_fields",
    "to_json",
]
