"""``cxsim calibrate-arrivals HISTORY.csv``: the ``arrivals:`` block of a history of counts.

A history of arrival counts (``timestamp,count`` per 5 or 15 minutes, what most ACDs and
workforce tools export) gives the forecast a scenario needs and how uncertain it is: profiles
per weekday, the day-level coefficient of variation and the interval noise
(:mod:`simulator.calibrate.history_fit`). The command only parses options, calls the fit and
writes its two texts; a bad row exits with status 2 naming the line and what was expected.
Its modules are imported inside the command: they load numpy and scipy, which ``cxsim --help``
should not wait for.
"""

from __future__ import annotations

from pathlib import Path

import click

from simulator.calibrate import CalibrationError
from simulator.cli_common import reports_bad_input, require_writable
from simulator.units import UnitError, parse_duration


def _interval_seconds(text: str) -> int:
    """Whole seconds of ``--interval`` (a duration that divides nothing yet: the history's
    period is checked against it when the history is read)."""
    try:
        seconds = parse_duration(text)
    except UnitError as error:
        raise CalibrationError(f"--interval: {error}") from None
    if seconds <= 0 or not float(seconds).is_integer():
        raise CalibrationError(f"--interval: expected a whole number of seconds > 0, found {text}")
    return int(seconds)


@click.command("calibrate-arrivals")
@click.argument("history_file", metavar="HISTORY.csv", type=click.Path(path_type=Path))
@click.option(
    "--interval",
    default="30m",
    show_default=True,
    help="Interval length of the scenario; a multiple of the history's period.",
)
@click.option("--time-column", default=None, help="The timestamp column [default: the first].")
@click.option("--count-column", default=None, help="The count column [default: the second].")
@click.option(
    "--pooled",
    is_flag=True,
    help="One profile for every day instead of one per weekday.",
)
@click.option(
    "--min-days",
    type=click.IntRange(2),
    default=4,
    show_default=True,
    help="A weekday with fewer days in the history uses the profile of all days.",
)
@click.option(
    "--no-interval-noise",
    is_flag=True,
    help="Fit the day-level CV only (no interval_cv and interval_correlation).",
)
@click.option(
    "--resamples",
    type=click.IntRange(10),
    default=200,
    show_default=True,
    help="Bootstrap resamples of the days for the confidence intervals.",
)
@click.option(
    "--seed", type=click.IntRange(0), default=0, show_default=True, help="Bootstrap seed."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: reports/<history>-arrivals/].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@reports_bad_input
def calibrate_arrivals(
    history_file: Path,
    interval: str,
    time_column: str | None,
    count_column: str | None,
    pooled: bool,
    min_days: int,
    no_interval_noise: bool,
    resamples: int,
    seed: int,
    out: Path | None,
    quiet: bool,
) -> None:
    """Fit the arrivals of a scenario on HISTORY.csv, a history of arrival counts.

    HISTORY.csv has a header and one row per period: a timestamp (the period's start) and a
    count. Writes arrivals.yaml (an arrivals: block with per-weekday profiles and the
    uncertainty: day_cv, interval_cv, interval_correlation) and arrivals.md (what was read,
    daily volume per weekday, the estimates with bootstrap confidence intervals).
    """
    from simulator.calibrate.history import load_history
    from simulator.calibrate.history_fit import fit_history
    from simulator.calibrate.history_output import arrivals_yaml, fit_report
    from simulator.report.files import write_atomic

    folder = out or Path("reports") / f"{history_file.stem}-arrivals"
    require_writable(folder)
    history = load_history(
        history_file,
        _interval_seconds(interval),
        time_column=time_column,
        count_column=count_column,
    )
    fit = fit_history(
        history,
        by_weekday=not pooled,
        min_days=min_days,
        interval_noise=not no_interval_noise,
        resamples=resamples,
        seed=seed,
    )
    block, report = arrivals_yaml(fit), fit_report(fit)
    written = [
        write_atomic(folder / "arrivals.yaml", block),
        write_atomic(folder / "arrivals.md", report),
    ]
    if not quiet:
        click.echo(block, nl=False)
        click.echo(f"\nWrote {', '.join(str(path) for path in written)}")
