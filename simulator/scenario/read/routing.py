"""The ``routing`` block: rules, tried in file order, that send each contact to a skill queue
or a bot, or redirect the customer to another channel.

Routing is read last, because its rules name what the other blocks declare (channels, intents,
segments, skills, bots) and because whether it is complete depends on every way customers can
reach a channel (first contacts, redirects, bot escalations, retrial switches; see
:mod:`~simulator.scenario.read.coverage`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.scenario.read.agents import skills_of, unknown_skill
from simulator.scenario.read.block import Block
from simulator.scenario.read.bounds import check_routing_size
from simulator.scenario.read.context import (
    Fields,
    Invalid,
    ReadContext,
    default_of,
    describe,
    item_path,
    read_each,
    read_fields,
)
from simulator.scenario.read.coverage import check_coverage, check_redirect_loops, reached_channels
from simulator.scenario.read.customers import Customers
from simulator.scenario.read.jsonparts import NAME, NAMES, closed_object, described, ref
from simulator.scenario.read.values import (
    read_duration,
    read_int,
    read_known_name,
    read_name,
    read_names,
    read_probability,
)
from simulator.scenario.schema import (
    AgentGroup,
    Arrivals,
    Bot,
    Callback,
    Channel,
    Overflow,
    Redirect,
    Retrial,
    RoutingRule,
)
from simulator.scenario.yamlsrc import Located

DEFAULT_PRIORITY = 0

RULE_KEYS = ("when", "to", "redirect", "priority", "overflow", "callback")
WHEN_KEYS = ("channel", "intent", "segment")
REDIRECT_KEYS = ("to", "follow")
OVERFLOW_KEYS = ("after", "to")
CALLBACK_KEYS = ("threshold", "accept")

#: Names a rule's ``when`` may list, by condition key (channel, intent, segment).
Known = dict[str, list[str]]


def read_routing(
    reading: ReadContext,
    node: Located | None,
    path: str,
    channels: dict[str, Channel] | None,
    customers: Customers | None,
    agents: dict[str, AgentGroup] | None,
    arrivals: Arrivals | None,
    bots: Mapping[str, Bot] | None,
    retrial: Retrial | None,
) -> tuple[RoutingRule, ...]:
    """The rules in file order; without a ``routing:`` block, each channel goes to the skill of
    the same name. Every channel customers can reach x intent x segment must match some rule."""
    if channels is None or customers is None or agents is None or bots is None:
        raise Invalid  # their problems are already recorded
    skills = skills_of(agents.values())
    if node is not None and node.is_null:
        node = None  # `routing:` with nothing after it: the default rules
    rule_nodes: list[Located] = []
    if node is None:
        rules = read_each(channels, lambda channel: _default_rule(reading, path, channel, skills))
    else:
        if not node.is_list:
            message = f"expected a list of rules such as - {{to: voice}}, found {describe(node)}"
            reading.fail(node, path, message)
        known = {
            "channel": list(channels),
            "intent": [i.name for i in customers.intents],
            "segment": [s.name for s in customers.segments],
        }
        rule_nodes = node.value
        rules = read_each(
            enumerate(node.value),
            lambda item: read_rule(
                reading, item[1], item_path(path, item[0]), known, skills, bots, channels
            ),
        )
    intents, segments = customers.intents, customers.segments
    if not check_routing_size(reading, node, path, len(rules), channels, intents, segments):
        raise Invalid
    if arrivals is not None:
        first_channel = dict(arrivals.first_channel)
        reach = reached_channels(channels, first_channel, rules, bots, retrial)
        where = node if node is not None else reading.document
        check_coverage(reading, where, path, rules, reach, intents, segments, skills)
    check_redirect_loops(reading, path, rules, rule_nodes, channels, intents, segments)
    return tuple(rules)


def _default_rule(reading: ReadContext, path: str, channel: str, skills: list[str]) -> RoutingRule:
    """Without a routing block, ``channel`` goes to the skill of the same name."""
    if channel not in skills:
        known = f" (known skills: {', '.join(skills)})" if skills else ""
        message = (
            f"no routing: block, so channel '{channel}' goes to skill '{channel}', but no agent "
            "group has that skill"
        )
        hint = f"add a routing: block, or give a group skills: [{channel}]{known}"
        reading.fail(reading.document, path, message, hint)
    return RoutingRule(to=channel, channels=frozenset({channel}))


def read_rule(
    reading: ReadContext,
    node: Located,
    path: str,
    known: Known,
    skills: list[str],
    bots: Mapping[str, Bot],
    channels: dict[str, Channel],
) -> RoutingRule:
    """One rule: its conditions, where it sends contacts, and the options of queue rules."""
    given = read_fields(reading, node, path, RULE_KEYS)
    _check_one_destination(reading, node, given)
    conditions = _read_conditions(reading, given, known)
    to, redirect = "", None
    if "to" in given:
        to = given.read("to", read_name)
        if to not in skills and to not in bots:
            unknown_skill(reading, given["to"], given.path("to"), to, skills, list(bots))
    else:
        redirect = given.read("redirect", read_redirect, channels=channels)
    _check_queue_options(reading, given, to, redirect, bots)
    callback = given.read("callback", read_callback)
    if callback is not None:
        _check_callback_channels(reading, given, channels, conditions["channel"])
    return RoutingRule(
        to=to,
        channels=conditions["channel"],
        intents=conditions["intent"],
        segments=conditions["segment"],
        priority=given.read("priority", read_int, DEFAULT_PRIORITY),
        redirect=redirect,
        overflow=given.read("overflow", read_overflow, skills=skills),
        callback=callback,
    )


def _check_one_destination(reading: ReadContext, node: Located, given: Fields) -> None:
    """A rule has ``to`` or ``redirect``, not both."""
    if "to" not in given and "redirect" not in given:
        hint = (
            "the skill queue or bot the contact goes to, e.g. to: voice; or redirect: <channel> "
            "to ask the customer to use another channel"
        )
        reading.fail(node, given.path("to"), "missing required key 'to'", hint)
    if "to" in given and "redirect" in given:
        message = "give either to or redirect, not both"
        hint = "to sends the contact to a skill queue or bot; redirect asks the customer to use "
        reading.fail(given["redirect"], given.path("redirect"), message, hint + "another channel")


def _read_conditions(
    reading: ReadContext, given: Fields, known: Known
) -> dict[str, frozenset[str] | None]:
    """``when:`` -> the names each condition allows (None: any)."""
    conditions: dict[str, frozenset[str] | None] = dict.fromkeys(known)
    if "when" not in given:
        return conditions
    when = read_fields(reading, given["when"], given.path("when"), list(known))

    def read_condition(key: str) -> None:
        if not when[key].is_null:
            names = when.read(key, read_names, known=known[key], what=key)
            conditions[key] = frozenset(names)

    read_each(when.values, read_condition)
    return conditions


def _check_queue_options(
    reading: ReadContext,
    given: Fields,
    to: str,
    redirect: Redirect | None,
    bots: Mapping[str, Bot],
) -> None:
    """``overflow`` and ``callback`` belong to rules that send contacts to a skill queue."""
    for key in ("overflow", "callback"):
        if key in given and (redirect is not None or to in bots):
            if redirect is None:
                target = f"sends contacts to bot '{to}'"
                hint = f"put {key} on the queue the bot escalates to, or remove it"
            else:
                target = "redirects customers to another channel"
                hint = f"remove {key}, or route these contacts to a skill queue"
            message = f"{key} applies only to rules that send contacts to a skill queue; "
            reading.fail(given[key], given.path(key), message + f"this rule {target}", hint)


def _check_callback_channels(
    reading: ReadContext,
    given: Fields,
    channels: Mapping[str, Channel],
    listed: frozenset[str] | None,
) -> None:
    """A callback on a rule for asynchronous channels only would never be offered."""
    if listed is not None and not any(channels[c].synchronous for c in listed):
        message = (
            f"callback applies only to synchronous channels; this rule is for "
            f"{', '.join(sorted(listed))} (asynchronous: contacts wait in a backlog anyway)"
        )
        hint = "remove callback, or set the channel's kind: synchronous"
        reading.fail(given["callback"], given.path("callback"), message, hint)


def read_redirect(
    reading: ReadContext, node: Located, path: str, *, channels: dict[str, Channel]
) -> Redirect:
    """``redirect: voice`` (everyone follows) or ``redirect: {to: voice, follow: 0.6}``."""
    names = list(channels)
    if not node.is_map:
        return Redirect(to=read_known_name(reading, node, path, known=names, what="channel"))
    hint = "the channel customers are asked to use, e.g. redirect: {to: voice, follow: 0.6}"
    given = read_fields(reading, node, path, REDIRECT_KEYS, ["to"], hints={"to": hint})
    return Redirect(
        to=given.read("to", read_known_name, known=names, what="channel"),
        follow=given.read("follow", read_probability, default_of(Redirect, "follow")),
    )


def read_overflow(
    reading: ReadContext, node: Located, path: str, *, skills: Sequence[str]
) -> Overflow:
    """``{after: 5m, to: skill}``: after that wait, another skill's agents may serve too."""
    hint = "e.g. overflow: {after: 5m, to: voice_general}"
    hints = {"after": hint, "to": hint}
    given = read_fields(reading, node, path, OVERFLOW_KEYS, OVERFLOW_KEYS, hints=hints)
    after = given.read("after", read_duration)
    to = given.read("to", read_name)
    if to not in skills:
        unknown_skill(reading, given["to"], given.path("to"), to, skills)
    return Overflow(after=after, to=to)


