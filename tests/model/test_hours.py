"""Open windows in simulated time: open seconds of a span (business-hours promises), whether a
time is open, and the openings and closings the world schedules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.model.hours import OpenWindows

H = 3600.0
DAY = 24 * H


def test_open_seconds_of_a_wait_across_the_night():
    """8 business hours from 17:00, on days open 08:00-18:00, end at 15:00 the next day."""
    windows = OpenWindows([(d * DAY + 8 * H, d * DAY + 18 * H) for d in range(3)])
    assert windows.open_seconds(17 * H, DAY + 15 * H) == 8 * H
    assert windows.open_seconds(19 * H, DAY + 7 * H) == 0.0  # all night
    assert windows.open_seconds(DAY + 7 * H, 7 * H) == 0.0  # an empty span
    assert windows.open_seconds(0.0, 3 * DAY) == 30 * H


def test_is_open_and_changes():
    windows = OpenWindows([(H, 3 * H), (3 * H, 4 * H), (6 * H, 7 * H)])
    assert [windows.is_open(t) for t in (0, H, 2 * H, 3 * H, 4 * H, 6.5 * H, 7 * H)] == [
        False,
        True,
        True,
        True,
        False,
        True,
        False,
    ]
    assert windows.changes() == [(H, True), (4 * H, False), (6 * H, True), (7 * H, False)]
    assert OpenWindows([]).changes() == [] and not OpenWindows([]).is_open(0.0)


@given(
    st.lists(st.integers(0, 200), min_size=0, max_size=12, unique=True).map(sorted),
    st.integers(-10, 210),
    st.integers(-10, 210),
)
def test_open_seconds_is_the_overlap_with_every_window(edges, since, now):
    """The binary search agrees with summing the overlap of the span with each window."""
    pairs = [(float(edges[i]), float(edges[i + 1])) for i in range(0, len(edges) - 1, 2)]
    windows = OpenWindows(pairs)
    overlap = sum(max(0.0, min(b, now) - max(a, since)) for a, b in pairs)
    assert windows.open_seconds(since, now) == pytest.approx(overlap if now > since else 0.0)
