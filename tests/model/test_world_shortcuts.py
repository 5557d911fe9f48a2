"""The engine's speed shortcuts compute exactly what the general code computes.

Each shortcut in the hot path of World (see simulator/model/world.py, simulator/model/service.py
and simulator/model/endings.py) skips work for the common case; these tests pin them to the
general definitions bit for bit, so a change to a definition cannot silently diverge from its
shortcut. The occupancy shortcut is pinned in tests/observe/test_metrics.py, the customers'
first uniforms in tests/model/test_customers.py.
"""

from __future__ import annotations

from simulator.model.outcomes import OutcomeTable, effort_score
from simulator.model.world import World
from simulator.scenario import load_scenario
from simulator.scenario.outcomes import OutcomeParams
from simulator.scenario.schema import Segment
from tests.paths import SCENARIOS


def test_effortless_shortcut_equals_the_general_outcome():
    """World._finish gives a customer with one contact, answered within its promise and
    resolved, effort 1 and the segment's precomputed outcome without computing either; both
    must be what the general code computes for that journey."""
    params = OutcomeParams()
    segments = [Segment("a", 0.5, reach=825.0), Segment("b", 0.5, reach=12.0, churn_base=0.05)]
    table = OutcomeTable(params, segments)
    for index in range(len(segments)):
        effort = effort_score(
            params.effort,
            contacts=1,
            switches=0,
            transfers=0,
            repeats=0,
            bot_failures=0,
            wait_beyond_promise=0.0,
            resolved=True,
            closed_or_blocked=0,
        )
        assert effort == 1.0
        assert table.get(index, True, 1.0) == table.compute(index, True, effort)
    world = World(load_scenario(SCENARIOS / "retail_bank_siloed.yaml"))
    for index in range(len(world.segments)):
        assert world._effortless[index] == world.outcome_table.compute(index, True, 1.0)


def test_every_customers_effort_is_the_general_formula():
    """The inline shortcuts of World._finish (one contact late or unresolved, effortless) give
    exactly effort_score of the journey's facts, for every customer of a bundled run."""
    scenario = load_scenario(SCENARIOS / "retail_bank_siloed.yaml")
    world = World(scenario, keep_journeys=True).run()
    assert world.journeys
    for r in world.journeys:
        expected = effort_score(
            scenario.outcomes.effort,
            contacts=r.contacts,
            switches=r.switches,
            transfers=r.transfers,
            repeats=r.repeats,
            bot_failures=r.bot_failures,
            wait_beyond_promise=r.wait_beyond_promise,
            resolved=r.resolved,
            closed_or_blocked=r.closed_or_blocked,
        )
        assert r.effort == expected, r
