"""Parameter sweeps: one scenario run over a grid of settings, resumable after a crash or Ctrl-C.

``cxsim sweep bank.yaml --set agents.chat_support.count=8..14 --set bots.web.resolves.x=0.5,0.9``
runs every combination (the cartesian product) of the values given. Three ideas shape it:

* **Each point is a variant.** ``--set KEY=VALUE`` is the dotted-key overlay of
  :mod:`simulator.scenario.variants`, applied to the base file's located tree and read by the same
  readers, so a point is validated exactly like the base, ``30s`` is a duration where the key
  takes one, and a typo gets the loader's "did you mean". Every point is built and checked
  before anything runs: a bad value at the end of the grid fails in a second, not after hours.
* **Common random numbers.** Every point runs replications ``0..n-1`` with the same seed, so
  replication ``r`` of every point sees the same customers (see :mod:`simulator.model.rng`), and
  the curves are smooth in the parameter rather than jagged with noise. All tasks (points x
  replications) are submitted at once so every worker stays busy.
* **Resumable.** Each finished task is appended to ``sweep.progress.jsonl`` in the output folder
  as one fsync'ed JSON line, keyed by a hash of the point's *effective* scenario (every default
  filled in, the seed included, and the cxsim version) and the replication number. A killed
  sweep loses at most the tasks that were running; ``--resume`` reuses every stored task whose
  key matches and runs only the rest. Because the key is the effective scenario, a changed
  scenario file or seed can never be mixed in, while a grid that grows (more values, more
  replications) reuses what overlaps. Results always go through the same JSON round trip
  whether they were just computed or read back, so a resumed sweep gives exactly the same
  numbers as an uninterrupted one.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import itertools
import json
import math
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from simulator import __version__
from simulator.errors import CxsimError
from simulator.experiment.compare import HEADLINE
from simulator.experiment.executor import Progress, run_tasks
from simulator.experiment.replicate import summarize
from simulator.experiment.replication import run_replication
from simulator.experiment.stats import Estimate, estimate
from simulator.limits import MAX_TASKS
from simulator.scenario import effective_dict, yamlsrc
from simulator.scenario.errors import Problem, ScenarioError, did_you_mean
from simulator.scenario.load import build_scenario, key_name
from simulator.scenario.schema import Costs, Scenario
from simulator.scenario.variants import apply_overlay
from simulator.scenario.yamlsrc import Located

#: The progress store's file name, inside the output folder.
STORE_NAME = "sweep.progress.jsonl"
#: Bumped if the store's line format changes; lines of another format are not reused.
STORE_FORMAT = 1
#: Most values one ``--set`` may give, and most points in a grid: a typo such as ``1..100000``
#: should be an error, not a week of simulation.
MAX_VALUES = 1000
MAX_POINTS = 10_000

#: Whole-run KPIs of ``sweep.csv``, the plots and the terminal table: the journey and cost
#: headline of ``cxsim compare``, and the figures for all channels that mean the same on every
#: channel (rates, each channel's service level against its own threshold, occupancy).
#: ``costs.*`` are dropped without a costs block. Waits are swept per channel only: a wait of all
#: channels together would average voice seconds with e-mail hours.
SWEEP_KPIS: tuple[str, ...] = (
    *(kpi for kpi, _, _ in HEADLINE),
    "overall.service_level",
    "overall.abandon_rate",
    "overall.occupancy",
)
#: KPIs swept for every channel (keys of ``by_channel.<channel>``) and every agent group.
CHANNEL_SWEEP_KPIS: tuple[str, ...] = ("service_level", "abandon_rate", "asa_s", "wait_p90_s")
GROUP_SWEEP_KPIS: tuple[str, ...] = ("occupancy",)

#: A KPI's place in a result document, as parts (``("by_channel", "voice", "asa_s")``), so a
#: channel or group name is one part whatever it holds. Dotted text is accepted where a KPI is
#: named by hand (``"overall.service_level"``).
KpiPath = tuple[str, ...]


def kpi_parts(kpi: str | Sequence[str]) -> KpiPath:
    return tuple(kpi.split(".")) if isinstance(kpi, str) else tuple(kpi)


#: Mappings whose keys are names the author chose: a missing name under them in a ``--set`` path
#: is a typo, not a new entry to create (the variants overlay would silently create one).
NAMED_COLLECTIONS = frozenset(
    {"agents", "bots", "channels", "customers.segments", "customers.intents"}
)

_NUMBER = r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*\.\.\s*({_NUMBER})\s*(?::\s*({_NUMBER}))?\s*$")


class SweepError(CxsimError):
    """A sweep that cannot go on as asked (e.g. ``--resume`` with another sweep's progress)."""


# --------------------------------------------------------------------------------------------
# The grid


@dataclass(frozen=True)
class Axis:
    """One ``--set KEY=VALUES``: the dotted key and its values, as overlay nodes and as shown."""

    key: str
    values: tuple[Any, ...]  # plain values, for JSON
    labels: tuple[str, ...]  # as the user wrote them, for the CSV, table and plots
    nodes: tuple[Located, ...]  # overlay values, without source positions

    @property
    def numeric(self) -> bool:
        """Whether the values can be placed on a number line (booleans cannot, sensibly)."""
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)


