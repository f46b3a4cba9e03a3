from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.domain.points import Deed
from council.models.base import Base, utcnow
from council.models.enums import enum_type, one_of

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

    # a community shows its buildings' points side by side only if it chose to (活力值 league)
    league_table: Mapped[bool] = mapped_column(default=False, server_default=false())

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


class PointRule(Base):
    """What one kind of taking part is worth in a community (活力值); kinds not set take the
    default (council/domain/points.py)."""

    __tablename__ = "point_rules"
    __table_args__ = (UniqueConstraint("community_id", "deed"), one_of("deed", Deed))
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    deed: Mapped[Deed] = mapped_column(enum_type(Deed, 20))
    points: Mapped[int]


class Resident(Base):
    """A resident as the community knows them across its courtyards and sessions (痕迹管理): one
    record per phone (its device token) or per person the facilitator entered. Each session's
    participant points at one. A merged record points at the one it went into."""

    __tablename__ = "residents"
    __table_args__ = (UniqueConstraint("community_id", "device_token"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # the nearest community council at or above the sessions' councils (domain.residents.home_of)
    community_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(40))
    door_number: Mapped[str] = mapped_column(String(20), default="")
    device_token: Mapped[str | None] = mapped_column(String(64))  # None: entered, no phone
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[dt.datetime | None]  # asked to be forgotten: no name, no door, no phone
    # the building this resident is building head (楼门长) of, as the facilitator marked them:
    # they may raise issues on the council's page for its households
    building_head: Mapped[str | None] = mapped_column(String(20))
