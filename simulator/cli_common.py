"""What every ``cxsim`` command shares: options, bad-input handling, output-folder checks.

Commands live in ``simulator/cli.py`` and, when they are big, in modules of their own
(``simulator/cli_<command>.py``) that import from here and are registered in ``cli.py``.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from simulator.errors import CxsimError
from simulator.experiment.executor import open_executor
from simulator.report.progress import ProgressBar
from simulator.scenario import load_scenario
from simulator.scenario.schema import Scenario

EXIT_BAD_INPUT = 2


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
        return number


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
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            help=f"Output folder [default: {out_default}].",
        ),
        click.option("--json", "as_json", is_flag=True, help=f"Print the {document} on stdout."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar and no table."),
        click.option(
            "--workers",
            type=click.IntRange(1),
            default=None,
            help="Local worker processes [default: number of cores].",
        ),
        click.option(
            "--scheduler",
            default=None,
            metavar="ADDRESS",
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
    """Exit 2 before simulating if the output folder cannot be written; creates nothing."""
    problem = _unwritable_folder(out)
    if problem:
        verb = "write to" if out.exists() else "create"
        click.echo(f"{out}: cannot {verb} the output folder ({problem})", err=True)
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
    """Why ``folder`` could not be created or written, or None; creates nothing."""
    if folder.exists():
        if not folder.is_dir():
            return "it is a file"
        return None if os.access(folder, os.W_OK) else "permission denied"
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file"
    return None if os.access(parent, os.W_OK) else f"no permission to create folders in {parent}"


def yaml_text(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
