"""The demand blocks: ``arrivals`` (how many customers come, and on which channel first) and
``handle_time`` (how long their contacts take, by intent and channel).

Arrival rates are turned into one per-second rate per horizon interval, whatever form the file
uses; handle times keep the most specific entry (see
:meth:`~simulator.scenario.schema.HandleTimes.for_contact`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from simulator.distributions import DISTRIBUTION_KINDS, Distribution
from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    Fields,
    Invalid,
    ReadContext,
    child_path,
    describe,
    expect_mapping,
    item_path,
    key_name,
    named_entries,
    read_each,
    read_fields,
)
from simulator.scenario.read.customers import Customers
from simulator.scenario.read.days import (
    DAY_KEYS,
    DAY_KEYS_TEXT,
    days_of_run,
    for_weekday,
    read_by_day,
)
from simulator.scenario.read.distributions import read_distribution
from simulator.scenario.read.horizon import horizon_text, interval_lengths
from simulator.scenario.read.jsonparts import closed_object, described, ref
from simulator.scenario.read.values import check_shares, read_number, read_rate, read_share
from simulator.scenario.schema import (
    Arrivals,
    Channel,
    DemandUncertainty,
    HandleTimes,
    Horizon,
    frozen_map,
)
from simulator.scenario.yamlsrc import Located
from simulator.units import format_duration

ARRIVAL_FORMS = ("rate", "per_interval", "daily_total")
#: The keys of one day's arrivals (the block itself, and each ``by_day`` override).
DAY_ARRIVAL_KEYS = (*ARRIVAL_FORMS, "profile")
ARRIVAL_KEYS = (*DAY_ARRIVAL_KEYS, "first_channel", "by_day", "uncertainty")
#: The keys of ``arrivals.uncertainty``.
UNCERTAINTY_KEYS = ("day_cv", "interval_cv", "interval_correlation")

#: One day's per-second arrival rates, one per interval of a day.
DayRates = tuple[float, ...]


def read_arrivals(
    reading: ReadContext,
    node: Located,
    path: str,
    horizon: Horizon | None,
    channels: dict[str, Channel] | None,
) -> Arrivals:
    """Exactly one of ``rate``, ``per_interval`` or ``daily_total`` (+ ``profile``) for every
    day, overrides by weekday in ``by_day``, and the first-channel shares."""
    given = read_fields(reading, node, path, ARRIVAL_KEYS)
    day, overrides, first_channel, uncertainty = read_each(
        [
            lambda: read_day_rates(reading, given, horizon),
            lambda: read_by_day_rates(reading, given, horizon),
            lambda: read_first_channel(reading, given, channels),
            lambda: given.read("uncertainty", read_uncertainty),
        ],
        lambda read: read(),
    )
    assert horizon is not None  # the rates could not be read without it
    return Arrivals(
        rates=run_rates(horizon, day, overrides),
        first_channel=first_channel,
        uncertainty=uncertainty,
    )


def read_uncertainty(reading: ReadContext, node: Located, path: str) -> DemandUncertainty:
    """``uncertainty: {day_cv: 0.09, interval_cv: 0.05, interval_correlation: 0.7}``: how far
    a simulated day strays from the forecast (see :class:`DemandUncertainty`)."""
    given = read_fields(reading, node, path, UNCERTAINTY_KEYS)
    cv_text = "a coefficient of variation between 0 and 1 (0.09 for 9 %)"
    day_cv, interval_cv, correlation = read_each(
        [
            lambda: given.read("day_cv", read_number, 0.0, low=0.0, high=1.0, what=cv_text),
            lambda: given.read("interval_cv", read_number, 0.0, low=0.0, high=1.0, what=cv_text),
            lambda: given.read(
                "interval_correlation",
                read_number,
                0.0,
                low=-1.0,
                high=1.0,
                low_open=True,
                high_open=True,
                what="a correlation strictly between -1 and 1",
            ),
        ],
        lambda read: read(),
    )
    if "interval_correlation" in given and interval_cv == 0:
        hint = "give interval_cv too, or drop it"
        message = "interval_correlation means nothing without interval_cv"
        key = "interval_correlation"
        reading.fail(given[key], given.path(key), message, hint)
    return DemandUncertainty(day_cv, interval_cv, correlation)


def run_rates(
    horizon: Horizon, default: DayRates, overrides: dict[str, DayRates]
) -> tuple[float, ...]:
    """The rates of the whole run: each day's from its weekday's override, else the default."""
    rates: list[float] = []
    for _day, weekday in days_of_run(horizon):
        override = for_weekday(overrides, weekday)
        rates.extend(default if override is None else override)
    return tuple(rates)


def read_by_day_rates(
    reading: ReadContext, given: Fields, horizon: Horizon | None
) -> dict[str, DayRates]:
    """``by_day: {sat: {daily_total: 800}, sun: {rate: 0}}``: one day's arrivals per day key.
    A ``daily_total`` without its own profile keeps the block's profile."""
    if "by_day" not in given:
        return {}
    inherited = _base_profile(reading, given, horizon)

    def read_day(reading: ReadContext, node: Located, path: str) -> DayRates:
        day = read_fields(reading, node, path, DAY_ARRIVAL_KEYS, suggest=_by_day_hint)
        return read_day_rates(reading, day, horizon, inherited)

    return read_by_day(reading, given["by_day"], given.path("by_day"), read_day)


