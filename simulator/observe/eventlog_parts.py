"""One event log from replications that run in several processes: a part file each, merged.

Each replication writes its rows to a part file of its own beside the target (hidden, named by a
token of this run and the replication number), with an
:class:`~simulator.observe.eventlog.EventLogWriter` that leaves out the header and takes the
wall-clock origin from the main process, so every part agrees on "today". When the run is over,
:meth:`EventLogParts.publish` writes the header once and copies the parts in replication order
into a hidden temporary file, then renames it over the target: the bytes are exactly those of one
writer fed the replications one after the other. The parts are deleted as soon as they are
merged.

Nothing is left behind on failure: a worker whose replication fails removes its own part; the
main process, leaving the ``with`` block by an exception or Ctrl-C (after the pool has shut
down, since the block encloses it), removes every file of this run's token, and an observer
dropped without publishing does the same when it is collected or the interpreter exits. The
target is untouched until the rename.

Workers must see the target's folder at the same path: always true of the local pool (the
default), and of a Dask cluster on the same machine or a shared file system. A part that does not
come back is reported by :meth:`EventLogParts.publish` with that hint.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import secrets
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from simulator.observe.eventlog import BUFFER_SIZE, EventLogWriter, header_line, log_format
from simulator.observe.eventlog import log_origin as _log_origin
from simulator.scenario.schema import Scenario

__all__ = ["EventLogParts", "PartWriters"]


@dataclass(frozen=True)
class PartWriters:
    """The picklable half: in a worker, a header-less writer of one replication's part file."""

    folder: Path
    #: ``.<target name>.<token>``: every file of this run starts with it.
    prefix: str
    file_format: str
    origin: _dt.datetime

    def part(self, replication: int) -> Path:
        return self.folder / f"{self.prefix}.part{replication}"

    def __call__(self, scenario: Scenario, replication: int, seed: int) -> EventLogWriter:
        return EventLogWriter(
            self.part(replication),
            scenario,
            file_format=self.file_format,
            origin=self.origin,
            header=False,
        )


def _remove_run_files(folder: Path, prefix: str) -> None:
    """Every part, merge or writer's temporary file of one run (the token makes them unique).

    Parts are ``<prefix>.part<r>``, the merge ``<prefix>.merged``, and a part's writer keeps
    its rows in ``.<prefix>.part<r>.<token>.tmp`` until it closes.
    """
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith((f"{prefix}.", f".{prefix}.")):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


class EventLogParts:
    """An :class:`~simulator.observe.observer.Observer` writing one event log from every
    replication of a run, atomically.

    ::

        with EventLogParts("events.csv", scenario) as log:
            run_replications(scenario, 10, workers=4, observers=[log])
        log.rows  # published when the block ended normally

    Raises :class:`~simulator.observe.eventlog.EventLogError` at once for a path whose suffix names
    no format.
    """

    def __init__(self, path: str | Path, scenario: Scenario) -> None:
        self.path = Path(path).absolute()
        file_format = log_format(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        token = f"{os.getpid()}.{secrets.token_hex(4)}"
        self._factory = PartWriters(
            self.path.parent, f".{self.path.name}.{token}", file_format, _log_origin(scenario)
        )
        #: Rows of each replication received so far.
        self.rows_by_replication: dict[int, int] = {}
        self.published = False
        self._finalizer = weakref.finalize(
            self, _remove_run_files, self._factory.folder, self._factory.prefix
        )

    # -- the observer ----------------------------------------------------------------------

    @property
    def factory(self) -> PartWriters:
        return self._factory

    def receive(self, replication: int, product: int) -> None:
        self.rows_by_replication[replication] = product

    # -- publishing ------------------------------------------------------------------------

    @property
    def rows(self) -> int:
        """Rows written by every replication received (the log's length, header aside)."""
        return sum(self.rows_by_replication.values())

    def publish(self) -> Path:
        """Merge the parts received, in replication order, into the target; return its path.

        Idempotent. On any failure every file of the run is removed and the target is left as
        it was.
        """
        if self.published:
            return self.path
        factory = self._factory
        parts = [factory.part(r) for r in sorted(self.rows_by_replication)]
        merged = factory.folder / f"{factory.prefix}.merged"
        try:
            missing = [part.name for part in parts if not part.is_file()]
            if missing:
                raise FileNotFoundError(
                    f"{self.path}: the event log parts {', '.join(missing)} did not come back; "
                    "the workers must see this folder at the same path (a shared file system)"
                )
            with open(merged, "xb") as out:
                out.write(header_line(factory.file_format).encode("utf-8"))
                for part in parts:
                    with open(part, "rb") as source:
                        shutil.copyfileobj(source, out, BUFFER_SIZE)
                out.flush()
                os.fsync(out.fileno())
            os.replace(merged, self.path)
        finally:
            self._finalizer()  # the parts, and the merge file if the rename did not happen
        self.published = True
        return self.path

    def discard(self) -> None:
        """Remove every file of the run; the target is left as it was."""
        self._finalizer()

    def __enter__(self) -> EventLogParts:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.publish()
        else:  # any exception, KeyboardInterrupt included
            self.discard()

    def __repr__(self) -> str:
        state = "published" if self.published else "open"
        return (
            f"<EventLogParts {str(self.path)!r} {self._factory.file_format} "
            f"{len(self.rows_by_replication)} parts {self.rows} rows {state}>"
        )
