"""The ``costs`` block: money per run of the horizon, in the scenario's currency.

Every amount is a number >= 0 and defaults to 0; ``agent_hour_by_group`` names agent groups.
``overtime_multiplier`` (default 1.5) prices overtime hours against the hourly rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Invalid,
    ReadContext,
    child_path,
    named_entries,
    read_each,
    read_fields,
)
from simulator.scenario.read.jsonparts import MONEY, closed_object, described, nullable
from simulator.scenario.read.values import read_number
from simulator.scenario.schema import AgentGroup, Costs, frozen_map
from simulator.scenario.yamlsrc import Located

COST_KEYS = (
    "agent_hour",
    "agent_hour_by_group",
    "bot_session",
    "platform_per_day",
    "lifetime_value",
    "word_of_mouth_value",
    "overtime_multiplier",
)


def read_money(reading: ReadContext, node: Located, path: str) -> float:
    """An amount of money: a number >= 0."""
    return read_number(reading, node, path, low=0.0, what="an amount of money (a number >= 0)")


def read_costs(
    reading: ReadContext, node: Located, path: str, agents: Mapping[str, AgentGroup] | None
) -> Costs:
    """``costs:``: money per run of the horizon; every amount is a number >= 0."""
    given = read_fields(reading, node, path, COST_KEYS)
    if agents is None and "agent_hour_by_group" in given:
        raise Invalid  # the agents block's problem is already recorded
    default = Costs()

    def read_amount(key: str) -> tuple[str, Any]:
        if key == "agent_hour_by_group":
            rates = given.read(key, read_group_rates, default.agent_hour_by_group, agents=agents)
            return key, rates
        if key == "overtime_multiplier":
            return key, given.read(key, read_number, default.overtime_multiplier, low=0.0)
        return key, given.read(key, read_money, getattr(default, key))

    return Costs(**dict(read_each(COST_KEYS, read_amount)))  # every bad amount is reported


def read_group_rates(
    reading: ReadContext, node: Located, path: str, *, agents: Mapping[str, AgentGroup]
) -> Mapping[str, float]:
    """``{agent group: hourly rate}``; the names must be agent groups."""
    entries = named_entries(reading, node, path, "agent groups", allow_empty=True)
    groups = list(agents)

    def read_entry(entry: tuple[str, Located, Located]) -> tuple[str, float]:
        name, key_node, value = entry
        if name not in groups:
            hint = did_you_mean(name, groups, what="agent groups")
            reading.fail(key_node, child_path(path, name), f"unknown agent group '{name}'", hint)
        return name, read_money(reading, value, child_path(path, name))

    return frozen_map(sorted(read_each(entries, read_entry)))


_DEFAULT = Costs()
_SCHEMA: dict[str, Any] = described(
    nullable(
        closed_object(
            {
                "agent_hour": described(
                    MONEY,
                    "Cost of one scheduled agent hour (breaks included), for every group "
                    "without its own rate.",
                    _DEFAULT.agent_hour,
                ),
                "agent_hour_by_group": described(
                    {"type": ["object", "null"], "additionalProperties": MONEY},
                    "Hourly rate by agent group name, overriding agent_hour.",
                    {},
                ),
                "bot_session": described(MONEY, "Cost of one bot session.", _DEFAULT.bot_session),
                "platform_per_day": described(
                    MONEY, "Platform cost per run of the horizon.", _DEFAULT.platform_per_day
                ),
                "lifetime_value": described(
                    MONEY, "Value of a customer lost to churn.", _DEFAULT.lifetime_value
                ),
                "word_of_mouth_value": described(
                    MONEY,
                    "Revenue at risk per person told about a bad experience.",
                    _DEFAULT.word_of_mouth_value,
                ),
                "overtime_multiplier": described(
                    {"type": "number", "minimum": 0},
                    "An overtime hour costs this many times the group's hourly rate.",
                    _DEFAULT.overtime_multiplier,
                ),
            },
            keys=COST_KEYS,
        )
    ),
    "Money per run of the horizon, in the scenario's currency (all amounts >= 0, default 0).",
)

BLOCK = Block("costs", read_costs, _SCHEMA, needs=("agents",), absent=Costs)
