"""cxsim calibrate: synthetic call logs with known parameters are recovered, errors are clear.

The synthetic log is an M/G/c+M queue served first come, first served, simulated exactly in a
few lines (an arrival is served by the earliest free agent if its patience outlasts the wait):
Poisson arrivals with a known per-interval profile, lognormal handle times by call type,
exponential patience censored by the queue's own waits, a known constant staff. Tolerances are
a few standard errors of each estimator at the sample sizes drawn, stated where used.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.calibrate import CalibrationError
from simulator.calibrate.check import run_check
from simulator.calibrate.columns import parse_columns, read_log
from simulator.calibrate.fits import fit_lognormal, fit_patience, kaplan_meier
from simulator.calibrate.fragment import agents_count, calibrate, fragment_text
from simulator.calibrate.profile import Grid, agents_schedule, select_days
from simulator.cli import cli
from simulator.scenario import load_scenario_text

START_H, INTERVAL_S = 8, 1800
PROFILE = [20, 40, 60, 60, 50, 40, 30, 20]  # expected calls per 30 min, 08:00-12:00
AGENTS = 6
PATIENCE_S = 300.0
TYPES = {"A": (0.7, 200.0, 150.0), "B": (0.3, 100.0, 60.0)}  # share, lognormal mean, sd
DAYS = 20  # weekdays: Mon 2024-01-01 onwards, weekends empty


def _lognormal_params(mean: float, sd: float) -> tuple[float, float]:
    sigma = math.sqrt(math.log1p((sd / mean) ** 2))
    return math.log(mean) - sigma**2 / 2, sigma


def simulate_day(rng: np.random.Generator) -> list[tuple[float, float, bool, float, str]]:
    """One day of an FCFS M/G/c+M queue: (arrival s, wait, abandoned, handle, type) per call.

    FCFS makes the sequential rule exact: earlier callers are placed first, an abandoning
    caller never holds an agent, so each caller's wait is the earliest agent-free time after
    their arrival, unless their patience runs out first.
    """
    free = [0.0] * AGENTS
    calls = []
    for k, mean_count in enumerate(PROFILE):
        start = START_H * 3600 + k * INTERVAL_S
        times = np.sort(rng.uniform(start, start + INTERVAL_S, rng.poisson(mean_count)))
        for t in times:
            kind = "A" if rng.random() < TYPES["A"][0] else "B"
            mu, sigma = _lognormal_params(*TYPES[kind][1:])
            handle = float(rng.lognormal(mu, sigma))
            patience = float(rng.exponential(PATIENCE_S))
            begin = max(free[0], t)
            if begin - t > patience:
                calls.append((t, patience, True, math.nan, kind))
                continue
            heapq.heapreplace(free, begin + handle)
            calls.append((t, begin - t, False, handle, kind))
    return calls


def write_log(path: Path, seed: int = 7, days: int = DAYS) -> Path:
    """A log with our default column names (arrival with its date, durations in seconds)."""
    rng = np.random.default_rng(seed)
    lines = ["arrival,wait,abandoned,handle,type"]
    day, written = dt.date(2024, 1, 1), 0
    while written < days:
        if day.weekday() < 5:
            for t, wait, gave_up, handle, kind in simulate_day(rng):
                stamp = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=t)
                handle_text = "" if math.isnan(handle) else f"{handle:.1f}"
                lines.append(
                    f"{stamp:%Y-%m-%d %H:%M:%S},{wait:.1f},{int(gave_up)},{handle_text},{kind}"
                )
            written += 1
        day += dt.timedelta(days=1)
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_log(tmp_path_factory.mktemp("calls") / "calls.csv")


@pytest.fixture(scope="module")
def cal(log_path: Path):
    selected, label = select_days(read_log(log_path), "weekdays")
    return calibrate(selected, label, INTERVAL_S, 20.0)


# --------------------------------------------------------------------------------------------
# Recovering known parameters


def test_the_horizon_and_the_profile_are_recovered(cal) -> None:
    assert cal.observed.n_days == DAYS
    assert (cal.grid.start, cal.grid.end) == (8 * 3600, 12 * 3600)
    offered = cal.observed.offered
    # Each entry is a mean of 20 Poisson counts: standard error sqrt(lambda / 20) <= 1.8
    # calls; 5 standard errors leave a 1-in-a-million chance of a false failure per interval.
    for got, want in zip(offered, PROFILE, strict=True):
        assert abs(got - want) < 5 * math.sqrt(want / DAYS), (offered, PROFILE)
    # The shape: same peak, near-perfect correlation with the true profile.
    assert np.argmax(offered) in (2, 3)
    assert np.corrcoef(offered, PROFILE)[0, 1] > 0.98


def test_lognormal_handle_times_are_recovered_by_type(cal) -> None:
    for kind, (_, mean, sd) in TYPES.items():
        fit = cal.handle_by_intent[kind]
        mu, sigma = _lognormal_params(mean, sd)
        # MLE standard errors: sigma / sqrt(n) for mu, sigma / sqrt(2n) for sigma; n >= 1,500
        # served calls of each type, so 5 standard errors are below 0.05 and 0.035.
        assert abs(fit.mu - mu) < 5 * sigma / math.sqrt(fit.n)
        assert abs(fit.sigma - sigma) < 5 * sigma / math.sqrt(2 * fit.n)
        assert fit.verdict == "good"  # a true lognormal: KS distance ~ 1/sqrt(n) << 0.05


def test_intent_shares_follow_the_type_mix(cal) -> None:
    n = len(cal.log)
    share = TYPES["A"][0]
    # Binomial standard error sqrt(p (1 - p) / n) ~ 0.003 with ~7,000 calls: 5 of them.
    assert abs(cal.intents["A"] - share) < 5 * math.sqrt(share * (1 - share) / n)
    assert sum(cal.intents.values()) == pytest.approx(1.0, abs=1e-9)


def test_censored_patience_is_recovered_and_naive_averaging_is_not(cal) -> None:
    fit = cal.patience
    assert fit.abandoned > 200
    # The MLE's relative standard error is 1/sqrt(abandonments) (< 7 %): allow 4 of them.
    assert abs(fit.mean / PATIENCE_S - 1) < 4 / math.sqrt(fit.abandoned)
    low, high = fit.ci
    assert low < fit.mean < high
    # Averaging the abandoners' waits ignores censoring and falls far short: the reason for
    # the censored estimator.
    waits = cal.log.wait[cal.log.abandoned]
    assert waits.mean() < 0.5 * PATIENCE_S


def test_kaplan_meier_follows_the_true_exponential(cal) -> None:
    km = cal.km
    for t in (30.0, 60.0, 120.0):
        # The standard error of S(t) is about sqrt(S (1 - S) / n_at_risk) < 0.01 here.
        assert abs(float(km.at(np.array([t]))[0]) - math.exp(-t / PATIENCE_S)) < 0.05


def test_kaplan_meier_and_the_exponential_mle_on_a_tiny_sample() -> None:
    wait = np.array([10.0, 20.0, 20.0, 30.0, 40.0])
    abandoned = np.array([True, False, True, False, True])
    km = kaplan_meier(wait, abandoned)
    # At 10: 5 at risk, 1 leaves; at 20: 4 at risk, 1 leaves (the censored 20 counts at risk);
    # at 40: 1 at risk, 1 leaves.
    assert km.times.tolist() == [10.0, 20.0, 40.0]
    assert km.survival.tolist() == pytest.approx([0.8, 0.6, 0.0])
    assert fit_patience(wait, abandoned).mean == pytest.approx(120.0 / 3)


def test_staffing_is_inferred_where_calls_waited(cal) -> None:
    heads = agents_schedule(cal.observed, "waiting")
    busy_intervals = [i for i, count in enumerate(PROFILE) if count >= 60]
    for i in busy_intervals:
        # With a queue on every day every agent is busy while calls wait: the estimate is
        # exactly AGENTS whatever the sample.
        assert heads[i] == AGENTS
        assert cal.observed.busy[i] < AGENTS
    assert (heads <= AGENTS).all()
    # Busy agents (rounded up) are a lower bound, short of the staff when agents idle.
    busy = agents_schedule(cal.observed, "busy")
    assert (busy <= AGENTS).all() and busy[0] < AGENTS


@pytest.mark.parametrize(
    ("method", "tolerance"),
    [
        # workload: agents while waiting (exactly AGENTS in these intervals) x scenario mean
        # handle / interval mean handle; the ratio's noise is ~sd/mean/sqrt(served) ~ 3 %.
        ("workload", 0.5),
        # fit-*: Erlang A inverted at each interval's observed KPI. Seen: within 0.2 (SL) and
        # 0.35 (abandonment) over three seeds; the KPI's own sampling error (~1.5 points of SL
        # on ~1,000 calls) moves c by ~0.1-0.2, and Erlang A's exponential service is more
        # variable than the log's lognormal (SCV 1 vs 0.66), a bias of a fraction of an agent.
        ("fit-sl", 0.75),
        ("fit-abandonment", 0.75),
    ],
)
def test_fractional_staffing_recovers_the_known_staff(cal, method: str, tolerance: float) -> None:
    heads = agents_schedule(cal.observed, method, cal.handle_mean, cal.patience_mean)
    for i, count in enumerate(PROFILE):
        if count >= 50:  # a queue most of the time: staffing is identified by the KPIs
            assert abs(heads[i] - AGENTS) < tolerance, (method, i, heads)
    assert (heads >= np.round(cal.observed.busy, 2) - 1e-9).all()  # never below busy agents


def test_the_default_staffing_is_calibrated_to_service_level(cal) -> None:
    assert cal.staffing == "fit-sl" and cal.fitted_kpi == "service_level"
    text = fragment_text(cal)
    assert "CALIBRATED, not observed" in text and "not independent" in text


def test_fractional_heads_alternate_within_the_interval() -> None:
    grid = Grid(8 * 3600, 10 * 3600, 1800)
    # 4.4 heads: 5 for the first 40 % of 30 min (12 min), then 4; whole heads stay whole.
    schedule = agents_count(grid, np.array([4.4, 5.0, 5.0, 2.99]))
    assert schedule == {"08:00": 5, "08:12": 4, "08:30": 5, "09:30": 3}
    assert agents_count(grid, np.array([1.0, 1.01, 1.0, 1.0])) == {"08:00": 1}


# --------------------------------------------------------------------------------------------
# Handle-time fits


def test_moments_keep_the_observed_mean_and_sd_where_the_mle_does_not() -> None:
    # Not lognormal: a mixture of two (short and long calls), as real handle times often are.
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.lognormal(4.0, 0.4, 4000), rng.lognormal(5.5, 0.5, 1000)])
    fit = fit_lognormal(values)
    assert fit is not None
    assert fit.params("moments") == pytest.approx((values.mean(), values.std()))
    mean, sd = fit.params("mle-shape")
    assert mean == pytest.approx(values.mean()) and sd == pytest.approx(
        mean * math.sqrt(math.expm1(fit.sigma**2))
    )
    assert fit.params("mle") == pytest.approx((fit.mean, fit.sd))
    assert abs(fit.mean / values.mean() - 1) > 0.05  # the MLE moves the mean (the workload)
    assert math.isfinite(fit.ks_moments) and fit.ks_of("mle") == fit.ks


# --------------------------------------------------------------------------------------------
# The fragment and the check


def test_the_fragment_is_a_complete_scenario_that_runs(cal) -> None:
    text = fragment_text(cal)
    assert "FITTED" in text and "CALIBRATED" in text
    scenario = load_scenario_text(text, "fragment.yaml")
    data = yaml.safe_load(text)
    assert data["horizon"] == {"start": "08:00", "end": "12:00", "interval": "30m"}
    assert len(data["arrivals"]["per_interval"]) == len(PROFILE)
    assert set(data["customers"]["intents"]) == {"A", "B"}
    check = run_check(cal, scenario, replications=3)
    assert check.fitted == "service_level" and check.label("service_level").endswith("(fitted)")
    observed, simulated = check.day["abandon_rate"]
    # The model is the true one up to sampling and rounding: whole-day abandonment within
    # a few points (its replications' CI is about +-2 points).
    assert abs(simulated.mean - observed) < 0.05
    assert len(check.simulated["service_level"]) == len(PROFILE)


def test_handle_fits_write_their_own_mean_and_sd(cal, log_path: Path) -> None:
    def written(calibration) -> tuple[float, float]:
        law = yaml.safe_load(fragment_text(calibration))["handle_time"]["A"]["lognormal"]
        return float(law["mean"].rstrip("s")), float(law["sd"].rstrip("s"))

    fit = cal.handle_by_intent["A"]
    assert cal.handle_fit == "moments"
    assert written(cal) == pytest.approx((fit.sample_mean, fit.sample_sd), abs=0.06)
    selected, label = select_days(read_log(log_path), "weekdays")
    mle = calibrate(selected, label, INTERVAL_S, 20.0, staffing="waiting", handle_fit="mle")
    assert written(mle) == pytest.approx((fit.mean, fit.sd), abs=0.06)
    assert "INFERRED, not fitted" in fragment_text(mle)


# --------------------------------------------------------------------------------------------
# Column mapping


def _acd_log(path: Path) -> Path:
    """An ACD-style export: semicolons, clock times on a date column, an outcome column."""
    path.write_text(
        "call_date;q_start;q_exit;outcome;ser_time;service\n"
        "2024-01-01;09:00:00;09:00:30;AGENT;120;PS\n"
        "2024-01-01;09:01:00;09:03:00;HANG;0;PS\n"
        "2024-01-01;23:59:50;00:00:20;AGENT;60;NW\n"
        "2024-01-02;09:05:00;09:05:00;PHANTOM;0;PS\n"
    )
    return path


def test_mapping_with_differences_tests_and_where(tmp_path: Path) -> None:
    mapping = parse_columns(
        [
            "date=call_date,arrival=q_start,wait=q_exit-q_start",
            "abandoned=outcome==HANG|ABANDON,handle=ser_time,type=service",
        ]
    )
    log = read_log(_acd_log(tmp_path / "acd.csv"), mapping, ["outcome!=PHANTOM"])
    assert len(log) == 3 and log.rows_filtered == 1
    assert log.wait.tolist() == [30.0, 120.0, 30.0]  # the last one crossed midnight
    assert log.abandoned.tolist() == [False, True, False]
    assert log.types.tolist() == ["PS", "PS", "NW"]
    assert log.day[0] == dt.date(2024, 1, 1).toordinal()


def test_where_accepts_alternatives_and_numbers(tmp_path: Path) -> None:
    mapping = parse_columns(["date=call_date,arrival=q_start,wait=q_exit-q_start"])
    mapping |= parse_columns(["abandoned=outcome==HANG,handle=ser_time"])
    log = read_log(_acd_log(tmp_path / "acd.csv"), mapping, ["outcome==HANG or ser_time>100"])
    assert len(log) == 2


# --------------------------------------------------------------------------------------------
# The command line


def _run(*args: str):
    return CliRunner().invoke(cli, ["calibrate", *args], catch_exceptions=False)


def test_cli_end_to_end_with_out(log_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "cal"
    result = _run(str(log_path), "--out", str(out), "-n", "2", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # with --out the fragment goes to the folder
    assert "Check:" in result.stderr and "abandonment" in result.stderr
    for name in ("fragment.yaml", "calibration.md", "arrivals.png", "handle_time.png"):
        assert (out / name).is_file(), name
    for name in ("patience.png", "kpis.png", "check.png"):
        assert (out / name).read_bytes().startswith(b"\x89PNG"), name
    load_scenario_text((out / "fragment.yaml").read_text(), "fragment.yaml")
    report = (out / "calibration.md").read_text()
    assert "## Check: simulated vs observed" in report and "| 08:00 |" in report
    assert "service level (fitted)" in result.stderr and "not independent" in report
    assert "The scenario uses the observed mean and standard deviation" in report


def test_cli_prints_the_fragment_without_out(
    log_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _run(str(log_path), "--no-check", "-q")
    assert result.exit_code == 0, result.output
    load_scenario_text(result.stdout, "stdout")
    assert (tmp_path / "reports" / "calls-calibration" / "calibration.md").is_file()


def test_missing_column_names_it_and_lists_the_columns(log_path: Path, tmp_path: Path) -> None:
    result = _run(str(log_path), "--columns", "wait=queue_time", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "no column 'queue_time' (needed for wait)" in result.stderr
    assert "columns found: arrival, wait, abandoned, handle, type" in result.stderr
    assert "--columns" in result.stderr and "Traceback" not in result.output


def test_unparsable_timestamp_names_the_row_and_value(tmp_path: Path) -> None:
    log = tmp_path / "bad.csv"
    log.write_text(
        "arrival,wait,abandoned,handle\n2024-01-01 09:00:00,5,0,100\n2024-01-01 9h05,5,0,100\n"
    )
    result = _run(str(log), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "bad.csv:3: row 2: column 'arrival': cannot read '2024-01-01 9h05'" in result.stderr


def test_a_log_without_abandonments_says_patience_cannot_be_fitted(tmp_path: Path) -> None:
    log = tmp_path / "patient.csv"
    rows = [f"2024-01-01 09:{m:02d}:00,{m % 7},0,{100 + m}" for m in range(40)]
    log.write_text("arrival,wait,abandoned,handle\n" + "\n".join(rows) + "\n")
    result = _run(str(log), "--out", str(tmp_path / "o"), "--no-check")
    assert result.exit_code == 2
    assert "patience cannot be fitted" in result.stderr
    assert "--patience" in result.stderr
    given = _run(str(log), "--out", str(tmp_path / "o"), "--no-check", "--patience", "none")
    assert given.exit_code == 0, given.output
    assert "patience: none" in (tmp_path / "o" / "fragment.yaml").read_text()


def test_an_empty_selection_of_days_is_an_error(log_path: Path, tmp_path: Path) -> None:
    result = _run(str(log_path), "--days", "weekends", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "no calls on the selected days (--days weekends)" in result.stderr
    assert "Mon, Tue, Wed, Thu, Fri" in result.stderr or "mon, tue" in result.stderr


def test_a_bad_days_value_is_an_error(log_path: Path, tmp_path: Path) -> None:
    result = _run(str(log_path), "--days", "funday", "--out", str(tmp_path))
    assert result.exit_code == 2 and "--days: cannot read 'funday'" in result.stderr


def test_errors_are_calibration_errors_in_the_library(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError, match="no such file"):
        read_log(tmp_path / "missing.csv")
