"""The process-mining event log: one row per journey step, for pm4py, Disco, Celonis and friends.

An :class:`EventLogWriter` is a recorder (:data:`simulator.observe.events.Recorder`): every
:class:`~simulator.observe.events.JourneyEvent` it is given becomes one row of a CSV or JSON Lines
file, chosen by the file's suffix. ``cxsim run --events`` attaches one to every replication
through :class:`~simulator.observe.eventlog_parts.EventLogParts` (a part file per replication,
merged in order); :func:`simulator.experiment.event_log.write_event_log` does the same from
Python. The columns follow the usual process-mining conventions:

* ``case_id``: ``"<replication>-<customer>"``, one case per customer journey, unique across
  replications (customer numbers restart in each replication);
* ``activity``: one of :data:`simulator.observe.events.ACTIVITIES` (``arrived``, ``queued``...);
* ``timestamp``: ISO 8601 to the second, e.g. ``2026-11-23T09:12:05``: the scenario's
  ``horizon.date`` (today when unset) at midnight, plus ``horizon.start`` (00:00 for duration
  horizons), plus the event's simulated time, truncated to the second;
* ``channel``: the channel of the contact;
* ``resource``: the queue (``queued``, ``abandoned``...), agent group (``answered``,
  ``resolved``...) or bot involved; empty when none;
* ``frustration``: the customer's frustration after the step, rounded to 0.1;
* ``context_lost``: ``true`` on ``context lost`` rows, else ``false`` (JSON booleans in JSONL);
* ``replication``: the replication number;
* ``value_s``: the step's duration in seconds, rounded to 0.1 (wait, handle time, bot turn,
  retry delay; see :class:`~simulator.observe.events.JourneyEvent`); empty (CSV) or null (JSONL)
  when the step has none;
* ``detail``: the other end of a hand-off, intent/segment on ``arrived``, a target channel...

Rows are in the engine's order: time order within a replication, replications one after the
other. Several steps of a case often share a second (``arrived``, ``queued`` and ``answered`` of a
customer served at once); their file order is their true order, and pm4py keeps it
(``format_dataframe`` sorts by case, timestamp and original row index).

Timestamps are naive local times (no time zone, no daylight-saving shifts); pm4py reads them as
UTC, which changes nothing for durations and orderings.

A customer still in the system when the run stops (end of the drain period) has a truncated
case: its last row is ``queued``, ``answered`` or ``will retry`` rather than ``resolved`` or
``gave up``.

The writer streams: rows go through a buffered file handle as they come, so memory does not
grow with the number of customers. The file is written atomically: rows go to a hidden temporary
file beside the target, renamed over it only when the writer closes normally; an exception or
Ctrl-C inside the ``with`` block removes the temporary file and leaves any previous log intact
(as does a writer dropped or left open at exit without :meth:`EventLogWriter.close`).

>>> from simulator.observe.events import JourneyEvent
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
...     with EventLogWriter(path, s) as writer:
...         writer(JourneyEvent(0, 0, 16.2, "arrived", "voice", "", 0.0, detail="general/all"))
...         writer(JourneyEvent(0, 0, 16.2, "queued", "voice", "voice", 0.0))
...     lines = path.read_text().splitlines()
>>> writer.rows == len(lines) - 1 == 2
True
>>> lines[0]
'case_id,activity,timestamp,channel,resource,frustration,context_lost,replication,value_s,detail'
>>> lines[1]
'0-0,arrived,2026-11-23T09:00:16,voice,,0.0,false,0,,general/all'
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import re
import secrets
import weakref
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO

from simulator.errors import CxsimError
from simulator.observe.events import JourneyEvent
from simulator.observe.journey import JourneyRecord
from simulator.scenario.schema import Scenario

__all__ = [
    "COLUMNS",
    "FORMATS",
    "EventLogError",
    "EventLogWriter",
    "header_line",
    "log_format",
    "log_origin",
]

#: The columns of the log, in file order.
COLUMNS = (
    "case_id",
    "activity",
    "timestamp",
    "channel",
    "resource",
    "frustration",
    "context_lost",
    "replication",
    "value_s",
    "detail",
)
#: File suffix -> format name.
FORMATS = {".csv": "csv", ".jsonl": "jsonl"}
#: Write buffer of the log file (bytes).
BUFFER_SIZE = 1 << 16
#: Distinct names quoted at most before the quote cache starts afresh (it stays small anyway).
QUOTE_CACHE_SIZE = 4096
#: A CSV field with one of these is quoted (RFC 4180, as ``csv.QUOTE_MINIMAL`` does).
_CSV_SPECIAL = re.compile(r'[",\r\n]')


class EventLogError(CxsimError, ValueError):
    """An event log that cannot be written as asked (its name says no known format)."""


def log_format(path: str | Path) -> str:
    """``"csv"`` or ``"jsonl"`` from the file's suffix; :class:`EventLogError` for anything else."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        allowed = " or ".join(FORMATS)
        found = f"'{suffix}'" if suffix else "no suffix"
        raise EventLogError(
            f"cannot tell the event log format of {str(path)!r} ({found}): "
            f"name the file with {allowed}, e.g. events.csv or events.jsonl"
        ) from None


