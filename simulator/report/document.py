"""The results document (``results.json``) and the per-interval CSV, built from a RunResult.

Every results document carries the effective scenario (all defaults filled) and the seed, so any
number in it can be reproduced with ``cxsim run``. It holds no timings or dates: the same scenario
and seed give byte-identical files.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Any

from simulator import __version__
from simulator.experiment.days import across_days
from simulator.experiment.replicate import RunResult, to_jsonable
from simulator.observe.trace import state_levels
from simulator.scenario import effective_dict

#: The KPIs every level of the results document reports, in display order.
QUEUE_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "blocked",
    "closed",
    "in_system",
    "abandon_rate",
    "mean_wait_s",
    "asa_s",
    "wait_p50_s",
    "wait_p90_s",
    "wait_p95_s",
    "service_level",
)

DEFINITIONS = {
    "offered": "contacts that arrived after the warm-up, blocked and closed ones included",
    "closed": "contacts told the channel is closed: outside its hours, or waiting at closing",
    "closed_rate": "closed / offered",
    "in_system": "contacts still waiting when the run stopped (horizon end + drain)",
    "abandon_rate": "abandoned / offered",
    "blocked_rate": "blocked (all lines busy) / offered",
    "immediate_rate": "answered without any wait / offered",
    "mean_wait_s": "mean wait of contacts that queued and reached an outcome "
    "(answered: until answer; abandoned: until hanging up); blocked contacts excluded",
    "asa_s": "average speed of answer: mean wait of answered contacts",
    "wait_pXX_s": "percentiles of the same waits as mean_wait_s",
    "service_level": "answered within the channel's threshold / offered",
    "occupancy": "busy agent-time / staffed agent-time (slot-weighted for concurrency)",
    "longest_queue": "most contacts waiting at once in one skill queue",
    "mean_queue": "time-average number of contacts waiting",
    "ci": "95 % Student t confidence interval across independent replications",
    "by_interval": "contacts are counted in the interval in which they arrived (a night counts "
    "with the next opening)",
    "by_day": "every KPI of each day of a multi-day run",
    "by_interval_of_day": "each interval of the day, counts pooled over the days",
    "backlog": "asynchronous contacts waiting when each day opens and closes, and at the end",
    "overtime_hours": "agent hours worked after closing under declared overtime",
    "across_days": "every replication of every day is one simulated day: the mean, standard "
    "deviation and percentiles of each day's KPIs across them (how a bad day looks, not only "
    "the expected day)",
}


def results_document(result: RunResult) -> dict[str, Any]:
    scenario = result.scenario
    metrics = to_jsonable(result.summary)
    for i, row in enumerate(metrics["by_interval"]):
        metrics["by_interval"][i] = {"interval": scenario.horizon.label(i), **row}
    return {
        "cxsim_version": __version__,
        "scenario": scenario.name,
        "seed": result.seed,
        "replications": result.replications,
        "service_level_thresholds_s": {
            name: ch.sl_threshold for name, ch in scenario.channels.items()
        },
        # What the report needs to name frustration levels, as the scenario defines them.
        "frustration_states": state_levels(scenario.frustration),
        "definitions": DEFINITIONS,
        "metrics": metrics,
        "across_days": across_days(result),
        # The seed actually used (a --seed override included), so the file re-runs the same.
        "effective_scenario": effective_dict(dataclasses.replace(scenario, seed=result.seed)),
    }


def results_json(result: RunResult) -> str:
    return json.dumps(results_document(result), indent=2, sort_keys=False, allow_nan=False) + "\n"


def intervals_csv(result: RunResult) -> str:
    """One row per interval: each KPI's mean and CI bounds (journey KPIs as ``journey.<kpi>``)."""
    rows = [_flatten(row) for row in to_jsonable(result.summary)["by_interval"]]
    kpis = list(rows[0]) if rows else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["interval"]
    for kpi in kpis:
        header += [kpi, f"{kpi}_ci_low", f"{kpi}_ci_high"]
    writer.writerow(header)
    for i, row in enumerate(rows):
        line: list[Any] = [result.scenario.horizon.label(i)]
        for kpi in kpis:
            value = row[kpi]
            line += [_num(value["mean"]), _num(value["ci_low"]), _num(value["ci_high"])]
        writer.writerow(line)
    return out.getvalue()


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, dict[str, float | None]]:
    """``{"journey": {"fcr": est}}`` -> ``{"journey.fcr": est}``; estimates are the leaves."""
    flat: dict[str, dict[str, float | None]] = {}
    for key, value in row.items():
        if isinstance(value, dict) and "mean" not in value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        elif isinstance(value, dict):
            flat[prefix + key] = value
    return flat


def _num(x: float | None) -> str:
    return "" if x is None else f"{x:.6g}"
