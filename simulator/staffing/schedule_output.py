"""What ``cxsim schedule`` writes and prints.

* ``roster.csv``: one row per shift type worked (group, day, shift, start, end, paid, breaks,
  heads, cost, and the heads repairs added);
* ``coverage.png``: required vs rostered heads at work (:mod:`simulator.staffing.schedule_plot`);
* ``schedule.json``: the targets, the days planned, the roster's cost against the interval
  lower bound, the repairs, coverage per interval, the comparison with the per-interval plan;
* ``roster.variant.yaml``: the roster as a ``variants:`` entry of the scenario;
* ``scenario.rostered.yaml``: the whole scenario with the roster's schedules.

Nothing here simulates: every function reads a :class:`~simulator.staffing.schedule.
ScheduleResult`. The JSON holds no timings, so the same inputs give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from simulator import __version__
from simulator.experiment.stats import Estimate
from simulator.report.files import write_atomic
from simulator.scenario import effective_dict
from simulator.staffing.roster import roster_rows
from simulator.staffing.rostered import VARIANT, variant_overlay
from simulator.staffing.schedule import ScheduleResult
from simulator.staffing.schedule_compare import DAY_KPIS, GroupDay, comparison, roster_spread
from simulator.staffing.schedule_plot import coverage_plot

DEFINITIONS = {
    "required": "heads at work (on a shift, off breaks) per interval: the per-interval plan's "
    "agents on the phones with the shrinkage breaks do not cover added back",
    "at_work": "heads the roster has on a shift and off a break in the interval (a break that "
    "takes part of an interval takes that part of a head)",
    "lower_bound": "the per-interval plan's scheduled heads (the group's whole shrinkage, "
    "breaks included) priced at the cheapest hourly cost of the shift types working that day",
    "gap_pct": "how much dearer the roster is than the lower bound, in %",
    "kpis": "each day's counts summed over its intervals (service level: answered within the "
    "threshold / offered, all day), mean and 95 % CI over replications",
}


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _est(e: Estimate) -> dict[str, float | None]:
    return {"mean": _finite(e.mean), "ci_low": _finite(e.ci_low), "ci_high": _finite(e.ci_high)}


def _kpis(kpis: dict[str, Estimate] | None) -> dict[str, Any] | None:
    return None if kpis is None else {k: _est(kpis[k]) for k in DAY_KPIS}


def roster_table(result: ScheduleResult) -> list[dict[str, Any]]:
    """The roster's rows, each with the heads repairs added to it."""
    added = Counter({line.shift: line.heads for line in result.repaired.added})
    rows = roster_rows(result.roster)
    for row, line in zip(rows, result.roster.lines, strict=True):
        row["added"] = added.get(line.shift, 0)
    return rows


def roster_csv(result: ScheduleResult) -> str:
    rows = roster_table(result)
    buffer = io.StringIO()
    columns = ["group", "day", "shift", "start", "end", "paid", "breaks", "heads", "cost", "added"]
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _comparison_json(row: GroupDay) -> dict[str, Any]:
    return {
        "group": row.group,
        "day": row.day,
        "plan_head_hours": row.plan_head_hours,
        "plan_cost": row.plan_cost,
        "paid_hours": row.paid_hours,
        "cost": row.cost,
        "at_work_hours": row.at_work_hours,
        "intervals_missing": row.misses,
        "plan_kpis": _kpis(row.plan_kpis),
        "roster_kpis": _kpis(row.roster_kpis),
    }


def _coverage_json(result: ScheduleResult) -> dict[str, Any]:
    roster = result.roster
    return {
        group: {
            day: {
                "required": [int(v) for v in roster.requirement(group, day)],
                "at_work": [round(float(v), 6) for v in roster.coverage(group, day)],
            }
            for day in roster.problem.calendar.days
        }
        for group in result.groups
    }


