"""The ``outcomes`` block: overrides of the outcome model's coefficients.

Its parts are those of :class:`~simulator.scenario.outcomes.OutcomeParams`: ``effort`` (weights),
``recommend`` (the 0-10 ordered logit), ``churn`` and ``word_of_mouth`` (``negative`` and
``positive``). Every weight is a number >= 0 (so effort and no resolution never improve an
outcome), a ``base`` chance lies strictly between 0 and 1, ``resolved_effortless`` lists 11
shares > 0 that add up to 1, and ``promoter_requires.max_effort`` lies on the effort scale.
Every problem has the line, column and key path of the value at fault; ``cxsim
calibrate-outcomes`` writes this block from a survey.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from simulator.scenario.outcomes import (
    CHURN_MEANINGS,
    EFFORT_MAX,
    EFFORT_MEANINGS,
    EFFORT_MIN,
    LTR_ANSWERS,
    RECOMMEND_MEANINGS,
    TELLING_MEANINGS,
    ChurnModel,
    EffortWeights,
    OutcomeParams,
    RecommendModel,
    TellingModel,
)
from simulator.scenario.read.block import Block
from simulator.scenario.read.context import (
    ReadContext,
    describe,
    item_path,
    read_each,
    read_fields,
)
from simulator.scenario.read.jsonparts import closed_object, described, nullable
from simulator.scenario.read.values import read_bool, read_number
from simulator.scenario.yamlsrc import Located

OUTCOME_KEYS = ("effort", "recommend", "churn", "word_of_mouth")
EFFORT_KEYS = tuple(f.name for f in dataclasses.fields(EffortWeights))
RECOMMEND_KEYS = ("unresolved", "effort", "resolved_effortless", "promoter_requires")
PROMOTER_KEYS = ("resolved", "max_effort")
CHURN_KEYS = tuple(f.name for f in dataclasses.fields(ChurnModel))
SIDES = ("negative", "positive")
TELLING_KEYS = tuple(f.name for f in dataclasses.fields(TellingModel))
#: Shares of resolved_effortless may be off 1 by this much (a fit written with 4 decimals).
ANSWERS_TOLERANCE = 0.01
HINT = "the defaults and their meaning are in simulator/scenario/outcomes.py and docs/model.md"

_DEFAULT = OutcomeParams()


def read_weight(reading: ReadContext, node: Located, path: str) -> float:
    """A weight: a number >= 0 (more effort never gives a better outcome)."""
    return read_number(reading, node, path, low=0.0, what="a weight (a number >= 0)")


def read_weights(reading: ReadContext, node: Located, path: str, *, base: Any) -> Any:
    """``base`` with the weights given (each a number >= 0) over its fields, every problem
    reported."""
    keys = tuple(f.name for f in dataclasses.fields(base))
    given = read_fields(reading, node, path, keys)
    pairs = read_each([k for k in keys if k in given], lambda k: (k, given.read(k, read_weight)))
    return dataclasses.replace(base, **dict(pairs))


def read_outcomes(reading: ReadContext, node: Located, path: str) -> OutcomeParams:
    """The default outcome model with the block's overrides."""
    given = read_fields(reading, node, path, OUTCOME_KEYS)
    parts: dict[str, Any] = {}

    def read_part(key: str) -> None:
        if key == "effort":
            parts["effort"] = given.read(key, read_weights, base=_DEFAULT.effort)
        elif key == "churn":
            parts["churn"] = given.read(key, read_weights, base=_DEFAULT.churn)
        elif key == "recommend":
            parts["recommend"] = given.read(key, read_recommend)
        else:
            parts.update(given.read(key, read_word_of_mouth))

    read_each([key for key in OUTCOME_KEYS if key in given], read_part)
    return dataclasses.replace(_DEFAULT, **parts)


def read_recommend(reading: ReadContext, node: Located, path: str) -> RecommendModel:
    """``recommend``: its two shifts, the answers of a resolved effortless customer, and who can
    be a promoter."""
    given = read_fields(reading, node, path, RECOMMEND_KEYS)
    default = _DEFAULT.recommend
    values: dict[str, Any] = {}

    def read_entry(key: str) -> None:
        if key == "resolved_effortless":
            values[key] = given.read(key, read_answers)
        elif key == "promoter_requires":
            resolved, max_effort = given.read(key, read_promoter_rule)
            values["promoter_requires_resolved"] = resolved
            values["promoter_max_effort"] = max_effort
        else:
            values[key] = given.read(key, read_weight)

    read_each([key for key in RECOMMEND_KEYS if key in given], read_entry)
    return dataclasses.replace(default, **values)


def read_answers(reading: ReadContext, node: Located, path: str) -> tuple[float, ...]:
    """Eleven shares > 0, one per answer 0..10, adding up to 1."""
    if not node.is_list or len(node.value) != LTR_ANSWERS:
        message = (
            f"expected a list of {LTR_ANSWERS} shares (answers 0 to 10), found {describe(node)}"
        )
        reading.fail(node, path, message, HINT)
    shares = tuple(
        read_each(
            list(enumerate(node.value)),
            lambda item: read_number(
                reading,
                item[1],
                item_path(path, item[0]),
                low=0.0,
                low_open=True,
                what="a share > 0",
            ),
        )
    )
    total = math.fsum(shares)
    if abs(total - 1.0) > ANSWERS_TOLERANCE:
        message = f"the {LTR_ANSWERS} shares add up to {total:.6g}, expected 1"
        reading.fail(node, path, message, "they are the shares of the answers 0, 1, ..., 10")
    return shares


