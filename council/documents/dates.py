"""Dates as the documents print them: in the council's time zone, in Chinese."""
from __future__ import annotations

import datetime as dt

from flask import current_app

from council import localtime
from council.domain.posting import Period, period
from council.models import Session


def cn_date(day: dt.date) -> str:
    """2026年11月28日."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def cn_day(moment: dt.datetime) -> str:
    """The local day of a stored moment, in Chinese."""
    return cn_date(localtime.day(moment))


def cn_minute(moment: dt.datetime) -> str:
    """The local date and time of a stored moment, to the minute, in Chinese."""
    local = localtime.local(moment)
    return f"{cn_date(local.date())} {local:%H:%M}"


def iso_text_date(text: str) -> str:
    """A date stored as ISO text (an article's source), in Chinese; other text as it is."""
    try:
        return cn_date(dt.date.fromisoformat(text))
    except (TypeError, ValueError):
        return text or ""


def posting_period(session: Session) -> Period:
    """The posting period (公示期): from the day the meeting closed (or was held) to the last day
    of the `posting_days` rule, or the day the facilitator extended it to."""
    return period(localtime.day(session.closed_at or session.starts_at),
                  current_app.config["COUNCIL"]["posting_days"], session.posting_until,
                  session.posting_done_at is not None)


def posting(session: Session) -> dict[str, str]:
    """The posting period as printed, the same on every print of the same record."""
    p = posting_period(session)
    return {"from": cn_date(p.first), "to": cn_date(p.last)}
