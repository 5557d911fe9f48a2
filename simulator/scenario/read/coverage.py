"""Checks of the routing as a whole: every contact customers can make has somewhere to go, and
no redirect sends them round in circles.

Which channels need routing depends on more than the first-channel shares: redirects, bots that
send the customers they cannot help to another channel, and retrial switches all bring customers
to channels (:func:`reached_channels`), and a message about a gap says which of them did.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from simulator.scenario.read.context import ReadContext, child_path, item_path
from simulator.scenario.schema import Bot, Channel, Intent, Retrial, RoutingRule, Segment
from simulator.scenario.yamlsrc import Located


def reached_channels(
    channels: Mapping[str, Channel],
    first_channel: Mapping[str, float],
    rules: Sequence[RoutingRule],
    bots: Mapping[str, Bot],
    retrial: Retrial | None,
) -> dict[str, str | None]:
    """Channels customers can be on, in name order -> how they get there (None: first contact,
    else a phrase for messages)."""
    how: dict[str, str | None] = {}
    for channel in channels:
        if first_channel.get(channel, 0.0) > 0:
            how[channel] = None
    for i, rule in enumerate(rules):
        if rule.redirect is not None and rule.redirect.follow > 0:
            how.setdefault(rule.redirect.to, f"routing[{i}] redirects customers there")
    for bot in bots.values():
        if bot.escalation.redirect is not None:
            how.setdefault(
                bot.escalation.redirect,
                f"bot '{bot.name}' sends the customers it cannot help there "
                f"(bots.{bot.name}.on_failure.redirect)",
            )
    if retrial is not None and retrial.enabled:
        for segment, rows in retrial.switch.items():
            for source, row in rows.items():
                for target, weight in row.items():
                    if weight > 0:
                        how.setdefault(
                            target,
                            "customers retrying switch to it "
                            f"(retrial.switch.{segment}.{source}.{target})",
                        )
    return {channel: how[channel] for channel in channels if channel in how}


def check_coverage(
    reading: ReadContext,
    node: Located | None,
    path: str,
    rules: Sequence[RoutingRule],
    reached: Mapping[str, str | None],
    intents: Sequence[Intent],
    segments: Sequence[Segment],
    skills: Sequence[str],
) -> None:
    """Every reached channel x intent x segment matches some rule (the first gap is reported,
    with how many more there are)."""
    missing = [
        (c, i.name, s.name)
        for c in reached
        for i in intents
        for s in segments
        if not any(r.matches(c, i.name, s.name) for r in rules)
    ]
    if missing:
        c, i, s = missing[0]
        more = f" (and {len(missing) - 1} more combinations)" if len(missing) > 1 else ""
        message = f"no rule matches channel '{c}', intent '{i}', segment '{s}'{more}"
        if reached[c] is not None:
            message += f"; '{c}' is not a first channel, but {reached[c]}"
        hint = (
            "such contacts would have nowhere to go; add a catch-all rule at the end, "
            f"e.g. - {{to: {skills[0] if skills else '<skill>'}}}"
        )
        reading.fail(node, path, message, hint)


def check_redirect_loops(
    reading: ReadContext,
    path: str,
    rules: Sequence[RoutingRule],
    rule_nodes: Sequence[Located],
    channels: Mapping[str, Channel],
    intents: Sequence[Intent],
    segments: Sequence[Segment],
) -> None:
    """A redirect to a channel that routes the same contact back, through redirects, to a
    channel it has already been on would send customers round in circles. Each loop is
    reported once, at the redirect that closes it first."""
    if not any(r.redirect is not None for r in rules):
        return
    reported: set[frozenset[str]] = set()
    for start, intent, segment in itertools.product(channels, intents, segments):
        visited = [start]
        while True:
            i = first_matching_rule(rules, visited[-1], intent.name, segment.name)
            redirect = rules[i].redirect if i is not None else None
            if i is None or redirect is None:
                break
            target = redirect.to
            if target not in visited:
                visited.append(target)
                continue
            cycle = [*visited[visited.index(target) :], target]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                message = (
                    f"redirect loop {' -> '.join(cycle)} for intent '{intent.name}', segment "
                    f"'{segment.name}'"
                )
                hint = (
                    f"customers would be sent round in circles; route '{target}' to a skill "
                    "queue or bot for these contacts before the rule that redirects them"
                )
                where = rule_key_node(rule_nodes, i, "redirect")
                reading.add(where, child_path(item_path(path, i), "redirect"), message, hint)
            break


def first_matching_rule(
    rules: Sequence[RoutingRule], channel: str, intent: str, segment: str
) -> int | None:
    """The index of the first rule that matches, or None."""
    return next((i for i, r in enumerate(rules) if r.matches(channel, intent, segment)), None)


def rule_key_node(rule_nodes: Sequence[Located], i: int, key: str) -> Located | None:
    """The node of ``key`` in rule ``i`` (the rule itself if it has no such key, None for a
    default rule, which has no node)."""
    node = rule_nodes[i] if i < len(rule_nodes) else None
    if node is None or not node.is_map:
        return node
    return node.value.get(key, node)
