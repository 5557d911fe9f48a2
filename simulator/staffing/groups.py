"""Which agent groups a staffing search sizes, what each one reads, and where it starts.

Before any simulation the search decides, for every agent group of the scenario, whether it
is searched (a queue target applies to it and it has contacts; backlog-only teams only when
named with ``--group``), which targets it reads, and which service-level threshold its
channels are measured at. It then seeds each searched group from its offered load with
Erlang C and Erlang A (:mod:`simulator.staffing.seeds`). Everything here is a function of the
scenario and the targets: no simulation runs.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from simulator.scenario.schema import Scenario, frozen_map
from simulator.staffing.seeds import GroupLoad, agents_for, erlang_slots, group_loads
from simulator.staffing.targets import Target, TargetError

#: The offered load (Erlangs) and the Erlang C and Erlang A requirements (agents) per interval.
Seeds = tuple[list[float], list[int | None], list[int | None]]

#: Why a group with only journey targets is not searched (said to the user as given).
JOURNEY_ONLY = (
    "no queue target applies to it (a journey target alone cannot size a team: cutting a team "
    "to nobody can meet it, its customers giving up before they grow angry; add e.g. "
    "service_level>=0.8)"
)
#: Why a group serving only backlog channels is not searched unless named.
BACKLOG_ONLY = "serves only backlog (asynchronous) channels; name it with --group to staff it"


@dataclass
class GroupInfo:
    """What the search knows about one agent group."""

    name: str
    queues: tuple[str, ...]
    concurrency: int
    shrinkage: float
    hourly: float
    load: GroupLoad
    synchronous: bool
    threshold_s: float
    expected_s: float
    targets: list[Target]
    searched: bool
    reason: str = ""


def prepare_groups(
    scenario: Scenario, targets: list[Target], wanted: list[str] | None
) -> tuple[dict[str, GroupInfo], dict[str, float]]:
    """Every group's information with whether it is searched (and why not), and the
    service-level thresholds (seconds, by channel) the targets measure the channels at.

    ``wanted`` is the list of ``--group`` names, or None for every group a target applies to.
    Raises :class:`TargetError` for an unknown group, a named group that cannot be searched,
    no group to search, or two thresholds on one channel.
    """
    loads = group_loads(scenario)
    _check_group_names(scenario, targets, wanted)
    any_journey = any(t.journey for t in targets)
    infos: dict[str, GroupInfo] = {}
    for name in scenario.agents:
        info = _group_info(scenario, name, loads[name], targets)
        info.searched, info.reason = _whether_searched(info, wanted, any_journey)
        infos[name] = info
    _check_something_to_search(infos, wanted)
    thresholds = _measured_thresholds(scenario, infos, targets)
    _set_group_thresholds(scenario, infos, thresholds)
    return infos, thresholds


def _check_group_names(scenario: Scenario, targets: list[Target], wanted: list[str] | None) -> None:
    """Every ``--group`` and every target's group must name an agent group of the scenario."""
    known = ", ".join(scenario.agents) or "none"
    unknown = [g for g in wanted or [] if g not in scenario.agents]
    if unknown:
        raise TargetError(f"--group {', '.join(unknown)}: no such agent group (groups: {known})")
    for target in targets:
        if target.group is not None and target.group not in scenario.agents:
            raise TargetError(f"target {target.text!r}: no agent group {target.group!r} ({known})")


def _group_info(scenario: Scenario, name: str, load: GroupLoad, targets: list[Target]) -> GroupInfo:
    """One group's queues, costs, load and queue targets; searched until decided otherwise.

    Its threshold is the tightest of its synchronous channels (of any channel when it serves
    backlog only), and what its customers expect is the contact-weighted expected response.
    """
    group = scenario.agents[name]
    channels = {c: w for c, w in load.channels.items() if w > 0}
    synchronous = any(scenario.channels[c].synchronous for c in channels)
    sync_channels = [c for c in channels if scenario.channels[c].synchronous] or list(channels)
    threshold = min((scenario.channels[c].sl_threshold for c in sync_channels), default=20.0)
    weight = sum(channels.values())
    expected = (
        sum(w * scenario.channels[c].expected_response for c, w in channels.items()) / weight
        if weight
        else 60.0
    )
    return GroupInfo(
        name=name,
        queues=group.skills,
        concurrency=group.concurrency,
        shrinkage=group.shrinkage,
        hourly=scenario.costs.hourly(name),
        load=load,
        synchronous=synchronous,
        threshold_s=threshold,
        expected_s=expected,
        targets=[t for t in targets if not t.journey and t.group in (None, name)],
        searched=True,
    )


