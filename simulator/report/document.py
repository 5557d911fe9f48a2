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

#: The queue KPIs of a channel, a kind of channel, or a skill queue of one kind, in display
#: order. ``overall`` and any scope mixing kinds of channel have all but the absolute waits
#: (:data:`simulator.observe.scopes.WAIT_KPIS`).
QUEUE_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "blocked",
    "closed",
    "in_system",
    "abandon_rate",
    "service_level",
    "within_promise",
    "mean_wait_s",
    "asa_s",
    "wait_p50_s",
    "wait_p90_s",
    "wait_p95_s",
)

#: The scopes of ``intervals.csv``: (key in a period of the results, the ``scope`` column).
CSV_SCOPES = (
    ("overall", "overall"),
    ("by_kind", "kind"),
    ("by_channel", "channel"),
    ("by_queue", "queue"),
    ("by_group", "group"),
    ("journey", "journey"),
)
#: The ``name`` column of the scopes that have none (the whole center, its customers).
ALL = "all"

DEFINITIONS = {
    "scopes": "overall (every channel), by_kind (synchronous / asynchronous channels), "
    "by_channel, by_queue (skill queue), by_group (agent group); each for the whole run and "
    "for every interval (by_interval), day (by_day) and interval of the day (by_interval_of_day)",
    "no blended waits": "absolute waits (ASA, mean wait, wait percentiles) are given per "
    "channel, per kind of channel, and per skill queue whose channels are all of one kind: "
    "never for the whole center, where they would mix e.g. voice seconds with e-mail hours. "
    "There, service_level and within_promise measure each contact against its own channel's "
    "promise",
    "offered": "contacts that arrived after the warm-up, blocked and closed ones included",
    "closed": "contacts told the channel is closed: outside its hours, or waiting at closing",
    "closed_rate": "closed / offered",
    "in_system": "contacts still waiting when the run stopped (horizon end + drain)",
    "abandon_rate": "abandoned / offered",
    "blocked_rate": "blocked (all lines busy) / offered",
    "immediate_rate": "answered without any wait / offered",
    "service_level": "answered within the channel's threshold / offered (each contact against "
    "its own channel's threshold)",
    "within_promise": "answered within the channel's threshold / answered",
    "mean_wait_s": "mean wait of contacts that queued and reached an outcome "
    "(answered: until answer; abandoned: until hanging up); blocked contacts excluded",
    "asa_s": "average speed of answer: mean wait of answered contacts",
    "wait_pXX_s": "percentiles of the same waits as mean_wait_s",
    "occupancy": "busy agent-time / staffed agent-time (slot-weighted for concurrency)",
    "longest_queue": "most contacts waiting at once in one skill queue",
    "mean_queue": "time-average number of contacts waiting",
    "agents": "scheduled heads at the interval's start, all groups (by group: heads)",
    "answered (by group)": "contacts the group answered, counted in the interval they arrived in",
    "mean_handle_time_s": "mean handle time of the contacts the group answered (re-explaining "
    "included, wrap-up excluded)",
    "ci": "95 % Student t confidence interval across independent replications",
    "by_interval": "contacts are counted in the interval in which they arrived (a night counts "
    "with the next opening)",
    "by_day": "every KPI of each day of a multi-day run",
    "by_interval_of_day": "each interval of the day, counts pooled over the days",
    "backlog": "asynchronous contacts waiting when each day opens and closes, and at the end",
    "overtime_hours": "agent hours worked after closing under declared overtime",
    "costs.operating": "agents (scheduled hours x agent_hour) + overtime + bot sessions + "
    "platform: what the center pays",
    "costs.value_at_risk": "churn_above_base (customers expected to leave above their "
    "segment's base churn x lifetime_value) + word_of_mouth (people told x "
    "word_of_mouth_value): a model's estimate, never added to the operating cost",
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
    """One tidy long table of every interval's KPIs: ``interval,scope,name,kpi,mean,ci_low,
    ci_high``, one row per interval, scope, name and KPI (journey KPIs as ``frustration.
    mean_final``). Pivot it with pandas (docs/reference.md, Output files)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["interval", "scope", "name", "kpi", "mean", "ci_low", "ci_high"])
    labels = result.scenario.horizon.label
    for i, period in enumerate(to_jsonable(result.summary)["by_interval"]):
        interval = labels(i)
        for key, scope in CSV_SCOPES:
            figures = period.get(key)
            if not figures:
                continue
            named = {ALL: figures} if key in ("overall", "journey") else figures
            for name, kpis in named.items():
                for kpi, value in _flatten(kpis).items():
                    writer.writerow(
                        [
                            interval,
                            scope,
                            name,
                            kpi,
                            _num(value["mean"]),
                            _num(value["ci_low"]),
                            _num(value["ci_high"]),
                        ]
                    )
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
