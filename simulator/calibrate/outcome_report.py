"""What ``cxsim calibrate-outcomes`` writes: the fitted ``outcomes:`` block, a Markdown fit report
(every coefficient with its 95 % interval and the default it replaces, observed against fitted
answers) and a chart of the recommend answers, observed and fitted."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import yaml

from simulator.calibrate.outcome_fit import Coefficient, OutcomeFit, clipped_names, outcomes_block
from simulator.report.files import write_atomic
from simulator.report.plots import BLUE, ORANGE, WIDE, chart_figure, figure_title, png_bytes

BLOCK_FILE = "outcomes.yaml"
REPORT_FILE = "outcomes_fit.md"
PLOT_FILE = "recommend.png"


def block_text(fit: OutcomeFit, survey: str) -> str:
    """The ``outcomes:`` block as YAML, headed by where it comes from (paste into a scenario)."""
    header = (
        f"# Fitted by cxsim calibrate-outcomes from {survey} ({fit.rows:,} customers).\n"
        "# Paste into a scenario; parts the survey did not answer keep their defaults.\n"
    )
    body = yaml.safe_dump({"outcomes": outcomes_block(fit)}, sort_keys=False, width=100)
    return header + body


def _number(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.3f}"


def _rows(part: str, coefficients: list[Coefficient]) -> list[str]:
    rows = []
    for c in coefficients:
        low, high = c.ci
        interval = (
            "not in the survey (default kept)"
            if math.isnan(c.se)
            else (f"[{_number(low)}, {_number(high)}]")
        )
        rows.append(f"| {part}.{c.name} | {_number(c.value)} | {interval} | {_number(c.default)} |")
    return rows


def markdown(fit: OutcomeFit, survey: str, plots: list[str]) -> str:
    """The fit report: what was fitted on how many answers, and how well."""
    lines = [
        "# Outcome model fitted to a survey",
        "",
        f"Survey: `{survey}`, {fit.rows:,} customers. Effort answers: {fit.effort_answers:,}; "
        f"recommend answers: {fit.recommend_answers:,}; churn answers: {fit.churn_answers:,}.",
        "Intervals are 95 % (estimate +/- 1.96 standard errors: least squares for effort, the "
        "observed information of the likelihood for recommend and churn). See docs/model.md.",
        "",
        "| coefficient | estimate | 95 % interval | default |",
        "|---|---|---|---|",
    ]
    for part, found in (("effort", fit.effort), ("recommend", fit.recommend), ("churn", fit.churn)):
        if found is not None:
            lines += _rows(part, found)
    clipped = clipped_names(fit)
    if clipped:
        lines += [
            "",
            f"Estimated below 0 and written as 0 (more effort never helps): {', '.join(clipped)}.",
        ]
    if fit.churn_base is not None:
        low, high = fit.churn_base.ci
        lines += [
            "",
            f"Churn of a resolved, effortless customer in this survey: "
            f"{100 * fit.churn_base.value:.1f} % [{100 * low:.1f} %, {100 * high:.1f} %] "
            "(a segment's `churn_base` in a scenario). Observed churn "
            f"{100 * fit.churn_observed:.1f} %, fitted {100 * fit.churn_fitted:.1f} %.",
        ]
    if fit.recommend_observed is not None and fit.recommend_fitted is not None:
        lines += ["", "| answer | observed | fitted |", "|---|---|---|"]
        lines += [
            f"| {k} | {100 * o:.1f} % | {100 * f:.1f} % |"
            for k, (o, f) in enumerate(
                zip(fit.recommend_observed, fit.recommend_fitted, strict=True)
            )
        ]
    lines += ["", *[f"![{name}]({name})" for name in plots]]
    return "\n".join(lines) + "\n"


def recommend_plot(fit: OutcomeFit) -> bytes:
    """Bars of the observed recommend answers, the fitted model's as dots."""
    assert fit.recommend_observed is not None and fit.recommend_fitted is not None
    answers = np.arange(11)
    with chart_figure(WIDE) as fig:
        ax = fig.subplots()
        ax.bar(answers, fit.recommend_observed, color=BLUE, alpha=0.7, label="observed")
        ax.plot(answers, fit.recommend_fitted, "o", color=ORANGE, label="fitted")
        ax.set_xticks(answers)
        ax.set_xlabel("answer to 'would you recommend us?' (0-10)")
        ax.set_ylabel("share of customers")
        ax.legend()
        figure_title(fig, "Recommend answers: survey and fitted model")
        return png_bytes(fig)


def write_outputs(out: Path, fit: OutcomeFit, survey: str) -> list[Path]:
    """The block, the report and the chart, each written atomically into ``out``."""
    plots = {PLOT_FILE: recommend_plot(fit)} if fit.recommend_fitted is not None else {}
    written = [write_atomic(out / BLOCK_FILE, block_text(fit, survey))]
    written.append(write_atomic(out / REPORT_FILE, markdown(fit, survey, list(plots))))
    written += [write_atomic(out / name, data) for name, data in plots.items()]
    return written
