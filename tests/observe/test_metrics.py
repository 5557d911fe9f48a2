"""Busy and staffed slot-time per interval (simulator/observe/metrics.py): the fast path of
:class:`Occupancy` integrates exactly what the general loop does, bit for bit, so a change to
the definition cannot silently diverge from its shortcut."""

from __future__ import annotations

import random

from simulator.observe.metrics import Occupancy


def _reference_areas(
    changes: list[tuple[float, int, int]], n: int, interval: float, warmup: float, end: float
) -> tuple[list[float], list[float]]:
    """The general integration loop alone, for every change (the definition of the areas)."""
    busy_area, staffed_area = [0.0] * n, [0.0] * n
    last, busy, capacity = 0.0, 0, 0
    for now, new_busy, new_capacity in changes:
        if now > last:
            t0, t1 = last, now
            last = now
            if not (t1 <= warmup or t0 >= end):
                t1 = min(t1, end)
                t = t0 if t0 > warmup else warmup
                staffed = busy if busy > capacity else capacity
                i = int(t // interval)
                while t < t1 and (busy or staffed):
                    if i >= n:
                        break
                    edge = (i + 1) * interval
                    if edge > t1:
                        edge = t1
                    busy_area[i] += busy * (edge - t)
                    staffed_area[i] += staffed * (edge - t)
                    t = edge
                    i += 1
        busy, capacity = new_busy, new_capacity
    return busy_area, staffed_area


def test_occupancy_fast_path_matches_the_general_loop_bit_for_bit():
    r = random.Random(11)
    for case in range(300):
        n = r.randint(1, 6)
        interval = r.choice([0.1, 1.0, 7.3, 1800.0, 1 / 3])
        warmup = r.choice([0.0, 0.0, interval * r.random() * 2])
        end = n * interval * r.choice([1.0, 0.7, 1.3])
        # Times: random, exact interval edges, repeats, and past the end.
        times = sorted(
            r.choice([r.random() * end * 1.2, interval * r.randint(0, n + 1), end])
            for _ in range(r.randint(1, 60))
        )
        changes = [(t, r.randint(0, 5), r.randint(0, 4)) for t in times]
        changes.append((end, 0, 0))
        occupancy = Occupancy(n, interval, warmup, end)
        for now, busy, capacity in changes:
            occupancy.advance(now)
            occupancy.busy, occupancy.capacity = busy, capacity
        occupancy.flush()
        busy_area, staffed_area = _reference_areas(changes, n, interval, warmup, end)
        assert occupancy.busy_area == busy_area, case
        assert occupancy.staffed_area == staffed_area, case