def _by_day_hint(name: str, allowed: Sequence[str]) -> str | None:
    if name in ("first_channel", "by_day"):
        return f"{name} is given once for every day, in arrivals.{name}"
    return did_you_mean(name, allowed)


def _base_profile(reading: ReadContext, given: Fields, horizon: Horizon | None) -> list[float]:
    """The block's own profile weights, for overrides that give a daily total only."""
    if "profile" not in given or horizon is None:
        return []
    silent = ReadContext(reading.source)  # the block's own reading reports its problems
    weights = silent.attempt(read_profile, silent, given, horizon)
    return weights or []


def arrival_form(reading: ReadContext, given: Fields) -> str:
    """The one of ``rate``, ``per_interval`` and ``daily_total`` that ``given`` uses."""
    forms = [k for k in ARRIVAL_FORMS if k in given]
    if not forms:
        hint = "e.g. rate: 600/h, per_interval: [120, 180, ...] or daily_total: 12000"
        path = given.mapping_path
        reading.fail(given.node, path, "give one of rate, per_interval or daily_total", hint)
    if len(forms) > 1:
        message = (
            f"give only one of rate, per_interval or daily_total (found {' and '.join(forms)})"
        )
        reading.fail(given[forms[1]], given.path(forms[1]), message)
    if "profile" in given and forms[0] != "daily_total":
        hint = "profile weights spread a daily_total over the intervals"
        reading.fail(given["profile"], given.path("profile"), "profile goes with daily_total", hint)
    return forms[0]


def per_interval_items(
    reading: ReadContext, node: Located, path: str, horizon: Horizon, what: str
) -> list[Located]:
    """The items of a list that must hold one value per interval of a day."""
    n = horizon.intervals_per_day
    if not node.is_list:
        message = f"expected a list of {what}, one per interval, found {describe(node)}"
        reading.fail(node, path, message)
    if len(node.value) != n:
        hint = (
            f"{horizon_text(horizon)} in intervals of {format_duration(horizon.interval)}, "
            f"which makes {n} interval{'s' if n != 1 else ''}"
        )
        message = f"expected {n} values, one per interval, found {len(node.value)}"
        reading.fail(node, path, message, hint)
    return node.value


def _numbers(
    reading: ReadContext,
    node: Located,
    path: str,
    horizon: Horizon,
    what: str,
    reader: Callable[..., float],
    **bounds: Any,
) -> list[float]:
    """One number per interval of a day, each read by ``reader``."""
    items = per_interval_items(reading, node, path, horizon, what)
    return read_each(
        enumerate(items), lambda iv: reader(reading, iv[1], item_path(path, iv[0]), **bounds)
    )


