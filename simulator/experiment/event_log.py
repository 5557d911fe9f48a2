"""Write the process-mining event log of a scenario's replications, from Python.

``cxsim run --events`` attaches the same observer to the replications it runs for the results;
:func:`write_event_log` runs replications for the log alone (tests, notebooks).

>>> from simulator.scenario import load_scenario_text
>>> s = load_scenario_text('''
... scenario: tiny
... horizon: {start: "09:00", end: "10:00", date: 2026-11-23}
... arrivals: {rate: 30/h}
... channels: {voice: {}}
... agents: {voice: {count: 2}}
... handle_time: {default: 4m}
... ''')
>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     path = pathlib.Path(folder) / "events.csv"
...     rows = write_event_log(path, s, replications=2, seed=1)
...     lines = path.read_text().splitlines()
>>> rows == len(lines) - 1
True
>>> lines[0]
'case_id,activity,timestamp,channel,resource,frustration,context_lost,replication,value_s,detail'
>>> lines[1]
'0-0,arrived,2026-11-23T09:00:16,voice,,0.0,false,0,,general/all'
"""

from __future__ import annotations

from concurrent.futures import Executor
from pathlib import Path

from simulator.experiment.replicate import run_replications
from simulator.observe.eventlog_parts import EventLogParts
from simulator.scenario.schema import Scenario

__all__ = ["write_event_log"]


def write_event_log(
    path: str | Path,
    scenario: Scenario,
    replications: int = 1,
    seed: int | None = None,
    executor: Executor | None = None,
) -> int:
    """Run ``replications`` replications into one event log at ``path``; the rows written.

    ``seed`` defaults to the scenario's. The replications run in ``executor`` (this process
    when ``None``), each into a part file of its own; the parts are merged in replication order,
    so the file is byte-identical for the same scenario, seed and date whatever ran them, and
    the previous file stays until the new one is complete.
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    with EventLogParts(path, scenario) as log:
        run_replications(scenario, replications, seed, executor=executor, observers=[log])
    return log.rows
