"""Days cut out of a scenario, and one day repeated: the horizons staffing plans live on.

The staffing search plans the intervals of one day. A week is planned a day at a time
(:func:`single_day` cuts day ``d`` out of a multi-day scenario: its arrivals, its weekday's
opening hours, the schedules of that day), then rostered as a week. Deferred work (e-mail,
social) needs the opposite: a backlog left in the evening is tomorrow morning's work, so a
one-day run would judge its last intervals on contacts nobody could answer before the run
ends, and its first on a morning without yesterday's backlog. :func:`repeated_day` runs the
same day several times in a row, so the middle day is judged in a steady state.

Schedules here are the engine's ``(t, heads)`` steps over the whole run
(:attr:`~simulator.scenario.schema.AgentGroup.schedule`): in a run of several days every day's
steps start at its opening and end with a zero step at its closing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from simulator.scenario.schema import (
    DAY_S,
    AgentGroup,
    Channel,
    Horizon,
    Scenario,
    frozen_map,
)
from simulator.staffing.targets import TargetError

#: One day's schedule: ``(t, heads)`` steps from the day's opening (``t = 0``).
DaySchedule = tuple[tuple[float, int], ...]


def day_schedule(group: AgentGroup, horizon: Horizon, day: int) -> DaySchedule:
    """Day ``day``'s steps of a group, from that day's opening (the zero step at its closing
    left out)."""
    opening, closing = horizon.day_start(day), horizon.day_end(day)
    steps = [(0.0, group.heads_at(opening))]
    for t, heads in group.schedule:
        if opening < t < closing:
            steps.append((t - opening, heads))
    return tuple(steps)


def run_steps(horizon: Horizon, days: Sequence[DaySchedule]) -> tuple[tuple[float, int], ...]:
    """A whole run's steps from one schedule per day, as the loader builds them: a single day
    as it is; several days each from its opening, with a zero step at its closing."""
    if horizon.days == 1:
        return tuple(days[0])
    steps: list[tuple[float, int]] = []
    for day, schedule in enumerate(days):
        offset = horizon.day_start(day)
        steps.extend((offset + t, heads) for t, heads in schedule)
        steps.append((horizon.day_end(day), 0))
    return tuple(steps)


def single_day(scenario: Scenario, day: int) -> Scenario:
    """Day ``day`` of a run as a scenario of its own: that day's arrivals and schedules, on a
    one-day horizon of the same weekday (so its opening hours apply), with the run's warm-up."""
    horizon = scenario.horizon
    if horizon.days == 1:
        return scenario
    per_day = horizon.intervals_per_day
    one = dataclasses.replace(
        horizon, days=1, first_weekday=horizon.weekday(day), date=_date_of(horizon, day)
    )
    rates = scenario.arrivals.rates[day * per_day : (day + 1) * per_day]
    agents = {
        name: dataclasses.replace(group, schedule=day_schedule(group, horizon, day))
        for name, group in scenario.agents.items()
    }
    return dataclasses.replace(
        scenario,
        horizon=one,
        arrivals=dataclasses.replace(scenario.arrivals, rates=rates),
        agents=frozen_map(agents),
    )


def repeated_day(scenario: Scenario, days: int) -> Scenario:
    """A one-day scenario run ``days`` days in a row: every day the same arrivals, schedules
    and opening hours (the first day's weekday's, whatever the weekday of the others)."""
    horizon = scenario.horizon
    if horizon.days != 1:
        raise ValueError("repeated_day repeats a one-day scenario")
    check_repeatable(horizon)
    many = dataclasses.replace(horizon, days=days)
    weekday = horizon.weekday(0)
    channels = {name: _same_hours_every_day(ch, weekday) for name, ch in scenario.channels.items()}
    agents = {
        name: dataclasses.replace(group, schedule=run_steps(many, [group.schedule] * days))
        for name, group in scenario.agents.items()
    }
    return dataclasses.replace(
        scenario,
        horizon=many,
        arrivals=dataclasses.replace(scenario.arrivals, rates=scenario.arrivals.rates * days),
        channels=frozen_map(channels),
        agents=frozen_map(agents),
    )


def can_repeat(horizon: Horizon) -> bool:
    """Whether a one-day horizon can run several days in a row (the loader's rule: a clock
    horizon whose interval divides 24 hours and whose day fits in them)."""
    return (
        horizon.clock
        and horizon.duration <= DAY_S
        and abs(DAY_S / horizon.interval - round(DAY_S / horizon.interval)) < 1e-9
    )


def check_repeatable(horizon: Horizon) -> None:
    if not can_repeat(horizon):
        raise TargetError(
            "days can follow each other only on a clock horizon (start and end) whose interval "
            "divides 24 hours"
        )


def _same_hours_every_day(channel: Channel, weekday: int) -> Channel:
    if channel.hours is None:
        return channel
    return dataclasses.replace(channel, hours=(channel.hours[weekday],) * 7)


def _date_of(horizon: Horizon, day: int) -> str | None:
    if horizon.date is None:
        return None
    return (dt.date.fromisoformat(horizon.date) + dt.timedelta(days=day)).isoformat()