def read_profile(reading: ReadContext, given: Fields, horizon: Horizon) -> list[float]:
    """The ``profile`` weights, one per interval of a day, not all 0."""
    node, path = given["profile"], given.path("profile")
    weights = _numbers(reading, node, path, horizon, "weights", read_number, low=0.0)
    if math.fsum(weights) <= 0:
        reading.fail(node, path, "the profile weights are all 0")
    return weights


def read_day_rates(
    reading: ReadContext,
    given: Fields,
    horizon: Horizon | None,
    inherited_profile: list[float] | None = None,
) -> DayRates:
    """One day's per-second arrival rates, one per interval of a day. A ``daily_total``
    without a profile is spread by ``inherited_profile`` if given, else evenly."""
    form = arrival_form(reading, given)
    if horizon is None:
        raise Invalid  # its problem is already recorded
    n, lengths = horizon.intervals_per_day, interval_lengths(horizon)
    node, path = given[form], given.path(form)
    if form == "rate":
        if node.is_list:  # one rate per interval (the effective scenario writes this form)
            return tuple(_numbers(reading, node, path, horizon, "rates", read_rate))
        return (read_rate(reading, node, path),) * n
    if form == "per_interval":
        counts = _numbers(reading, node, path, horizon, "expected counts", read_number, low=0.0)
        return tuple(c / length for c, length in zip(counts, lengths, strict=True))
    total = read_number(reading, node, path, low=0.0)
    weights = read_profile(reading, given, horizon) if "profile" in given else inherited_profile
    if not weights:
        return (total / horizon.duration,) * n
    weight_sum = math.fsum(weights)
    return tuple(
        total * weight / weight_sum / length
        for weight, length in zip(weights, lengths, strict=True)
    )


def read_first_channel(
    reading: ReadContext, given: Fields, channels: dict[str, Channel] | None
) -> tuple[tuple[str, float], ...]:
    """``first_channel: {channel: share}``, in name order; optional with a single channel."""
    if channels is None:
        raise Invalid  # its problem is already recorded
    names = list(channels)
    node, path = given.get("first_channel"), given.path("first_channel")
    if node is None:
        if len(names) == 1:
            return ((names[0], 1.0),)
        example = ", ".join(f"{n}: {1 / len(names):.2g}" for n in names)
        hint = f"say how customers first reach you, e.g. first_channel: {{{example}}}"
        message = "first_channel is required when there are several channels"
        reading.fail(given.node, path, message, hint)

    def read_entry(entry: tuple[str, Located, Located]) -> tuple[str, float]:
        name, key, value = entry
        if name not in channels:
            hint = did_you_mean(name, names, what="channels")
            reading.fail(key, child_path(path, name), f"unknown channel '{name}'", hint)
        return name, read_share(reading, value, child_path(path, name))

    shares = read_each(named_entries(reading, node, path, "channels"), read_entry)
    check_shares(reading, node, path, shares)
    return tuple(sorted(shares))


