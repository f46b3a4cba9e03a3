"""Open Space (开放空间): the agenda wall, its groups and their reports."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from council.orm import Base


class _WallLabel:
    """A named column or row of the agenda wall, in the order the facilitator gave."""

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:  # one constraint object per table
        return (UniqueConstraint("session_id", "name"),)


class Space(_WallLabel, Base):
    """A place in the room where a group meets (东侧桌, 活动室)."""

    __tablename__ = "spaces"


class Slot(_WallLabel, Base):
    """A time slot of the agenda wall (14:00–14:40)."""

    __tablename__ = "slots"


class Group(Base):
    """A topic placed on the agenda wall: one topic a cell, each topic in one cell."""

    __tablename__ = "breakout_groups"
    __table_args__ = (UniqueConstraint("space_id", "slot_id"), UniqueConstraint("topic_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    # Empty only for a moment while groups swap cells: the unique key holds at every statement
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    slot_id: Mapped[int | None] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))


class Membership(Base):
    """Where a resident is in a time slot; moving (the law of two feet) rewrites the row."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("participant_id", "slot_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("breakout_groups.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id", ondelete="CASCADE"))


class ReportLine(Base):
    """One line of a group's report: a key point, or a concrete need."""

    __tablename__ = "report_lines"
    __table_args__ = (CheckConstraint("kind IN ('point','need')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("breakout_groups.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(200))
