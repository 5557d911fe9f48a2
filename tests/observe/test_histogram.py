"""Streaming wait percentiles stay within one bin of the exact ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.observe import histogram


@settings(max_examples=50)
@given(
    st.lists(st.floats(min_value=0, max_value=200_000), min_size=1, max_size=300),
    st.sampled_from([0.5, 0.9, 0.95]),
)
def test_quantile_within_one_bin(waits, q):
    counts = histogram.new_counts()
    for w in waits:
        counts[histogram.bin_of(w)] += 1
    estimate = histogram.quantile(counts, q)
    exact = float(np.quantile(waits, q, method="inverted_cdf"))
    low, high = histogram.bin_edges(histogram.bin_of(exact))
    assert low - (high - low) <= estimate <= high + (high - low)


def test_empty_histogram_is_undefined():
    assert np.isnan(histogram.quantile(histogram.new_counts(), 0.9))


def test_bins_cover_and_partition_the_range():
    for b in range(histogram.N_BINS - 1):
        low, high = histogram.bin_edges(b)
        assert (
            high == histogram.bin_edges(b + 1)[0]
            or abs(high - histogram.bin_edges(b + 1)[0]) < 1e-9
        )
        assert histogram.bin_of((low + high) / 2) == b
