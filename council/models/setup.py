"""The set-up link of a fresh installation: how its first facilitator account is created."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class SetupToken(Base):
    """The secret of the one-time set-up link that `council serve` prints while no facilitator
    account exists. One row at most (its id is always 1), so that every server process, and the
    same one after a restart, prints the same link; deleting the row is what uses it up."""

    __tablename__ = "setup_tokens"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # Kept as it was printed, not hashed: the link must be printed again after a restart, and
    # whoever can read the database of a fresh installation owns the machine already.
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