def read_promoter_rule(reading: ReadContext, node: Located, path: str) -> tuple[bool, float]:
    """``{resolved: true|false, max_effort: E}``: who can answer 9 or 10 at all."""
    given = read_fields(reading, node, path, PROMOTER_KEYS)
    default = _DEFAULT.recommend
    resolved = given.read("resolved", read_bool, default.promoter_requires_resolved)
    max_effort = given.read(
        "max_effort", read_number, default.promoter_max_effort, low=EFFORT_MIN, high=EFFORT_MAX
    )
    return resolved, max_effort


def read_word_of_mouth(reading: ReadContext, node: Located, path: str) -> dict[str, TellingModel]:
    """``word_of_mouth: {negative: ..., positive: ...}``."""
    given = read_fields(reading, node, path, SIDES)
    sides: dict[str, TellingModel] = {}

    def read_side(side: str) -> None:
        field_name = f"{side}_word_of_mouth"
        sides[field_name] = given.read(side, read_telling, base=getattr(_DEFAULT, field_name))

    read_each([side for side in SIDES if side in given], read_side)
    return sides


def read_telling(
    reading: ReadContext, node: Located, path: str, *, base: TellingModel
) -> TellingModel:
    """One side of word of mouth: ``base`` in (0, 1), the other values >= 0."""
    given = read_fields(reading, node, path, TELLING_KEYS)

    def read_entry(key: str) -> tuple[str, float]:
        if key == "base":
            value = given.read(
                key,
                read_number,
                low=0.0,
                high=1.0,
                low_open=True,
                high_open=True,
                what="a chance between 0 and 1",
            )
            return key, value
        return key, given.read(key, read_weight)

    pairs = read_each([key for key in TELLING_KEYS if key in given], read_entry)
    return dataclasses.replace(base, **dict(pairs))


# -- the JSON Schema, from the same keys -----------------------------------------------------

_WEIGHT = {"type": "number", "minimum": 0}


def _weights_schema(keys: tuple[str, ...], meanings: dict[str, str], default: Any) -> Any:
    return nullable(
        closed_object(
            {k: described(_WEIGHT, meanings[k], getattr(default, k)) for k in keys}, keys=keys
        )
    )


def _telling_schema(default: TellingModel, side: str) -> Any:
    properties = {
        key: described(
            {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
            if key == "base"
            else _WEIGHT,
            TELLING_MEANINGS[key],
            getattr(default, key),
        )
        for key in TELLING_KEYS
    }
    return described(
        nullable(closed_object(properties, keys=TELLING_KEYS)),
        f"{side.capitalize()} word of mouth.",
    )


_RECOMMEND = _DEFAULT.recommend


def _promoter_schema() -> Any:
    properties = {
        "resolved": described(
            {"type": "boolean"},
            "Only resolved customers answer 9 or 10.",
            _RECOMMEND.promoter_requires_resolved,
        ),
        "max_effort": described(
            {"type": "number", "minimum": EFFORT_MIN, "maximum": EFFORT_MAX},
            "Above this effort nobody answers 9 or 10.",
            _RECOMMEND.promoter_max_effort,
        ),
    }
    return described(
        nullable(closed_object(properties, keys=PROMOTER_KEYS)),
        RECOMMEND_MEANINGS["promoter_requires"],
    )


def _recommend_schema() -> Any:
    answers = {
        "type": "array",
        "items": {"type": "number", "exclusiveMinimum": 0},
        "minItems": LTR_ANSWERS,
        "maxItems": LTR_ANSWERS,
    }
    properties = {
        "unresolved": described(_WEIGHT, RECOMMEND_MEANINGS["unresolved"], _RECOMMEND.unresolved),
        "effort": described(_WEIGHT, RECOMMEND_MEANINGS["effort"], _RECOMMEND.effort),
        "resolved_effortless": described(
            answers,
            RECOMMEND_MEANINGS["resolved_effortless"],
            list(_RECOMMEND.resolved_effortless),
        ),
        "promoter_requires": _promoter_schema(),
    }
    return described(
        nullable(closed_object(properties, keys=RECOMMEND_KEYS)),
        "Likelihood to recommend (0-10): an ordered logit (docs/model.md).",
    )


def _word_of_mouth_schema() -> Any:
    properties = {
        "negative": _telling_schema(_DEFAULT.negative_word_of_mouth, "negative"),
        "positive": _telling_schema(_DEFAULT.positive_word_of_mouth, "positive"),
    }
    return described(
        nullable(closed_object(properties, keys=SIDES)),
        "Chances of telling others, and how many hear it.",
    )


_SCHEMA = described(
    nullable(
        closed_object(
            {
                "effort": described(
                    _weights_schema(EFFORT_KEYS, EFFORT_MEANINGS, _DEFAULT.effort),
                    "Customer Effort Score (1-7): 1 + the sum of weight x journey fact, at most 7.",
                ),
                "recommend": _recommend_schema(),
                "churn": described(
                    _weights_schema(CHURN_KEYS, CHURN_MEANINGS, _DEFAULT.churn),
                    "Churn log-odds above the segment's churn_base.",
                ),
                "word_of_mouth": _word_of_mouth_schema(),
            },
            keys=OUTCOME_KEYS,
        )
    ),
    "Outcome-model coefficients (simulator/scenario/outcomes.py); give only those to override. "
    "cxsim calibrate-outcomes fits them to a survey.",
)

BLOCK = Block("outcomes", read_outcomes, _SCHEMA, absent=OutcomeParams)
