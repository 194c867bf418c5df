"""Calendar arithmetic with the rule engine's conventions.

* A period of N years/months from an anchor ends on the same calendar day N years/months
  later, and that end day is *included*: 2 years from 2024-03-01 runs through 2026-03-01.
* When the target month has no such day (29 February in a common year, 31 April...),
  the result rolls forward to the first day of the next month: 2024-02-29 + 2 years is
  2026-03-01. This is the later, more protective choice.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_PERIOD_RE = re.compile(r"^(?:(?P<y>\d+)y)?(?:(?P<m>\d+)m)?(?:(?P<d>\d+)d)?$")


@dataclass(frozen=True)
class Period:
    """A span of years, months and days, written like "2y", "18m", "90d" or "2y6m"."""

    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = []
        if self.years:
            parts.append(f"{self.years}y")
        if self.months:
            parts.append(f"{self.months}m")
        if self.days or not parts:
            parts.append(f"{self.days}d")
        return "".join(parts)

    def words(self) -> str:
        """The period in words, e.g. "2 years" or "1 year, 6 months"."""
        parts = []
        for n, unit in ((self.years, "year"), (self.months, "month"), (self.days, "day")):
            if n:
                parts.append(f"{n} {unit}{'' if n == 1 else 's'}")
        return ", ".join(parts) if parts else "0 days"


def parse_period(text: str) -> Period:
    """Parse "2y", "18m", "90d", "2y6m"...; raise ValueError on anything else."""
    m = _PERIOD_RE.match(text.strip())
    if not text.strip() or m is None:
        raise ValueError(f'not a period: {text!r} (write e.g. "2y", "18m", "90d" or "2y6m")')
    return Period(
        years=int(m.group("y") or 0), months=int(m.group("m") or 0), days=int(m.group("d") or 0)
    )


def add_months(d: date, months: int) -> date:
    """`d` plus a whole number of months; a missing day rolls to the 1st of the next month."""
    y, m0 = divmod(d.year * 12 + (d.month - 1) + months, 12)
    month = m0 + 1
    if d.day <= calendar.monthrange(y, month)[1]:
        return date(y, month, d.day)
    if month == 12:
        return date(y + 1, 1, 1)
    return date(y, month + 1, 1)


def add_years(d: date, years: int) -> date:
    """`d` plus whole years; 29 February lands on 1 March in a common year."""
    return add_months(d, 12 * years)


def add_period(d: date, p: Period) -> date:
    """`d` plus the period: years and months first, then days."""
    return add_months(d, 12 * p.years + p.months) + timedelta(days=p.days)


def period_end(anchor: date, p: Period) -> date:
    """The last day (inclusive) of a period that starts at `anchor`."""
    return add_period(anchor, p)


@dataclass(frozen=True)
class Elapsed:
    """Time between two dates in calendar years, months and days, and in total days."""

    years: int
    months: int
    days: int
    total_days: int


def elapsed(start: date, end: date) -> Elapsed:
    """Calendar time from `start` to `end` (end >= start), such that
    add_months(start, 12*years + months) + days == end."""
    if end < start:
        raise ValueError("end is before start")
    n = (end.year - start.year) * 12 + (end.month - start.month)
    while n > 0 and add_months(start, n) > end:
        n -= 1
    rest = (end - add_months(start, n)).days
    return Elapsed(years=n // 12, months=n % 12, days=rest, total_days=(end - start).days)


def _unit(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def format_elapsed(e: Elapsed) -> str:
    """E.g. "2 years, 0 months, 0 days (730 days)"."""
    return (
        f"{_unit(e.years, 'year')}, {_unit(e.months, 'month')}, {_unit(e.days, 'day')} "
        f"({_unit(e.total_days, 'day')})"
    )