def read_callback(reading: ReadContext, node: Located, path: str) -> Callback:
    """``{threshold: 3m, accept: 0.6}``: virtual hold offered above that expected wait."""
    hint = "the expected wait above which a callback is offered, e.g. threshold: 3m"
    hints = {"threshold": hint}
    given = read_fields(reading, node, path, CALLBACK_KEYS, ["threshold"], hints=hints)
    return Callback(
        threshold=given.read("threshold", read_duration),
        accept=given.read("accept", read_probability, default_of(Callback, "accept")),
    )


_RULE: dict[str, Any] = closed_object(
    {
        "when": described(
            closed_object({key: NAMES for key in WHEN_KEYS}, keys=WHEN_KEYS),
            "Conditions, each a name or a list of names; all must hold. Absent: matches all.",
        ),
        "to": described(
            NAME,
            "The skill queue (a skill some agent group has) or a bot. Exclusive with redirect.",
        ),
        "redirect": described(
            {
                "anyOf": [
                    NAME,
                    closed_object(
                        {
                            "to": described(NAME, "The channel customers are asked to use."),
                            "follow": described(
                                ref("probability"),
                                "Share who do switch at once; the others may retry later.",
                                default_of(Redirect, "follow"),
                            ),
                        },
                        ["to"],
                        keys=REDIRECT_KEYS,
                    ),
                ]
            },
            "Ask the customer to use another channel: a channel name (everyone follows) or "
            "{to, follow}. Exclusive with to.",
        ),
        "priority": described({"type": "integer"}, "Higher is served first.", DEFAULT_PRIORITY),
        "overflow": described(
            closed_object(
                {
                    "after": described(ref("duration"), "Wait after which the overflow opens."),
                    "to": described(NAME, "Another skill whose agents may then serve it."),
                },
                OVERFLOW_KEYS,
                keys=OVERFLOW_KEYS,
            ),
            "After a wait, agents of another skill may serve the contact too (skill rules only).",
        ),
        "callback": described(
            closed_object(
                {
                    "threshold": described(
                        ref("duration"), "Expected wait above which a callback is offered."
                    ),
                    "accept": described(
                        ref("probability"),
                        "Share who accept the callback.",
                        default_of(Callback, "accept"),
                    ),
                },
                ["threshold"],
                keys=CALLBACK_KEYS,
            ),
            "Virtual hold: keep the place in the queue without holding the line (skill rules on "
            "synchronous channels only).",
        ),
    },
    keys=RULE_KEYS,
    oneOf=[{"required": ["to"]}, {"required": ["redirect"]}],
    dependentSchemas={
        "redirect": {"not": {"anyOf": [{"required": ["overflow"]}, {"required": ["callback"]}]}}
    },
)

BLOCK = Block(
    "routing",
    read_routing,
    described(
        {"type": ["array", "null"], "items": _RULE},
        "Rules tried in order; the first match sends the contact to its skill queue or bot, "
        "or redirects it. Default: each channel to the skill of the same name.",
    ),
    needs=("channels", "customers", "agents", "arrivals", "bots", "retrial"),
)
