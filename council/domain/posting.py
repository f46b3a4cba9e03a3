"""The posting period (公示期) of a meeting's minutes, and the objections residents make in it.

The minutes are posted from the day the meeting closed for the configured number of days; the
facilitator may extend the period (only forward), answers every objection, and marks the
posting complete once the period is over and no objection is left unanswered. Days are days in
the council's time zone: the caller passes today's local date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from council.domain.errors import DomainError
from council.domain.text import DOOR_MAX, clean

OBJECTION_MAX = 500
ANSWER_MAX = 1000
# How far one extension may reach: a posting is weeks, not years.
EXTEND_MAX_DAYS = 90


@dataclass(frozen=True)
class Period:
    """The posting period: its first and last day (both included), and whether it was marked complete."""

    first: dt.date
    last: dt.date
    complete: bool = False

    def running(self, today: dt.date) -> bool:
        """Objections are taken: the period has begun, not ended, and was not marked complete."""
        return not self.complete and self.first <= today <= self.last


def period(first: dt.date, days: int, until: dt.date | None = None, complete: bool = False) -> Period:
    """The period that starts on `first`: `days` days after it by the rule, or up to `until` once extended.

    This is the one place that applies the `posting_days` rule."""
    return Period(first, until or first + dt.timedelta(days=days), complete)


def check_objection(p: Period | None, today: dt.date, text: object, door: object) -> tuple[str, str]:
    """An objection's text and door number, if the period is running; `posting_not_started`
    before the meeting closed, `posting_over` after the last day or once marked complete."""
    if p is None or today < p.first:
        raise DomainError("posting_not_started")
    if not p.running(today):
        raise DomainError("posting_over", last=p.last.isoformat())
    return clean(text, field="text", maximum=OBJECTION_MAX), clean(door, field="door", maximum=DOOR_MAX)


def check_answer(p: Period, text: object) -> str:
    """An answer (or a changed answer) to an objection; refused once the posting is complete."""
    if p.complete:
        raise DomainError("posting_complete")
    return clean(text, field="answer", maximum=ANSWER_MAX)


def check_extend(p: Period, until: dt.date) -> dt.date:
    """A new last day: later than the current one, at most `EXTEND_MAX_DAYS` further; not once complete."""
    if p.complete:
        raise DomainError("posting_complete")
    if until <= p.last:
        raise DomainError("extend_forward_only", last=p.last.isoformat())
    if until > p.last + dt.timedelta(days=EXTEND_MAX_DAYS):
        raise DomainError("invalid_date")
    return until


def check_complete(p: Period, today: dt.date, unanswered: int) -> None:
    """Marking the posting complete: only after its last day, and never with an objection unanswered."""
    if p.complete:
        raise DomainError("posting_complete")
    if today <= p.last:
        raise DomainError("posting_running", last=p.last.isoformat())
    if unanswered:
        raise DomainError("objections_unanswered", count=unanswered)
