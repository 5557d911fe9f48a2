"""The ``frustration`` block: overrides of the frustration model's coefficients.

Its keys are the fields of :class:`~simulator.scenario.frustration.FrustrationParams`. Every value
is checked here, with the loader's readers, so each problem has the line, column and key path of
the value at fault: numbers >= 0, shares (:data:`~simulator.scenario.frustration.SHARES`) and
``initial`` bounded above, ``enabled`` a yes/no, and the thresholds in order. Only then is the
dataclass built, so its ``__post_init__`` (the guard for values built in code) never fires here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from simulator.scenario.frustration import (
    F_MAX,
    MEANINGS,
    SHARES,
    THRESHOLDS,
    FrustrationParams,
    thresholds_in_order,
    thresholds_problem,
)
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import Fields, Invalid, ReadContext, read_each, read_fields
from simulator.scenario.read.jsonparts import closed_object, described, nullable
from simulator.scenario.read.values import read_bool, read_number
from simulator.scenario.yamlsrc import Located

_DEFAULTS = FrustrationParams()
FRUSTRATION_KEYS = tuple(field.name for field in dataclasses.fields(FrustrationParams))
#: Upper bounds of coefficients that have one (the thresholds are checked together).
UPPER_BOUNDS: dict[str, float] = {**dict.fromkeys(SHARES, 1.0), "initial": F_MAX}
HINT = "the defaults and their meaning are in simulator/scenario/frustration.py and docs/model.md"


def _is_switch(key: str) -> bool:
    """Whether coefficient ``key`` is a yes/no (``enabled``) rather than a number."""
    return isinstance(getattr(_DEFAULTS, key), bool)


def read_frustration(reading: ReadContext, node: Located, path: str) -> FrustrationParams:
    """The default coefficients with the block's overrides. The thresholds are checked together
    (at the block) whenever each of them is a valid number, even if another value is not."""
    given = read_fields(reading, node, path, FRUSTRATION_KEYS)
    values: dict[str, Any] = {}

    def read_entry(key: str) -> None:
        values[key] = _read_coefficient(reading, given, key)

    present = [key for key in FRUSTRATION_KEYS if key in given]
    failed = reading.attempt(read_each, present, read_entry) is None
    if all(key in values or key not in given for key in THRESHOLDS):
        levels = [values.get(key, getattr(_DEFAULTS, key)) for key in THRESHOLDS]
        if not thresholds_in_order(levels):
            reading.add(node, path, thresholds_problem(levels), HINT)
            failed = True
    if failed:
        raise Invalid
    return dataclasses.replace(_DEFAULTS, **values)


def _read_coefficient(reading: ReadContext, given: Fields, key: str) -> Any:
    if _is_switch(key):
        return given.read(key, read_bool)
    value = given.read(key, read_number, low=0.0)
    bound = UPPER_BOUNDS.get(key)
    if bound is not None and value > bound:
        if key in SHARES:
            message = f"{given.path(key)} is a share and must be <= {bound:g}"
        else:
            message = f"{given.path(key)} must be <= {bound:g}, got {value}"
        reading.fail(given[key], given.path(key), message, HINT)
    return value


def _coefficient_schema(key: str) -> dict[str, Any]:
    if _is_switch(key):
        shape: dict[str, Any] = {"type": "boolean"}
    elif key in THRESHOLDS:
        shape = {"type": "number", "exclusiveMinimum": 0, "maximum": F_MAX}
    else:
        shape = {"type": "number", "minimum": 0}
        if key in UPPER_BOUNDS:
            shape["maximum"] = UPPER_BOUNDS[key]
    return described(shape, MEANINGS[key], getattr(_DEFAULTS, key))


BLOCK = Block(
    "frustration",
    read_frustration,
    described(
        nullable(
            closed_object(
                {key: _coefficient_schema(key) for key in FRUSTRATION_KEYS},
                keys=FRUSTRATION_KEYS,
            )
        ),
        "Frustration-model coefficients (simulator/scenario/frustration.py); give only those to "
        "override.",
    ),
    absent=FrustrationParams,
)
