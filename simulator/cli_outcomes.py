"""``cxsim calibrate-outcomes SURVEY.csv``: the outcome model fitted to your own customers.

The command only parses options and prints; the work is in
:mod:`simulator.calibrate.survey` (reading), :mod:`simulator.calibrate.outcome_fit` (the fits)
and :mod:`simulator.calibrate.outcome_report` (the files). They load numpy, scipy and
matplotlib, so they are imported inside the command, which ``cxsim --help`` does not wait for.
"""

from __future__ import annotations

from pathlib import Path

import click

from simulator.calibrate import CalibrationError
from simulator.cli_common import reports_bad_input, require_writable


@click.command("calibrate-outcomes")
@click.argument("survey_file", metavar="SURVEY.csv", type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder [default: reports/<survey>-outcomes].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but the block.")
@reports_bad_input
def calibrate_outcomes(survey_file: Path, out: Path | None, quiet: bool) -> None:
    """Fit the outcome model's coefficients to a post-contact survey SURVEY.csv.

    One row per customer: journey facts (contacts, resolved, and optionally switches,
    transfers, repeats, bot_failures, wait_beyond_promise, closed_or_blocked) and responses
    (recommend 0-10, effort 1-7, churned yes/no; any of them). Fits the effort weights by least
    squares, the recommend ordered logit and churn logit by maximum likelihood, and writes the
    outcomes: block (outcomes.yaml, also printed), a fit report with 95 % intervals
    (outcomes_fit.md) and a chart of observed against fitted answers.
    """
    from simulator.calibrate.outcome_fit import fit_outcomes
    from simulator.calibrate.outcome_report import block_text, write_outputs
    from simulator.calibrate.survey import read_survey

    folder = out or Path("reports") / f"{survey_file.stem}-outcomes"
    require_writable(folder)
    try:
        survey = read_survey(survey_file)
        fit = fit_outcomes(survey)
    except CalibrationError as error:
        raise error.within("cxsim calibrate-outcomes") from None
    written = write_outputs(folder, fit, str(survey_file))
    click.echo(block_text(fit, str(survey_file)), nl=False)
    if not quiet:
        click.echo("Wrote " + ", ".join(str(path) for path in written), err=True)
