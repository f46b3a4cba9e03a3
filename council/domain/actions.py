"""Actions that carry a decision out (民事民办): what, who, by when."""
from __future__ import annotations

import datetime as dt
from enum import Enum

from council.domain.errors import DomainError, parse_enum


class ActionStatus(str, Enum):
    PLANNED = "planned"  # 未开始
    UNDERWAY = "underway"  # 进行中
    DONE = "done"  # 已完成


def parse_status(value: object) -> ActionStatus:
    return parse_enum(ActionStatus, value, "invalid_status")


def parse_deadline(value: object) -> dt.date:
    """A deadline as an ISO date (YYYY-MM-DD)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise DomainError("invalid_date")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise DomainError("invalid_date") from None


def require_adopted(adopted: bool) -> None:
    """Only an adopted decision is carried out."""
    if not adopted:
        raise DomainError("decision_not_adopted")
