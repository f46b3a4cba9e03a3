"""Facilitator accounts."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db
from werkzeug.security import check_password_hash, generate_password_hash

from council.domain import DomainError
from council.domain.text import NAME_MAX, clean
from council.models import Facilitator

PASSWORD_MIN = 8


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
