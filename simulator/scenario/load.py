"""Scenario files -> :class:`~simulator.scenario.schema.Scenario`.

The pipeline is::

    YAML text --yamlsrc.parse--> located tree --one reader per block--> Scenario

Every reader receives the :class:`~simulator.scenario.yamlsrc.Located` node of its block and the
dotted key path of that node, so any problem it reports has file:line:col and a key path such as
``agents.chat_support.count`` or ``routing[2].to`` (list indexes count from 0). Problems are
collected in a :class:`Ctx`; a reader that cannot go on raises :class:`Invalid` after recording
why, and the value (or block) is skipped, so independent problems elsewhere are still reported in
the same run.

To add a block: write ``read_<block>(ctx, node, path, ...)`` returning its typed value, add the key
to :data:`BLOCKS` (and to :mod:`~simulator.scenario.jsonschema` and
:mod:`~simulator.scenario.effective`), and call it from :func:`build_scenario`. Overlays such as
``variants:`` can transform the located tree before :func:`build_scenario` sees it.

Named entries whose order could matter to the engine (segments, intents, first-channel shares,
channels, agent groups, bots, per-intent and per-channel mappings) are stored in name order, so
reordering keys in a file, or dumping the effective scenario with sorted keys, never changes
simulation results. Routing keeps file order.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar, cast, overload

from simulator.distributions import (
    DISTRIBUTION_KINDS,
    Constant,
    Distribution,
    Empirical,
    Exponential,
    Gamma,
    Lognormal,
    Uniform,
)
from simulator.scenario import yamlsrc
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.scenario.frustration import FrustrationParams
from simulator.scenario.schema import (
    ASYNC_BY_NAME,
    ASYNCHRONOUS,
    DEFAULT_SL_THRESHOLD_S,
    SYNCHRONOUS,
    AgentGroup,
    Arrivals,
    Bot,
    Callback,
    Channel,
    ChannelKind,
    Context,
    Costs,
    Escalation,
    HandleTimes,
    Horizon,
    Intent,
    Overflow,
    Redirect,
    Retrial,
    RoutingRule,
    Scenario,
    Segment,
    Transfer,
    frozen_map,
)
from simulator.scenario.yamlsrc import Located
from simulator.units import (
    UnitError,
    format_clock,
    format_duration,
    parse_clock,
    parse_duration,
    parse_rate,
)

T = TypeVar("T")

SHARE_TOLERANCE = 1e-6
DEFAULT_SEED = 1
DEFAULT_CLOCK_INTERVAL_S = 30 * 60.0
DEFAULT_DRAIN_S = 4 * 3600.0
DEFAULT_SYNC_RESPONSE_S = 60.0
DEFAULT_ASYNC_RESPONSE_S = 24 * 3600.0
DEFAULT_SEGMENT = "all"
DEFAULT_INTENT = "general"
DEFAULT_CONCURRENCY = 1
DEFAULT_SHRINKAGE = 0.0
DEFAULT_EMPATHY = 0.5
DEFAULT_PRIORITY = 0

#: Top-level blocks: name -> required.
BLOCKS: dict[str, bool] = {
    "scenario": True,
    "description": False,
    "seed": False,
    "horizon": True,
    "customers": False,
    "arrivals": True,
    "channels": True,
    "agents": True,
    "handle_time": True,
    "routing": False,
    "bots": False,
    "context": False,
    "retrial": False,
    "frustration": False,
    "costs": False,
    "variants": False,
}

BLOCK_EXAMPLES = {
    "scenario": "e.g. `scenario: retail-bank`",
    "horizon": "e.g. `horizon: {start: '08:00', end: '20:00'}` or `horizon: {duration: 8h}`",
    "arrivals": "e.g. `arrivals: {rate: 600/h}`",
    "channels": "e.g. `channels: {voice: {patience: {exponential: {mean: 6m}}}}`",
    "agents": "e.g. `agents: {voice: {count: 20}}`, or `agents: {}`",
    "handle_time": "e.g. `handle_time: {default: {lognormal: {mean: 4m, sd: 3m}}}`",
}

DIST_EXAMPLE = "e.g. 45s, {exponential: {mean: 6m}} or {lognormal: {mean: 4m, sd: 3m}}"


def default_of(cls: type, name: str) -> Any:
    """The default of field ``name`` of dataclass ``cls`` (defaults live in the schema)."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
            break
    raise KeyError(f"{cls.__name__}.{name} has no default")