def _whether_searched(
    info: GroupInfo, wanted: list[str] | None, any_journey: bool
) -> tuple[bool, str]:
    """Whether the search sizes this group, and if not the reason the user is told."""
    scoped = any(t.group == info.name for t in info.targets)
    if wanted is not None and info.name not in wanted:
        return False, "not in --group"
    if not info.targets:
        return False, JOURNEY_ONLY if any_journey else "no target applies to it"
    if wanted is None and not scoped and not info.synchronous:
        return False, BACKLOG_ONLY
    if info.load.contacts == 0 and wanted is None:
        return False, "no contacts are routed to it"
    return True, ""


def _check_something_to_search(infos: dict[str, GroupInfo], wanted: list[str] | None) -> None:
    """Every group named with ``--group`` is searched, and at least one group is."""
    for name in wanted or []:
        if not infos[name].searched:
            raise TargetError(f"--group {name}: {infos[name].reason}")
    if not any(i.searched for i in infos.values()):
        reasons: dict[str, list[str]] = {}
        for info in infos.values():
            reasons.setdefault(info.reason, []).append(info.name)
        raise TargetError(
            "no agent group to staff: "
            + "; ".join(f"{', '.join(names)}: {reason}" for reason, names in reasons.items())
        )


def _measured_thresholds(
    scenario: Scenario, infos: dict[str, GroupInfo], targets: list[Target]
) -> dict[str, float]:
    """The service-level threshold each target with ``@threshold`` sets on the channels of the
    groups it applies to; the engine counts one threshold per channel, so two are refused."""
    thresholds: dict[str, float] = {}
    origin: dict[str, Target] = {}
    for target in targets:
        if target.kpi != "service_level" or target.threshold_s is None:
            continue
        groups = [g for g in infos.values() if g.searched and target.group in (None, g.name)]
        for info in groups:
            for channel in info.load.channels:
                if not scenario.channels[channel].synchronous and target.group is None:
                    continue  # a backlog channel keeps its own threshold (e.g. 24h for email)
                previous = thresholds.get(channel)
                if previous is not None and previous != target.threshold_s:
                    raise TargetError(
                        f"targets {origin[channel].text!r} and {target.text!r} measure channel "
                        f"{channel!r} at two service-level thresholds; the engine counts one "
                        "threshold per channel, so give these groups the same threshold"
                    )
                thresholds[channel] = target.threshold_s
                origin[channel] = target
    return thresholds


def _set_group_thresholds(
    scenario: Scenario, infos: dict[str, GroupInfo], thresholds: dict[str, float]
) -> None:
    """Each group's threshold: the tightest its channels are measured at, once targets set
    theirs (synchronous channels first, as in :func:`_group_info`)."""
    for info in infos.values():
        if info.load.channels:
            sync = [c for c in info.load.channels if scenario.channels[c].synchronous]
            chosen = sync or list(info.load.channels)
            info.threshold_s = min(
                thresholds.get(c, scenario.channels[c].sl_threshold) for c in chosen
            )


def with_thresholds(scenario: Scenario, thresholds: dict[str, float]) -> Scenario:
    """The scenario with some channels' service-level thresholds replaced.

    The threshold only decides which answered contacts count as within the service level (the
    engine uses it nowhere else), so every other result is unchanged.
    """
    if not thresholds:
        return scenario
    channels = {
        name: dataclasses.replace(ch, sl_threshold=thresholds[name]) if name in thresholds else ch
        for name, ch in scenario.channels.items()
    }
    return dataclasses.replace(scenario, channels=frozen_map(channels))


def group_seeds(scenario: Scenario, info: GroupInfo) -> Seeds:
    """Offered load (Erlangs) and the Erlang C and A requirements (agents) per interval.

    A group with journey targets only has nothing the Erlang models can size: no seeds (the
    search then starts from the current staffing).
    """
    loads: list[float] = []
    c_agents: list[int | None] = []
    a_agents: list[int | None] = []
    if not info.targets:
        loads = [
            rate * info.load.contacts * info.load.holding_s for rate in scenario.arrivals.rates
        ]
        return loads, [None] * len(loads), [None] * len(loads)
    for rate in scenario.arrivals.rates:
        lam = rate * info.load.contacts
        holding = info.load.holding_s
        loads.append(lam * holding)
        c_slots = erlang_slots(lam, holding, 0.0, info.targets, info.threshold_s, "C")
        a_slots = erlang_slots(lam, holding, info.load.theta, info.targets, info.threshold_s, "A")
        c_agents.append(agents_for(c_slots, info.concurrency))
        a_agents.append(agents_for(a_slots, info.concurrency))
    return loads, c_agents, a_agents
