"""Warnings about valid scenarios that probably do not say what their author meant.

A scenario can be correct and still describe something odd: a team whose skills no routing rule,
overflow, bot escalation or transfer ever sends a contact to (it would sit idle, paid), or a
channel that nothing arrives on (its settings never matter). ``cxsim validate`` prints these as
warnings and still exits 0: they are legal, sometimes on purpose (a variant may route to a team
the base keeps idle), but a planner should see them before trusting a comparison.

>>> from simulator.scenario import load_scenario_text
>>> s = load_scenario_text('''
... scenario: idle
... horizon: {start: "08:00", end: "12:00"}
... arrivals: {rate: 60/h, first_channel: {voice: 1}}
... channels: {voice: {}, chat: {}}
... agents:
...   voice_team: {skills: [voice], count: 2}
...   spare: {skills: [backoffice], count: 1}
... handle_time: {default: 4m}
... routing:
...   - {when: {channel: voice}, to: voice}
...   - {when: {channel: chat}, to: voice}
... ''')
>>> for warning in scenario_warnings(s):
...     print(warning.split(" (")[0])
channels.chat: nothing arrives on this channel
agents.spare: no routing rule, overflow, bot escalation or transfer reaches its skills
"""

from __future__ import annotations

from simulator.scenario.read.coverage import reached_channels
from simulator.scenario.schema import Scenario


def scenario_warnings(scenario: Scenario) -> list[str]:
    """Every warning about ``scenario``, channels first, then agent groups, in name order."""
    return unreached_channels(scenario) + idle_groups(scenario)


def unreached_channels(scenario: Scenario) -> list[str]:
    reached = reached_channels(
        scenario.channels,
        dict(scenario.arrivals.first_channel),
        scenario.routing,
        scenario.bots,
        scenario.retrial,
    )
    return [
        f"channels.{name}: nothing arrives on this channel (no first_channel share, and no "
        "redirect, bot or retry switch leads to it)"
        for name in sorted(scenario.channels)
        if name not in reached
    ]


def idle_groups(scenario: Scenario) -> list[str]:
    targeted = routed_skills(scenario)
    return [
        f"agents.{name}: no routing rule, overflow, bot escalation or transfer reaches its "
        f"skills ({', '.join(group.skills)}); it would sit idle"
        for name, group in sorted(scenario.agents.items())
        if not targeted.intersection(group.skills)
    ]


def routed_skills(scenario: Scenario) -> set[str]:
    """Skill queues some contact can be sent to."""
    skills: set[str] = set()
    for rule in scenario.routing:
        if rule.to and rule.to not in scenario.bots:
            skills.add(rule.to)
        if rule.overflow is not None:
            skills.add(rule.overflow.to)
    for bot in scenario.bots.values():
        if bot.escalation.to:
            skills.add(bot.escalation.to)
    for group in scenario.agents.values():
        skills.update(transfer.to for transfer in group.transfers.values())
    return skills