@dataclass(frozen=True)
class Point:
    """One combination of values, the scenario it makes and that scenario's hash."""

    index: int
    positions: tuple[int, ...]  # index of the value on each axis
    scenario: Scenario
    digest: str  # sha256 of the effective scenario (seed included) and the cxsim version

    def values(self, axes: Sequence[Axis]) -> dict[str, Any]:
        return {a.key: a.values[i] for a, i in zip(axes, self.positions, strict=True)}

    def labels(self, axes: Sequence[Axis]) -> dict[str, str]:
        return {a.key: a.labels[i] for a, i in zip(axes, self.positions, strict=True)}


@dataclass(frozen=True)
class Sweep:
    """A validated grid over a base scenario, ready to run with ``seed`` and ``replications``."""

    source: str
    base: Scenario
    axes: tuple[Axis, ...]
    points: tuple[Point, ...]
    seed: int
    replications: int
    base_digest: str

    @property
    def tasks(self) -> int:
        return len(self.points) * self.replications

    @property
    def has_costs(self) -> bool:
        return any(p.scenario.costs != Costs() for p in self.points)

    @property
    def channels(self) -> tuple[str, ...]:
        """The channels of the base, in file order (a ``--set`` cannot add one)."""
        return tuple(self.base.channels)

    @property
    def groups(self) -> tuple[str, ...]:
        """The agent groups of the base, in file order (a ``--set`` cannot add one)."""
        return tuple(self.base.agents)

    @property
    def run_kpis(self) -> tuple[KpiPath, ...]:
        """The whole-run KPIs to tabulate (no cost columns for a scenario without costs)."""
        return tuple(
            kpi_parts(k) for k in SWEEP_KPIS if self.has_costs or not k.startswith("costs.")
        )

    @property
    def kpis(self) -> tuple[KpiPath, ...]:
        """Every KPI of ``sweep.csv``: the whole run, then each channel's, then each group's."""
        return (
            *self.run_kpis,
            *(("by_channel", c, k) for c in self.channels for k in CHANNEL_SWEEP_KPIS),
            *(("by_group", g, k) for g in self.groups for k in GROUP_SWEEP_KPIS),
        )


