"""The effective scenario: a loaded Scenario written back in the YAML language, every default
filled in, so authors can see exactly what the simulator will run.

``load_scenario_text(yaml.safe_dump(effective_dict(s)))`` equals ``s`` (except ``source``): every
number is written so that it parses back to the same float. Durations are written as ``4m`` or
``1h30m`` when that is exact and as seconds otherwise; rates as ``"600/h"`` when exact and as a
per-second ``"0.000123.../s"`` otherwise; an arrival rate that varies by interval as a list with
one rate per interval. Weekday-dependent values of a multi-day run (arrivals, schedules) are
written as the value most days have plus ``by_day`` / ``count_by_day`` overrides for the
others. Keys that a single-day scenario without opening hours or overtime leaves at their
defaults (``days``, ``first_day``, ``hours``, ``overtime``, ``overtime_multiplier``) are
written only when they matter, so such a scenario's effective form is what it always was.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from simulator.distributions import (
    Constant,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Uniform,
)
from simulator.scenario.read.days import by_weekday_form
from simulator.scenario.read.hours import day_hours_form
from simulator.scenario.read.shifts import shifts_form
from simulator.scenario.schema import (
    WEEKDAYS,
    AgentGroup,
    Arrivals,
    Bot,
    Channel,
    Context,
    Costs,
    HandleTimes,
    Horizon,
    Retrial,
    RoutingRule,
    Scenario,
    WeekHours,
)
from simulator.units import (
    UnitError,
    format_clock,
    format_duration,
    parse_clock,
    parse_duration,
    parse_rate,
)


def effective_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario in the YAML language with all defaults filled (plain dicts, lists, str, int
    and float only, so it can be dumped as YAML or JSON)."""
    s = scenario
    return {
        "scenario": s.name,
        "description": s.description,
        "seed": s.seed,
        "horizon": _horizon(s.horizon),
        "customers": {
            "segments": {
                seg.name: {
                    "share": seg.share,
                    "patience_scale": seg.patience_scale,
                    "reach": seg.reach,
                    "sensitivity": seg.sensitivity,
                    "churn_base": seg.churn_base,
                    "churn_max": seg.churn_max,
                }
                for seg in s.segments
            },
            "intents": {i.name: {"share": i.share} for i in s.intents},
        },
        "arrivals": _arrivals(s.arrivals, s.horizon),
        "channels": {name: _channel(ch) for name, ch in s.channels.items()},
        "agents": {name: _group(g, s.horizon) for name, g in s.agents.items()},
        "handle_time": _handle_time(s.handle_time),
        "routing": [_rule(r) for r in s.routing],
        **({"bots": {name: _bot(b) for name, b in s.bots.items()}} if s.bots else {}),
        "context": _context(s.context),
        "retrial": _retrial(s.retrial),
        "frustration": {
            f.name: getattr(s.frustration, f.name) for f in dataclasses.fields(s.frustration)
        },
        "costs": _costs(s.costs, any(g.overtime > 0 for g in s.agents.values())),
        **({"shifts": shifts_form(s.shifts)} if s.shifts else {}),
    }


def duration(seconds: float) -> str | float:
    """``"4m"`` when that parses back exactly, else the number of seconds."""
    text = format_duration(seconds)
    return text if parse_duration(text) == seconds else float(seconds)


def rate(per_second: float) -> str:
    """``"600/h"`` when that parses back exactly, else the exact per-second rate."""
    text = f"{_positional(per_second * 3600.0)}/h"
    if parse_rate(text) == per_second:
        return text
    return f"{_positional(per_second)}/s"


def distribution(dist: Distribution) -> Any:
    """The YAML form of a distribution (a constant is a bare duration)."""
    if isinstance(dist, Constant):
        return duration(dist.value)
    if isinstance(dist, Exponential):
        return {"exponential": {"mean": duration(dist.mean_value)}}
    if isinstance(dist, Lognormal):
        return {"lognormal": {"mean": duration(dist.mean_value), "sd": duration(dist.sd)}}
    if isinstance(dist, Gamma):
        return {"gamma": {"shape": dist.shape, "scale": duration(dist.scale)}}
    if isinstance(dist, Uniform):
        return {"uniform": {"low": duration(dist.low), "high": duration(dist.high)}}
    if isinstance(dist, Empirical):
        return {"empirical": [duration(v) for v in dist.values]}
    return dist.to_spec()