class _HandleTimeEntries:
    """The entries of a ``handle_time`` block as they are read, by how specific they are."""

    def __init__(self, reading: ReadContext, channels: Sequence[str]) -> None:
        self.reading = reading
        self.channels = channels
        self.default: list[Distribution] = []
        self.by_intent: dict[str, Distribution] = {}
        self.by_channel: dict[str, Distribution] = {}
        self.by_intent_channel: dict[tuple[str, str], Distribution] = {}

    def read_per_channel(
        self,
        node: Located,
        path: str,
        store: Callable[[str, Distribution], None],
        extra: Sequence[str] = (),
    ) -> None:
        """``{channel: distribution}`` (also the names in ``extra``), each passed to ``store``."""

        def read_entry(entry: tuple[str, Located, Located]) -> None:
            channel, channel_key, value = entry
            if channel not in self.channels and channel not in extra:
                hint = did_you_mean(channel, [*extra, *self.channels])
                message = f"unknown channel '{channel}'"
                self.reading.fail(channel_key, child_path(path, channel), message, hint)
            store(channel, read_distribution(self.reading, value, child_path(path, channel)))

        read_each(named_entries(self.reading, node, path, "channels"), read_entry)

    def store_intent(self, intent: str) -> Callable[[str, Distribution], None]:
        """Where an intent's per-channel entries go (its ``default`` is the intent's own)."""

        def store(channel: str, dist: Distribution) -> None:
            if channel == "default":
                self.by_intent[intent] = dist
            else:
                self.by_intent_channel[(intent, channel)] = dist

        return store

    def uncovered(self, intents: Sequence[str]) -> list[tuple[str, str]]:
        """(intent, channel) pairs with no entry that applies to them but the default."""
        return [
            (i, c)
            for i in intents
            for c in self.channels
            if (i, c) not in self.by_intent_channel
            and i not in self.by_intent
            and c not in self.by_channel
        ]


def read_handle_time(
    reading: ReadContext,
    node: Located,
    path: str,
    customers: Customers | None,
    channels: dict[str, Channel] | None,
) -> HandleTimes:
    """``default``, ``by_channel`` and intent names; an intent takes a distribution, or
    ``default`` and channel names. The most specific entry wins (see HandleTimes.for_contact)."""
    expect_mapping(reading, node, path, "with default, by_channel and intent names")
    if customers is None or channels is None:
        raise Invalid  # their problems are already recorded
    intents = [i.name for i in customers.intents]
    entries = _HandleTimeEntries(reading, list(channels))

    def read_entry(entry: tuple[Located, Located]) -> None:
        key_node, value = entry
        key = key_name(key_node)
        key_path = child_path(path, key)
        if key == "default":
            entries.default.append(read_distribution(reading, value, key_path))
        elif key == "by_channel":
            entries.read_per_channel(value, key_path, entries.by_channel.__setitem__)
        elif key not in intents:
            hint = did_you_mean(key, ["default", "by_channel", *intents])
            message = f"unknown key '{key}' (neither default, by_channel nor an intent)"
            reading.fail(key_node, key_path, message, hint)
        elif is_per_channel(value):
            entries.read_per_channel(value, key_path, entries.store_intent(key), ("default",))
        else:
            entries.by_intent[key] = read_distribution(reading, value, key_path)

    read_each(node.items(), read_entry)
    if not entries.default:
        uncovered = entries.uncovered(intents)
        if uncovered:
            i, c = uncovered[0]
            more = f" (and {len(uncovered) - 1} more)" if len(uncovered) > 1 else ""
            message = f"no handle time for intent '{i}' on channel '{c}'{more}"
            hint = "add default: {lognormal: {mean: 4m, sd: 3m}}, used when nothing more specific "
            reading.fail(node, child_path(path, "default"), message, hint + "is given")
        # Every contact has a specific entry, so the default is never used; it must still exist.
        i, c = intents[0], entries.channels[0]
        specific = entries.by_intent_channel.get((i, c)) or entries.by_intent.get(i)
        entries.default.append(specific or entries.by_channel[c])
    return HandleTimes(
        default=entries.default[0],
        by_intent=frozen_map(sorted(entries.by_intent.items())),
        by_channel=frozen_map(sorted(entries.by_channel.items())),
        by_intent_channel=frozen_map(sorted(entries.by_intent_channel.items())),
    )


def is_per_channel(node: Located) -> bool:
    """``{default: D, voice: D}`` rather than a distribution such as ``{lognormal: {...}}``."""
    if not node.is_map or not node.value:
        return False
    assert node.keys is not None  # a mapping node always has its key nodes
    return not {key_name(k) for k in node.keys.values()} & set(DISTRIBUTION_KINDS)


_PER_INTERVAL = {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 1}

