"""Named random streams (simulator/model/rng.py): a stream is a pure function of the seed, the
replication and the purpose's name, so streams never shift when purposes are added, and the
late counter-based draws are uniforms addressed by who and what."""

from __future__ import annotations

import numpy as np

from simulator.model import rng


def test_a_stream_is_fixed_by_seed_replication_and_purpose_name():
    first = rng.stream(7, 2, rng.PATIENCE).random(5)
    assert np.array_equal(first, rng.stream(7, 2, rng.PATIENCE).random(5))
    others = [
        rng.stream(8, 2, rng.PATIENCE),
        rng.stream(7, 3, rng.PATIENCE),
        rng.stream(7, 2, rng.HANDLE_TIME),
    ]
    assert all(not np.array_equal(first, other.random(5)) for other in others)


def test_purpose_keys_are_stable_and_distinct():
    """The key is a CRC of the name: the same in every process and Python version, so a run
    is reproduced anywhere (PYTHONHASHSEED changes nothing)."""
    assert rng.purpose_key("arrivals") == 0xD7595DC2  # another key: every result changes
    names = [*rng.CUSTOMER_PURPOSES, *rng.JOURNEY_PURPOSES]
    assert len(names) == 7 + 12  # each purpose its own stream
    assert len({rng.purpose_key(name) for name in names}) == len(names)


def test_counter_uniforms_are_reproducible_uniforms_in_the_unit_interval():
    draws = [rng.counter_uniform(5, 1, 3, customer, 7) for customer in range(20_000)]
    assert draws == [rng.counter_uniform(5, 1, 3, customer, 7) for customer in range(20_000)]
    assert all(0.0 <= u < 1.0 for u in draws)
    assert abs(np.mean(draws) - 0.5) < 0.01 and abs(np.var(draws) - 1 / 12) < 0.005
    assert rng.counter_uniform(5, 1, 3, 0, 8) != rng.counter_uniform(5, 1, 3, 0, 7)
    assert rng.counter_uniform(5, 2, 3, 0, 7) != rng.counter_uniform(5, 1, 3, 0, 7)
