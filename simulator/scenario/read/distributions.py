"""Distributions of durations: ``{kind: parameters}`` or a bare duration (a constant).

Patience, handle times, wrap-up, bot turns, re-explaining and retry delays are all
distributions, read here into :mod:`simulator.distributions` values. Each kind's accepted keys are
declared once (:data:`KIND_KEYS`) for its reader and for the JSON Schema definition
(:data:`DISTRIBUTION_SCHEMA`) that every block refers to as ``#/$defs/distribution``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

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
from simulator.scenario.errors import did_you_mean
from simulator.scenario.read.context import (
    ReadContext,
    child_path,
    describe,
    item_path,
    key_name,
    read_each,
    read_fields,
)
from simulator.scenario.read.jsonparts import closed_object, ref
from simulator.scenario.read.values import LARGEST_NUMBER, read_duration, read_number
from simulator.scenario.yamlsrc import Located
from simulator.units import format_duration, format_number

EXAMPLE = "e.g. 45s, {exponential: {mean: 6m}} or {lognormal: {mean: 4m, sd: 3m}}"

#: The parameters each kind with named parameters accepts.
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "exponential": ("mean",),
    "lognormal": ("mean", "sd"),
    "gamma": ("mean", "sd", "shape", "scale"),
    "uniform": ("low", "high"),
}


@overload
def read_distribution(
    reading: ReadContext, node: Located, path: str, *, allow_none: Literal[False] = False
) -> Distribution: ...
@overload
def read_distribution(
    reading: ReadContext, node: Located, path: str, *, allow_none: bool
) -> Distribution | None: ...
def read_distribution(
    reading: ReadContext, node: Located, path: str, *, allow_none: bool = False
) -> Distribution | None:
    """``{kind: params}`` or a bare duration (a constant); also ``none`` if ``allow_none``."""
    value = node.value
    if node.is_scalar:
        if allow_none and (value is None or (isinstance(value, str) and value.lower() == "none")):
            return None
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return Constant(read_duration(reading, node, path))
    if not node.is_map or len(value) != 1:
        shown = f"a mapping with {len(value)} keys" if node.is_map and value else describe(node)
        reading.fail(node, path, f"expected a distribution ({EXAMPLE}), found {shown}")
    kind_node, body = next(node.items())
    kind = key_name(kind_node)
    kind_path = child_path(path, kind)
    if kind not in DISTRIBUTION_KINDS:
        hint = did_you_mean(kind, DISTRIBUTION_KINDS, what="distributions")
        reading.fail(kind_node, kind_path, f"unknown distribution '{kind}'", hint)
    return _READERS[kind](reading, body, kind_path)


def _read_constant(reading: ReadContext, node: Located, path: str) -> Distribution:
    return Constant(read_duration(reading, node, path))


def _read_empirical(reading: ReadContext, node: Located, path: str) -> Distribution:
    if not node.is_list or not node.value:
        message = f"expected a non-empty list of durations, found {describe(node)}"
        reading.fail(node, path, message, "e.g. {empirical: [3m, 4m30s, 6m]}")

    def read_value(item: tuple[int, Located]) -> float:
        i, value = item
        return read_duration(reading, value, item_path(path, i))

    return Empirical(tuple(read_each(enumerate(node.value), read_value)))


def _read_exponential(reading: ReadContext, node: Located, path: str) -> Distribution:
    keys = KIND_KEYS["exponential"]
    hint = "e.g. {exponential: {mean: 6m}}"
    given = read_fields(reading, node, path, keys, keys, hints={"mean": hint})
    return Exponential(given.read("mean", read_duration, positive=True))


def _read_lognormal(reading: ReadContext, node: Located, path: str) -> Distribution:
    keys = KIND_KEYS["lognormal"]
    hint = "e.g. {lognormal: {mean: 4m, sd: 3m}}"
    given = read_fields(reading, node, path, keys, keys, hints={"mean": hint, "sd": hint})
    mean = given.read("mean", read_duration, positive=True)
    return Lognormal(mean, given.read("sd", read_duration))


def _read_gamma(reading: ReadContext, node: Located, path: str) -> Distribution:
    given = read_fields(reading, node, path, KIND_KEYS["gamma"])
    present = set(given.values)
    if present not in ({"mean", "sd"}, {"shape", "scale"}):
        message = "a gamma takes either mean and sd, or shape and scale"
        reading.fail(node, path, message, "e.g. {gamma: {mean: 9m, sd: 6m}}")
    if present == {"shape", "scale"}:
        shape = given.read("shape", read_number, low=0.0, low_open=True)
        return Gamma(shape, given.read("scale", read_duration, positive=True, derived=True))
    mean = given.read("mean", read_duration, positive=True)
    sd = given.read("sd", read_duration, positive=True)
    shape, scale = (mean / sd) ** 2, sd * sd / mean
    if not (shape <= LARGEST_NUMBER and scale <= LARGEST_NUMBER):
        ratio = f"sd / mean = {format_number(sd / mean)}"
        message = f"a gamma this {'narrow' if shape > 1 else 'skewed'} ({ratio}) cannot be drawn"
        hint = "use a constant for a nearly fixed duration; keep sd within a million times the mean"
        reading.fail(node, path, message, hint)
    return Gamma(shape, scale)


def _read_uniform(reading: ReadContext, node: Located, path: str) -> Distribution:
    keys = KIND_KEYS["uniform"]
    hint = "e.g. {uniform: {low: 1m, high: 5m}}"
    given = read_fields(reading, node, path, keys, keys, hints={"low": hint, "high": hint})
    low, high = given.read("low", read_duration), given.read("high", read_duration)
    if high < low:
        message = f"high ({format_duration(high)}) is below low ({format_duration(low)})"
        reading.fail(given["high"], given.path("high"), message)
    return Uniform(low, high)


_READERS: dict[str, Callable[[ReadContext, Located, str], Distribution]] = {
    "constant": _read_constant,
    "empirical": _read_empirical,
    "exponential": _read_exponential,
    "lognormal": _read_lognormal,
    "gamma": _read_gamma,
    "uniform": _read_uniform,
}


def _kind_schema(kind: str, body: dict[str, Any], description: str) -> dict[str, Any]:
    return closed_object({kind: body}, [kind], description=description)


def _parameters(kind: str) -> dict[str, Any]:
    """The closed mapping of ``kind``'s parameters, all durations and all required."""
    keys = KIND_KEYS[kind]
    return closed_object({k: ref("duration") for k in keys}, keys, keys=keys)


