"""The results document and intervals.csv (simulator/report/document.py): every interval's KPIs
for every scope as one tidy long table that pandas pivots, whose per-channel counts add up to
the overall ones."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from simulator.experiment.replicate import RunResult, run_replications
from simulator.report.document import intervals_csv, results_document
from simulator.scenario import load_scenario_text
from tests.scenario_texts import VOICE_AND_EMAIL

COUNTS = ("offered", "answered", "abandoned", "blocked", "closed", "in_system")


@pytest.fixture(scope="module")
def result() -> RunResult:
    return run_replications(load_scenario_text(VOICE_AND_EMAIL), 3, workers=1)


@pytest.fixture(scope="module")
def table(result: RunResult) -> pd.DataFrame:
    text = intervals_csv(result)
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


def test_intervals_csv_is_one_tidy_long_table(table: pd.DataFrame, result: RunResult) -> None:
    assert list(table.columns) == ["interval", "scope", "name", "kpi", "mean", "ci_low", "ci_high"]
    labels = [result.scenario.horizon.label(i) for i in range(3)]
    assert list(table.interval.unique()) == labels
    assert set(table.scope) == {"overall", "kind", "channel", "queue", "group", "journey"}
    names = {scope: set(rows.name) for scope, rows in table.groupby("scope")}
    assert names["channel"] == {"voice", "email"}
    assert names["kind"] == {"synchronous", "asynchronous"}
    assert names["queue"] == {"voice", "email", "complaints"}
    assert names["group"] == {"voice_team", "email_team", "complaints_team"}
    assert names["overall"] == names["journey"] == {"all"}
    # One row per interval, scope, name and KPI: it pivots without aggregating anything.
    assert not table.duplicated(["interval", "scope", "name", "kpi"]).any()
    voice = table[(table.scope == "channel") & (table.name == "voice")]
    wide = voice.pivot(index="interval", columns="kpi", values="mean").reindex(labels)
    assert {"offered", "service_level", "asa_s", "wait_p90_s"} <= set(wide.columns)
    # The CI brackets its mean wherever both exist.
    both = table.dropna(subset=["ci_low", "ci_high"])
    assert (both.ci_low <= both["mean"] + 1e-9).all() and (
        both["mean"] <= both.ci_high + 1e-9
    ).all()


def test_each_intervals_channels_add_up_to_its_overall_counts(table: pd.DataFrame) -> None:
    counts = table[table.kpi.isin(COUNTS)]
    overall = counts[counts.scope == "overall"].set_index(["interval", "kpi"])["mean"]
    for scope in ("channel", "kind", "queue"):
        parts = counts[counts.scope == scope].groupby(["interval", "kpi"])["mean"].sum()
        assert parts.reindex(overall.index).to_numpy() == pytest.approx(
            overall.to_numpy(), rel=1e-5
        )  # 6 digits
    answered = table[(table.scope == "group") & (table.kpi == "answered")]
    by_interval = answered.groupby("interval")["mean"].sum()
    whole = overall.xs("answered", level="kpi")
    assert by_interval.reindex(whole.index).to_numpy() == pytest.approx(whole.to_numpy(), rel=1e-5)
    assert overall.xs("offered", level="kpi").sum() > 0


def test_no_blended_wait_in_the_overall_rows(table: pd.DataFrame) -> None:
    waits = {"mean_wait_s", "asa_s", "wait_p50_s", "wait_p90_s", "wait_p95_s"}
    assert not waits & set(table[table.scope == "overall"].kpi)
    assert not waits & set(table[(table.scope == "queue") & (table.name == "complaints")].kpi)
    assert waits <= set(table[(table.scope == "channel") & (table.name == "email")].kpi)


def test_results_json_has_every_scope_for_every_interval(result: RunResult) -> None:
    document = json.loads(json.dumps(results_document(result)))
    rows = document["metrics"]["by_interval"]
    assert len(rows) == 3
    for row in rows:
        assert set(row) >= {"overall", "by_kind", "by_channel", "by_queue", "by_group", "journey"}
        voice = row["by_channel"]["voice"]["service_level"]
        assert set(voice) == {"mean", "ci_low", "ci_high"}
        assert "occupancy" in row["by_group"]["voice_team"]
