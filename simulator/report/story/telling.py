"""Telling a journey: a traced customer's events become :class:`NarrativeLine` s.

Events of the same simulated instant (arrive, queue, get answered at once) are told on one line;
a template that is the empty string says nothing (its event is told by a neighbour). Every line
carries the customer's frustration after its last event and its state (calm, irritated, angry,
furious); a change of state is said in words at the end of the line. The journey ends with two
lines: what happened, and what it meant to the company.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.observe import events as ev
from simulator.observe.events import JourneyEvent
from simulator.observe.trace import TracedJourney
from simulator.report.story.wording import (
    AGAIN,
    COUNTS,
    FIELDS,
    NPS,
    OUTCOME,
    PICK_WORDS,
    REACH,
    STATE_DOWN,
    STATE_UP,
    TEMPLATES,
    WAITED,
)
from simulator.report.story.words import (
    capitalized,
    channel_words,
    clock_of,
    humanize,
    intent_words,
    segment_words,
    span,
    state_of,
    team_words,
)


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
class _NarratorMemory:
    """What a narrator remembers along a journey (which team, a pending re-explanation)."""

    other_team: bool = False  # transferred or overflowed: name the team that answers
    reexplain: bool = False


def wording_case(t: TracedJourney, i: int) -> str:
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


def template_facts(t: TracedJourney, e: JourneyEvent, memory: _NarratorMemory) -> dict[str, str]:
    """Every :data:`FIELDS` value for event ``e`` (most are unused by its template)."""
    ch = channel_words(e.channel)
    target = channel_words(e.detail) if e.detail else ch
    kind, _, pair = e.detail.partition(":")
    source, _, dest = pair.partition("->")
    value = e.value if e.value is not None else 0.0
    # After a transfer or an overflow, say which team answers (the group's name).
    agent = f"an agent from the {team_words(e.resource)} team" if memory.other_team else "an agent"
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
        "Agent": capitalized(agent),
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
        "again": AGAIN if memory.reexplain else "",
    }
    assert facts.keys() == FIELDS
    return facts


def _remember(memory: _NarratorMemory, e: JourneyEvent) -> None:
    activity = e.activity
    if activity in (ev.ARRIVED, ev.CONTACTED):
        memory.other_team = False
    elif activity in (ev.TRANSFERRED, ev.OVERFLOWED):
        memory.other_team = True
    elif activity == ev.CONTEXT_LOST:
        memory.reexplain = True
    elif activity == ev.ANSWERED:
        memory.reexplain = False


@dataclass
class _OpenLine:
    """The line being told: the instant of its first event, its sentences so far, and the
    frustration after its latest event."""

    time: float
    activity: str
    texts: list[str]
    frustration: float


def narrate(t: TracedJourney) -> list[NarrativeLine]:
    """The journey as lines: one per instant with something to say, then the outcome."""
    memory = _NarratorMemory()
    state = state_of(t, t.initial_frustration)
    lines: list[NarrativeLine] = []
    current: _OpenLine | None = None
    for i, e in enumerate(t.events):
        wording = TEMPLATES[e.activity][wording_case(t, i)]
        text = wording.format(**template_facts(t, e, memory)) if wording else ""
        _remember(memory, e)
        if current is not None and current.time == e.time:
            current.frustration = e.frustration
            if text:
                current.texts.append(text)
            continue
        if not text:
            continue  # silent, told by the next event (which sets the frustration shown)
        if current is not None:
            lines.append(_closed_line(t, current, state))
            state = lines[-1].state
        current = _OpenLine(e.time, e.activity, [text], e.frustration)
    if current is not None:
        lines.append(_closed_line(t, current, state))
    lines.extend(_ending(t))
    return lines


def _closed_line(t: TracedJourney, line: _OpenLine, before: str) -> NarrativeLine:
    """The finished line: its sentences, then a change of state (from ``before``) in words."""
    state = state_of(t, line.frustration)
    changed = state != before
    texts = list(line.texts)
    if changed:
        order = list(t.state_levels)  # least to most frustrated
        worse = order.index(state) > order.index(before)
        texts.append((STATE_UP if worse else STATE_DOWN)[state])
    return NarrativeLine(
        time=line.time,
        clock=clock_of(t, line.time),
        text=" ".join(texts),
        frustration=line.frustration,
        state=state,
        state_changed=changed,
        activity=line.activity,
    )


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
    return listing(parts)


def listing(parts: list[str]) -> str:
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