_GAMMA_SHAPE_SCALE = {"shape": {"type": "number", "exclusiveMinimum": 0}, "scale": ref("duration")}

#: ``#/$defs/distribution`` of the JSON Schema.
DISTRIBUTION_SCHEMA: dict[str, Any] = {
    "description": "A probability distribution of a duration: a bare duration (a constant), "
    "or one of exponential, lognormal, gamma, uniform, constant, empirical.",
    "anyOf": [
        ref("duration"),
        _kind_schema(
            "exponential",
            _parameters("exponential"),
            "Exponential with the given mean (> 0), e.g. {exponential: {mean: 6m}}.",
        ),
        _kind_schema(
            "lognormal",
            _parameters("lognormal"),
            "Lognormal by its own mean (> 0) and standard deviation, e.g. "
            "{lognormal: {mean: 4m, sd: 3m}}.",
        ),
        _kind_schema(
            "gamma",
            {
                "anyOf": [
                    closed_object({"mean": ref("duration"), "sd": ref("duration")}, ["mean", "sd"]),
                    closed_object(_GAMMA_SHAPE_SCALE, ["shape", "scale"]),
                ]
            },
            "Gamma by mean and sd (both > 0), or by shape and scale.",
        ),
        _kind_schema(
            "uniform",
            _parameters("uniform"),
            "Uniform between low and high (low <= high).",
        ),
        _kind_schema("constant", ref("duration"), "Always the same duration."),
        _kind_schema(
            "empirical",
            {"type": "array", "items": ref("duration"), "minItems": 1},
            "Resamples the listed durations with equal weight.",
        ),
    ],
}