_DAY_ARRIVAL_PROPERTIES: dict[str, Any] = {
    "rate": described(
        {"anyOf": [ref("rate"), {"type": "array", "items": ref("rate"), "minItems": 1}]},
        "Poisson arrival rate, constant or one per interval of a day.",
    ),
    "per_interval": described(_PER_INTERVAL, "Expected arrivals in each interval of a day."),
    "daily_total": described(
        {"type": "number", "minimum": 0}, "Expected arrivals over each day's window."
    ),
    "profile": described(
        _PER_INTERVAL, "Weights spreading daily_total over a day's intervals (normalised)."
    ),
}
_ONE_FORM: dict[str, Any] = {
    "oneOf": [{"required": [form]} for form in ARRIVAL_FORMS],
    "dependentRequired": {"profile": ["daily_total"]},
}

#: One day's arrivals in ``by_day`` (one object for every day key: they are read alike).
_DAY_ARRIVALS = closed_object(_DAY_ARRIVAL_PROPERTIES, keys=DAY_ARRIVAL_KEYS, **_ONE_FORM)

_CV = {"type": "number", "minimum": 0, "maximum": 1}
_UNCERTAINTY = described(
    closed_object(
        {
            "day_cv": described(
                _CV, "Coefficient of variation of a day's volume (gamma multiplier, mean 1).", 0.0
            ),
            "interval_cv": described(
                _CV, "Coefficient of variation of the interval multipliers (log-AR(1)).", 0.0
            ),
            "interval_correlation": described(
                {"type": "number", "exclusiveMinimum": -1, "exclusiveMaximum": 1},
                "Lag-1 correlation of the interval multipliers' logs (needs interval_cv).",
                0.0,
            ),
        },
        keys=UNCERTAINTY_KEYS,
    ),
    "How far each simulated day strays from the forecast: a day multiplier and interval noise, "
    "drawn per day and replication (common random numbers across variants).",
)

_ARRIVALS: dict[str, Any] = described(
    closed_object(
        {
            **_DAY_ARRIVAL_PROPERTIES,
            "first_channel": described(
                {"type": "object", "additionalProperties": ref("share")},
                "Channel customers try first: name -> share. Optional with a single channel.",
            ),
            "uncertainty": _UNCERTAINTY,
            "by_day": described(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": dict.fromkeys(DAY_KEYS, _DAY_ARRIVALS),
                },
                f"Arrivals of some days instead ({DAY_KEYS_TEXT}): each of the same form, one of "
                "rate, per_interval, daily_total (+ profile; a daily_total alone keeps the "
                "block's profile). The first channel is the block's.",
            ),
        },
        keys=ARRIVAL_KEYS,
        **_ONE_FORM,
    ),
    "How many customers arrive each day: exactly one of rate, per_interval, daily_total "
    "(+ profile), and by_day overrides.",
)

_HANDLE_TIME: dict[str, Any] = described(
    {
        "type": "object",
        "properties": {
            "default": described(
                ref("distribution"),
                "Used when nothing more specific is given (required unless every intent has its "
                "own).",
            ),
            "by_channel": described(
                {"type": "object", "additionalProperties": ref("distribution")},
                "Channel-level defaults: channel -> distribution.",
            ),
        },
        "additionalProperties": {
            "description": "Per intent: a distribution, or {default: D, <channel>: D}.",
            "anyOf": [
                ref("distribution"),
                {"type": "object", "additionalProperties": ref("distribution")},
            ],
        },
    },
    "Handle time by intent and channel; the most specific entry wins.",
)

ARRIVALS = Block(
    "arrivals",
    read_arrivals,
    _ARRIVALS,
    required=True,
    example="e.g. `arrivals: {rate: 600/h}`",
    needs=("horizon", "channels"),
)
HANDLE_TIME = Block(
    "handle_time",
    read_handle_time,
    _HANDLE_TIME,
    required=True,
    example="e.g. `handle_time: {default: {lognormal: {mean: 4m, sd: 3m}}}`",
    needs=("customers", "channels"),
)