def parse_set(option: str, source: str) -> Axis:
    """``KEY=VALUES`` of one ``--set``: an integer range ``8..14``, a stepped range
    ``0.5..0.9:0.1``, or a comma list of YAML scalars (``30s,1m``, ``true,false``, ``a,b``).

    The values are read by YAML exactly like the scenario file, so each is whatever the key's
    reader expects; ranges are read here, as numbers.
    """
    key, sep, text = option.partition("=")
    key = key.strip()

    def fail(message: str, hint: str | None = None) -> ScenarioError:
        return ScenarioError([Problem(source, None, None, f"--set {option}", message, hint)])

    if not sep or not key:
        raise fail("expected KEY=VALUES", "e.g. --set agents.voice.count=8..14")
    segments = key.split(".")
    if not all(s.strip() for s in segments) or any(s != s.strip() for s in segments):
        raise fail(
            f"'{key}' is not a dotted key path (empty segment or spaces)",
            "e.g. agents.chat_support.count",
        )
    if segments[0] == "seed":
        raise fail(
            "every point runs with the same seed (common random numbers)",
            "use --seed to choose it",
        )
    if segments[0] == "variants":
        raise fail("a sweep cannot set variants", "sweep the settings a variant would change")
    if not text.strip():
        raise fail("no values after '='", "e.g. 8..14, 8..14:2, 0.5,0.7,0.9 or 30s,1m")
    match = _RANGE.match(text)
    if match:
        first, last, step = match.groups()  # _RANGE has exactly three groups
        values = _range(first, last, step, fail=fail)
        nodes = tuple(Located.from_plain(v) for v in values)
        labels = tuple(_number_label(v) for v in values)
    else:
        try:
            listed = yamlsrc.parse(f"[{text}]", f"--set {option}")
        except ScenarioError as error:
            problem = error.problems[0]
            raise fail(
                f"cannot read the values: {problem.message}",
                "give A..B, A..B:STEP or a comma list; quote values that contain commas",
            ) from None
        nodes = tuple(_unlocated(n) for n in listed.value)
        if not nodes:
            raise fail("no values after '='", "e.g. 8..14, 0.5,0.7,0.9 or 30s,1m")
        values = tuple(_jsonable(n.plain()) for n in nodes)
        labels = tuple(_label(n) for n in nodes)
    if len(values) > MAX_VALUES:
        raise fail(f"{len(values):,} values; at most {MAX_VALUES:,} per --set")
    seen: dict[str, str] = {}
    for value, label in zip(values, labels, strict=True):
        canonical = json.dumps(value, sort_keys=True)
        if canonical in seen:
            raise fail(f"the value {label} is given twice", "give each value once")
        seen[canonical] = label
    return Axis(key, tuple(values), labels, nodes)


def build_sweep(
    file: str | Path, options: Sequence[str], replications: int, seed: int | None = None
) -> Sweep:
    """Read the base scenario and every ``--set``, and build and validate every point.

    Problems are :class:`ScenarioError` s whose key path names the ``--set`` option, e.g.
    ``bank.yaml: --set agents.voice.count=-1: agents.voice.count: expected a value >= 0``.
    """
    from simulator.scenario import load_scenario

    source = str(file)
    base = load_scenario(file)  # the base's own problems, reported as by `cxsim run`
    tree = yamlsrc.parse(yamlsrc.read_source(file), source)
    seed = base.seed if seed is None else seed
    if not options:
        raise ScenarioError(
            [Problem(source, None, None, "--set", "nothing to sweep", "e.g. --set agents.x=8..14")]
        )
    axes = _read_axes(options, tree, source)
    _check_grid_size(axes, replications, source)
    return Sweep(
        source=source,
        base=base,
        axes=tuple(axes),
        points=tuple(_build_points(tree, axes, source, seed)),
        seed=seed,
        replications=replications,
        base_digest=scenario_digest(base, seed),
    )


def _read_axes(options: Sequence[str], tree: Located, source: str) -> list[Axis]:
    """Every ``--set`` as an axis, each value checked alone on the base so a bad value is blamed
    on its own option; every problem of every option is reported at once."""
    axes: list[Axis] = []
    problems: list[Problem] = []
    for option in options:
        try:
            axis = parse_set(option, source)
        except ScenarioError as error:
            problems += error.problems
            continue
        if any(a.key == axis.key for a in axes):
            problems.append(
                Problem(source, None, None, f"--set {option}", f"{axis.key} is set twice", None)
            )
            continue
        path_problem = _path_problem(tree, axis.key)
        if path_problem:
            problems.append(Problem(source, None, None, f"--set {option}", *path_problem))
            continue
        for node, label in zip(axis.nodes, axis.labels, strict=True):
            problems += _point_problems(tree, {axis.key: node}, source, f"--set {axis.key}={label}")
        axes.append(axis)
    if problems:
        raise ScenarioError(problems)
    return axes


