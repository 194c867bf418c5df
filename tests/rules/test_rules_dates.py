from __future__ import annotations

from datetime import date

import pytest

from therapynote.rules import (
    Elapsed,
    Period,
    add_period,
    add_years,
    elapsed,
    format_elapsed,
    parse_period,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2y", Period(2, 0, 0)),
        ("18m", Period(0, 18, 0)),
        ("90d", Period(0, 0, 90)),
        ("2y6m", Period(2, 6, 0)),
        ("1y2m3d", Period(1, 2, 3)),
        ("0d", Period(0, 0, 0)),
    ],
)
def test_parse_period(text: str, expected: Period) -> None:
    assert parse_period(text) == expected
    assert parse_period(str(expected)) == expected


@pytest.mark.parametrize("bad", ["", "2", "y", "2 years", "-2y", "2d3y", "2.5y"])
def test_parse_period_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_period(bad)


@pytest.mark.parametrize(
    ("start", "period", "expected"),
    [
        (date(2024, 3, 1), "2y", date(2026, 3, 1)),
        (date(2024, 2, 29), "2y", date(2026, 3, 1)),  # rolls forward, not back to 28 Feb
        (date(2024, 2, 29), "4y", date(2028, 2, 29)),
        (date(2024, 2, 29), "1y", date(2025, 3, 1)),
        (date(2023, 1, 31), "1m", date(2023, 3, 1)),
        (date(2023, 12, 31), "2m", date(2024, 3, 1)),
        (date(2023, 12, 31), "1y", date(2024, 12, 31)),
        (date(2024, 3, 1), "90d", date(2024, 5, 30)),
        (date(2024, 3, 1), "2y6m", date(2026, 9, 1)),
    ],
)
def test_add_period(start: date, period: str, expected: date) -> None:
    assert add_period(start, parse_period(period)) == expected


def test_add_years_birthday_29_february() -> None:
    assert add_years(date(2008, 2, 29), 18) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 3, 1), date(2026, 3, 1), Elapsed(2, 0, 0, 730)),
        (date(2024, 3, 1), date(2026, 3, 2), Elapsed(2, 0, 1, 731)),
        (date(2024, 3, 1), date(2024, 3, 1), Elapsed(0, 0, 0, 0)),
        (date(2024, 2, 29), date(2025, 2, 28), Elapsed(0, 11, 30, 365)),
        (date(2024, 2, 29), date(2025, 3, 1), Elapsed(1, 0, 0, 366)),
        (date(2024, 1, 31), date(2024, 2, 29), Elapsed(0, 0, 29, 29)),
        (date(2023, 5, 15), date(2024, 7, 20), Elapsed(1, 2, 5, 432)),
    ],
)
def test_elapsed(start: date, end: date, expected: Elapsed) -> None:
    assert elapsed(start, end) == expected


def test_elapsed_rejects_reversed() -> None:
    with pytest.raises(ValueError):
        elapsed(date(2024, 1, 2), date(2024, 1, 1))


def test_format_elapsed() -> None:
    assert format_elapsed(Elapsed(2, 0, 0, 730)) == "2 years, 0 months, 0 days (730 days)"
    assert format_elapsed(Elapsed(1, 1, 1, 397)) == "1 year, 1 month, 1 day (397 days)"
    assert format_elapsed(Elapsed(0, 0, 1, 1)) == "0 years, 0 months, 1 day (1 day)"
