"""Actions that carry a decision out (民事民办): what, who, by when."""
from __future__ import annotations

import datetime as dt
from enum import StrEnum

from council.domain.days import parse_day
from council.domain.errors import DomainError, parse_enum


class ActionStatus(StrEnum):
    PLANNED = "planned"  # 未开始
    UNDERWAY = "underway"  # 进行中
    DONE = "done"  # 已完成


class OwnerKind(StrEnum):
    RESIDENT = "resident"  # 居民
    BUILDING_HEAD = "building_head"  # 楼门长
    VOLUNTEERS = "volunteers"  # 志愿者队伍
    PROPERTY = "property"  # 物业公司
    PARTNER = "partner"  # 共建单位
    # an escalated issue's reply is owed by a named unit (a department, a company) or the parent council
    UNIT = "unit"  # 责任单位
    COUNCIL = "council"  # 上级议事会


def parse_owner_kind(value: object) -> OwnerKind:
    return parse_enum(OwnerKind, value, "invalid_owner_kind")


def standing(status: ActionStatus, deadline: dt.date, today: dt.date) -> str:
    """How the council page files an action: done, overdue or open."""
    if status is ActionStatus.DONE:
        return "done"
    return "overdue" if deadline < today else "open"


def carries_over(status: ActionStatus, rated_since: bool) -> bool:
    """An earlier meeting's action comes to this meeting's evaluation while it is unfinished,
    or finished but not yet judged by the residents."""
    return status is not ActionStatus.DONE or not rated_since


PHOTO_TYPES = {b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
PHOTO_MAX = 5 * 1024 * 1024


def photo_kind(data: bytes) -> str:
    """The file type of an uploaded photo, told by its first bytes, not by its name."""
    if len(data) > PHOTO_MAX:
        raise DomainError("photo_too_large")
    for magic, kind in PHOTO_TYPES.items():
        if data.startswith(magic):
            return kind
    raise DomainError("photo_type")


def parse_status(value: object) -> ActionStatus:
    return parse_enum(ActionStatus, value, "invalid_status")


def parse_deadline(value: object) -> dt.date:
    """A deadline as an ISO date (YYYY-MM-DD)."""
    return parse_day(value)


def require_adopted(adopted: bool) -> None:
    """Only an adopted decision is carried out."""
    if not adopted:
        raise DomainError("decision_not_adopted")
