"""Staffing targets: ``service_level>=0.80@20s``, ``abandon_rate<=5%``, ``journey.nps>=40``.

A target is ``[GROUP:]KPI OP VALUE[@THRESHOLD]``:

* ``KPI`` is a queue KPI measured on an agent group's queues in an interval (``service_level``,
  ``abandon_rate``, ``asa_s``, ``mean_wait_s``, ``occupancy``) or a journey KPI of the customers
  who *arrived* in the interval (``journey.<kpi>``, e.g. ``journey.share_angry_or_worse``, which
  is short for ``journey.frustration.share_angry_or_worse``);
* ``OP`` is ``>=`` or ``<=``, in the direction that more agents help: a staffing search looks for
  the *fewest* agents, so a target that fewer agents satisfy (``occupancy>=0.8``) has no answer
  and is refused here rather than silently met by an empty center;
* ``VALUE`` is a number, a percentage (``80%``) or, for waits, a duration (``30s``);
* ``@THRESHOLD`` (service level only) measures the service level at that wait instead of each
  channel's own ``service_level`` threshold;
* ``GROUP:`` restricts a queue target to one agent group (default: every group searched).

Parsing is strict and every error names the target and says what was expected, because a typo
in a target would otherwise cost a long search for the wrong question.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Literal, cast

from simulator.errors import CxsimError
from simulator.observe.journey import JourneyCell
from simulator.units import UnitError, format_duration, parse_duration

Op = Literal[">=", "<="]

#: Queue KPIs a target can name, with the operator more agents move them towards, what kind of
#: value they take, and a label for tables.
QUEUE_KPIS: dict[str, tuple[Op, str, str]] = {
    "service_level": (">=", "share", "service level"),
    "abandon_rate": ("<=", "share", "abandoned"),
    "asa_s": ("<=", "duration", "ASA"),
    "mean_wait_s": ("<=", "duration", "mean wait"),
    "occupancy": ("<=", "share", "occupancy"),
}

#: Journey KPIs whose better direction is known; more agents mean shorter waits, so less
#: frustration and churn, more resolution. Others are accepted with either operator.
JOURNEY_BETTER: dict[str, Op] = {
    "fcr": ">=",
    "resolution_rate": ">=",
    "gave_up_rate": "<=",
    "nps": ">=",
    "churn_rate": "<=",
    "effort": "<=",
    "mean_total_wait_s": "<=",
    "mean_time_to_resolution_s": "<=",
    "contacts_per_customer": "<=",
    "contacts_per_resolution": "<=",
    "frustration.mean_final": "<=",
    "frustration.p90_peak": "<=",
    "frustration.share_angry_or_worse": "<=",
}

_TARGET = re.compile(
    r"^\s*(?:(?P<scope>[^:<>=@\s]+)\s*:\s*)?"
    r"(?P<kpi>[A-Za-z_][\w.]*)\s*(?P<op>>=|<=|=>|=<|>|<|==|=)?\s*"
    r"(?P<value>[^@]*?)\s*(?:@\s*(?P<threshold>.*?))?\s*$"
)


class TargetError(CxsimError, ValueError):
    """A target that does not parse or cannot be searched for; the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    """One parsed target.

    ``path`` is the KPI's key path: ``("service_level",)`` for a queue KPI, ``("frustration",
    "share_angry_or_worse")`` inside the per-interval ``journey`` section for a journey KPI.
    """

    text: str
    kpi: str
    op: Op
    value: float
    threshold_s: float | None = None
    group: str | None = None

    @property
    def journey(self) -> bool:
        """Journey targets are about customers, not one group's queues."""
        return self.kpi.startswith("journey.")

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.kpi.split(".")[1:]) if self.journey else (self.kpi,)

    @property
    def label(self) -> str:
        """A short column name for tables and CSV files."""
        if self.journey:
            return "journey." + self.path[-1]
        name = QUEUE_KPIS[self.kpi][2]
        if self.threshold_s is not None:
            name += f" @{format_duration(self.threshold_s)}"
        return name

    @property
    def column(self) -> str:
        """A machine-friendly column name (``service_level@20s``, ``journey.nps``)."""
        if self.threshold_s is not None:
            return f"{self.kpi}@{format_duration(self.threshold_s)}"
        return self.kpi

    def met(self, value: float) -> bool:
        """Whether a measured value meets the target. Undefined (NaN) means nothing was measured
        in that interval (no contacts, no customers, no agents), which no agent can improve."""
        if math.isnan(value):
            return True
        return value >= self.value if self.op == ">=" else value <= self.value

    def gap(self, value: float) -> float:
        """How far a value misses, relative to the target (0 when met): ranks groups to raise."""
        if self.met(value):
            return 0.0
        scale = abs(self.value) if self.value else 1.0
        return abs(value - self.value) / scale

    def describe(self) -> str:
        """The target written back in canonical form."""
        scope = f"{self.group}:" if self.group else ""
        value = (
            format_duration(self.value)
            if not self.journey and QUEUE_KPIS[self.kpi][1] == "duration"
            else f"{self.value:g}"
        )
        at = f"@{format_duration(self.threshold_s)}" if self.threshold_s is not None else ""
        return f"{scope}{self.kpi}{self.op}{value}{at}"


