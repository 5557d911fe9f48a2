"""The ``bots`` block: chat bots, voice bots and IVR menus, and where their failures go.

A routing rule's ``to`` names a skill queue or a bot, so a bot's name must differ from every
skill and channel name. A bot that cannot help escalates to a skill queue or redirects the
customer to another channel (``on_failure``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from simulator.scenario.read.agents import (
    RESOLVES_SCHEMA,
    read_resolves,
    skills_of,
    unknown_skill,
)
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Invalid,
    ReadContext,
    child_path,
    default_of,
    exclusive_key,
    named_entries,
    read_each,
    read_fields,
)
from simulator.scenario.read.customers import Customers
from simulator.scenario.read.distributions import read_distribution
from simulator.scenario.read.jsonparts import NAME, closed_object, described, ref
from simulator.scenario.read.values import read_bool, read_int, read_known_name, read_name
from simulator.scenario.schema import AgentGroup, Bot, Channel, Escalation, frozen_map
from simulator.scenario.yamlsrc import Located

BOT_KEYS = ("channel", "duration", "resolves", "max_turns", "on_failure")
ESCALATION_KEYS = ("to", "redirect", "passes_context")


def read_bots(
    reading: ReadContext,
    node: Located,
    path: str,
    channels: dict[str, Channel] | None,
    customers: Customers | None,
    agents: dict[str, AgentGroup] | None,
) -> dict[str, Bot]:
    """Bots by name, in name order."""
    entries = named_entries(reading, node, path, "bots", allow_empty=True)
    if not entries:
        return {}
    if channels is None or customers is None or agents is None:
        raise Invalid  # their problems are already recorded
    skills = skills_of(agents.values())
    intents = [i.name for i in customers.intents]

    def read_entry(entry: tuple[str, Located, Located]) -> Bot:
        name, key, value = entry
        bot_path = child_path(path, name)
        clash = "skill" if name in skills else "channel" if name in channels else None
        if clash is not None:
            message = f"bot '{name}' has the name of a {clash}"
            hint = (
                "a routing rule's `to` names a skill queue or a bot, so bot names must differ "
                f"from skill and channel names; rename it, e.g. {name}_bot"
            )
            reading.fail(key, bot_path, message, hint)
        return read_bot(reading, name, value, bot_path, channels, intents, skills)

    bots = read_each(entries, read_entry)
    return {b.name: b for b in sorted(bots, key=lambda b: b.name)}


def read_bot(
    reading: ReadContext,
    name: str,
    node: Located,
    path: str,
    channels: dict[str, Channel],
    intents: Sequence[str],
    skills: Sequence[str],
) -> Bot:
    """One bot: its turns, what it resolves, and where its failures go."""
    hints = {
        "duration": "the time one bot turn takes, e.g. duration: {lognormal: {mean: 2m, sd: 1m}}",
        "on_failure": "where the customers it cannot help go, e.g. on_failure: {to: chat_support} "
        "or on_failure: {redirect: voice}",
    }
    given = read_fields(reading, node, path, BOT_KEYS, ["duration", "on_failure"], hints=hints)
    default_resolves = default_of(Bot, "resolves_default")
    resolves, resolves_default = given.read(
        "resolves",
        read_resolves,
        (frozen_map(), default_resolves),
        intents=intents,
        fallback=default_resolves,
    )
    return Bot(
        name=name,
        duration=given.read("duration", read_distribution),
        escalation=given.read("on_failure", read_escalation, channels=channels, skills=skills),
        resolves=resolves,
        resolves_default=resolves_default,
        max_turns=given.read("max_turns", read_int, default_of(Bot, "max_turns"), low=1),
        channel=given.read("channel", read_known_name, known=list(channels), what="channel"),
    )


def read_escalation(
    reading: ReadContext,
    node: Located,
    path: str,
    *,
    channels: dict[str, Channel],
    skills: Sequence[str],
) -> Escalation:
    """``{to: skill}`` or ``{redirect: channel}``, with an optional ``passes_context``."""
    given = read_fields(reading, node, path, ESCALATION_KEYS)
    hint = (
        "a bot escalates either to a skill queue (to: chat_support) or to another channel "
        "(redirect: voice)"
    )
    kind = exclusive_key(reading, given, ["to", "redirect"], hint)
    passes: bool | None = given.read("passes_context", read_bool, None, allow_none=True)
    if kind == "redirect":
        channel = given.read("redirect", read_known_name, known=list(channels), what="channel")
        return Escalation(redirect=channel, passes_context=passes)
    to = given.read("to", read_name)
    if to not in skills:
        unknown_skill(reading, given["to"], given.path("to"), to, skills)
    return Escalation(to=to, passes_context=passes)


_BOT: dict[str, Any] = closed_object(
    {
        "channel": described(NAME, "The channel the bot works on (a declared channel)."),
        "duration": described(ref("distribution"), "Time one turn takes."),
        "resolves": described(
            RESOLVES_SCHEMA,
            "Probability that one turn resolves the intent (containment): intent -> probability, "
            "default for the other intents.",
            {"default": default_of(Bot, "resolves_default")},
        ),
        "max_turns": described(
            {"type": "integer", "minimum": 1},
            "Turns before the bot escalates; each failed turn after the first is a loop.",
            default_of(Bot, "max_turns"),
        ),
        "on_failure": described(
            closed_object(
                {
                    "to": described(NAME, "A skill queue (a skill some agent group has)."),
                    "redirect": described(NAME, "A channel the customer is asked to use."),
                    "passes_context": described(
                        {"type": ["boolean", "null"]},
                        "Whether the transcript goes along. Absent: as the context block says.",
                    ),
                },
                keys=ESCALATION_KEYS,
                oneOf=[{"required": ["to"]}, {"required": ["redirect"]}],
            ),
            "Where the customers the bot cannot help go: exactly one of to or redirect.",
        ),
    },
    ["duration", "on_failure"],
    keys=BOT_KEYS,
)

BLOCK = Block(
    "bots",
    read_bots,
    described(
        {"type": ["object", "null"], "additionalProperties": _BOT},
        "Chat bots, voice bots and IVR menus by name (a rule's to may name one).",
    ),
    needs=("channels", "customers", "agents"),
    absent=dict,
    into=lambda bots: {"bots": frozen_map(bots)},
)
