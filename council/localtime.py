"""The council's own clock: times are stored in UTC and shown in the configured time zone."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from council.config import DEFAULTS


def zone() -> ZoneInfo:
    """The configured time zone (Asia/Shanghai by default), also outside a request."""
    name = current_app.config["COUNCIL"]["timezone"] if has_app_context() else DEFAULTS["timezone"]
    return ZoneInfo(name)


def local(moment: dt.datetime) -> dt.datetime:
    """A stored UTC moment as the clock on the meeting room's wall shows it."""
    return moment.astimezone(zone())


def day(moment: dt.datetime) -> dt.date:
    """The local calendar day of a moment: a meeting at 01:30 in Beijing is that day, not the one before."""
    return local(moment).date()


def today() -> dt.date:
    """Today in the council's time zone."""
    return dt.datetime.now(zone()).date()


def day_start(day_: dt.date, tz: ZoneInfo | None = None) -> dt.datetime:
    """The UTC moment a local calendar day begins: a period of whole days runs from the first
    day's start to the start of the day after the last."""
    return dt.datetime.combine(day_, dt.time(), tz or zone()).astimezone(dt.timezone.utc)