def _positional(x: float) -> str:
    # Shortest repr that round-trips, without exponent (units.parse_rate takes no exponent).
    return np.format_float_positional(x, trim="-")


def _horizon(h: Horizon) -> dict[str, Any]:
    out: dict[str, Any]
    end = h.start + h.duration
    if h.clock and _exact_clock(h.start) and _exact_clock(end):
        out = {"start": format_clock(h.start), "end": format_clock(end)}
    else:
        out = {"duration": duration(h.duration)}
    out.update(
        interval=duration(h.interval),
        warmup=duration(h.warmup),
        drain=duration(h.drain),
    )
    if h.date is not None:
        out["date"] = h.date
    elif h.days > 1 or h.first_weekday != 0:
        out["first_day"] = WEEKDAYS[h.first_weekday]
    if h.days > 1:
        out["days"] = h.days
    return out


def _exact_clock(seconds: float) -> bool:
    try:
        return parse_clock(format_clock(seconds)) == seconds
    except UnitError:
        return False


def _arrivals(arrivals: Arrivals, h: Horizon) -> dict[str, Any]:
    per_day, rates = h.intervals_per_day, arrivals.rates
    days = [(h.weekday(day), rates[day * per_day : (day + 1) * per_day]) for day in range(h.days)]
    common, by_day = by_weekday_form(days)
    out = _rates(common)
    if by_day:
        out["by_day"] = {name: _rates(day_rates) for name, day_rates in by_day.items()}
    out["first_channel"] = dict(arrivals.first_channel)
    if arrivals.uncertainty is not None:  # only when given: an exact forecast reads as before
        uncertainty = dataclasses.asdict(arrivals.uncertainty)
        if not uncertainty["interval_cv"]:  # refused when read back without interval_cv
            del uncertainty["interval_correlation"]
        out["uncertainty"] = uncertainty
    return out


def _rates(rates: tuple[float, ...]) -> dict[str, Any]:
    if all(r == rates[0] for r in rates):
        return {"rate": rate(rates[0])}
    return {"rate": [rate(r) for r in rates]}


def _channel(ch: Channel) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": ch.kind, "expected_response": duration(ch.expected_response)}
    if ch.synchronous:
        out["patience"] = distribution(ch.patience) if ch.patience is not None else "none"
        if ch.lines is not None:
            out["lines"] = ch.lines
    if ch.sl_business_hours:
        out["service_level"] = {"within": duration(ch.sl_threshold), "business_hours": True}
    else:
        out["service_level"] = duration(ch.sl_threshold)
    if ch.hours is not None:
        out["hours"] = _hours(ch.hours)
    return out


def _hours(hours: WeekHours) -> Any:
    common, by_day = by_weekday_form(list(enumerate(hours)))
    if not by_day:
        return day_hours_form(common)
    return {
        "default": day_hours_form(common),
        **{name: day_hours_form(day) for name, day in by_day.items()},
    }


def _group(g: AgentGroup, h: Horizon) -> dict[str, Any]:
    days = [(h.weekday(day), _day_schedule(g.schedule, h, day)) for day in range(h.days)]
    common, by_day = by_weekday_form(days)
    out: dict[str, Any] = {"skills": list(g.skills), "count": _count(common, h)}
    if by_day:
        out["count_by_day"] = {name: _count(steps, h) for name, steps in by_day.items()}
    if g.overtime > 0:
        out["overtime"] = duration(g.overtime)
    out.update(
        {
            "concurrency": g.concurrency,
            "shrinkage": g.shrinkage,
            "wrap_up": distribution(g.wrap_up),
            "empathy": g.empathy,
            "resolves": _resolves(g.resolves, g.resolves_default),
        }
    )
    if g.transfers:
        out["transfers"] = {
            key: {"to": t.to, "probability": t.probability} for key, t in g.transfers.items()
        }
    return out


