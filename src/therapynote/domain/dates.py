"""Date parsing and formatting used across the app."""

from __future__ import annotations

from datetime import UTC, date, datetime

from therapynote.errors import InvalidInput


def parse_date(value: str, what: str = "date") -> date:
    """Parse YYYY-MM-DD or raise InvalidInput naming the option."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a calendar date as YYYY-MM-DD") from None


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso_ts(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_ts(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
