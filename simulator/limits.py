"""Resource limits: how large an input cxsim accepts before it refuses it, and how to raise them.

A scenario is a few kilobytes of hand-written YAML, a replication simulates a few thousand to a
few hundred thousand customers. An input far beyond that is almost always a slip (``1ms`` for
``1m``, ``1000000000/h``, ``-n 1000000000``) or hostile (``/dev/zero``, a "billion laughs"
document), and without a limit it is discovered minutes later as a machine out of memory. So
every dimension that can grow has a limit, checked *before* the work starts, with a refusal
that names the limit and the environment variable that moves it::

    bank.yaml:3:24: horizon.interval: an interval of 1ms is below the smallest interval, 1m
    (set CXSIM_MIN_INTERVAL to a smaller duration to allow it)

The defaults are sized so that any hand-written scenario passes with room to spare and the
worst accepted input still validates in well under two seconds and simulates in bounded
memory (``tests/fuzz`` checks both on thousands of mutated scenarios). This module is a
basic, like :mod:`simulator.units`: every package may read it, it imports nothing of cxsim's
but the unit parsers.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Literal

from simulator.errors import CxsimError
from simulator.units import UnitError, format_duration, parse_duration

Kind = Literal["count", "bytes", "duration"]


class LimitSettingError(CxsimError, ValueError):
    """An environment variable that sets a limit holds something that is not a limit."""


class LimitError(CxsimError):
    """A run stopped at a limit that could not be checked before it started (events per
    replication); the message names the limit and its setting."""


@dataclass(frozen=True)
class Limit:
    """One limit: its environment variable, default, kind and what it bounds (for messages).

    ``kind`` says how the variable is written: a whole number (``count``), a size in megabytes
    (``bytes``, e.g. ``CXSIM_MAX_FILE_MB=8``) or a duration (``duration``, e.g. ``30s``).
    ``lower`` is True for floors (the smallest interval): a user *lowers* those to allow more.
    """

    variable: str
    default: float
    kind: Kind
    what: str
    lower: bool = False

    @property
    def value(self) -> float:
        """The limit in force: the environment variable when set, else the default."""
        text = os.environ.get(self.variable, "").strip()
        if not text:
            return self.default
        return self._parse(text)

    def _parse(self, text: str) -> float:
        try:
            if self.kind == "duration":
                number = parse_duration(text)
            elif self.kind == "bytes":
                number = float(text) * 1024 * 1024
            else:
                number = float(int(text.replace("_", "").replace(",", "")))
        except (UnitError, ValueError, OverflowError):
            unit = {"count": "a whole number", "bytes": "megabytes", "duration": "a duration"}
            raise LimitSettingError(
                f"{self.variable}={text!r}: expected {unit[self.kind]} "
                f"(the {self.what}; default {self.shown(self.default)})"
            ) from None
        if not math.isfinite(number) or number < 0:
            raise LimitSettingError(f"{self.variable}={text!r}: expected a value >= 0")
        return number

    def shown(self, value: float | None = None) -> str:
        """The limit (or ``value``) as a user writes it: ``1m``, ``2 MB``, ``1,000,000``."""
        value = self.value if value is None else value
        if self.kind == "duration":
            return format_duration(value)
        if self.kind == "bytes":
            return f"{value / 1024 / 1024:g} MB"
        return f"{value:,.0f}"

    @property
    def hint(self) -> str:
        """How to move the limit, for the refusal's hint."""
        direction = "a smaller value" if self.lower else "a larger value"
        return f"set {self.variable} to {direction} to allow it"


#: Bytes of a scenario file.
MAX_FILE = Limit("CXSIM_MAX_FILE_MB", 2 * 1024 * 1024, "bytes", "largest scenario file")
#: Bytes of a results.json or journeys.json that cxsim report reads (a year of 30-minute
#: intervals writes about 20 MB).
MAX_RESULTS = Limit("CXSIM_MAX_RESULTS_MB", 256 * 1024 * 1024, "bytes", "largest results file")
#: Nesting of mappings and lists in a scenario (hand-written ones nest 6 or 7 deep).
MAX_DEPTH = Limit("CXSIM_MAX_DEPTH", 64, "count", "deepest nesting of a scenario")
#: Values in a scenario once aliases are expanded (the largest bundled scenario has ~500).
MAX_NODES = Limit("CXSIM_MAX_NODES", 50_000, "count", "most values in a scenario")
#: The shortest planning interval of a horizon.
MIN_INTERVAL = Limit(
    "CXSIM_MIN_INTERVAL", 60.0, "duration", "shortest planning interval", lower=True
)
#: Planning intervals in a horizon (a year of hours is 8,760).
MAX_INTERVALS = Limit("CXSIM_MAX_INTERVALS", 20_000, "count", "most intervals in a horizon")
#: The shortest duration other than 0 (a 1 ns standard deviation is a typo, not a model).
MIN_DURATION = Limit(
    "CXSIM_MIN_DURATION", 0.001, "duration", "shortest duration other than 0", lower=True
)
#: The longest duration (a patience or handle time of years is a slip; ``none`` means never).
MAX_DURATION = Limit("CXSIM_MAX_DURATION", 366 * 86400.0, "duration", "longest duration")
#: Customers expected to arrive in one replication.
MAX_CUSTOMERS = Limit(
    "CXSIM_MAX_CUSTOMERS", 1_000_000, "count", "most customers expected per replication"
)
#: Agents on duty at once in one group, times its concurrency (slots).
MAX_SLOTS = Limit("CXSIM_MAX_SLOTS", 1_000_000, "count", "most slots of an agent group")
#: Matches of a contact kind (channel x intent x segment) against a routing rule, as the loader
#: checks coverage and the engine resolves routes (a large table: 10 channels x 50 intents x 5
#: segments and 40 rules is 100,000).
MAX_ROUTING = Limit(
    "CXSIM_MAX_ROUTING", 2_000_000, "count", "most routing checks (kinds of contact x rules)"
)
#: Counting cells of a replication: each kind of contact, queue, group and channel per interval.
MAX_CELLS = Limit("CXSIM_MAX_CELLS", 10_000_000, "count", "most counting cells per replication")
#: SimPy events one replication may take before it is stopped: the bundled scenarios take 2 to 3
#: per customer, so the most customers allowed take about 3 million (a minute or less).
MAX_EVENTS = Limit("CXSIM_MAX_EVENTS", 10_000_000, "count", "most events per replication")
#: Replications one command simulates in all (a sweep's points x replications).
MAX_TASKS = Limit("CXSIM_MAX_TASKS", 100_000, "count", "most replications of one command")
#: Local worker processes of one command (each holds the engine: 100 MB or more).
MAX_WORKERS = Limit("CXSIM_MAX_WORKERS", 256, "count", "most worker processes")
#: Replications of one scenario in one command.
MAX_REPLICATIONS = Limit("CXSIM_MAX_REPLICATIONS", 10_000, "count", "most replications")

ALL: tuple[Limit, ...] = (
    MAX_FILE,
    MAX_RESULTS,
    MAX_DEPTH,
    MAX_NODES,
    MIN_INTERVAL,
    MAX_INTERVALS,
    MIN_DURATION,
    MAX_DURATION,
    MAX_CUSTOMERS,
    MAX_SLOTS,
    MAX_ROUTING,
    MAX_CELLS,
    MAX_EVENTS,
    MAX_WORKERS,
    MAX_REPLICATIONS,
    MAX_TASKS,
)
