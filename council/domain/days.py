"""Calendar days as people type them (YYYY-MM-DD): one reading for deadlines and periods."""
from __future__ import annotations

import datetime as dt

from council.domain.errors import DomainError


def parse_day(value: object) -> dt.date:
    """A day as an ISO date; anything else is `invalid_date`."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DomainError("invalid_date")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError("invalid_date") from None


def optional_day(value: object) -> dt.date | None:
    """A day, or None where none was given (a period open at that end)."""
    return None if value in (None, "") else parse_day(value)
