from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.models.base import Base, utcnow

LEVELS = ("subdistrict", "community", "courtyard")


def new_epoch() -> str:
    """A fresh session epoch: random, so no earlier value ever comes back."""
    return secrets.token_hex(16)


class Facilitator(Base):
    """A community worker who runs sessions (主持人)."""

    __tablename__ = "facilitators"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Copied into the login cookie and into each console and projector connection; a new value
    # (logout, password change) ends them all. Accounts older than migration 0007 start at "0",
    # a value no earlier cookie carries: they log in again once.
    session_epoch: Mapped[str] = mapped_column(String(32), default=new_epoch, server_default="0")


class Council(Base):
    """A deliberation body at one level: subdistrict (街道) → community (社区) → courtyard (楼院)."""

    __tablename__ = "councils"
    __table_args__ = (CheckConstraint("level IN ('subdistrict','community','courtyard')", name="level"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    parent: Mapped[Council | None] = relationship(remote_side=[id])


class CouncilGrant(Base):
    """A facilitator given a council by another (a co-facilitator): they see and run it, and
    every council below it, as its creator does."""

    __tablename__ = "council_grants"
    __table_args__ = (UniqueConstraint("council_id", "facilitator_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id", ondelete="SET NULL"))
    granted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
