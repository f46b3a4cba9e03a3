"""First run: the one-time set-up link that creates a fresh installation's first facilitator.

While no account exists, `council serve` prints a link holding a random secret kept in the
database (`SetupToken`); opening it lets whoever sits at the server create the first account
from the browser. The link dies with that account: nobody without the secret, and nobody at
all once an account exists, can create one remotely.
"""
from __future__ import annotations

import hmac
import secrets

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.models import Facilitator, SetupToken
from council.services import accounts


def needed(db: Db) -> bool:
    """Whether the installation still has no facilitator account."""
    return db.scalar(select(Facilitator.id).limit(1)) is None


def link_token(db: Db) -> str | None:
    """The secret of the set-up link while no account exists: made once, then the same after
    every restart and in every server process, so each link printed keeps working. None once an
    account exists (created from the shell, say), when a leftover secret is erased."""
    if not needed(db):
        db.execute(delete(SetupToken))
        db.commit()
        return None
    row = db.get(SetupToken, 1)
    if row is None:
        db.add(SetupToken(id=1, token=secrets.token_urlsafe(32)))
        try:
            db.commit()
        except IntegrityError:  # another process starting at the same moment made it: use theirs
            db.rollback()
        row = db.get(SetupToken, 1)
    return row.token if row else None


def opens(db: Db, token: object) -> bool:
    """Whether `token` is the set-up link's secret while no account exists yet."""
    row = db.get(SetupToken, 1)
    return (row is not None and isinstance(token, str) and needed(db)
            and hmac.compare_digest(row.token.encode(), token.encode()))


def create_first_facilitator(db: Db, token: object, name: str, password: str) -> Facilitator:
    """Create the first account through the set-up link, using the link up. Anything but the
    right secret while no account exists is `not_found`: the link is dead or never was."""
    if not opens(db, token):
        raise DomainError("not_found")
    facilitator = accounts.new_facilitator(name, password)
    # Deleting the secret is the use of it: of two requests racing with the right secret, the
    # second waits for the first's write and then deletes nothing.
    if db.execute(delete(SetupToken).where(SetupToken.id == 1, SetupToken.token == token)).rowcount != 1:
        db.rollback()
        raise DomainError("not_found")
    db.add(facilitator)
    try:
        db.commit()
    except IntegrityError:  # the same name, created from the shell at that moment
        db.rollback()
        raise DomainError("name_taken") from None
    return facilitator
