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
#: Those purposes, each a stream of the customer source.
CUSTOMER_PURPOSES = (ARRIVALS, SEGMENT, INTENT, FIRST_CHANNEL, PATIENCE, HANDLE_TIME, WRAP_UP)

#: Per-customer draws of multi-contact journeys, each its own stream. A customer uses the slots
#: of a purpose in order (first bot turn, second bot turn, ...), so two variants give the same
#: customer the same numbers for as long as their journeys coincide.
JOURNEY_PURPOSES = (
    "journey.bot_turn",  # does this bot turn resolve the intent?
    "journey.bot_time",  # how long the turn takes
    "journey.resolve",  # does this agent leg resolve the intent?
    "journey.transfer",  # is this leg transferred?
    "journey.retry",  # does the customer try again?
    "journey.retry_delay",  # after how long?
    "journey.switch",  # on which channel?
    "journey.callback",  # does the customer accept a callback?
    "journey.redirect",  # does the customer follow a redirect?
    "journey.re_explain",  # how long re-explaining takes
    "journey.patience",  # patience on contacts after the first
    "journey.handle",  # handle time of legs after the first
)
#: Pre-drawn slots per purpose and customer; later uses fall back to a counter-based draw.
JOURNEY_SLOTS = 6


def purpose_key(purpose: str) -> int:
    """A stable 32-bit key for a purpose name (the same in every process and Python version)."""
    return zlib.crc32(purpose.encode("utf-8"))


def seed_sequence(seed: int, replication: int, purpose: str) -> np.random.SeedSequence:
    return np.random.SeedSequence(entropy=seed, spawn_key=(replication, purpose_key(purpose)))


def stream(seed: int, replication: int, purpose: str) -> np.random.Generator:
    """The generator for one purpose of one replication."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, replication, purpose)))


_MASK = (1 << 64) - 1


def _splitmix64(x: int) -> int:
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def counter_uniform(seed: int, replication: int, purpose: int, customer: int, n: int) -> float:
    """A uniform addressed by (seed, replication, purpose, customer, n), for rare late draws.

    Used once a customer has used up the pre-drawn slots of a purpose (a very long journey):
    still a pure function of who and what, so common random numbers hold.
    """
    x = _splitmix64(seed & _MASK)
    for part in (replication, purpose, customer, n):
        x = _splitmix64(x ^ (part & _MASK))
    return (x >> 11) * (1.0 / (1 << 53))
