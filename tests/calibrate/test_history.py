"""Reading a history of arrival counts: every bad row named by its line, periods summed into
intervals, and what was left out said in notes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.calibrate import CalibrationError
from simulator.calibrate.history import (
    HistoryError,
    aggregate,
    load_history,
    parse_history,
    read_history,
)


def csv_text(rows: list[tuple[str, object]], header: str = "interval_start,calls") -> list[str]:
    return [header + "\n"] + [f"{stamp},{count}\n" for stamp, count in rows]


def day_rows(date: str, start: str, periods: int, counts: list[int] | None = None, step: int = 5):
    """Rows of one day every ``step`` minutes from ``start``."""
    first = dt.datetime.fromisoformat(f"{date} {start}")
    values = counts if counts is not None else [10] * periods
    return [
        ((first + dt.timedelta(minutes=step * i)).isoformat(sep=" "), values[i])
        for i in range(periods)
    ]


def parsed(rows: list[tuple[str, object]], interval_s: int = 1800):
    return aggregate(parse_history(csv_text(rows), "calls.csv"), interval_s, "calls.csv")


def test_five_minute_counts_are_summed_into_half_hours_per_day():
    rows = day_rows("2003-03-03", "07:00", 12, list(range(12)))
    rows += day_rows("2003-03-04", "07:00", 12, [2] * 12)
    history = parsed(rows)
    assert history.dates == (dt.date(2003, 3, 3), dt.date(2003, 3, 4))
    assert history.period_s == 300 and history.interval_s == 1800
    assert history.first_clock_s == 7 * 3600 and history.hours() == "07:00-08:00"
    assert history.counts.tolist() == [[15, 51], [12, 12]]
    assert history.weekdays.tolist() == [0, 1]
    assert history.notes == ()


def test_rows_in_any_order_and_iso_forms_read_the_same():
    rows = day_rows("2003-03-03", "07:00", 6)
    shuffled = [rows[3], rows[0], rows[5], rows[1], rows[4], rows[2]]
    shuffled[0] = (shuffled[0][0].replace(" ", "T") + "+01:00", shuffled[0][1])
    assert parsed(shuffled).counts.tolist() == parsed(rows).counts.tolist() == [[60]]


def test_an_interval_at_the_end_of_the_day_that_the_periods_only_partly_cover_is_left_out():
    # The bank's export: 07:00 to 21:00 inclusive, so 21:00-21:30 holds one period of six.
    history = parsed(day_rows("2003-03-03", "07:00", 13) + day_rows("2003-03-04", "07:00", 13))
    assert history.hours() == "07:00-08:00"
    assert history.counts.tolist() == [[60, 60], [60, 60]]
    assert history.notes == ("08:00-08:30 left out: the history has 1 of its 6 5m periods",)


def test_a_missing_period_counts_as_no_arrivals_and_is_noted():
    rows = day_rows("2003-03-03", "07:00", 12)
    rows += [r for i, r in enumerate(day_rows("2003-03-04", "07:00", 12)) if i != 7]
    history = parsed(rows)
    assert history.counts.tolist() == [[60, 60], [60, 50]]
    assert history.filled == 1
    assert "1 missing period(s) inside the days were counted as 0 arrivals" in history.notes


def test_a_day_with_less_than_half_of_the_periods_is_left_out_and_named():
    rows = day_rows("2003-03-03", "07:00", 12) + day_rows("2003-03-04", "07:00", 5)
    history = parsed(rows)
    assert history.dates == (dt.date(2003, 3, 3),)
    assert history.notes == ("1 day(s) with less than half of the periods left out: 2003-03-04",)


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(st.integers(0, 500), min_size=24, max_size=24),
    interval_minutes=st.sampled_from([10, 15, 30, 60]),
)
def test_aggregation_keeps_every_arrival_of_whole_intervals(counts, interval_minutes):
    history = parsed(day_rows("2003-03-05", "08:00", 24, counts), interval_minutes * 60)
    per = interval_minutes // 5
    expected = [sum(counts[i : i + per]) for i in range(0, 24, per)]
    assert history.counts[0].tolist() == expected
    assert history.counts.sum() == sum(counts)


def test_columns_can_be_named_in_any_order(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("queue,calls,start\nsales,7,2003-03-03 07:00\nsales,8,2003-03-03 07:15\n")
    rows = read_history(path, time_column="start", count_column="calls")
    assert [(r.start.hour, r.start.minute, r.count, r.line) for r in rows] == [
        (7, 0, 7, 2),
        (7, 15, 8, 3),
    ]
    history = load_history(path, 1800, time_column="start", count_column="calls")
    assert history.period_s == 900 and history.counts.tolist() == [[15]]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("2003-03-03 07:00", 3), ("03/03/2003 07:05", 4)],
            "calls.csv:3: expected a timestamp such as 2003-03-03 07:05:00 in column "
            "'interval_start', found '03/03/2003 07:05'",
        ),
        (
            [("2003-03-03 07:00", 3), ("2003-03-03 07:05", -4)],
            "calls.csv:3: expected a count (a whole number >= 0) in column 'calls', found '-4'",
        ),
        (
            [("2003-03-03 07:00", "2.5")],
            "calls.csv:2: expected a count (a whole number >= 0) in column 'calls', found '2.5'",
        ),
        (
            [("2003-03-03 07:00", "n/a")],
            "calls.csv:2: expected a count (a whole number >= 0) in column 'calls', found 'n/a'",
        ),
        (
            [("2003-03-03 07:00", 3), ("2003-03-03 07:05", 1), ("2003-03-03 07:00:00", 5)],
            "calls.csv:4: 2003-03-03 07:00:00 appears again (first on line 2); "
            "expected one row per period",
        ),
    ],
)
def test_a_bad_row_is_named_by_its_line_with_what_was_expected(rows, message):
    with pytest.raises(HistoryError) as caught:
        parse_history(csv_text(rows), "calls.csv")
    assert str(caught.value) == message


def test_a_short_row_says_how_many_columns_were_expected():
    with pytest.raises(HistoryError, match=r"calls\.csv:3: expected 2 columns"):
        parse_history(
            ["interval_start,calls\n", "2003-03-03 07:00,4\n", "2003-03-03 07:05\n"], "calls.csv"
        )


def test_empty_files_and_unknown_columns_are_refused():
    with pytest.raises(HistoryError, match="the file is empty"):
        parse_history([], "calls.csv")
    with pytest.raises(HistoryError, match="no rows after the header"):
        parse_history(["interval_start,calls\n"], "calls.csv")
    with pytest.raises(HistoryError, match="no count column 'volume'; the columns are a, b"):
        parse_history(["a,b\n", "2003-03-03 07:00,1\n"], "calls.csv", count_column="volume")
    with pytest.raises(HistoryError, match="expected at least 2 columns"):
        parse_history(["timestamp\n", "2003-03-03 07:00\n"], "calls.csv")


def test_a_missing_file_is_a_history_error_a_calibration_command_already_reports(tmp_path):
    with pytest.raises(CalibrationError, match="cannot read the history"):
        read_history(tmp_path / "nowhere.csv")


def test_an_interval_that_is_not_a_multiple_of_the_period_is_refused():
    with pytest.raises(HistoryError, match="period of 15m does not divide the interval of 20m"):
        parsed(day_rows("2003-03-03", "07:00", 8, step=15), 1200)


def test_a_row_off_the_grid_of_periods_is_named():
    rows = day_rows("2003-03-03", "07:00", 12)
    rows[4] = ("2003-03-03 07:22:00", 3)
    with pytest.raises(HistoryError, match=r"calls\.csv:6: 07:22:00 is off the history's grid"):
        parsed(rows)


def test_a_history_without_two_rows_on_one_day_cannot_tell_its_period():
    with pytest.raises(HistoryError, match="cannot tell the period"):
        parsed([("2003-03-03 07:00", 1), ("2003-03-04 07:00", 2)])


def test_a_history_with_no_whole_interval_says_to_choose_a_shorter_one():
    with pytest.raises(HistoryError, match="no whole interval of 1h"):
        parsed(day_rows("2003-03-03", "07:00", 6), 3600)
