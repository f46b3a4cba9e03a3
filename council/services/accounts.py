"""Facilitator accounts."""
from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db
from werkzeug.security import check_password_hash, generate_password_hash

from council.domain import DomainError
from council.domain.text import NAME_MAX, clean
from council import localtime
from council.models import AuditEvent, Facilitator
from council.models.people import new_epoch

PASSWORD_MIN = 8
SCREENS_ROOM_PREFIX = "facilitator:"
LOCKED = "login.locked"  # the audit kind of a login lockout


def new_facilitator(name: str, password: str) -> Facilitator:
    """An account with a checked name and password, not yet added (the set-up link uses it too)."""
    name = clean(name, field="name", maximum=NAME_MAX)
    if len(password) < PASSWORD_MIN:
        raise DomainError("password_too_short", minimum=PASSWORD_MIN)
    return Facilitator(name=name, password_hash=generate_password_hash(password))


def add_facilitator(db: Db, name: str, password: str) -> Facilitator:
    """Create a facilitator account; names are unique."""
    facilitator = new_facilitator(name, password)
    db.add(facilitator)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise DomainError("name_taken") from None
    return facilitator


def authenticate(db: Db, name: str, password: str) -> Facilitator:
    """The facilitator with this name and password, or `bad_login`."""
    facilitator = db.scalar(select(Facilitator).where(Facilitator.name == (name or "").strip()))
    if facilitator is None or not check_password_hash(facilitator.password_hash, password or ""):
        raise DomainError("bad_login")
    return facilitator


def holds(facilitator: Facilitator | None, epoch: object) -> bool:
    """Whether a cookie or connection made at `epoch` still speaks for this account."""
    return (facilitator is not None and isinstance(epoch, str)
            and hmac.compare_digest(facilitator.session_epoch, epoch))


def epoch_holds(db: Db, facilitator_id: object, epoch: object) -> bool:
    """`holds`, reading only the account's epoch (one primary-key lookup): cheap enough for
    every event of a live connection."""
    if not isinstance(facilitator_id, int) or not isinstance(epoch, str):
        return False
    now = db.scalar(select(Facilitator.session_epoch).where(Facilitator.id == facilitator_id))
    return now is not None and hmac.compare_digest(now, epoch)


def end_sessions(db: Db, facilitator_id: int) -> None:
    """Invalidate every login cookie and live connection of the account (logout everywhere)."""
    facilitator = db.get(Facilitator, facilitator_id)
    if facilitator is None:
        raise DomainError("no_such_facilitator")
    facilitator.session_epoch = new_epoch()
    db.commit()


def change_password(db: Db, name: str, password: str) -> Facilitator:
    """Set a new password; every session of the account ends with the old one."""
    facilitator = db.scalar(select(Facilitator).where(Facilitator.name == (name or "").strip()))
    if facilitator is None:
        raise DomainError("no_such_facilitator")
    if len(password) < PASSWORD_MIN:
        raise DomainError("password_too_short", minimum=PASSWORD_MIN)
    facilitator.password_hash = generate_password_hash(password)
    facilitator.session_epoch = new_epoch()
    db.commit()
    return facilitator


def screens_room(facilitator_id: int) -> str:
    """The Socket.IO room holding every console and projector of the account: closing it
    disconnects them, in every server process (see `council.live.handlers`)."""
    return f"{SCREENS_ROOM_PREFIX}{facilitator_id}"


def record_lockout(db: Db, name: str, address: str, scope: str, minutes: int) -> None:
    """Write down that logging in was locked after too many wrong passwords: for the account
    tried (`scope` "account") or for every account from the address ("address"). It belongs
    to no session: the trail of the deployment, shown on the account's dashboard."""
    db.add(AuditEvent(session_id=None, kind=LOCKED, actor=f"address:{address}"[:60],
                      detail={"account": (name or "").strip()[:NAME_MAX], "scope": scope, "minutes": minutes}))
    db.commit()


def lockouts(db: Db, facilitator: Facilitator, days: int = 30, most: int = 10) -> list[dict[str, Any]]:
    """The account's lockouts of the last `days`, newest first, in local time."""
    since = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)
    rows = db.scalars(select(AuditEvent).where(
        AuditEvent.session_id.is_(None), AuditEvent.kind == LOCKED, AuditEvent.at >= since,
        AuditEvent.detail["account"].as_string() == facilitator.name).order_by(AuditEvent.id.desc()).limit(most))
    return [{"when": localtime.local(e.at).strftime("%Y-%m-%d %H:%M"), "address": e.actor.removeprefix("address:"),
             "scope": e.detail.get("scope"), "minutes": e.detail.get("minutes")} for e in rows]
