"""Facilitator accounts."""
from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db
from werkzeug.security import check_password_hash, generate_password_hash

from council.domain import DomainError
from council.domain.text import NAME_MAX, clean
from council.models import Facilitator
from council.models.people import new_epoch

PASSWORD_MIN = 8
SCREENS_ROOM_PREFIX = "facilitator:"


def add_facilitator(db: Db, name: str, password: str) -> Facilitator:
    """Create a facilitator account; names are unique."""
    name = clean(name, field="name", maximum=NAME_MAX)
    if len(password) < PASSWORD_MIN:
        raise DomainError("password_too_short", minimum=PASSWORD_MIN)
    facilitator = Facilitator(name=name, password_hash=generate_password_hash(password))
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
