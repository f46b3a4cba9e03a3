"""The projector's countdown, set from the console."""
from __future__ import annotations

from council.domain.errors import DomainError

MAX_SECONDS = 3 * 3600


def timer_seconds(value: object) -> int:
    """A countdown between 10 seconds and 3 hours, or 0 to stop it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError("invalid_field", field="seconds")
    if value != 0 and not 10 <= value <= 3 * 3600:
        raise DomainError("invalid_timer")
    return value