def _day_schedule(
    schedule: tuple[tuple[float, int], ...], h: Horizon, day: int
) -> tuple[tuple[float, int], ...]:
    """Day ``day``'s steps of a whole-run schedule, from its opening, without the zero step at
    its closing (the loader adds it)."""
    if h.days == 1:
        return schedule
    opens, closes = h.day_start(day), h.day_end(day)
    return tuple((t - opens, heads) for t, heads in schedule if opens <= t < closes)


def _count(steps: tuple[tuple[float, int], ...], h: Horizon) -> int | dict[Any, int]:
    """One day's schedule as ``count``: heads all day, or heads by time."""
    if len(steps) == 1 and steps[0][0] == 0:
        return steps[0][1]
    if h.clock:
        return {format_clock(h.start + t): heads for t, heads in steps}
    return {duration(t): heads for t, heads in steps}


def _resolves(by_intent, default: float) -> dict[str, float]:
    return {"default": default, **by_intent}


def _handle_time(ht: HandleTimes) -> dict[str, Any]:
    out: dict[str, Any] = {"default": distribution(ht.default)}
    if ht.by_channel:
        out["by_channel"] = {ch: distribution(d) for ch, d in ht.by_channel.items()}
    intents = list(dict.fromkeys([*ht.by_intent, *(i for i, _ in ht.by_intent_channel)]))
    for intent in intents:
        per_channel = {ch: d for (i, ch), d in ht.by_intent_channel.items() if i == intent}
        if not per_channel:
            out[intent] = distribution(ht.by_intent[intent])
            continue
        entry: dict[str, Any] = {}
        if intent in ht.by_intent:
            entry["default"] = distribution(ht.by_intent[intent])
        entry.update((ch, distribution(d)) for ch, d in per_channel.items())
        out[intent] = entry
    return out


def _rule(rule: RoutingRule) -> dict[str, Any]:
    when = {
        key: sorted(names)
        for key, names in (
            ("channel", rule.channels),
            ("intent", rule.intents),
            ("segment", rule.segments),
        )
        if names is not None
    }
    out: dict[str, Any] = {"when": when} if when else {}
    if rule.redirect is not None:
        out["redirect"] = {"to": rule.redirect.to, "follow": rule.redirect.follow}
    else:
        out["to"] = rule.to
    out["priority"] = rule.priority
    if rule.overflow is not None:
        out["overflow"] = {"after": duration(rule.overflow.after), "to": rule.overflow.to}
    if rule.callback is not None:
        out["callback"] = {
            "threshold": duration(rule.callback.threshold),
            "accept": rule.callback.accept,
        }
    return out


def _bot(bot: Bot) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if bot.channel is not None:
        out["channel"] = bot.channel
    esc = bot.escalation
    on_failure: dict[str, Any] = (
        {"to": esc.to} if esc.to is not None else {"redirect": esc.redirect}
    )
    if esc.passes_context is not None:
        on_failure["passes_context"] = esc.passes_context
    out.update(
        duration=distribution(bot.duration),
        resolves=_resolves(bot.resolves, bot.resolves_default),
        max_turns=bot.max_turns,
        on_failure=on_failure,
    )
    return out


def _context(c: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"shared_record": c.shared_record}
    for key in ("bot_to_agent", "transfer", "channel_switch"):
        if getattr(c, key) is not None:  # None: as shared_record says
            out[key] = getattr(c, key)
    out["carried_switches"] = [list(pair) for pair in sorted(c.carried_switches)]
    out["re_explain"] = distribution(c.re_explain)
    return out


def _retrial(r: Retrial) -> dict[str, Any]:
    return {
        "enabled": r.enabled,
        "max_contacts": r.max_contacts,
        "probability": r.probability,
        "contact_decay": r.contact_decay,
        "delay": distribution(r.delay),
        "switch": {
            segment: {source: dict(row) for source, row in rows.items()}
            for segment, rows in r.switch.items()
        },
    }


def _costs(c: Costs, overtime: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "agent_hour": c.agent_hour,
        "agent_hour_by_group": dict(c.agent_hour_by_group),
        "bot_session": c.bot_session,
        "platform_per_day": c.platform_per_day,
        "lifetime_value": c.lifetime_value,
        "word_of_mouth_value": c.word_of_mouth_value,
    }
    if overtime or c.overtime_multiplier != Costs().overtime_multiplier:
        out["overtime_multiplier"] = c.overtime_multiplier
    return out