def log_origin(scenario: Scenario, today: _dt.date | None = None) -> _dt.datetime:
    """The wall-clock time of simulated ``t = 0``: ``horizon.date`` (or today) + ``horizon.start``.

    Duration horizons have ``start = 0``: they begin at midnight.
    """
    horizon = scenario.horizon
    if horizon.date:
        day = _dt.date.fromisoformat(horizon.date)
    else:
        day = today if today is not None else _dt.date.today()
    midnight = _dt.datetime(day.year, day.month, day.day)
    return midnight + _dt.timedelta(seconds=horizon.start)


def _tenths(x: float | None, missing: str) -> str:
    """``x`` rounded to 0.1 as text; ``missing`` for no value (or a non-finite one: no JSON)."""
    if x is None or not math.isfinite(x):
        return missing
    return f"{x:.1f}"


def _discard(handle: IO[str], tmp: Path) -> None:
    with contextlib.suppress(Exception):
        handle.close()
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def header_line(log_format: str) -> str:
    """The first line of a log of this format: the column names for CSV, nothing for JSONL."""
    return ",".join(COLUMNS) + "\n" if log_format == "csv" else ""


class EventLogWriter:
    """A recorder that streams journey events to a CSV or JSONL event log, atomically.

    Use it as a context manager; ``writer(event)`` appends one row::

        with EventLogWriter("events.csv", scenario) as writer:
            for event in events:
                writer(event)

    The file appears (or replaces a previous one) when the ``with`` block ends normally. Without
    ``with``, call :meth:`close` to publish the file or :meth:`abort` to drop it.

    ``file_format`` overrides the suffix (a part file of a larger log has its own), ``origin`` the
    wall-clock time of simulated ``t = 0`` (so every part of one log agrees on "today"), and
    ``header=False`` leaves the column names out (the merged log has them once). It is also a
    :class:`~simulator.observe.observer.ReplicationRecorder`: :meth:`finish` publishes the file
    and returns the rows written.
    """

    #: As a replication recorder, it needs events only.
    keeps_records = False

    def __init__(
        self,
        path: str | Path,
        scenario: Scenario,
        *,
        file_format: str | None = None,
        origin: _dt.datetime | None = None,
        header: bool = True,
    ) -> None:
        self.path = Path(path)
        self.format = log_format(self.path) if file_format is None else file_format
        self.scenario = scenario
        #: Rows written so far.
        self.rows = 0
        self._origin = log_origin(scenario) if origin is None else origin
        self._second_start = self._second_end = math.inf  # the second that _stamp shows
        self._stamp = ""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # A unique hidden name in the same folder (so os.replace is a rename, never a copy);
        # "x" creates it exclusively, with the permissions the umask gives any new file.
        token = f"{os.getpid()}.{secrets.token_hex(4)}"
        self._tmp = self.path.with_name(f".{self.path.name}.{token}.tmp")
        self._file: IO[str] | None = open(  # noqa: SIM115 (closed by close/abort)
            self._tmp, "x", encoding="utf-8", newline="", buffering=BUFFER_SIZE
        )
        # A writer dropped without close() or abort() (or left open at exit) leaves no temp file.
        self._finalizer = weakref.finalize(self, _discard, self._file, self._tmp)
        self._quotes: dict[str, str] = {}
        if header:
            self._file.write(header_line(self.format))
        self._write = self._write_csv if self.format == "csv" else self._write_jsonl

    # -- the recorder ---------------------------------------------------------------------

    def __call__(self, event: JourneyEvent) -> None:
        if self._file is None:
            raise ValueError(f"the event log {str(self.path)!r} is already closed")
        self._write(event)
        self.rows += 1

    def timestamp(self, t: float) -> str:
        """ISO 8601 wall-clock time (to the second, truncated) of simulated time ``t``."""
        if self._second_start <= t < self._second_end:  # events cluster: format a second once
            return self._stamp
        second = math.floor(t)
        self._second_start, self._second_end = second, second + 1
        self._stamp = (self._origin + _dt.timedelta(seconds=second)).isoformat(timespec="seconds")
        return self._stamp

    # Rows are formatted by hand: csv.writer and json.dumps per row cost 2-3 times more, and
    # the names (activities, channels, queues, details) are a small set, quoted once each.

    def _quoted(self, text: str) -> str:
        """``text`` as a CSV field or a JSON string, cached (the set of names is small)."""
        cache = self._quotes
        quoted = cache.get(text)
        if quoted is None:
            if len(cache) >= QUOTE_CACHE_SIZE:
                cache.clear()
            if self.format == "csv":
                quoted = text
                if _CSV_SPECIAL.search(text):
                    quoted = '"' + text.replace('"', '""') + '"'
            else:
                quoted = json.dumps(text, ensure_ascii=False)
            cache[text] = quoted
        return quoted

    def _write_csv(self, e: JourneyEvent) -> None:
        q = self._quoted
        self._file.write(  # type: ignore[union-attr]
            f"{e.replication}-{e.case_id},{q(e.activity)},{self.timestamp(e.time)},"
            f"{q(e.channel)},{q(e.resource)},{_tenths(e.frustration, '')},"
            f"{'true' if e.context_lost else 'false'},{e.replication},"
            f"{_tenths(e.value, '')},{q(e.detail)}\n"
        )

    def _write_jsonl(self, e: JourneyEvent) -> None:
        q = self._quoted
        self._file.write(  # type: ignore[union-attr]
            f'{{"case_id":"{e.replication}-{e.case_id}","activity":{q(e.activity)},'
            f'"timestamp":"{self.timestamp(e.time)}","channel":{q(e.channel)},'
            f'"resource":{q(e.resource)},"frustration":{_tenths(e.frustration, "null")},'
            f'"context_lost":{"true" if e.context_lost else "false"},'
            f'"replication":{e.replication},"value_s":{_tenths(e.value, "null")},'
            f'"detail":{q(e.detail)}}}\n'
        )

    # -- publishing ------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._file is None

    @property
    def temp_path(self) -> Path:
        """Where the rows go until :meth:`close` renames the file to :attr:`path`."""
        return self._tmp

    def close(self) -> Path:
        """Flush, sync and rename the temporary file over :attr:`path`; returns the path."""
        handle, self._file = self._file, None
        if handle is None:
            return self.path
        try:
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            os.replace(self._tmp, self.path)
        except BaseException:
            _discard(handle, self._tmp)
            raise
        finally:
            self._finalizer.detach()
        return self.path

    def finish(self, records: Sequence[JourneyRecord] = ()) -> int:
        """As a replication recorder: publish the file (:meth:`close`); the rows written."""
        self.close()
        return self.rows

    def abort(self) -> None:
        """Drop everything written: remove the temporary file; :attr:`path` is left untouched."""
        handle, self._file = self._file, None
        if handle is not None:
            self._finalizer.detach()
            _discard(handle, self._tmp)

    def __enter__(self) -> EventLogWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:  # any exception, KeyboardInterrupt included
            self.abort()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<EventLogWriter {str(self.path)!r} {self.format} {self.rows} rows {state}>"