# --------------------------------------------------------------------------------------------
# Public entry points


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file; :class:`ScenarioError` lists every problem found."""
    text = yamlsrc.read_source(path)
    return load_scenario_text(text, str(path))


def load_scenario_text(text: str, source: str = "<string>") -> Scenario:
    """Load and validate scenario YAML given as text (``source`` names it in messages)."""
    tree = yamlsrc.parse(text, source)
    return build_scenario(tree, source)


# --------------------------------------------------------------------------------------------
# Problem collection


class Invalid(Exception):
    """Raised by a reader after recording a problem: the value cannot be built."""


class Ctx:
    """Collects the problems of one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, node: Located | None, path: str, message: str, hint: str | None = None) -> None:
        line = node.line if node is not None else None
        col = node.col if node is not None else None
        self.problems.append(Problem(self.source, line, col, path, message, hint))

    def fail(
        self, node: Located | None, path: str, message: str, hint: str | None = None
    ) -> NoReturn:
        self.add(node, path, message, hint)
        raise Invalid

    def attempt(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``fn(*args, **kwargs)``, or None when it gave up (its problems are recorded)."""
        try:
            return fn(*args, **kwargs)
        except Invalid:
            return None


class Fields:
    """The entries of a mapping with fixed keys, each with its key path."""

    def __init__(self, ctx: Ctx, node: Located, path: str, values: dict[str, Located]) -> None:
        self.ctx = ctx
        self.node = node
        self.base = path
        self.values = values

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def __getitem__(self, key: str) -> Located:
        return self.values[key]

    def get(self, key: str) -> Located | None:
        return self.values.get(key)

    def path(self, key: str) -> str:
        return join(self.base, key)

    def read(self, key: str, reader: Callable[..., T], default: Any = None, **kwargs: Any) -> T:
        """``reader(ctx, node, path, **kwargs)`` for the key, or ``default`` when it is absent."""
        if key not in self.values:
            return default
        return reader(self.ctx, self.values[key], self.path(key), **kwargs)


def join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def found(node: Located) -> str:
    """How a value is described in "expected ..., found ..." messages."""
    if node.is_map:
        return "a mapping" if node.value else "an empty mapping"
    if node.is_list:
        return "a list" if node.value else "an empty list"
    value = node.value
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{node.raw or str(value).lower()} (a yes/no value)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, _dt.date):
        return f"the date {node.raw or value}"
    if isinstance(value, int | float):
        return node.raw or repr(value)
    return repr(value)


def key_name(node: Located) -> str:
    """A key or name as written. YAML 1.1 turns an unquoted ``no`` into False and ``8:00`` into
    480, but a name is the text the author typed."""
    if isinstance(node.value, str):
        return node.value
    return node.raw if node.raw else str(node.value)


# --------------------------------------------------------------------------------------------
# Structure readers


def fields(
    ctx: Ctx,
    node: Located,
    path: str,
    allowed: Sequence[str],
    required: Sequence[str] = (),
    *,
    noun: str = "key",
    bail: bool = True,
    hints: dict[str, str] | None = None,
) -> Fields:
    """A mapping with fixed keys. Every unknown key and every missing required key is recorded;
    then, if some required key is missing and ``bail``, :class:`Invalid` is raised. A null value
    (``key:`` with nothing after it) reads as an empty mapping."""
    values: dict[str, Located] = {}
    if not node.is_null:
        expect_mapping(ctx, node, path, "with keys " + ", ".join(allowed))
        for key_loc, value in node.items():
            name = key_name(key_loc)
            if name in allowed:
                values[name] = value
            else:
                hint = did_you_mean(name, allowed)
                ctx.add(key_loc, join(path, name), f"unknown {noun} '{name}'", hint)
    missing = [k for k in required if k not in values]
    for k in missing:
        ctx.add(node, join(path, k), f"missing required {noun} '{k}'", (hints or {}).get(k))
    if missing and bail:
        raise Invalid
    return Fields(ctx, node, path, values)


def expect_mapping(ctx: Ctx, node: Located, path: str, what: str = "") -> Located:
    if not node.is_map:
        ctx.fail(node, path, f"expected a mapping{' ' + what if what else ''}, found {found(node)}")
    return node


def named_entries(
    ctx: Ctx, node: Located, path: str, what: str, *, allow_empty: bool = False
) -> list[tuple[str, Located, Located]]:
    """``(name, key node, value node)`` of a mapping keyed by names the author chooses."""
    if node.is_null and allow_empty:
        return []
    if not node.is_map:
        ctx.fail(node, path, f"expected a mapping of {what}, found {found(node)}")
    if not node.value and not allow_empty:
        ctx.fail(node, path, f"expected at least one of the {what}, found an empty mapping")
    out = []
    for key_loc, value in node.items():
        name = key_name(key_loc)
        if not name.strip():
            ctx.fail(key_loc, path, f"expected a name, found {found(key_loc)}")
        out.append((name, key_loc, value))
    return out


def each(items: Iterable[Any], fn: Callable[..., T]) -> list[T]:
    """``fn(item)`` for every item, carrying on after a failed one; Invalid at the end if any
    failed (so every independent problem in a list or mapping is reported)."""
    out: list[T] = []
    failed = False
    for item in items:
        try:
            out.append(fn(item))
        except Invalid:
            failed = True
    if failed:
        raise Invalid
    return out


# --------------------------------------------------------------------------------------------
# Value readers: reader(ctx, node, path, ...) -> value, or record a problem and raise Invalid


def read_name(ctx: Ctx, node: Located, path: str) -> str:
    if not node.is_scalar or node.value is None or isinstance(node.value, _dt.date):
        ctx.fail(node, path, f"expected a name, found {found(node)}")
    name = key_name(node)
    if not name.strip():
        ctx.fail(node, path, f"expected a name, found {found(node)}")
    return name


def read_names(
    ctx: Ctx, node: Located, path: str, known: Sequence[str] | None = None, what: str = "name"
) -> list[str]:
    """A name or a list of names (duplicates dropped); each must be in ``known``, if given."""
    if not node.is_list:
        items = [(node, path)]
    elif node.value:
        items = [(n, index(path, i)) for i, n in enumerate(node.value)]
    else:
        ctx.fail(node, path, f"expected a {what} or a list of them, found an empty list")

    def one(item: tuple[Located, str]) -> str:
        name = read_name(ctx, *item)
        if known is not None and name not in known:
            hint = did_you_mean(name, known, what=f"{what}s")
            ctx.fail(item[0], item[1], f"unknown {what} '{name}'", hint)
        return name

    return list(dict.fromkeys(each(items, one)))


def read_text(ctx: Ctx, node: Located, path: str) -> str:
    if node.is_null:
        return ""
    if not node.is_scalar:
        ctx.fail(node, path, f"expected text, found {found(node)}")
    return key_name(node)


def read_number(
    ctx: Ctx,
    node: Located,
    path: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    what: str = "a number",
) -> float:
    value = node.value if node.is_scalar else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        ctx.fail(node, path, f"expected {what}, found {found(node)}")
    x = float(value)
    if not math.isfinite(x):
        ctx.fail(node, path, f"expected a finite number, found {found(node)}")
    check_range(ctx, node, path, x, low, high, low_open=low_open, high_open=high_open)
    return x


def check_range(
    ctx: Ctx,
    node: Located,
    path: str,
    x: float,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> None:
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if too_low or too_high:
        parts = []
        if low is not None:
            parts.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            parts.append(f"{'<' if high_open else '<='} {high:g}")
        ctx.fail(node, path, f"expected a value {' and '.join(parts)}, found {found(node)}")


def read_int(ctx: Ctx, node: Located, path: str, *, low: int | None = None) -> int:
    value = node.value if node.is_scalar else None
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        ctx.fail(node, path, f"expected a whole number, found {found(node)}")
    n = int(cast(int | float, value))  # an int or a whole float: ctx.fail raised otherwise
    check_range(ctx, node, path, n, low)
    return n


def read_share(ctx: Ctx, node: Located, path: str) -> float:
    return read_number(ctx, node, path, low=0.0, high=1.0, what="a share between 0 and 1")


def read_probability(ctx: Ctx, node: Located, path: str) -> float:
    return read_number(ctx, node, path, low=0.0, high=1.0, what="a probability between 0 and 1")


@overload
def read_bool(
    ctx: Ctx, node: Located, path: str, *, allow_none: Literal[False] = False
) -> bool: ...
@overload
def read_bool(ctx: Ctx, node: Located, path: str, *, allow_none: bool) -> bool | None: ...
def read_bool(ctx: Ctx, node: Located, path: str, *, allow_none: bool = False) -> bool | None:
    """``true`` or ``false``; also nothing (None) if ``allow_none``."""
    if allow_none and node.is_null:
        return None
    value = node.value if node.is_scalar else None
    if not isinstance(value, bool):
        also = " (or nothing)" if allow_none else ""
        ctx.fail(node, path, f"expected true or false{also}, found {found(node)}")
    return value


def read_known_name(
    ctx: Ctx, node: Located, path: str, *, known: Sequence[str], what: str = "name"
) -> str:
    """A single name that must be in ``known``."""
    name = read_name(ctx, node, path)
    if name not in known:
        hint = did_you_mean(name, known, what=f"{what}s")
        ctx.fail(node, path, f"unknown {what} '{name}'", hint)
    return name


def one_of(ctx: Ctx, f: Fields, keys: Sequence[str], hint: str) -> str:
    """The single key of ``keys`` given in ``f``; none or several is a problem."""
    given = [k for k in keys if k in f]
    if not given:
        ctx.fail(f.node, f.base, f"give one of {' or '.join(keys)}", hint)
    if len(given) > 1:
        message = f"give only one of {' or '.join(keys)} (found {' and '.join(given)})"
        ctx.fail(f[given[1]], f.path(given[1]), message, hint)
    return given[0]


def unknown_skill(
    ctx: Ctx, node: Located, path: str, name: str, skills: Sequence[str], bots: Sequence[str] = ()
) -> NoReturn:
    """``name`` is neither a skill some agent group has nor (where bots are allowed) a bot."""
    if bots:
        message = f"no agent group has skill '{name}' and there is no bot '{name}'"
        hint = did_you_mean(name, [*skills, *bots], what="skills and bots")
    else:
        message = f"no agent group has skill '{name}'"
        hint = did_you_mean(name, skills, what="skills") if skills else "no agent group has a skill"
    ctx.fail(node, path, message, hint)


def _read_unit(
    ctx: Ctx, node: Located, path: str, parse: Callable[[Any], float], noun: str, example: str
) -> float:
    hint = {
        "duration": "a bare number is seconds; units are ms, s, m, h, d",
        "rate": "a bare number is per hour; units are /s, /min, /h, /d",
    }[noun]
    value = node.value
    if not node.is_scalar or value is None or isinstance(value, _dt.date):
        ctx.fail(node, path, f"expected a {noun} such as {example}, found {found(node)}", hint)
    try:
        return parse(value)
    except UnitError as exc:
        message = str(exc)
        if isinstance(value, str) and value.strip().startswith("-"):
            try:  # "-5m" fails to parse as a whole; say why
                parse(value.strip()[1:])
                message = f"a {noun} cannot be negative, found {value!r}"
            except UnitError:
                pass
        ctx.fail(node, path, message, hint)


def read_duration(ctx: Ctx, node: Located, path: str, *, positive: bool = False) -> float:
    seconds = _read_unit(ctx, node, path, parse_duration, "duration", "45s, 4m or 1h30m")
    if positive and seconds <= 0:
        ctx.fail(node, path, f"expected a duration greater than 0, found {found(node)}")
    return seconds


def read_rate(ctx: Ctx, node: Located, path: str) -> float:
    return _read_unit(ctx, node, path, parse_rate, "rate", "600/h or 10/min")


def read_clock(ctx: Ctx, node: Located, path: str) -> float:
    """Seconds since midnight. Uses the text as written: YAML 1.1 reads an unquoted ``8:00`` as
    the sexagesimal integer 480 (and ``1:30:00`` as 5400), which the text disambiguates; a bare
    number such as ``8`` is refused rather than read as 00:08."""
    hint = "write clock times as HH:MM, e.g. '08:00'"
    expected = f"expected a clock time such as 08:00, found {found(node)}"
    if not node.is_scalar or node.value is None or isinstance(node.value, bool):
        ctx.fail(node, path, expected, hint)
    text = key_name(node)
    if ":" not in text:
        ctx.fail(node, path, expected, hint)
    try:
        return parse_clock(text)
    except UnitError as exc:
        ctx.fail(node, path, str(exc), hint)


def read_choice(ctx: Ctx, node: Located, path: str, *, choices: Sequence[str]) -> str:
    value = node.value if node.is_scalar else None
    if not isinstance(value, str) or value not in choices:
        hint = did_you_mean(value, choices, what="values") if isinstance(value, str) else None
        ctx.fail(node, path, f"expected one of {', '.join(choices)}, found {found(node)}", hint)
    return value


def read_date(ctx: Ctx, node: Located, path: str) -> str:
    value = node.value if node.is_scalar else None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    ctx.fail(node, path, f"expected a date such as 2026-11-23, found {found(node)}")


def check_shares(ctx: Ctx, node: Located, path: str, shares: Sequence[tuple[str, float]]) -> None:
    total = math.fsum(s for _, s in shares)
    if abs(total - 1.0) > SHARE_TOLERANCE:
        listed = ", ".join(f"{n} {s:g}" for n, s in shares)
        hint = f"they are fractions of the whole ({listed}); make them add up to 1"
        ctx.fail(node, path, f"shares sum to {total:.10g}, expected 1", hint)


# --------------------------------------------------------------------------------------------
# Distributions


@overload
def read_distribution(
    ctx: Ctx, node: Located, path: str, *, allow_none: Literal[False] = False
) -> Distribution: ...
@overload
def read_distribution(
    ctx: Ctx, node: Located, path: str, *, allow_none: bool
) -> Distribution | None: ...
def read_distribution(
    ctx: Ctx, node: Located, path: str, *, allow_none: bool = False
) -> Distribution | None:
    """``{kind: params}`` or a bare duration (a constant); also ``none`` if ``allow_none``."""
    value = node.value
    if node.is_scalar:
        if allow_none and (value is None or (isinstance(value, str) and value.lower() == "none")):
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return Constant(read_duration(ctx, node, path))
    if not node.is_map or len(value) != 1:
        shown = f"a mapping with {len(value)} keys" if node.is_map and value else found(node)
        ctx.fail(node, path, f"expected a distribution ({DIST_EXAMPLE}), found {shown}")
    key_loc, body = next(node.items())
    kind = key_name(key_loc)
    kpath = join(path, kind)
    if kind not in DISTRIBUTION_KINDS:
        hint = did_you_mean(kind, DISTRIBUTION_KINDS, what="distributions")
        ctx.fail(key_loc, kpath, f"unknown distribution '{kind}'", hint)
    return _DISTRIBUTION_READERS[kind](ctx, body, kpath)


def _read_constant(ctx: Ctx, node: Located, path: str) -> Distribution:
    return Constant(read_duration(ctx, node, path))


def _read_empirical(ctx: Ctx, node: Located, path: str) -> Distribution:
    if not node.is_list or not node.value:
        message = f"expected a non-empty list of durations, found {found(node)}"
        ctx.fail(node, path, message, "e.g. {empirical: [3m, 4m30s, 6m]}")
    items = list(enumerate(node.value))
    return Empirical(tuple(each(items, lambda iv: read_duration(ctx, iv[1], index(path, iv[0])))))


def _read_exponential(ctx: Ctx, node: Located, path: str) -> Distribution:
    hint = "e.g. {exponential: {mean: 6m}}"
    f = fields(ctx, node, path, ["mean"], ["mean"], hints={"mean": hint})
    return Exponential(f.read("mean", read_duration, positive=True))


def _read_lognormal(ctx: Ctx, node: Located, path: str) -> Distribution:
    hint = "e.g. {lognormal: {mean: 4m, sd: 3m}}"
    f = fields(ctx, node, path, ["mean", "sd"], ["mean", "sd"], hints={"mean": hint, "sd": hint})
    return Lognormal(f.read("mean", read_duration, positive=True), f.read("sd", read_duration))


def _read_gamma(ctx: Ctx, node: Located, path: str) -> Distribution:
    f = fields(ctx, node, path, ["mean", "sd", "shape", "scale"])
    given = set(f.values)
    if given not in ({"mean", "sd"}, {"shape", "scale"}):
        message = "a gamma takes either mean and sd, or shape and scale"
        ctx.fail(node, path, message, "e.g. {gamma: {mean: 9m, sd: 6m}}")
    if given == {"shape", "scale"}:
        shape = f.read("shape", read_number, low=0.0, low_open=True)
        return Gamma(shape, f.read("scale", read_duration, positive=True))
    mean = f.read("mean", read_duration, positive=True)
    sd = f.read("sd", read_duration, positive=True)
    return Gamma((mean / sd) ** 2, sd * sd / mean)


def _read_uniform(ctx: Ctx, node: Located, path: str) -> Distribution:
    hint = "e.g. {uniform: {low: 1m, high: 5m}}"
    f = fields(ctx, node, path, ["low", "high"], ["low", "high"], hints={"low": hint, "high": hint})
    low, high = f.read("low", read_duration), f.read("high", read_duration)
    if high < low:
        message = f"high ({format_duration(high)}) is below low ({format_duration(low)})"
        ctx.fail(f["high"], f.path("high"), message)
    return Uniform(low, high)


_DISTRIBUTION_READERS: dict[str, Callable[[Ctx, Located, str], Distribution]] = {
    "constant": _read_constant,
    "empirical": _read_empirical,
    "exponential": _read_exponential,
    "lognormal": _read_lognormal,
    "gamma": _read_gamma,
    "uniform": _read_uniform,
}


# --------------------------------------------------------------------------------------------
# Block readers


def read_horizon(ctx: Ctx, node: Located, path: str = "horizon") -> Horizon:
    keys = ["start", "end", "interval", "duration", "warmup", "drain", "date"]
    f = fields(ctx, node, path, keys)
    example = "give start and end (clock times, e.g. start: '08:00', end: '20:00') or duration: 8h"
    if "duration" in f and ("start" in f or "end" in f):
        message = "give either start + end (a clock horizon) or duration, not both"
        ctx.fail(f["duration"], f.path("duration"), message, example)
    if "duration" in f:
        duration = f.read("duration", read_duration, positive=True)
        start, clock, interval = 0.0, False, duration
    elif "start" in f or "end" in f:
        for k in ("start", "end"):
            if k not in f:
                hint = "a clock horizon needs start and end, e.g. start: '08:00', end: '20:00'"
                ctx.fail(node, f.path(k), f"missing required key '{k}'", hint)
        start, end = f.read("start", read_clock), f.read("end", read_clock)
        if end <= start:
            message = f"end {format_clock(end)} must be after start {format_clock(start)}"
            hint = "for a horizon past midnight write the end as e.g. 30:00 (06:00 next day)"
            ctx.fail(f["end"], f.path("end"), message, hint)
        duration, clock, interval = end - start, True, DEFAULT_CLOCK_INTERVAL_S
    else:
        ctx.fail(node, path, "the horizon needs start and end, or duration", example)
    interval = f.read("interval", read_duration, interval, positive=True)
    warmup = f.read("warmup", read_duration, 0.0)
    if warmup >= duration:
        message = (
            f"warmup ({format_duration(warmup)}) must be shorter than the horizon "
            f"({format_duration(duration)})"
        )
        ctx.fail(f["warmup"], f.path("warmup"), message)
    return Horizon(
        duration=duration,
        interval=interval,
        start=start,
        warmup=warmup,
        drain=f.read("drain", read_duration, DEFAULT_DRAIN_S),
        clock=clock,
        date=f.read("date", read_date),
    )


def horizon_text(h: Horizon) -> str:
    if h.clock:
        return (
            f"the horizon runs from {format_clock(h.start)} to {format_clock(h.start + h.duration)}"
        )
    return f"the horizon runs from 0s to {format_duration(h.duration)}"


def _read_shares(
    ctx: Ctx, node: Located, path: str, what: str, extra: Sequence[str] = ()
) -> list[tuple[str, float, Fields | None]]:
    """``name: share`` or ``name: {share: x, <extra keys>}`` entries; shares must sum to 1.

    ``share`` may be left out when there is a single entry (it is then 1)."""
    entries = named_entries(ctx, node, path, what)

    def one(entry: tuple[str, Located, Located]) -> tuple[str, float, Fields | None]:
        name, _key, value = entry
        epath = join(path, name)
        if not (value.is_map or value.is_null):
            return name, read_share(ctx, value, epath), None
        required = ["share"] if len(entries) > 1 else []
        hint = f"each of several {what} needs a share, e.g. share: 0.25"
        f = fields(ctx, value, epath, ["share", *extra], required, hints={"share": hint})
        return name, f.read("share", read_share, 1.0), f

    out = each(entries, one)
    check_shares(ctx, node, path, [(name, share) for name, share, _ in out])
    return sorted(out, key=lambda e: e[0])


def read_customers(
    ctx: Ctx, node: Located | None, path: str = "customers"
) -> tuple[tuple[Segment, ...], tuple[Intent, ...]]:
    """``(segments, intents)``, each defaulting to a single one with share 1."""
    f = fields(ctx, node, path, ["segments", "intents"]) if node is not None else None
    segments: tuple[Segment, ...] = (Segment(DEFAULT_SEGMENT, 1.0),)
    intents: tuple[Intent, ...] = (Intent(DEFAULT_INTENT, 1.0),)
    if f is None:
        return segments, intents
    got = each(
        [
            lambda: f.read("segments", read_segments, segments),
            lambda: f.read("intents", read_intents, intents),
        ],
        lambda read: read(),
    )
    return got[0], got[1]


SEGMENT_KEYS = ["patience_scale", "reach", "sensitivity", "churn_base", "churn_max"]


def read_segments(ctx: Ctx, node: Located, path: str) -> tuple[Segment, ...]:
    """``name: share`` or ``name: {share, patience_scale, reach, sensitivity, churn_base,
    churn_max}``."""

    def one(entry: tuple[str, float, Fields | None]) -> Segment:
        name, share, f = entry
        if f is None:
            return Segment(name, share)
        churn_base = f.read("churn_base", read_probability, default_of(Segment, "churn_base"))
        churn_max = f.read("churn_max", read_probability, default_of(Segment, "churn_max"))
        if churn_max < churn_base:
            key = "churn_max" if "churn_max" in f else "churn_base"
            message = f"churn_max ({churn_max:g}) is below churn_base ({churn_base:g})"
            hint = (
                "churn_base is the churn of a calm customer and churn_max of a furious one, so "
                "churn_base <= churn_max"
            )
            ctx.fail(f[key], f.path(key), message, hint)
        return Segment(
            name,
            share,
            patience_scale=f.read("patience_scale", read_number, 1.0, low=0.0, low_open=True),
            reach=f.read("reach", read_number, 0.0, low=0.0),
            sensitivity=f.read(
                "sensitivity",
                read_number,
                default_of(Segment, "sensitivity"),
                low=0.0,
                low_open=True,
            ),
            churn_base=churn_base,
            churn_max=churn_max,
        )

    return tuple(each(_read_shares(ctx, node, path, "segments", SEGMENT_KEYS), one))


def read_intents(ctx: Ctx, node: Located, path: str) -> tuple[Intent, ...]:
    """``name: share`` or ``name: {share}``."""
    reserved_names(ctx, node, path, "an intent", ("default", "by_channel"), "handle_time")
    return tuple(Intent(name, share) for name, share, _ in _read_shares(ctx, node, path, "intents"))


def reserved_names(
    ctx: Ctx, node: Located, path: str, what: str, reserved: Sequence[str], where: str
) -> None:
    """Names that would be ambiguous elsewhere in the language are refused."""
    if node.is_map:
        assert node.keys is not None  # a mapping node always has its key nodes
        for key in node.keys.values():
            if key_name(key) in reserved:
                message = f"'{key_name(key)}' cannot be the name of {what}"
                hint = f"it is a keyword in {where}; choose another name"
                ctx.fail(key, join(path, key_name(key)), message, hint)


def read_channels(ctx: Ctx, node: Located, path: str = "channels") -> dict[str, Channel]:
    reserved_names(ctx, node, path, "a channel", ("default",), "handle_time")
    entries = named_entries(ctx, node, path, "channels")
    channels = each(entries, lambda e: read_channel(ctx, e[0], e[2], join(path, e[0])))
    return {c.name: c for c in sorted(channels, key=lambda c: c.name)}


def read_channel(ctx: Ctx, name: str, node: Located, path: str) -> Channel:
    f = fields(ctx, node, path, ["kind", "expected_response", "patience", "lines", "service_level"])
    default_kind = ASYNCHRONOUS if name in ASYNC_BY_NAME else SYNCHRONOUS
    kind = cast(
        ChannelKind, f.read("kind", read_choice, default_kind, choices=[SYNCHRONOUS, ASYNCHRONOUS])
    )
    sync = kind == SYNCHRONOUS
    default_response = DEFAULT_SYNC_RESPONSE_S if sync else DEFAULT_ASYNC_RESPONSE_S
    expected = f.read("expected_response", read_duration, default_response)
    patience: Distribution | None = f.read("patience", read_distribution, allow_none=True)
    if patience is not None and not sync:
        message = (
            f"patience applies only to synchronous channels; '{name}' is asynchronous "
            "(its contacts wait in a backlog and never abandon)"
        )
        ctx.fail(f["patience"], f.path("patience"), message, "remove it, or set kind: synchronous")
    lines = None
    if "lines" in f and not f["lines"].is_null:
        if not sync:
            message = (
                "lines (trunk capacity) applies only to synchronous channels; "
                f"'{name}' is asynchronous"
            )
            ctx.fail(f["lines"], f.path("lines"), message, "remove it, or set kind: synchronous")
        lines = f.read("lines", read_int, low=0)
    sl = f.read("service_level", read_duration, DEFAULT_SL_THRESHOLD_S if sync else expected)
    return Channel(
        name=name,
        kind=kind,
        expected_response=expected,
        patience=patience,
        lines=lines,
        sl_threshold=sl,
    )


def read_agents(
    ctx: Ctx,
    node: Located,
    horizon: Horizon | None,
    intents: Sequence[Intent] | None,
    path: str = "agents",
) -> dict[str, AgentGroup]:
    entries = named_entries(ctx, node, path, "agent groups", allow_empty=True)
    intent_names = [i.name for i in intents] if intents is not None else None
    targets: list[tuple[str, Located, str]] = []  # transfer targets, checked once all are read

    def one(entry: tuple[str, Located, Located]) -> AgentGroup:
        name, _key, value = entry
        return read_agent_group(ctx, name, value, horizon, join(path, name), intent_names, targets)

    groups = each(entries, one)
    skills = list(dict.fromkeys(s for g in groups for s in g.skills))
    for skill, to_node, to_path in targets:
        if skill not in skills:
            ctx.attempt(unknown_skill, ctx, to_node, to_path, skill, skills)
    return {g.name: g for g in sorted(groups, key=lambda g: g.name)}


def read_agent_group(
    ctx: Ctx,
    name: str,
    node: Located,
    horizon: Horizon | None,
    path: str,
    intents: Sequence[str] | None = None,
    targets: list[tuple[str, Located, str]] | None = None,
) -> AgentGroup:
    keys = [
        "skills",
        "count",
        "concurrency",
        "shrinkage",
        "wrap_up",
        "empathy",
        "resolves",
        "transfers",
    ]
    hint = "e.g. count: 12, or a schedule such as count: {'08:00': 12, '14:00': 9}"
    f = fields(ctx, node, path, keys, ["count"], hints={"count": hint})
    skills = tuple(f.read("skills", read_names, [name], what="skill"))
    if f["count"].is_map:
        if horizon is None:
            raise Invalid  # the horizon's own problem is already recorded
        schedule = f.read("count", read_schedule, horizon=horizon)
    else:
        schedule = ((0.0, f.read("count", read_int, low=0)),)
    if intents is None and ("resolves" in f or "transfers" in f):
        raise Invalid  # the customers block's problem is already recorded
    default_resolves = default_of(AgentGroup, "resolves_default")
    resolves, resolves_default = f.read(
        "resolves",
        read_resolves,
        (frozen_map(), default_resolves),
        intents=intents,
        fallback=default_resolves,
    )
    transfers = f.read("transfers", read_transfers, frozen_map(), intents=intents, targets=targets)
    return AgentGroup(
        name=name,
        skills=skills,
        schedule=schedule,
        concurrency=f.read("concurrency", read_int, DEFAULT_CONCURRENCY, low=1),
        shrinkage=f.read(
            "shrinkage", read_number, DEFAULT_SHRINKAGE, low=0, high=1, high_open=True
        ),
        wrap_up=f.read("wrap_up", read_distribution, Constant(0.0)),
        empathy=f.read("empathy", read_number, DEFAULT_EMPATHY, low=0.0, high=1.0),
        resolves=resolves,
        resolves_default=resolves_default,
        transfers=transfers,
    )


def _intent_key(ctx: Ctx, key: Located, path: str, name: str, intents: Sequence[str]) -> None:
    """A key of a per-intent mapping: an intent name or ``default``."""
    if name != "default" and name not in intents:
        hint = did_you_mean(name, ["default", *intents])
        ctx.fail(key, path, f"unknown intent '{name}' (neither an intent nor default)", hint)


def read_resolves(
    ctx: Ctx, node: Located, path: str, *, intents: Sequence[str], fallback: float
) -> tuple[Mapping[str, float], float]:
    """``{intent: probability, default: probability}`` -> (by intent, default); ``fallback`` is
    the default when the mapping has no ``default`` key."""
    entries = named_entries(ctx, node, path, "intents", allow_empty=True)
    by_intent: dict[str, float] = {"default": fallback}

    def one(entry: tuple[str, Located, Located]) -> None:
        name, key, value = entry
        epath = join(path, name)
        _intent_key(ctx, key, epath, name, intents)
        by_intent[name] = read_probability(ctx, value, epath)

    each(entries, one)
    fallback = by_intent.pop("default")
    return frozen_map(sorted(by_intent.items())), fallback


def read_transfers(
    ctx: Ctx,
    node: Located,
    path: str,
    *,
    intents: Sequence[str],
    targets: list[tuple[str, Located, str]] | None = None,
) -> Mapping[str, Transfer]:
    """``{intent or default: {to: skill, probability: p}}``; the skills are checked by the
    caller once every group is read (``targets`` collects them)."""
    entries = named_entries(ctx, node, path, "intents", allow_empty=True)

    def one(entry: tuple[str, Located, Located]) -> tuple[str, Transfer]:
        name, key, value = entry
        epath = join(path, name)
        _intent_key(ctx, key, epath, name, intents)
        hint = f"e.g. {name}: {{to: voice_general, probability: 0.2}}"
        req = ["to", "probability"]
        f = fields(ctx, value, epath, req, req, hints={"to": hint, "probability": hint})
        to = f.read("to", read_name)
        if targets is not None:
            targets.append((to, f["to"], f.path("to")))
        return name, Transfer(to=to, probability=f.read("probability", read_probability))

    return frozen_map(sorted(each(entries, one)))


def read_schedule(
    ctx: Ctx, node: Located, path: str, *, horizon: Horizon
) -> tuple[tuple[float, int], ...]:
    """``{time: heads}`` -> sorted ``(t, heads)`` steps in simulated seconds, the first at 0.

    Times are clock times for clock horizons (``'08:00'``) and offsets from the start otherwise
    (``0h``, ``2h30m``); every time must be inside ``[start, end)``."""
    if not node.value:
        ctx.fail(node, path, "expected at least one schedule step, such as '08:00': 12")
    seen: dict[float, str] = {}

    def one(entry: tuple[Located, Located]) -> tuple[float, int]:
        key, value = entry
        label = key_name(key)
        kpath = join(path, label)
        t = _schedule_time(ctx, key, kpath, horizon)
        heads = read_int(ctx, value, kpath, low=0)
        if t in seen:
            ctx.fail(key, kpath, f"time {label} is the same as {seen[t]}")
        seen[t] = label
        return t, heads

    schedule = sorted(each(node.items(), one))
    if schedule[0][0] > 0:
        schedule.insert(0, (0.0, 0))
    return tuple(schedule)


def _schedule_time(ctx: Ctx, key: Located, path: str, horizon: Horizon) -> float:
    label = key_name(key)
    if horizon.clock:
        t = read_clock(ctx, key, path) - horizon.start
    else:
        if ":" in label:
            hint = "the horizon is given by duration:, so write offsets from its start, e.g. 2h30m"
            ctx.fail(key, path, f"clock time {label!r} in a horizon without a clock", hint)
        t = read_duration(ctx, key, path)
    if not 0.0 <= t < horizon.duration:
        hint = f"{horizon_text(horizon)}; schedule times must be in [start, end)"
        ctx.fail(key, path, f"time {label} is outside the horizon", hint)
    return t


def read_arrivals(
    ctx: Ctx,
    node: Located,
    horizon: Horizon | None,
    channels: dict[str, Channel] | None,
    path: str = "arrivals",
) -> Arrivals:
    f = fields(ctx, node, path, ["rate", "per_interval", "daily_total", "profile", "first_channel"])
    forms = [k for k in ("rate", "per_interval", "daily_total") if k in f]
    if not forms:
        hint = "e.g. rate: 600/h, per_interval: [120, 180, ...] or daily_total: 12000"
        ctx.fail(node, path, "give one of rate, per_interval or daily_total", hint)
    if len(forms) > 1:
        message = (
            f"give only one of rate, per_interval or daily_total (found {' and '.join(forms)})"
        )
        ctx.fail(f[forms[1]], f.path(forms[1]), message)
    if "profile" in f and forms[0] != "daily_total":
        hint = "profile weights spread a daily_total over the intervals"
        ctx.fail(f["profile"], f.path("profile"), "profile goes with daily_total", hint)
    rates, first_channel = each(
        [lambda: _read_rates(ctx, f, forms[0], horizon), lambda: _first_channel(ctx, f, channels)],
        lambda read: read(),
    )
    return Arrivals(rates=rates, first_channel=first_channel)


def interval_lengths(horizon: Horizon) -> list[float]:
    """The length in seconds of each horizon interval (the last may be shorter)."""
    n, step, total = horizon.n_intervals, horizon.interval, horizon.duration
    return [max(min(step, total - i * step), 1e-9) for i in range(n)]


def _per_interval(ctx: Ctx, node: Located, path: str, horizon: Horizon, what: str) -> list[Located]:
    n = horizon.n_intervals
    if not node.is_list:
        ctx.fail(node, path, f"expected a list of {what}, one per interval, found {found(node)}")
    if len(node.value) != n:
        hint = (
            f"{horizon_text(horizon)} in intervals of {format_duration(horizon.interval)}, "
            f"which makes {n} interval{'s' if n != 1 else ''}"
        )
        message = f"expected {n} values, one per interval, found {len(node.value)}"
        ctx.fail(node, path, message, hint)
    return node.value


def _read_rates(ctx: Ctx, f: Fields, form: str, horizon: Horizon | None) -> tuple[float, ...]:
    """Per-second arrival rates, one per horizon interval."""
    if horizon is None:
        raise Invalid  # its problem is already recorded
    n, lengths = horizon.n_intervals, interval_lengths(horizon)
    node, path = f[form], f.path(form)

    def numbers(node: Located, path: str, what: str, reader: Callable[..., float], **kw: Any):
        items = list(enumerate(_per_interval(ctx, node, path, horizon, what)))
        return each(items, lambda iv: reader(ctx, iv[1], index(path, iv[0]), **kw))

    if form == "rate":
        if node.is_list:  # one rate per interval (the effective scenario writes this form)
            return tuple(numbers(node, path, "rates", read_rate))
        return (read_rate(ctx, node, path),) * n
    if form == "per_interval":
        counts = numbers(node, path, "expected counts", read_number, low=0.0)
        return tuple(c / length for c, length in zip(counts, lengths, strict=True))
    total = read_number(ctx, node, path, low=0.0)
    if "profile" not in f:
        return (total / horizon.duration,) * n
    weights = numbers(f["profile"], f.path("profile"), "weights", read_number, low=0.0)
    wsum = math.fsum(weights)
    if wsum <= 0:
        ctx.fail(f["profile"], f.path("profile"), "the profile weights are all 0")
    return tuple(total * w / wsum / length for w, length in zip(weights, lengths, strict=True))


def _first_channel(
    ctx: Ctx, f: Fields, channels: dict[str, Channel] | None
) -> tuple[tuple[str, float], ...]:
    if channels is None:
        raise Invalid  # its problem is already recorded
    names = list(channels)
    node, path = f.get("first_channel"), f.path("first_channel")
    if node is None:
        if len(names) == 1:
            return ((names[0], 1.0),)
        example = ", ".join(f"{n}: {1 / len(names):.2g}" for n in names)
        hint = f"say how customers first reach you, e.g. first_channel: {{{example}}}"
        ctx.fail(f.node, path, "first_channel is required when there are several channels", hint)

    def one(entry: tuple[str, Located, Located]) -> tuple[str, float]:
        name, key, value = entry
        if name not in channels:
            hint = did_you_mean(name, names, what="channels")
            ctx.fail(key, join(path, name), f"unknown channel '{name}'", hint)
        return name, read_share(ctx, value, join(path, name))

    shares = each(named_entries(ctx, node, path, "channels"), one)
    check_shares(ctx, node, path, shares)
    return tuple(sorted(shares))


def read_handle_time(
    ctx: Ctx,
    node: Located,
    intents: Sequence[Intent] | None,
    channels: dict[str, Channel] | None,
    path: str = "handle_time",
) -> HandleTimes:
    """``default``, ``by_channel`` and intent names; an intent takes a distribution, or
    ``default`` and channel names. The most specific entry wins (see HandleTimes.for_contact)."""
    expect_mapping(ctx, node, path, "with default, by_channel and intent names")
    if intents is None or channels is None:
        raise Invalid  # their problems are already recorded
    intent_names = [i.name for i in intents]
    channel_names = list(channels)
    default: list[Distribution] = []
    by_intent: dict[str, Distribution] = {}
    by_channel: dict[str, Distribution] = {}
    by_intent_channel: dict[tuple[str, str], Distribution] = {}

    def channel_entry(entry, kpath: str, store: Callable[[str, Distribution], None], extra=()):
        ch, ch_key, value = entry
        if ch not in channels and ch not in extra:
            hint = did_you_mean(ch, [*extra, *channel_names])
            ctx.fail(ch_key, join(kpath, ch), f"unknown channel '{ch}'", hint)
        store(ch, read_distribution(ctx, value, join(kpath, ch)))

    def one(entry: tuple[Located, Located]) -> None:
        key_loc, value = entry
        key = key_name(key_loc)
        kpath = join(path, key)
        if key == "default":
            default.append(read_distribution(ctx, value, kpath))
        elif key == "by_channel":
            entries = named_entries(ctx, value, kpath, "channels")
            each(entries, lambda e: channel_entry(e, kpath, by_channel.__setitem__))
        elif key not in intent_names:
            hint = did_you_mean(key, ["default", "by_channel", *intent_names])
            message = f"unknown key '{key}' (neither default, by_channel nor an intent)"
            ctx.fail(key_loc, kpath, message, hint)
        elif is_per_channel(value):

            def store(ch: str, dist: Distribution, intent: str = key) -> None:
                if ch == "default":
                    by_intent[intent] = dist
                else:
                    by_intent_channel[(intent, ch)] = dist

            entries = named_entries(ctx, value, kpath, "channels")
            each(entries, lambda e: channel_entry(e, kpath, store, extra=("default",)))
        else:
            by_intent[key] = read_distribution(ctx, value, kpath)

    each(node.items(), one)
    if not default:
        uncovered = [
            (i, c)
            for i in intent_names
            for c in channel_names
            if (i, c) not in by_intent_channel and i not in by_intent and c not in by_channel
        ]
        if uncovered:
            i, c = uncovered[0]
            more = f" (and {len(uncovered) - 1} more)" if len(uncovered) > 1 else ""
            message = f"no handle time for intent '{i}' on channel '{c}'{more}"
            hint = (
                "add default: {lognormal: {mean: 4m, sd: 3m}}, used when nothing more specific is"
            )
            ctx.fail(node, join(path, "default"), message, hint + " given")
        # Every contact has a specific entry, so the default is never used; it must still exist.
        i, c = intent_names[0], channel_names[0]
        default.append(by_intent_channel.get((i, c)) or by_intent.get(i) or by_channel[c])
    return HandleTimes(
        default=default[0],
        by_intent=frozen_map(sorted(by_intent.items())),
        by_channel=frozen_map(sorted(by_channel.items())),
        by_intent_channel=frozen_map(sorted(by_intent_channel.items())),
    )


def is_per_channel(node: Located) -> bool:
    """``{default: D, voice: D}`` rather than a distribution such as ``{lognormal: {...}}``."""
    if not node.is_map or not node.value:
        return False
    assert node.keys is not None  # a mapping node always has its key nodes
    return not {key_name(k) for k in node.keys.values()} & set(DISTRIBUTION_KINDS)


# --------------------------------------------------------------------------------------------
# Journey blocks: bots, context, retrial, frustration


def read_bots(
    ctx: Ctx,
    node: Located,
    channels: dict[str, Channel] | None,
    intents: Sequence[Intent] | None,
    agents: dict[str, AgentGroup] | None,
    path: str = "bots",
) -> dict[str, Bot]:
    """Bots by name. A bot name must differ from every skill and channel name, because a
    routing rule's ``to`` names a skill queue or a bot."""
    entries = named_entries(ctx, node, path, "bots", allow_empty=True)
    if not entries:
        return {}
    if channels is None or intents is None or agents is None:
        raise Invalid  # their problems are already recorded
    skills = list(dict.fromkeys(s for g in agents.values() for s in g.skills))
    intent_names = [i.name for i in intents]

    def one(entry: tuple[str, Located, Located]) -> Bot:
        name, key, value = entry
        bpath = join(path, name)
        clash = "skill" if name in skills else "channel" if name in channels else None
        if clash is not None:
            message = f"bot '{name}' has the name of a {clash}"
            hint = (
                "a routing rule's `to` names a skill queue or a bot, so bot names must differ "
                f"from skill and channel names; rename it, e.g. {name}_bot"
            )
            ctx.fail(key, bpath, message, hint)
        return read_bot(ctx, name, value, bpath, channels, intent_names, skills)

    bots = each(entries, one)
    return {b.name: b for b in sorted(bots, key=lambda b: b.name)}


def read_bot(
    ctx: Ctx,
    name: str,
    node: Located,
    path: str,
    channels: dict[str, Channel],
    intents: Sequence[str],
    skills: Sequence[str],
) -> Bot:
    keys = ["channel", "duration", "resolves", "max_turns", "on_failure"]
    hints = {
        "duration": "the time one bot turn takes, e.g. duration: {lognormal: {mean: 2m, sd: 1m}}",
        "on_failure": "where the customers it cannot help go, e.g. on_failure: {to: chat_support} "
        "or on_failure: {redirect: voice}",
    }
    f = fields(ctx, node, path, keys, ["duration", "on_failure"], hints=hints)
    default_resolves = default_of(Bot, "resolves_default")
    resolves, resolves_default = f.read(
        "resolves",
        read_resolves,
        (frozen_map(), default_resolves),
        intents=intents,
        fallback=default_resolves,
    )
    return Bot(
        name=name,
        duration=f.read("duration", read_distribution),
        escalation=f.read("on_failure", read_escalation, channels=channels, skills=skills),
        resolves=resolves,
        resolves_default=resolves_default,
        max_turns=f.read("max_turns", read_int, default_of(Bot, "max_turns"), low=1),
        channel=f.read("channel", read_known_name, known=list(channels), what="channel"),
    )


def read_escalation(
    ctx: Ctx, node: Located, path: str, *, channels: dict[str, Channel], skills: Sequence[str]
) -> Escalation:
    """``{to: skill}`` or ``{redirect: channel}``, with an optional ``passes_context``."""
    f = fields(ctx, node, path, ["to", "redirect", "passes_context"])
    hint = (
        "a bot escalates either to a skill queue (to: chat_support) or to another channel "
        "(redirect: voice)"
    )
    kind = one_of(ctx, f, ["to", "redirect"], hint)
    passes: bool | None = f.read("passes_context", read_bool, None, allow_none=True)
    if kind == "redirect":
        channel = f.read("redirect", read_known_name, known=list(channels), what="channel")
        return Escalation(redirect=channel, passes_context=passes)
    to = f.read("to", read_name)
    if to not in skills:
        unknown_skill(ctx, f["to"], f.path("to"), to, skills)
    return Escalation(to=to, passes_context=passes)


def read_context(
    ctx: Ctx, node: Located, channels: dict[str, Channel] | None, path: str = "context"
) -> Context:
    keys = [
        "shared_record",
        "bot_to_agent",
        "transfer",
        "channel_switch",
        "carried_switches",
        "re_explain",
    ]
    f = fields(ctx, node, path, keys)
    if channels is None and "carried_switches" in f:
        raise Invalid  # the channels block's problem is already recorded
    default = Context()
    return Context(
        shared_record=f.read("shared_record", read_bool, default.shared_record),
        bot_to_agent=f.read("bot_to_agent", read_bool, None, allow_none=True),
        transfer=f.read("transfer", read_bool, None, allow_none=True),
        channel_switch=f.read("channel_switch", read_bool, None, allow_none=True),
        carried_switches=f.read(
            "carried_switches", read_channel_pairs, default.carried_switches, channels=channels
        ),
        re_explain=f.read("re_explain", read_distribution, default.re_explain),
    )


def read_channel_pairs(
    ctx: Ctx, node: Located, path: str, *, channels: dict[str, Channel]
) -> frozenset[tuple[str, str]]:
    """``[[from, to], ...]``: switches between two different declared channels."""
    if node.is_null:
        return frozenset()
    if not node.is_list:
        example = "such as [[chat, voice]]"
        ctx.fail(
            node,
            path,
            f"expected a list of [from, to] channel pairs {example}, found {found(node)}",
        )
    names = list(channels)

    def one(item: tuple[int, Located]) -> tuple[str, str]:
        i, pair = item
        ipath = index(path, i)
        if not pair.is_list or len(pair.value) != 2:
            shown = f"a list of {len(pair.value)}" if pair.is_list else found(pair)
            ctx.fail(pair, ipath, f"expected a [from, to] pair of channels, found {shown}")
        ends = each(
            enumerate(pair.value),
            lambda e: read_known_name(ctx, e[1], index(ipath, e[0]), known=names, what="channel"),
        )
        if ends[0] == ends[1]:
            message = (
                f"a channel switch goes from one channel to another, found [{ends[0]}, {ends[1]}]"
            )
            ctx.fail(pair, ipath, message, "e.g. [chat, voice]")
        return ends[0], ends[1]

    return frozenset(each(enumerate(node.value), one))


def read_retrial(
    ctx: Ctx,
    node: Located,
    segments: Sequence[Segment] | None,
    channels: dict[str, Channel] | None,
    path: str = "retrial",
) -> Retrial:
    """What customers do after a failed contact. A ``retrial:`` block is enabled unless it says
    ``enabled: false`` (without the block nobody tries again)."""
    keys = ["enabled", "max_contacts", "probability", "contact_decay", "delay", "switch"]
    f = fields(ctx, node, path, keys)
    if (segments is None or channels is None) and "switch" in f:
        raise Invalid  # their problems are already recorded
    default = Retrial()
    return Retrial(
        enabled=f.read("enabled", read_bool, True),
        max_contacts=f.read("max_contacts", read_int, default.max_contacts, low=1),
        probability=f.read("probability", read_probability, default.probability),
        contact_decay=f.read(
            "contact_decay", read_number, default.contact_decay, low=0.0, low_open=True, high=1.0
        ),
        delay=f.read("delay", read_distribution, default.delay),
        switch=f.read("switch", read_switch, default.switch, segments=segments, channels=channels),
    )


def read_switch(
    ctx: Ctx,
    node: Located,
    path: str,
    *,
    segments: Sequence[Segment],
    channels: dict[str, Channel],
) -> Mapping[str, Mapping[str, Mapping[str, float]]]:
    """``{segment or default: {from channel: {to channel: weight}}}``; each row sums to 1."""
    segment_names = [s.name for s in segments]
    channel_names = list(channels)

    def channel_key(key: Located, kpath: str, name: str) -> None:
        if name not in channels:
            hint = did_you_mean(name, channel_names, what="channels")
            ctx.fail(key, kpath, f"unknown channel '{name}'", hint)

    def row(entry: tuple[str, Located, Located], spath: str) -> tuple[str, Mapping[str, float]]:
        source, key, value = entry
        rpath = join(spath, source)
        channel_key(key, rpath, source)

        def weight(e: tuple[str, Located, Located]) -> tuple[str, float]:
            target, tkey, w = e
            channel_key(tkey, join(rpath, target), target)
            return target, read_share(ctx, w, join(rpath, target))

        weights = each(named_entries(ctx, value, rpath, "channels"), weight)
        check_shares(ctx, value, rpath, weights)
        return source, frozen_map(sorted(weights))

    def segment(entry: tuple[str, Located, Located]) -> tuple[str, Mapping]:
        name, key, value = entry
        spath = join(path, name)
        if name != "default" and name not in segment_names:
            hint = did_you_mean(name, ["default", *segment_names])
            ctx.fail(key, spath, f"unknown segment '{name}' (neither a segment nor default)", hint)
        rows = each(named_entries(ctx, value, spath, "channels"), lambda e: row(e, spath))
        return name, frozen_map(sorted(rows))

    entries = named_entries(ctx, node, path, "segments", allow_empty=True)
    return frozen_map(sorted(each(entries, segment)))


def read_frustration(ctx: Ctx, node: Located, path: str = "frustration") -> FrustrationParams:
    """Overrides of :class:`~simulator.model.frustration.FrustrationParams`: each key is one of
    its field names, each value a number >= 0 (a bool for bool fields)."""
    params = dataclasses.fields(FrustrationParams)
    f = fields(ctx, node, path, [p.name for p in params])

    def one(param: dataclasses.Field) -> tuple[str, Any]:
        kind = _param_kind(param)
        if kind is bool:
            return param.name, f.read(param.name, read_bool)
        if kind is int:
            return param.name, f.read(param.name, read_int, low=0)
        return param.name, f.read(param.name, read_number, low=0.0)

    values = dict(each([p for p in params if p.name in f], one))
    try:
        return dataclasses.replace(FrustrationParams(), **values)
    except (TypeError, ValueError) as exc:
        where, wpath = (node, path)
        for name in values:
            if f"{path}.{name}" in str(exc):
                where, wpath = f[name], f.path(name)
                break
        hint = (
            "the defaults and their meaning are in simulator/scenario/frustration.py and "
            "docs/model.md"
        )
        ctx.fail(where, wpath, str(exc), hint)


def _param_kind(param: dataclasses.Field) -> type:
    """bool, int or float: the type of a FrustrationParams field (annotations may be strings)."""
    annotation = param.type if isinstance(param.type, str) else getattr(param.type, "__name__", "")
    default = param.default
    if annotation == "bool" or isinstance(default, bool):
        return bool
    if annotation == "int":
        return int
    return float


def read_routing(
    ctx: Ctx,
    node: Located | None,
    channels: dict[str, Channel],
    intents: Sequence[Intent],
    segments: Sequence[Segment],
    agents: dict[str, AgentGroup],
    first_channel: dict[str, float] | None,
    top: Located,
    path: str = "routing",
    bots: Mapping[str, Bot] | None = None,
    retrial: Retrial | None = None,
) -> tuple[RoutingRule, ...]:
    """The rules in file order; without a ``routing:`` block, each channel goes to the skill of
    the same name. Every channel customers can reach (first contacts, redirects, bot escalations
    and retrial switches) x intent x segment must match some rule."""
    skills = list(dict.fromkeys(s for g in agents.values() for s in g.skills))
    bots = bots or {}
    if node is not None and node.is_null:
        node = None  # `routing:` with nothing after it: the default rules
    rule_nodes: list[Located] = []
    if node is None:

        def default_rule(ch: str) -> RoutingRule:
            if ch not in skills:
                known = f" (known skills: {', '.join(skills)})" if skills else ""
                message = (
                    f"no routing: block, so channel '{ch}' goes to skill '{ch}', but no agent "
                    "group has that skill"
                )
                hint = f"add a routing: block, or give a group skills: [{ch}]{known}"
                ctx.fail(top, path, message, hint)
            return RoutingRule(to=ch, channels=frozenset({ch}))

        rules = each(channels, default_rule)
    else:
        if not node.is_list:
            message = f"expected a list of rules such as - {{to: voice}}, found {found(node)}"
            ctx.fail(node, path, message)
        known = {
            "channel": list(channels),
            "intent": [i.name for i in intents],
            "segment": [s.name for s in segments],
        }
        rule_nodes = node.value
        items = list(enumerate(node.value))
        rules = each(
            items,
            lambda iv: read_rule(
                ctx, iv[1], index(path, iv[0]), known, skills, bots=bots, channels=channels
            ),
        )
    if first_channel is not None:
        reach = reached_channels(channels, first_channel, rules, bots, retrial)
        where = node if node is not None else top
        _check_coverage(ctx, where, path, rules, reach, intents, segments, skills)
    _check_redirect_loops(ctx, path, rules, rule_nodes, channels, intents, segments)
    return tuple(rules)


RULE_KEYS = ["when", "to", "redirect", "priority", "overflow", "callback"]


def read_rule(
    ctx: Ctx,
    node: Located,
    path: str,
    known: dict[str, list[str]],
    skills: list[str],
    *,
    bots: Mapping[str, Bot] | None = None,
    channels: dict[str, Channel] | None = None,
) -> RoutingRule:
    bots = bots or {}
    f = fields(ctx, node, path, RULE_KEYS)
    if "to" not in f and "redirect" not in f:
        hint = "the skill queue or bot the contact goes to, e.g. to: voice"
        if channels is not None:
            hint += "; or redirect: <channel> to ask the customer to use another channel"
        ctx.fail(node, f.path("to"), "missing required key 'to'", hint)
    if "to" in f and "redirect" in f:
        message = "give either to or redirect, not both"
        hint = "to sends the contact to a skill queue or bot; redirect asks the customer to use "
        ctx.fail(f["redirect"], f.path("redirect"), message, hint + "another channel")
    conditions: dict[str, frozenset[str] | None] = dict.fromkeys(known)
    if "when" in f:
        w = fields(ctx, f["when"], f.path("when"), list(known))

        def condition(key: str) -> None:
            if not w[key].is_null:
                conditions[key] = frozenset(w.read(key, read_names, known=known[key], what=key))

        each(w.values, condition)
    to, redirect = "", None
    if "to" in f:
        to = f.read("to", read_name)
        if to not in skills and to not in bots:
            unknown_skill(ctx, f["to"], f.path("to"), to, skills, list(bots))
    else:
        redirect = f.read("redirect", read_redirect, channels=channels or {})
    for key in ("overflow", "callback"):
        if key in f and (redirect is not None or to in bots):
            if redirect is None:
                target = f"sends contacts to bot '{to}'"
                hint = f"put {key} on the queue the bot escalates to, or remove it"
            else:
                target = "redirects customers to another channel"
                hint = f"remove {key}, or route these contacts to a skill queue"
            message = f"{key} applies only to rules that send contacts to a skill queue; "
            ctx.fail(f[key], f.path(key), message + f"this rule {target}", hint)
    callback = f.read("callback", read_callback)
    listed = conditions["channel"]
    if (
        callback is not None
        and channels is not None
        and listed is not None
        and _all_asynchronous(channels, listed)
    ):
        message = (
            f"callback applies only to synchronous channels; this rule is for "
            f"{', '.join(sorted(listed))} (asynchronous: contacts wait in a backlog anyway)"
        )
        hint = "remove callback, or set the channel's kind: synchronous"
        ctx.fail(f["callback"], f.path("callback"), message, hint)
    return RoutingRule(
        to=to,
        channels=conditions["channel"],
        intents=conditions["intent"],
        segments=conditions["segment"],
        priority=f.read("priority", read_int, DEFAULT_PRIORITY),
        redirect=redirect,
        overflow=f.read("overflow", read_overflow, skills=skills),
        callback=callback,
    )


def _all_asynchronous(channels: Mapping[str, Channel], names: frozenset[str] | None) -> bool:
    """Whether a rule's ``when.channel`` names only asynchronous channels (None: any channel)."""
    return names is not None and not any(channels[c].synchronous for c in names)


def read_redirect(ctx: Ctx, node: Located, path: str, *, channels: dict[str, Channel]) -> Redirect:
    """``redirect: voice`` (everyone follows) or ``redirect: {to: voice, follow: 0.6}``."""
    names = list(channels)
    if not node.is_map:
        return Redirect(to=read_known_name(ctx, node, path, known=names, what="channel"))
    hint = "the channel customers are asked to use, e.g. redirect: {to: voice, follow: 0.6}"
    f = fields(ctx, node, path, ["to", "follow"], ["to"], hints={"to": hint})
    return Redirect(
        to=f.read("to", read_known_name, known=names, what="channel"),
        follow=f.read("follow", read_probability, default_of(Redirect, "follow")),
    )


def read_overflow(ctx: Ctx, node: Located, path: str, *, skills: Sequence[str]) -> Overflow:
    """``{after: 5m, to: skill}``: after that wait, another skill's agents may serve too."""
    hint = "e.g. overflow: {after: 5m, to: voice_general}"
    f = fields(ctx, node, path, ["after", "to"], ["after", "to"], hints={"after": hint, "to": hint})
    after = f.read("after", read_duration)
    to = f.read("to", read_name)
    if to not in skills:
        unknown_skill(ctx, f["to"], f.path("to"), to, skills)
    return Overflow(after=after, to=to)


def read_callback(ctx: Ctx, node: Located, path: str) -> Callback:
    """``{threshold: 3m, accept: 0.6}``: virtual hold offered above that expected wait."""
    hint = "the expected wait above which a callback is offered, e.g. threshold: 3m"
    f = fields(ctx, node, path, ["threshold", "accept"], ["threshold"], hints={"threshold": hint})
    return Callback(
        threshold=f.read("threshold", read_duration),
        accept=f.read("accept", read_probability, default_of(Callback, "accept")),
    )


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
    for ch in channels:
        if first_channel.get(ch, 0.0) > 0:
            how[ch] = None
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
    return {ch: how[ch] for ch in channels if ch in how}


def _check_coverage(ctx, node, path, rules, reached, intents, segments, skills) -> None:
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
        ctx.fail(node, path, message, hint)


def _check_redirect_loops(ctx, path, rules, rule_nodes, channels, intents, segments) -> None:
    """A redirect to a channel that routes the same contact back, through redirects, to a
    channel it has already been on would send customers round in circles. Each loop is
    reported once, at the redirect that closes it first."""
    if not any(r.redirect is not None for r in rules):
        return
    reported: set[frozenset[str]] = set()
    for start, intent, segment in itertools.product(channels, intents, segments):
        visited = [start]
        while True:
            i = _rule_index(rules, visited[-1], intent.name, segment.name)
            if i is None or rules[i].redirect is None:
                break
            target = rules[i].redirect.to
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
                where = _rule_key(rule_nodes, i, "redirect")
                ctx.add(where, join(index(path, i), "redirect"), message, hint)
            break


def _rule_index(
    rules: Sequence[RoutingRule], channel: str, intent: str, segment: str
) -> int | None:
    return next((i for i, r in enumerate(rules) if r.matches(channel, intent, segment)), None)


def _rule_key(rule_nodes: Sequence[Located], i: int, key: str) -> Located | None:
    node = rule_nodes[i] if i < len(rule_nodes) else None
    if node is None or not node.is_map:
        return node
    return node.value.get(key, node)


# --------------------------------------------------------------------------------------------
# Variants (the overlays themselves are applied by simulator.scenario.variants)


COST_KEYS = [
    "agent_hour",
    "agent_hour_by_group",
    "bot_session",
    "platform_per_day",
    "lifetime_value",
    "word_of_mouth_value",
]


def read_money(ctx: Ctx, node: Located, path: str) -> float:
    return read_number(ctx, node, path, low=0.0, what="an amount of money (a number >= 0)")


def read_costs(
    ctx: Ctx, node: Located, agents: Mapping[str, AgentGroup] | None, path: str = "costs"
) -> Costs:
    """``costs:``: money per run of the horizon; every amount is a number >= 0."""
    f = fields(ctx, node, path, COST_KEYS)
    if agents is None and "agent_hour_by_group" in f:
        raise Invalid  # the agents block's problem is already recorded
    default = Costs()

    def one(key: str) -> tuple[str, Any]:
        if key == "agent_hour_by_group":
            return key, f.read(key, read_group_rates, default.agent_hour_by_group, agents=agents)
        return key, f.read(key, read_money, getattr(default, key))

    return Costs(**dict(each(COST_KEYS, one)))  # every bad amount is reported


def read_group_rates(
    ctx: Ctx, node: Located, path: str, *, agents: Mapping[str, AgentGroup]
) -> Mapping[str, float]:
    """``{agent group: hourly rate}``; the names must be agent groups."""
    entries = named_entries(ctx, node, path, "agent groups", allow_empty=True)
    groups = list(agents)

    def one(entry: tuple[str, Located, Located]) -> tuple[str, float]:
        name, key_loc, value = entry
        if name not in groups:
            hint = did_you_mean(name, groups, what="agent groups")
            ctx.fail(key_loc, join(path, name), f"unknown agent group '{name}'", hint)
        return name, read_money(ctx, value, join(path, name))

    return frozen_map(sorted(each(entries, one)))


def read_variants(ctx: Ctx, node: Located, path: str) -> dict[str, tuple[Located, Located]]:
    """``variants:``: variant name -> (name key node, overlay mapping node), in file order. Only
    the shape is checked here (a mapping of mappings), so a broken variant never breaks the base;
    an empty overlay (``name:`` with nothing after it) is the base itself."""
    entries = named_entries(ctx, node, path, "variants", allow_empty=True)

    def one(entry: tuple[str, Located, Located]) -> tuple[str, tuple[Located, Located]]:
        name, key_loc, overlay = entry
        if not overlay.is_null and not overlay.is_map:
            message = (
                "expected a mapping of dotted key paths to values, e.g. "
                f"{{agents.voice.count: 20}}, found {found(overlay)}"
            )
            ctx.fail(overlay, join(path, name), message)
        return name, (key_loc, overlay)

    return dict(each(entries, one))


# --------------------------------------------------------------------------------------------
# The whole file


def build_scenario(tree: Located, source: str) -> Scenario:
    """The Scenario from a located tree, or a :class:`ScenarioError` listing every problem."""
    ctx = Ctx(source)
    if not tree.is_map:
        message = (
            "expected a mapping of blocks (scenario:, horizon:, arrivals:, ...) at the top level, "
            f"found {found(tree)}"
        )
        raise ScenarioError([Problem(source, tree.line, tree.col, "", message, None)])
    required = [k for k, req in BLOCKS.items() if req]
    blocks = fields(
        ctx, tree, "", list(BLOCKS), required, noun="block", bail=False, hints=BLOCK_EXAMPLES
    )

    def block(name: str, reader: Callable[..., T], *args: Any, default: Any = None) -> T | None:
        """The block read by ``reader`` (None if it failed or a required block is missing)."""
        if name not in blocks and BLOCKS[name]:
            return None  # reported as missing
        if name not in blocks and default is not None:
            return default
        return ctx.attempt(reader, ctx, blocks.get(name), *args)

    name = block("scenario", read_name, "scenario")
    description = block("description", read_text, "description", default="")
    seed = block("seed", lambda c, n, p: read_int(c, n, p, low=0), "seed", default=DEFAULT_SEED)
    horizon = block("horizon", read_horizon)
    segments, intents = block("customers", read_customers) or (None, None)
    channels = block("channels", read_channels)
    agents = block("agents", read_agents, horizon, intents)
    arrivals = block("arrivals", read_arrivals, horizon, channels)
    handle_time = block("handle_time", read_handle_time, intents, channels)
    bots = block("bots", read_bots, channels, intents, agents, default={})
    context = block("context", read_context, channels, default=Context())
    retrial = block("retrial", read_retrial, segments, channels, default=Retrial())
    frustration = block("frustration", read_frustration) if "frustration" in blocks else None
    costs = block("costs", read_costs, agents, default=Costs())
    if "variants" in blocks:  # only its shape here: scenario.variants builds the variants
        block("variants", read_variants, "variants")
    routing = None
    if channels is not None and segments is not None and agents is not None and bots is not None:
        first = dict(arrivals.first_channel) if arrivals is not None else None
        routing = ctx.attempt(
            read_routing,
            ctx,
            blocks.get("routing"),
            channels,
            intents,
            segments,
            agents,
            first,
            tree,
            bots=bots,
            retrial=retrial,
        )
    if ctx.problems:
        raise ScenarioError(sorted(ctx.problems, key=_position))
    # A block that is missing or failed always records a problem, so every block was read.
    assert name is not None and description is not None and seed is not None
    assert horizon is not None and segments is not None and intents is not None
    assert arrivals is not None and handle_time is not None and routing is not None
    journeys: dict[str, Any] = {"bots": frozen_map(bots), "context": context, "retrial": retrial}
    journeys["costs"] = costs
    if frustration is not None:
        journeys["frustration"] = frustration
    return Scenario(
        name=name,
        horizon=horizon,
        segments=segments,
        intents=intents,
        arrivals=arrivals,
        channels=frozen_map(channels),
        agents=frozen_map(agents),
        handle_time=handle_time,
        routing=routing,
        seed=seed,
        description=description,
        source=source,
        **journeys,
    )


def _position(p: Problem) -> tuple[float, float]:
    return (p.line if p.line is not None else math.inf, p.col if p.col is not None else 0)
