"""What every ``cxsim`` command shares: options, bad-input handling, output checks.

Commands live in ``simulator/cli.py`` and, when they are big, in modules of their own
(``simulator/cli_<command>.py``) that import from here and are registered in ``cli.py``.

Whatever a command will write is checked *before* it simulates (:func:`require_writable`,
:func:`require_writable_file`): by creating a file there and removing it, since permission
bits do not tell that ``/proc`` or ``/sys`` refuse new files, or that a disk is read-only.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from simulator.errors import CxsimError
from simulator.experiment.executor import open_executor
from simulator.limits import MAX_REPLICATIONS, MAX_WORKERS, Limit, LimitSettingError
from simulator.report.progress import ProgressBar
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario

EXIT_BAD_INPUT = 2

#: A Dask scheduler address: an optional protocol, a host (or [IPv6]) and a port.
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+]*://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):(\d{1,5})$")


def reports_bad_input(command: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input (any :class:`~simulator.errors.CxsimError`) becomes its message on stderr and
    exit status 2, and Ctrl-C becomes status 130: the one place the command line catches them."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except CxsimError as error:
            click.echo(str(error), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo("interrupted: no output file was left half-written", err=True)
            sys.exit(130)

    return wrapper


class Workers(click.ParamType):
    """A number of local worker processes: at least 1, at most :data:`MAX_WORKERS` (ten
    thousand workers would be ten thousand processes, each holding the engine)."""

    name = "W"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        try:
            number = value if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a whole number", param, ctx)
        if number < 1:
            self.fail(f"{number} is fewer than 1", param, ctx)
        _within_limit(self, number, MAX_WORKERS, param, ctx)
        return number


def _within_limit(kind: click.ParamType, number: int, limit: Limit, param: Any, ctx: Any) -> None:
    """Fail the option (a usage error) if ``number`` is beyond ``limit``."""
    try:
        most = limit.value
    except LimitSettingError as error:
        kind.fail(str(error), param, ctx)
    if number > most:
        kind.fail(
            f"{number:,} is more than the limit of {limit.shown()} ({limit.hint})", param, ctx
        )


class Replications(click.ParamType):
    """A whole number of replications, at least ``at_least``, or ``auto`` where allowed."""

    name = "N"

    def __init__(self, at_least: int, allow_auto: bool) -> None:
        self.at_least = at_least
        self.allow_auto = allow_auto

    def convert(self, value: Any, param: Any, ctx: Any) -> int | str:
        if isinstance(value, int):
            number = value
        elif self.allow_auto and str(value).strip().lower() == "auto":
            return "auto"
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                expected = "a whole number or 'auto'" if self.allow_auto else "a whole number"
                self.fail(f"{value!r} is not {expected}", param, ctx)
        if number < self.at_least:
            self.fail(f"{number} is fewer than {self.at_least}", param, ctx)
        _within_limit(self, number, MAX_REPLICATIONS, param, ctx)
        return number


class OutputFolder(click.ParamType):
    """A folder to write into: not empty (click would turn ``--out ""`` into the current
    folder, where files would land unannounced) and not a file."""

    name = "DIR"

    def convert(self, value: Any, param: Any, ctx: Any) -> Path:
        if isinstance(value, Path):
            return value
        text = str(value)
        if not text.strip():
            self.fail("an empty path; give a folder, e.g. --out reports/run1", param, ctx)
        path = Path(text)
        if path.is_file():
            self.fail(f"{text!r} is a file, not a folder", param, ctx)
        return path


def scheduler_address(ctx: Any, param: Any, value: str | None) -> str | None:
    """A click callback checking ``--scheduler`` looks like ``tcp://host:8786``, before
    anything is simulated or imported."""
    if value is None:
        return None
    match = _ADDRESS.match(value.strip())
    if match is None or not 0 < int(match.group(1)) < 65536:
        raise click.BadParameter(
            f"{value!r} is not a scheduler address such as tcp://10.0.0.5:8786 or host:8786"
        )
    return value.strip()


def common_options(
    *, at_least: int, out_default: str, document: str, allow_auto: bool = False
) -> Callable[..., Any]:
    """The options every simulating command shares: run, compare, sweep and staff.

    The command receives them together as one ``options:`` :class:`RunOptions` argument.
    ``allow_auto``: ``--replications auto`` adds replications until the headline confidence
    intervals are narrow enough (see :func:`simulator.experiment.compare.compare`).
    """
    auto_help = " or 'auto' (until headline CIs are narrow enough)" if allow_auto else ""
    options = [
        click.option(
            "-n",
            "--replications",
            default=10,
            show_default=True,
            type=Replications(at_least, allow_auto),
            help=f"Replications per scenario, at least {at_least}{auto_help}.",
        ),
        click.option(
            "--seed", type=click.IntRange(0), default=None, help="Override the scenario's seed."
        ),
        click.option(
            "--out",
            type=OutputFolder(),
            default=None,
            help=f"Output folder [default: {out_default}].",
        ),
        click.option("--json", "as_json", is_flag=True, help=f"Print the {document} on stdout."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no table."),
        click.option(
            "--workers",
            type=Workers(),
            default=None,
            help="Local worker processes [default: number of cores].",
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
            callback=scheduler_address,
            help="Run on a Dask cluster, e.g. tcp://host:8786 (needs cxsim[dask]).",
        ),
    ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def with_options(*args: Any, **kwargs: Any) -> Any:
            shared = {name: kwargs.pop(name) for name in RunOptions.__dataclass_fields__}
            return command(*args, options=RunOptions(**shared), **kwargs)

        for option in reversed(options):
            with_options = option(with_options)
        return with_options

    return decorate


@dataclass(frozen=True)
class RunOptions:
    """The shared options of the simulating commands, and what every one of them does with
    them: choose the output folder, show progress, open the executor."""

    replications: Any  # int, or "auto" where the command allows it
    seed: int | None
    out: Path | None
    as_json: bool
    quiet: bool
    workers: int | None
    scheduler: str | None

    def output_folder(self, default: Path) -> Path:
        """``--out`` or ``default``; exits 2 now, before simulating, if it cannot be written."""
        folder = self.out or default
        require_writable(folder)
        return folder

    def progress(self, label: str) -> ProgressBar:
        return ProgressBar(label, enabled=not self.quiet)

    def executor(self, tasks: int | None = None) -> AbstractContextManager[Executor | None]:
        """Local processes (``--workers``) or a Dask cluster (``--scheduler``); ``None`` means
        run in this process. ``tasks`` (when known) avoids starting idle workers."""
        return open_executor(self.workers, self.scheduler, tasks)


def require_writable(out: Path) -> None:
    """Exit 2 before simulating if the output folder cannot be written; leaves nothing behind
    (the folders it creates to try are removed)."""
    problem = _unwritable_folder(out)
    if problem:
        verb = "write to" if out.is_dir() else "create"
        click.echo(f"{out}: cannot {verb} the output folder ({problem})", err=True)
        sys.exit(EXIT_BAD_INPUT)


def require_writable_file(path: Path, option: str, suffixes: Sequence[str] = ()) -> None:
    """Exit 2 before simulating if ``path`` (the value of ``option``) has none of ``suffixes``
    (when given) or cannot be written; an existing file is left as it is."""
    if suffixes and path.suffix.lower() not in suffixes:
        listed = " or ".join(suffixes)
        found = f"'{path.suffix}'" if path.suffix else "no extension"
        click.echo(f"{option} {path}: expected a {listed} file, found {found}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    problem = "it is a folder" if path.is_dir() else _unwritable_folder(path.parent)
    if problem is None and path.exists() and not os.access(path, os.W_OK):
        problem = "permission denied"
    if problem:
        click.echo(f"{option} {path}: cannot write the file ({problem})", err=True)
        sys.exit(EXIT_BAD_INPUT)


def scenario_or_variant(file: Path, variant: str | None) -> Scenario:
    """The scenario in FILE, or one of the variants it declares (exit 2 if there is no such)."""
    if variant is None:
        return load_scenario(file)
    variants = declared_variants(file)
    if variant not in variants:
        known = ", ".join(variants) or "none"
        click.echo(f"{file}: declares no variant {variant!r} (variants: {known})", err=True)
        sys.exit(EXIT_BAD_INPUT)
    return variants[variant]


def declared_variants(file: Path) -> dict[str, Scenario]:
    """The variants a scenario file declares, by name (empty if it declares none)."""
    from simulator.scenario import load_variants

    return load_variants(file)


def _unwritable_folder(folder: Path) -> str | None:
    """Why ``folder`` could not be created or written into, or None. It tries: creates the
    missing folders and a file in the last, then removes what it created."""
    folder = Path(folder)
    missing = []
    existing = folder
    while not existing.exists():
        if existing.is_symlink():  # a dangling link: mkdir would fail on it
            return f"{existing} is a link to nothing"
        missing.append(existing)
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is a file" if existing != folder else "it is a file"
    created: list[Path] = []
    try:
        for path in reversed(missing):
            path.mkdir()
            created.append(path)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return _reason(error)
    finally:
        for path in reversed(created):
            with suppress(OSError):  # a folder something else wrote into meanwhile stays
                path.rmdir()
    return None


def _reason(error: OSError) -> str:
    """Why a file could not be written, in words ("read-only file system")."""
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (error.strerror or str(error)).lower()


def yaml_text(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def risk_options(days_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--on-share-of-days`` and ``--risk-days``, the same for ``cxsim staff`` and ``cxsim
    schedule``: targets stated as risk over simulated days (``days_help`` says what the days
    measure)."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--risk-days",
            type=click.IntRange(20),
            default=400,
            show_default=True,
            help=days_help,
        )(command)
        return click.option(
            "--on-share-of-days",
            type=click.FloatRange(0.0, 1.0, min_open=True, max_open=True),
            default=None,
            metavar="SHARE",
            help="Targets must hold on this share of simulated days (e.g. 0.9), each day's KPIs "
            "over the whole day, rather than on the mean day.",
        )(command)

    return decorate