def _check_grid_size(axes: list[Axis], replications: int, source: str) -> None:
    """Refuse a grid past the limits of points and of replications to simulate, before a
    single point is built."""
    count = math.prod(len(a.values) for a in axes)
    if count > MAX_POINTS:
        raise ScenarioError(
            [Problem(source, None, None, "--set", f"{count:,} points; at most {MAX_POINTS:,}")]
        )
    if count * replications > MAX_TASKS.value:
        message = (
            f"{count:,} points x {replications:,} replications = {count * replications:,} "
            f"replications to simulate, more than the limit of {MAX_TASKS.shown()}"
        )
        raise ScenarioError([Problem(source, None, None, "--set", message, MAX_TASKS.hint)])


def _build_points(tree: Located, axes: list[Axis], source: str, seed: int) -> list[Point]:
    """Every combination of the axes' values as a validated scenario with its digest; values
    fine alone may clash together, and such a point's problems name all its ``--set``."""
    points: list[Point] = []
    problems: list[Problem] = []
    for index, positions in enumerate(itertools.product(*(range(len(a.values)) for a in axes))):
        overlay = {a.key: a.nodes[i] for a, i in zip(axes, positions, strict=True)}
        label = " ".join(
            f"--set {a.key}={a.labels[i]}" for a, i in zip(axes, positions, strict=True)
        )
        try:
            scenario = build_scenario(apply_overlay(tree, _overlay(overlay), source), source)
        except ScenarioError as error:
            problems += [_labelled(p, label) for p in error.problems]
            continue
        points.append(Point(index, positions, scenario, scenario_digest(scenario, seed)))
    if problems:
        raise ScenarioError(problems)
    return points