def _days_json(result: ScheduleResult) -> list[dict[str, Any]]:
    names = result.roster.problem.calendar.days
    out = []
    for plan in result.week.days:
        entry: dict[str, Any] = {"day": plan.name, "planned": plan.result is not None}
        if plan.same_as is not None:
            entry["same_as"] = names[plan.same_as]
        elif plan.result is not None:
            entry["passes"] = plan.result.passes
            entry["settled"] = plan.result.settled
            entry["notes"] = plan.result.notes
        out.append(entry)
    return out


def schedule_document(result: ScheduleResult) -> dict[str, Any]:
    """schedule.json (see the module docstring)."""
    roster, repaired = result.roster, result.repaired
    return {
        "cxsim_version": __version__,
        "scenario": result.scenario.name,
        "seed": result.seed,
        "replications": result.replications,
        "targets": [t.text for t in result.targets],
        "groups": result.groups,
        "definitions": DEFINITIONS,
        "days": _days_json(result),
        "roster": {
            "shifts": roster.heads,
            "cost": roster.cost,
            "lower_bound": result.lower_bound,
            "gap_pct": result.gap_pct,
            "paid_hours": math.fsum(line.heads * line.shift.paid_hours for line in roster.lines),
            "solver": {
                "status": result.solved.status,
                "cost": result.solved.cost,
                "within_pct_of_best": result.solved.optimality_gap_pct,
                "requirement_bound": result.solved.lower_bound,
            },
        },
        "verification": {
            "simulations": len(result.checks),
            "met": result.met,
            "added": [
                {"shift": line.shift.describe(), "heads": line.heads} for line in repaired.added
            ],
            "missing": [list(miss) for miss in sorted(repaired.remaining)],
            "no_shift_can_help": [list(miss) for miss in sorted(repaired.unrepairable)],
        },
        **({"risk": _risk_json(result)} if result.on_share_of_days is not None else {}),
        "lines": roster_table(result),
        "coverage": _coverage_json(result),
        "comparison": [_comparison_json(row) for row in comparison(result)],
        "variant": {VARIANT: variant_overlay(result.rostered, result.groups)},
    }


def _risk_json(result: ScheduleResult) -> dict[str, Any]:
    """Targets as risk: the share asked for, the share of simulated days each calendar day
    holds every target on, and the spread of the roster's day KPIs across those days."""
    return {
        "on_share_of_days": result.on_share_of_days,
        "days": len(result.final.result.replications),
        "share_by_day": result.final.shares,
        "across_days": roster_spread(result),
    }


def variant_yaml(result: ScheduleResult, rostered_file: str) -> str:
    """roster.variant.yaml: the roster as a variant, with how to use it."""
    source = result.scenario.source or "SCENARIO.yaml"
    header = (
        f"# The roster cxsim schedule found for {result.scenario.name}\n"
        f"# ({', '.join(t.describe() for t in result.targets)}): heads at work, breaks taken\n"
        "# out, and the shrinkage breaks do not cover. Paste the entry under `rostered:` into\n"
        f"# the `variants:` block of {source} and run\n"
        f"#   cxsim compare {source} --variants {VARIANT}\n"
        f"# or compare the rostered scenario written next to this file:\n"
        f"#   cxsim compare {source} {rostered_file}\n"
    )
    body = {"variants": {VARIANT: variant_overlay(result.rostered, result.groups)}}
    return header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)


def rostered_yaml(result: ScheduleResult) -> str:
    data = effective_dict(result.rostered)
    targets = ", ".join(t.describe() for t in result.targets)
    data["description"] = f"{result.scenario.name} rostered by cxsim schedule for {targets}"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_outputs(result: ScheduleResult, out: Path) -> list[Path]:
    """Every output file, written atomically; their paths."""
    document = schedule_document(result)
    rostered = out / "scenario.rostered.yaml"
    return [
        write_atomic(out / "roster.csv", roster_csv(result)),
        write_atomic(out / "coverage.png", coverage_plot(result)),
        write_atomic(out / "schedule.json", json.dumps(document, indent=2, allow_nan=False) + "\n"),
        write_atomic(out / "roster.variant.yaml", variant_yaml(result, str(rostered))),
        write_atomic(rostered, rostered_yaml(result)),
    ]
