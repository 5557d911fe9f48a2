"""The engine's mutable parts (simulator/model/entities.py): a skill queue serves first come,
first served within a priority level, higher levels first, and skips contacts that left; its
levels are those of the rules that send to it, with 0 for every side entry."""

from __future__ import annotations

from types import SimpleNamespace

from simulator.model.entities import QueueState, priorities_of
from simulator.model.wakeups import ABANDONED, SERVED, WAITING
from simulator.scenario import load_scenario_text
from tests.scenario_texts import FULL, JOURNEYS


def waiting(name: str) -> SimpleNamespace:
    """A stand-in contact: the queue reads only its state."""
    return SimpleNamespace(name=name, state=WAITING)


def test_higher_priorities_first_then_first_come_first_served():
    queue = QueueState(0, "billing", [0, 1], n_intervals=1)
    first, second, urgent = waiting("first"), waiting("second"), waiting("urgent")
    queue.level(0).extend([first, second])
    queue.level(1).append(urgent)
    served = []
    while (head := queue.head()) is not None:
        contact, priority = head
        served.append((contact.name, priority))
        contact.state = SERVED  # leaves the queue
    assert served == [("urgent", 1), ("first", 0), ("second", 0)]


def test_contacts_that_left_are_skipped_and_dropped():
    queue = QueueState(0, "voice", [0], n_intervals=1)
    gone, next_in_line = waiting("gone"), waiting("next")
    gone.state = ABANDONED
    queue.level(0).extend([gone, next_in_line])
    assert queue.head() == (next_in_line, 0)
    assert list(queue.level(0)) == [next_in_line]


def test_a_queues_levels_come_from_its_rules_with_0_for_side_entries():
    full = load_scenario_text(FULL)
    assert priorities_of(full, "billing") == [1]  # only a priority-1 rule sends there
    assert priorities_of(full, "email") == [0]
    journeys = load_scenario_text(JOURNEYS)
    # billing: its priority-1 rule, and a transfer from voice_general enters at 0
    assert priorities_of(journeys, "billing") == [1, 0]
    # voice_general: its own rule, the billing overflow at 1, transfers from billing at 0
    assert sorted(priorities_of(journeys, "voice_general")) == [0, 0, 1]
    assert QueueState(0, "billing", [1, 0], 1).priorities == {0, 1}
