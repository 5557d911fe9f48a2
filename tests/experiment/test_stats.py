"""Confidence intervals across replications (simulator/experiment/stats.py): the batch form
used for the thousands of KPIs of a run gives the intervals of the one-at-a-time form."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.experiment.replicate import summarize
from simulator.experiment.stats import estimate, estimate_rows

VALUE = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(math.nan))


@given(
    st.integers(1, 12).flatmap(
        lambda n: st.lists(st.lists(VALUE, min_size=n, max_size=n), min_size=1)
    )
)
def test_rows_are_estimated_as_one_at_a_time(rows: list[list[float]]) -> None:
    batch = estimate_rows(np.array(rows, dtype=float).reshape(len(rows), -1))
    for row, got in zip(rows, batch, strict=True):
        want = estimate(row)
        assert got.n == want.n
        for a, b in ((got.mean, want.mean), (got.ci_low, want.ci_low), (got.ci_high, want.ci_high)):
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-6)


@given(st.floats(-1e9, 1e9, allow_nan=False), st.integers(2, 40))
def test_a_kpi_equal_in_every_replication_has_exactly_that_mean_and_no_width(
    value: float, n: int
) -> None:
    (got,) = estimate_rows(np.full((1, n), value))
    assert got.mean == got.ci_low == got.ci_high == value


def test_summarize_keeps_keys_order_and_labels() -> None:
    reps = [
        {"interval": "+0s", "overall": {"offered": 10.0, "service_level": 0.5}, "n": [1, 2]},
        {"interval": "+0s", "overall": {"offered": 12.0, "service_level": math.nan}, "n": [3, 4]},
    ]
    summary = summarize(reps)
    assert list(summary) == ["interval", "overall", "n"] and summary["interval"] == "+0s"
    assert list(summary["overall"]) == ["offered", "service_level"]
    assert summary["overall"]["offered"].mean == 11.0
    assert summary["overall"]["service_level"].n == 1
    assert [e.mean for e in summary["n"]] == [2.0, 3.0]