def journey_kpi_paths() -> dict[str, tuple[str, ...]]:
    """Every scalar journey KPI a per-interval journey section holds, by dotted name, plus the
    short forms of the frustration KPIs (``share_angry_or_worse``)."""
    paths: dict[str, tuple[str, ...]] = {}

    def walk(prefix: tuple[str, ...], node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk((*prefix, key), value)
        elif isinstance(node, int | float):
            paths[".".join(prefix)] = prefix

    walk((), JourneyCell().kpis())
    for _name, path in list(paths.items()):
        if path[0] == "frustration":
            paths.setdefault(path[-1], path)
    return paths


def parse_target(text: str, groups: list[str] | None = None) -> Target:
    """Parse one target; raise :class:`TargetError` naming it and what was expected."""
    shown = repr(text)
    match = _TARGET.match(text or "")
    if not text or not text.strip() or match is None:
        raise TargetError(
            f"target {shown}: expected KPI OP VALUE, e.g. 'service_level>=0.80@20s' or "
            "'abandon_rate<=0.05'"
        )
    kpi, raw_value, scope = match["kpi"], match["value"], match["scope"]
    op = _operator(match["op"], kpi, shown)
    if not raw_value:
        raise TargetError(f"target {shown}: expected a value after {op}")
    kpi, better, kind = _resolved_kpi(kpi, scope, shown)
    if better is not None and op != better:
        raise TargetError(
            f"target {shown}: {kpi}{op}... is met by fewer agents, so the fewest agents always "
            f"meet it; a staffing target must be one that more agents reach: use {kpi}{better}..."
        )
    value = _value(raw_value, kind, shown, kpi)
    threshold = _threshold(match["threshold"], kpi, shown)
    if scope is not None and groups is not None and scope not in groups:
        known = ", ".join(groups) or "none"
        raise TargetError(f"target {shown}: no agent group {scope!r} (groups: {known})")
    return Target(text.strip(), kpi, op, value, threshold, scope)


def _operator(written: str | None, kpi: str, shown: str) -> Op:
    """The comparison as >= or <= (``=>`` and ``=<`` read the same): a target is a bound that
    enough agents reach, so an equality or a strict bound is refused."""
    if written is None:
        raise TargetError(f"target {shown}: expected an operator >= or <= after {kpi!r}")
    op = {"=>": ">=", "=<": "<="}.get(written, written)
    if op not in (">=", "<="):
        raise TargetError(
            f"target {shown}: operator {written!r} is not supported; use >= or <= "
            "(a target is a bound that enough agents reach)"
        )
    return cast(Op, op)  # checked above


def _resolved_kpi(kpi: str, scope: str | None, shown: str) -> tuple[str, Op | None, str]:
    """The KPI as the results name it, the direction more agents move it (None: either way)
    and the kind of its value (share, duration or number)."""
    if kpi.startswith("journey."):
        return _journey_kpi(kpi, scope, shown)
    if kpi in QUEUE_KPIS:
        better, kind, _ = QUEUE_KPIS[kpi]
        return kpi, better, kind
    choices = ", ".join([*QUEUE_KPIS, "journey.<kpi>"])
    raise TargetError(f"target {shown}: unknown KPI {kpi!r}; expected one of {choices}")


def _journey_kpi(kpi: str, scope: str | None, shown: str) -> tuple[str, Op | None, str]:
    """A journey KPI by its full dotted path (a short frustration name is expanded), with a
    did-you-mean for a misspelt one; it cannot be limited to a group, as it counts every
    customer whose first contact arrived in the interval."""
    name = kpi[len("journey.") :]
    paths = journey_kpi_paths()
    if name not in paths:
        names = sorted(f"journey.{n}" for n in paths)
        close = difflib.get_close_matches(kpi, names, n=1, cutoff=0.6)
        choices = (f"did you mean {close[0]!r}? " if close else "") + "expected one of "
        choices += ", ".join(names)
        raise TargetError(f"target {shown}: unknown journey KPI {kpi!r}; {choices}")
    full = "journey." + ".".join(paths[name])
    better = JOURNEY_BETTER.get(".".join(paths[name]))
    if scope:
        raise TargetError(
            f"target {shown}: a journey target is about all customers of an interval and "
            f"cannot be limited to group {scope!r}; drop '{scope}:'"
        )
    return full, better, "number"


def _threshold(written: str | None, kpi: str, shown: str) -> float | None:
    """The service-level threshold after ``@`` in seconds (None when none is written); only a
    service-level target takes one."""
    if written is None:
        return None
    if kpi != "service_level":
        raise TargetError(
            f"target {shown}: '@{written}' is a service-level threshold; only "
            "service_level takes one"
        )
    try:
        return parse_duration(written)
    except UnitError as error:
        raise TargetError(f"target {shown}: threshold: {error}") from None


def _value(raw: str, kind: str, shown: str, kpi: str) -> float:
    """A target value: 0.8 or 80% for shares, 30s or 30 (seconds) for durations."""
    text = raw.strip()
    try:
        if kind == "duration":
            return parse_duration(text)
        value = float(text[:-1]) / 100.0 if text.endswith("%") else float(text)
    except (ValueError, UnitError):
        expected = {
            "share": "a share such as 0.8 or 80%",
            "duration": "a duration such as 30s or 2m",
            "number": "a number",
        }[kind]
        raise TargetError(f"target {shown}: expected {expected} for {kpi}, found {raw!r}") from None
    if not math.isfinite(value):
        raise TargetError(f"target {shown}: expected a finite value, found {raw!r}")
    if kind == "share" and not 0.0 <= value <= 1.0:
        raise TargetError(
            f"target {shown}: {kpi} is a share between 0 and 1 (or 0% and 100%), found {raw!r}"
        )
    return value


def parse_targets(
    texts: list[str] | tuple[str, ...], groups: list[str] | None = None
) -> list[Target]:
    """Parse every target; refuse none at all and contradictory service-level thresholds."""
    if not texts:
        raise TargetError(
            "no target given: add at least one --target, e.g. --target 'service_level>=0.80@20s'"
        )
    targets = [parse_target(t, groups) for t in texts]
    seen: dict[tuple[str, str | None], Target] = {}
    for target in targets:
        key = (target.kpi, target.group)
        if target.kpi == "service_level" and key in seen:
            other = seen[key]
            if other.threshold_s != target.threshold_s:
                raise TargetError(
                    f"targets {other.text!r} and {target.text!r}: two service-level thresholds "
                    "for the same groups; the engine counts one threshold per channel, so give "
                    "one service-level target per group (use GROUP:service_level>=...)"
                )
        seen.setdefault(key, target)
    return targets
