"""One pass's simulations (simulator/staffing/batch.py): candidates simulated with common random
numbers and handed back in the order given, and the effort counted as the search goes."""

from __future__ import annotations

from simulator.scenario import load_scenario_text
from simulator.staffing.batch import DayRunner, Effort
from tests.staffing.scenario_texts import SMALL

LEAN = {"phones": [3, 3, 3, 3], "chats": [2, 2, 2, 2]}
RICH = {"phones": [6, 6, 6, 6], "chats": [2, 2, 2, 2]}


def counted(result) -> list[dict]:
    """A result's replications without the processor time they took."""
    return [{k: v for k, v in rep.items() if k != "cpu_s"} for rep in result.replications]


def test_candidates_meet_the_same_customers_and_come_back_in_order():
    runner = DayRunner(load_scenario_text(SMALL), 4, 2, None, None, None)
    lean, rich, lean_again = runner.run(1, [LEAN, RICH, LEAN])
    assert len(lean.replications) == 2
    assert counted(lean_again) == counted(lean)  # the same staffing twice: the same days
    # the same customers arrive whatever the staffing; more agents answer them sooner
    assert rich.customers == lean.customers
    for i in range(4):
        lean_kpis, rich_kpis = (
            lean.group("phones", ["voice"], i),
            rich.group("phones", ["voice"], i),
        )
        assert lean_kpis["offered"].mean == rich_kpis["offered"].mean
    assert sum(rich.group("phones", ["voice"], i)["asa_s"].mean for i in range(4)) < sum(
        lean.group("phones", ["voice"], i)["asa_s"].mean for i in range(4)
    )


def test_the_effort_counts_every_simulation_and_each_pass_moves():
    runner = DayRunner(load_scenario_text(SMALL), 4, 2, None, None, None)
    results = runner.run(1, [LEAN, RICH])
    effort = Effort()
    effort.add(results, 2)
    assert (effort.simulations, effort.candidates) == (4, 2)
    assert effort.customers == sum(r.customers for r in results) > 0
    effort.record_pass(1, 2, {"phones": [1, 0, -1, -1], "chats": [0, 0, 0, 1]})
    effort.record_pass(2, 1, None)
    assert effort.history == [
        {"pass": 1, "candidates": 2, "raised": 2, "lowered": 2},
        {"pass": 2, "candidates": 1, "raised": 0, "lowered": 0},
    ]
