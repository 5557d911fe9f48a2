"""Wake-ups and contact states: the few pieces every part of the engine shares.

:class:`Wake` and :func:`wake` put a handler on SimPy's event queue with less overhead than a
``Timeout``; the states say where a contact is. They live apart from
:mod:`simulator.model.world` so that :mod:`simulator.model.closing` can use them too.
"""

from __future__ import annotations

from heapq import heappush
from typing import Any

import simpy
from simpy.core import NORMAL

#: Where a contact is: waiting in a queue, served, abandoned, blocked (lines full), or closed
#: (the channel was closed when it came, or while it waited).
WAITING, SERVED, ABANDONED, BLOCKED, CLOSED = 0, 1, 2, 3, 4


class Wake:
    """A minimal SimPy event: callbacks to run at a time, carrying one value.

    ``simpy.Environment.step`` only needs ``callbacks`` and ``_ok`` of what it pops; building a
    full ``Timeout`` per wake-up costs about a third of a customer's budget. ``callbacks`` is a
    list shared by every wake of the same kind (the world keeps one per handler): ``step`` only
    reads it, so allocating a fresh one-element list per event would be wasted work.
    """

    __slots__ = ("_value", "callbacks")
    _ok = True

    def __init__(self, callbacks: list[Any], value: Any = None) -> None:
        self.callbacks = callbacks
        self._value = value


def wake(env: simpy.Environment, delay: float, event: Any) -> None:
    """``env.schedule(event, NORMAL, delay)``, inlined: SimPy's own ordering, one frame less.

    This is the engine's hottest call (two to three per customer); pushing onto SimPy's queue
    directly, exactly as ``Environment.schedule`` does, saves a Python frame each time.
    ``event`` is anything with ``callbacks`` and ``_ok``: a :class:`Wake`, or an object that is
    its own event (the world's arrival event, a :class:`Contact`'s end of service).
    tests/model/test_world.py checks that it orders events like ``schedule`` itself.
    """
    heappush(env._queue, (env._now + delay, NORMAL, next(env._eid), event))
