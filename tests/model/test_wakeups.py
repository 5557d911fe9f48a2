"""Waking a process at a time through SimPy's event queue (simulator/model/wakeups.py): it
behaves exactly like SimPy's own scheduling."""

from __future__ import annotations

import simpy
from simpy.core import NORMAL

from simulator.model.wakeups import Wake, wake


def test_wake_orders_events_like_environment_schedule():
    """Same times -> first scheduled, first run; mixed freely with SimPy's own timeouts."""
    order: list[str] = []
    env = simpy.Environment()
    for name, delay in (("a", 5.0), ("b", 1.0), ("c", 5.0), ("d", 0.0)):
        wake(env, delay, Wake([lambda _e, name=name: order.append(name)]))
        timeout = env.timeout(delay)
        timeout.callbacks.append(lambda _e, name=name: order.append(name.upper()))
        env.schedule(Wake([lambda _e, name=name: order.append(name + "!")]), NORMAL, delay)
    env.run()
    assert order == ["d", "D", "d!", "b", "B", "b!", "a", "A", "a!", "c", "C", "c!"]


def test_wake_passes_its_value_and_advances_the_clock():
    env = simpy.Environment()
    seen: list[tuple[float, object]] = []
    wake(env, 2.5, Wake([lambda event: seen.append((env.now, event._value))], "hello"))
    env.run()
    assert seen == [(2.5, "hello")]
