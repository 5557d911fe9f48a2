"""The terminal summary of ``cxsim schedule``: the cost against the bound, whether every
target holds when the roster is simulated, and per group its days: shifts, hours, cost and
KPIs against the per-interval plan's (with the roster's lines for a short roster)."""

from __future__ import annotations

import math

from simulator.experiment.stats import Estimate
from simulator.staffing.schedule import ScheduleResult
from simulator.staffing.schedule_compare import GroupDay, comparison
from simulator.staffing.schedule_output import roster_table
from simulator.units import format_duration

#: A group's roster lines are listed when it has at most this many.
MAX_LINES = 30


def _share(e: Estimate | None) -> str:
    return "-" if e is None or not math.isfinite(e.mean) else f"{100 * e.mean:.1f}%"


def _seconds(e: Estimate | None) -> str:
    return "-" if e is None or not math.isfinite(e.mean) else format_duration(round(e.mean))


def summary_text(result: ScheduleResult, written: list[str]) -> str:
    roster = result.roster
    lines = [
        f"{result.scenario.name}: a roster for " + ", ".join(t.describe() for t in result.targets),
        _effort_line(result),
        f"Cost {roster.cost:,.0f} for {roster.heads} shifts against the interval lower bound "
        f"{result.lower_bound:,.0f}: +{result.gap_pct:.1f} % (the per-interval plan's heads at "
        "the cheapest hourly rate)" + _unit(result),
        *_verdict(result),
    ]
    for group in result.groups:
        rows = [row for row in comparison(result) if row.group == group]
        lines += ["", *_group_lines(result, group, rows)]
    lines += [
        "",
        "KPIs are each day's (counts summed over its intervals), mean over replications: the "
        "per-interval plan -> the roster.",
        "Wrote " + ", ".join(written),
    ]
    return "\n".join(lines) + "\n"


def _unit(result: ScheduleResult) -> str:
    """Without hourly rates, shifts are priced at 1 a paid hour: say so."""
    priced = any(result.scenario.costs.hourly(g) for g in result.groups) or any(
        t.agent_hour for g in result.groups for t in result.scenario.shifts[g].types
    )
    return "" if priced else "; costs in paid hours (no agent_hour given)"


def _effort_line(result: ScheduleResult) -> str:
    planned = [d for d in result.week.days if d.result is not None and d.same_as is None]
    passes = sum(d.result.passes for d in planned if d.result is not None)
    return (
        f"Planned {len(planned)} distinct day(s) ({passes} passes of {result.replications} "
        f"replications); roster solved in {result.solve_s:.1f}s ({result.solved.status}); "
        f"simulated {len(result.checks)} time(s)"
    )


def _verdict(result: ScheduleResult) -> list[str]:
    repaired = result.repaired
    added = sum(line.heads for line in repaired.added)
    repairs = f" after adding {added} shift(s)" if added else ""
    if result.on_share_of_days is not None:
        final = result.final
        shares = ", ".join(
            f"{share:.1%}" if len(final.shares) == 1 else f"{day} {share:.1%}"
            for day, share in final.shares.items()
        )
        verdict = "reached" if result.met else "NOT reached"
        return [
            f"Every target holds over the whole day on {shares} of "
            f"{len(final.result.replications)} simulated days "
            f"({result.on_share_of_days:.0%} asked: {verdict}{repairs})."
        ]
    if result.met:
        return [f"Every target holds on the simulated days{repairs}."]
    missing = sorted(repaired.remaining)
    shown = ", ".join(f"{g} {d} {_clock(result, k)}" for g, d, k in missing[:6])
    more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
    why = (
        "no shift within the rules' limits covers them"
        if repaired.unrepairable
        else "the repair rounds ran out (raise --max-rounds)"
    )
    return [f"warning: targets still miss in {shown}{more}{repairs}: {why}."]


def _clock(result: ScheduleResult, k: int) -> str:
    calendar = result.roster.problem.calendar
    return calendar.label(0, k).split(" ", 1)[1]


def _group_lines(result: ScheduleResult, group: str, rows: list[GroupDay]) -> list[str]:
    paid = sum(r.paid_hours for r in rows)
    cost, plan_cost = sum(r.cost for r in rows), sum(r.plan_cost for r in rows)
    shifts = sum(ln.heads for ln in result.roster.lines if ln.shift.group == group)
    out = [
        f"{group}: {shifts} shifts, {paid:,.1f} paid hours, cost {cost:,.0f} "
        f"(per-interval plan: {sum(r.plan_head_hours for r in rows):,.1f} head-hours, "
        f"{plan_cost:,.0f})"
    ]
    out.append(
        f"  {'day':<8}{'shifts':>7}{'paid h':>9}{'cost':>10}  {'SL':>15}  {'abandon':>13}  "
        f"{'ASA':>11}"
    )
    for row in rows:
        count = sum(
            ln.heads
            for ln in result.roster.lines
            if ln.shift.group == group and ln.shift.day == row.day
        )
        plan, got = row.plan_kpis or {}, row.roster_kpis or {}
        out.append(
            f"  {row.day:<8}{count:>7}{row.paid_hours:>9.1f}{row.cost:>10,.0f}  "
            f"{_share(plan.get('service_level')) + ' -> ' + _share(got.get('service_level')):>15}  "
            f"{_share(plan.get('abandon_rate')) + ' -> ' + _share(got.get('abandon_rate')):>13}  "
            f"{_seconds(plan.get('asa_s')) + ' -> ' + _seconds(got.get('asa_s')):>11}"
        )
    table = [r for r in roster_table(result) if r["group"] == group]
    if len(table) <= MAX_LINES:
        for r in table:
            extra = f" (+{r['added']} added)" if r["added"] else ""
            out.append(
                f"    {r['day']:<4} {r['shift']:<12} {r['start']}-{r['end']} {r['paid']:>6} "
                f"x{r['heads']:<3}{extra} {r['breaks']}"
            )
    else:
        out.append(f"    {len(table)} shift types worked: see roster.csv")
    return out
