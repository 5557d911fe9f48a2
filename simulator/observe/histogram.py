"""A fixed-size log-linear histogram of waits: streaming percentiles in bounded memory.

Waits under 64 s are binned every 0.25 s (service-level thresholds live there); longer waits in
64 bins per doubling (~1.1 % relative width) up to about 48 days. Percentiles interpolate linearly
inside a bin, so they are exact to within one bin width.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Sequence

import numpy as np

LINEAR_LIMIT = 64.0
LINEAR_PER_SECOND = 4
LINEAR_BINS = int(LINEAR_LIMIT * LINEAR_PER_SECOND)
BINS_PER_OCTAVE = 64
OCTAVES = 16
N_BINS = LINEAR_BINS + BINS_PER_OCTAVE * OCTAVES


def bin_of(wait: float) -> int:
    if wait < LINEAR_LIMIT:
        return int(wait * LINEAR_PER_SECOND)
    b = LINEAR_BINS + int(math.log2(wait / LINEAR_LIMIT) * BINS_PER_OCTAVE)
    return b if b < N_BINS else N_BINS - 1


def bin_edges(b: int) -> tuple[float, float]:
    """``[low, high)`` of bin ``b`` in seconds."""
    if b < LINEAR_BINS:
        return b / LINEAR_PER_SECOND, (b + 1) / LINEAR_PER_SECOND
    k = b - LINEAR_BINS
    return (
        LINEAR_LIMIT * 2.0 ** (k / BINS_PER_OCTAVE),
        LINEAR_LIMIT * 2.0 ** ((k + 1) / BINS_PER_OCTAVE),
    )


_ZEROS = array("q", bytes(8 * N_BINS))


def new_counts() -> array:
    """Bin counts: a machine-integer array, as cheap to increment as a list and viewable by
    numpy without a copy (``numpy.frombuffer``), which makes merging thousands of them cheap.
    A copy of a zero array: one ``memcpy``, where building one from ``bytes`` zeroes a buffer
    and then copies it (a run creates a few hundred cells per replication)."""
    return _ZEROS[:]


def as_numpy(counts: Sequence[int] | np.ndarray) -> np.ndarray:
    """A numpy view (no copy) of an ``array('q')``; other sequences are converted."""
    if isinstance(counts, array):
        return np.frombuffer(counts, dtype=np.int64)
    return np.asarray(counts, dtype=np.int64)


def merge_into(target: list[int], source: Iterable[int]) -> None:
    for i, count in enumerate(source):
        if count:
            target[i] += count


def quantile(counts: Sequence[int] | np.ndarray, q: float) -> float:
    """The ``q``-quantile (0..1) of the recorded waits; NaN when nothing was recorded."""
    cumulative = np.cumsum(counts)
    total = int(cumulative[-1]) if len(cumulative) else 0
    if total == 0:
        return math.nan
    rank = q * total
    b = int(np.searchsorted(cumulative, rank, side="left"))
    if b >= N_BINS:
        return bin_edges(N_BINS - 1)[1]
    count = int(counts[b])
    seen = int(cumulative[b]) - count
    low, high = bin_edges(b)
    if b == 0:
        # Bin 0 holds the many exact zeros of answered-at-once contacts: report 0 when the rank
        # falls among them rather than inventing a fraction of a second.
        return 0.0 if rank <= count else high
    return low + (high - low) * max(0.0, rank - seen) / count
