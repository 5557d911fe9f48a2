"""Named random streams: one independent numpy generator per purpose and replication.

Why named and not spawned in order: ``SeedSequence.spawn(n)`` hands out children by position, so
adding a purpose would shift every stream after it. Here a stream's seed is derived from the
scenario seed, the replication number and a stable hash of the purpose's *name*, so the streams a
model uses can grow without moving the numbers of any other stream. Together with pre-drawn
per-customer uniforms (see :mod:`simulator.model.customers`) this gives common random numbers:
customer *i* of replication *r* is the same person in every variant of a scenario.
"""

from __future__ import annotations

import zlib

import numpy as np

#: The purposes drawn per customer, in the order they are documented (docs/reference.md).
ARRIVALS = "arrivals"
SEGMENT = "segment"
INTENT = "intent"
FIRST_CHANNEL = "first_channel"
PATIENCE = "patience"
HANDLE_TIME = "handle_time"
WRAP_UP = "wrap_up"


def purpose_key(purpose: str) -> int:
    """A stable 32-bit key for a purpose name (the same in every process and Python version)."""
    return zlib.crc32(purpose.encode("utf-8"))


def seed_sequence(seed: int, replication: int, purpose: str) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication, purpose_key(purpose)))


def stream(seed: int, replication: int, purpose: str) -> np.random.Generator:
    """The generator for one purpose of one replication."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, purpose)))
