"""Dates, times and numbers as a log writes them: stated, or detected from the first rows."""

from __future__ import annotations

import datetime as dt

import pytest

from simulator.calibrate import CalibrationError
from simulator.calibrate.formats import DMY, MDY, PLAIN, BadTime, LogFormats, detect


def ordinal(year: int, month: int, day: int) -> int:
    return dt.date(year, month, day).toordinal()


def rows(times: list[str] = (), numbers: list[str] = ()) -> list[tuple[list[str], list[str]]]:
    """One row per time cell, then one per number cell, as :func:`detect` reads a log."""
    return [([t], []) for t in times] + [([], [n]) for n in numbers]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-31 19:41:26", (ordinal(2025, 1, 31), 70886.0)),
        ("2025-01-31T19:41:26Z", (ordinal(2025, 1, 31), 70886.0)),
        ("20250131 19:41", (ordinal(2025, 1, 31), 70860.0)),
        ("2025/01/31", (ordinal(2025, 1, 31), 0.0)),
        ("19:41:26.5", (None, 70886.5)),
    ],
)
def test_iso_needs_no_option(text, expected):
    assert PLAIN.timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("7:41:26 PM", 70886.0),
        ("07:41:26PM", 70886.0),
        ("7:41 p.m.", 70860.0),
        ("12:05 AM", 300.0),
        ("12:05 pm", 43500.0),
        ("11:59:59 am", 43199.0),
    ],
)
def test_twelve_hour_times_carry_their_half_of_the_day(text, seconds):
    assert PLAIN.timestamp(text) == (None, seconds)


def test_a_thirteenth_hour_before_pm_is_refused():
    with pytest.raises(BadTime, match="hours 1 to 12"):
        PLAIN.timestamp("13:00 PM")


def test_day_first_is_detected_from_a_day_above_12():
    formats = detect(rows(["03/01/2025 9:00", "31/01/2025 10:00"]))
    assert formats.order == DMY and formats.described == ["dates day first (D/M/Y)"]
    assert formats.timestamp("03/01/2025 9:00") == (ordinal(2025, 1, 3), 32400.0)
    assert formats.timestamp("31.01.25") == (ordinal(2025, 1, 31), 0.0)


def test_month_first_is_detected_from_a_day_above_12():
    formats = detect(rows(["01/03/2025 9:00 AM", "01/31/2025 10:00 PM"]))
    assert formats.order == MDY and formats.twelve_hour
    assert formats.timestamp("01/03/2025 9:00 AM") == (ordinal(2025, 1, 3), 32400.0)


def test_dates_that_read_both_ways_are_refused_rather_than_guessed():
    with pytest.raises(CalibrationError) as info:
        detect(rows(["03/01/2025 9:00", "04/01/2025 9:00"]), source="calls.csv")
    assert str(info.value) == (
        "calls.csv: cannot tell whether dates such as '03/01/2025' are day first or month first "
        "(no day above 12 in the log); give --date-format %d/%m/%Y or %m/%d/%Y"
    )


def test_a_stated_date_format_wins_and_is_checked():
    formats = detect(rows(["03/01/2025"]), date_format="%m/%d/%Y")
    assert formats.timestamp("03/01/2025 08:00") == (ordinal(2025, 3, 1), 28800.0)
    with pytest.raises(BadTime, match="a date as --date-format %m/%d/%Y"):
        formats.timestamp("2025-03-01 08:00")
    with pytest.raises(CalibrationError, match="expected a strptime pattern"):
        detect([], date_format="dd/mm/yyyy")


def test_decimal_commas_are_detected_when_no_number_has_a_point():
    assert detect(rows(numbers=["185,5", "12", "0,25"])).decimal_comma
    assert not detect(rows(numbers=["185.5", "12,5"])).decimal_comma
    assert not detect(rows(numbers=["185", "12"])).decimal_comma
    formats = LogFormats(decimal_comma=True)
    assert formats.number("185,5") == 185.5
    with pytest.raises(ValueError):
        formats.number("185.5")


def test_a_stated_decimal_separator_wins():
    assert detect(rows(numbers=["185,5"]), decimal_comma=False).decimal_comma is False
    assert detect(rows(numbers=["185"]), decimal_comma=True).decimal_comma is True