def scenario_digest(scenario: Scenario, seed: int) -> str:
    """What a task's results depend on: the effective scenario with its seed, and the version
    of cxsim (whose engine could change between versions)."""
    document = {
        "cxsim": __version__,
        "scenario": effective_dict(dataclasses.replace(scenario, seed=seed)),
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _range(
    first: str, last: str, step: str | None, fail: Callable[..., ScenarioError]
) -> tuple[int | float, ...]:
    integral = all(s is None or re.fullmatch(r"[-+]?\d+", s) for s in (first, last, step))
    if step is None and not integral:
        raise fail("a range of decimals needs a step", f"e.g. {first}..{last}:0.1")
    a, b = float(first), float(last)
    d = 1.0 if step is None else float(step)
    if d <= 0:
        raise fail("the step of a range must be positive")
    if b < a:
        raise fail(f"the range goes down ({first} > {last})", f"write {last}..{first}")
    count = math.floor((b - a) / d + 1e-9) + 1
    if count > MAX_VALUES:
        raise fail(f"{count:,} values; at most {MAX_VALUES:,} per --set", "use a larger step")
    if integral:
        return tuple(int(a) + i * int(d) for i in range(count))
    # Round to the decimals the user wrote, so 0.5..0.9:0.1 gives 0.7, not 0.7000000000000001.
    decimals = max(len(s.partition(".")[2]) for s in (first, last, step) if s is not None)
    return tuple(round(a + i * d, decimals) for i in range(count))


def _number_label(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def _label(node: Located) -> str:
    if node.is_scalar and node.raw:
        return node.raw
    return json.dumps(_jsonable(node.plain()), separators=(", ", ": "))


def _jsonable(value: Any) -> Any:
    """Plain YAML data as JSON can hold it (a date becomes its ISO text)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _unlocated(node: Located) -> Located:
    """A copy without line and column: they would point into the ``--set`` text, not the file."""
    if node.is_map:
        assert node.keys is not None
        return Located(
            Located.MAP,
            {k: _unlocated(v) for k, v in node.value.items()},
            None,
            None,
            keys={k: _unlocated(v) for k, v in node.keys.items()},
        )
    if node.is_list:
        return Located(Located.LIST, [_unlocated(v) for v in node.value], None, None)
    return Located(Located.SCALAR, node.value, None, None, raw=node.raw, quoted=node.quoted)


def _overlay(values: dict[str, Located]) -> Located:
    keys = {k: Located(Located.SCALAR, k, None, None, raw=k, quoted=True) for k in values}
    return Located(Located.MAP, dict(values), None, None, keys=keys)


def _labelled(problem: Problem, label: str) -> Problem:
    path = f"{label}: {problem.key_path}" if problem.key_path else label
    return dataclasses.replace(problem, key_path=path)


def _point_problems(
    tree: Located, overlay: dict[str, Located], source: str, label: str
) -> list[Problem]:
    try:
        build_scenario(apply_overlay(tree, _overlay(overlay), source), source)
    except ScenarioError as error:
        return [_labelled(p, label) for p in error.problems]
    return []


def _path_problem(tree: Located, key: str) -> tuple[str, str | None] | None:
    """(message, hint) if ``key`` goes through a name the base does not have, such as
    ``agents.chat_suport.count``: the overlay would quietly create a new agent group."""
    segments = key.split(".")
    node = tree
    for depth, segment in enumerate(segments[:-1]):
        if not node.is_map:
            return None  # apply_overlay explains what is wrong
        assert node.keys is not None
        names = {key_name(loc): k for k, loc in node.keys.items()}
        if segment not in names:
            parent = ".".join(segments[:depth])
            choices = [n for n in names if n != "variants"]
            close = difflib.get_close_matches(segment, choices, n=1, cutoff=0.6)
            if parent in NAMED_COLLECTIONS or (depth > 0 and close):
                what = {"agents": "agent groups", "bots": "bots", "channels": "channels"}
                hint = did_you_mean(segment, choices, what=what.get(parent, "keys"))
                return f"{parent} has no '{segment}'", hint
            return None  # an optional block or key the overlay will create, then check
        node = node.value[names[segment]]
    return None


# --------------------------------------------------------------------------------------------
# The progress store


@dataclass
class Finished:
    """What a progress store holds for a sweep: reusable results and what cannot be reused."""

    results: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    foreign: int = 0  # complete lines of another scenario, seed, version or format
    reason: str = ""  # why the first foreign line does not fit, for messages


class ProgressStore:
    """An append-only JSON-lines file with one line per finished task.

    Each line is written with a single ``write`` of the whole line, then flushed and fsync'ed,
    so after a kill the file holds complete lines plus at most one torn last line. A torn line
    (no newline, or not valid JSON) is ignored on reading and cut off before appending.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None
        self._lock: IO[str] | None = None

    @property
    def lock_path(self) -> Path:
        return self.path.with_suffix(".lock")

    def lock(self) -> None:
        """Claim the store for this process until :meth:`close`, or raise :class:`SweepError`.

        Two sweeps appending to one store would each think the other's lines their own, and
        one started without ``--resume`` would empty the file under the other. An advisory
        ``flock`` on a file beside the store is released by the system however the process
        ends, so a killed sweep never leaves the folder locked. (Without ``fcntl``, on Windows,
        there is no lock; keeping one sweep per folder is then up to the user.)
        """
        if self._lock is not None:
            return
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.lock_path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise SweepError(
                f"{self.path.parent}: another cxsim sweep (process {holder}) is running in this "
                "folder. Wait for it to finish, or give this one another --out"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._lock = handle

    def read(self, sweep: Sweep) -> Finished:
        """The stored results that belong to ``sweep``, by (point digest, replication)."""
        finished = Finished()
        wanted = {p.digest for p in sweep.points}
        for entry in self._entries():
            fits = (
                entry.get("format") == STORE_FORMAT
                and entry.get("seed") == sweep.seed
                and entry.get("cxsim") == __version__
            )
            key = (entry.get("scenario_sha256"), entry.get("replication"))
            if fits and key[0] in wanted and isinstance(key[1], int):
                if key[1] < sweep.replications:
                    finished.results.setdefault(key, entry["result"])  # type: ignore[arg-type]
                continue
            if fits and entry.get("base_sha256") == sweep.base_digest:
                continue  # the same sweep with other values or more replications: harmless
            finished.foreign += 1
            if not finished.reason:
                finished.reason = _why_foreign(entry, sweep)
        return finished

    def exists(self) -> bool:
        return self.path.exists() and self.path.stat().st_size > 0

    def open(self, fresh: bool = False) -> None:
        """Open for appending, cutting off a torn last line left by a kill; ``fresh`` empties
        the store first."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            self.path.write_bytes(b"")
        elif self.path.exists():
            data = self.path.read_bytes()
            end = data.rfind(b"\n") + 1
            if end < len(data):
                with self.path.open("r+b") as handle:
                    handle.truncate(end)
        self._handle = self.path.open("a", encoding="utf-8")

    def append(self, entry: dict[str, Any]) -> None:
        assert self._handle is not None, "open() the store first"
        self._handle.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        """Close the store and give up the lock (removing the lock file while still holding
        it, so that no other process can lock the old file after this one has let go)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._lock is not None:
            self.lock_path.unlink(missing_ok=True)
            self._lock.close()
            self._lock = None

    def _entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        entries = []
        with self.path.open("r", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.endswith("\n"):
                    break  # torn by a kill mid-write
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict) and isinstance(entry.get("result"), dict):
                    entries.append(entry)
        return entries


def _why_foreign(entry: dict[str, Any], sweep: Sweep) -> str:
    if entry.get("format") != STORE_FORMAT:
        return "it was written in another format"
    if entry.get("cxsim") != __version__:
        return f"it was written by cxsim {entry.get('cxsim')} (this is {__version__})"
    if entry.get("seed") != sweep.seed:
        return f"it was run with seed {entry.get('seed')} (this sweep uses {sweep.seed})"
    return "the scenario has changed since (its effective scenario differs)"


def prepare_store(sweep: Sweep, store: ProgressStore, resume: bool) -> Finished:
    """Claim the store (see :meth:`ProgressStore.lock`), decide what to reuse, and start the
    store afresh when nothing is to be reused.

    * ``resume``: reuse every stored task of this sweep; a store that holds only another
      sweep's work is an error (the user expected to continue something).
    * no ``resume``: start afresh, as ``cxsim run`` overwrites its results, except when the
      store holds an *unfinished* run of this very sweep: throwing that away because
      ``--resume`` was forgotten would be a costly surprise, so that is an error with a hint.
    """
    store.lock()
    try:
        return _reuse_or_start(sweep, store, resume)
    except SweepError:
        store.close()
        raise


def _reuse_or_start(sweep: Sweep, store: ProgressStore, resume: bool) -> Finished:
    finished = store.read(sweep) if store.exists() else Finished()
    done = len(finished.results)
    if resume:
        if finished.foreign and not done:
            raise SweepError(
                f"{store.path}: nothing to resume: {finished.reason}. Run without --resume to "
                "start over (the stored progress is then discarded), or give another --out"
            )
        if done < sweep.tasks:
            store.open()
        return finished
    if 0 < done < sweep.tasks:
        raise SweepError(
            f"{store.path}: an interrupted run of this sweep finished {done} of {sweep.tasks} "
            "tasks. Add --resume to reuse them and run only the rest, or delete the file to "
            "start over"
        )
    store.open(fresh=True)
    return Finished()


# --------------------------------------------------------------------------------------------
# Running


@dataclass
class SweepResult:
    """Per point, the per-replication KPI documents (replications 0..n-1) and their summary."""

    sweep: Sweep
    per_point: list[list[dict[str, Any]]]
    reused: int  # tasks read back from the store
    computed: int  # tasks run now
    summaries: list[Any] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.summaries:
            self.summaries = [summarize(reps) for reps in self.per_point]

    def estimate(self, point: int, kpi: str | Sequence[str]) -> Estimate:
        """A KPI's estimate at a point (NaN where the results do not have it)."""
        node: Any = self.summaries[point]
        for part in kpi_parts(kpi):
            if not isinstance(node, dict) or part not in node:
                return Estimate(math.nan, math.nan, math.nan, 0)
            node = node[part]
        return node if isinstance(node, Estimate) else Estimate(math.nan, math.nan, math.nan, 0)


def _task(scenario: Scenario, replication: int, seed: int) -> str:
    """One replication as the JSON text the store keeps (serialised in the worker, so the main
    process only writes it)."""
    return json.dumps(run_replication(scenario, replication, seed), separators=(",", ":"))


def run_sweep(
    sweep: Sweep,
    store: ProgressStore,
    finished: Finished,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> SweepResult:
    """Run every task ``finished`` lacks, all submitted at once, storing each as it ends.

    A result is used as it reads back from JSON in both cases, stored earlier or just run, so
    a resumed sweep and an uninterrupted one summarise bit-identical inputs.
    """
    results = dict(finished.results)
    missing = [
        (point, r)
        for point in sweep.points
        for r in range(sweep.replications)
        if (point.digest, r) not in results
    ]
    reused = sweep.tasks - len(missing)

    def on_result(index: int, text: str) -> None:
        point, r = missing[index]
        result = json.loads(text)
        store.append(
            {
                "format": STORE_FORMAT,
                "cxsim": __version__,
                "base_sha256": sweep.base_digest,
                "scenario_sha256": point.digest,
                "seed": sweep.seed,
                "replication": r,
                "point": point.values(sweep.axes),
                "result": result,
            }
        )
        results[(point.digest, r)] = result

    def report(done: int, total: int) -> None:
        if progress:
            progress(reused + done, reused + total)

    try:
        run_tasks(
            _task,
            [(p.scenario, r, sweep.seed) for p, r in missing],
            executor,
            report,
            on_result,
        )
    finally:
        store.close()
    per_point = [[results[(p.digest, r)] for r in range(sweep.replications)] for p in sweep.points]
    return SweepResult(sweep, per_point, reused=reused, computed=len(missing))


# --------------------------------------------------------------------------------------------
# Curves for the plots


@dataclass(frozen=True)
class Curve:
    """One line of a plot: a KPI's estimate at each value of one axis."""

    label: str | None  # the other parameter's value, or None for a single line
    positions: tuple[int, ...]  # value indexes on the plotted axis
    estimates: tuple[Estimate, ...]


def curves(result: SweepResult, kpi: str | Sequence[str], axis: int) -> tuple[list[Curve], str]:
    """The lines of ``kpi`` against axis ``axis``, and how the other axes were treated.

    One axis: one line. Two: one line per value of the other axis. More: a *main-effect*
    line, the KPI averaged over every combination of the other axes within each replication
    (a paired average, valid because all points share the replications' customers), with
    its 95 % CI across replications.
    """
    sweep = result.sweep
    axes = sweep.axes
    points = sweep.points
    if len(axes) == 1:
        ests = tuple(result.estimate(p.index, kpi) for p in points)
        return [Curve(None, tuple(p.positions[0] for p in points), ests)], ""
    if len(axes) == 2:
        other = 1 - axis
        lines = []
        for j, label in enumerate(axes[other].labels):
            chosen = [p for p in points if p.positions[other] == j]
            lines.append(
                Curve(
                    f"{axes[other].key} = {label}",
                    tuple(p.positions[axis] for p in chosen),
                    tuple(result.estimate(p.index, kpi) for p in chosen),
                )
            )
        return lines, ""
    estimates = []
    for i in range(len(axes[axis].values)):
        chosen = [p for p in points if p.positions[axis] == i]
        per_rep = []
        for r in range(sweep.replications):
            xs = [_value(result.per_point[p.index][r], kpi) for p in chosen]
            xs = [x for x in xs if not math.isnan(x)]
            per_rep.append(math.fsum(xs) / len(xs) if xs else math.nan)
        estimates.append(estimate(per_rep))
    note = "averaged over the other parameters"
    return [Curve(None, tuple(range(len(axes[axis].values))), tuple(estimates))], note


def _value(document: dict[str, Any], kpi: str | Sequence[str]) -> float:
    node: Any = document
    for part in kpi_parts(kpi):
        if not isinstance(node, dict) or part not in node:
            return math.nan
        node = node[part]
    try:
        return float(node) if node is not None else math.nan
    except (TypeError, ValueError):
        return math.nan
