from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class Action(Base):
    """What will be done about an adopted decision, by whom, by when (民事民办)."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned','underway','done')", name="status"),
        CheckConstraint("owner_kind IN ('resident','building_head','volunteers','property','partner')",
                        name="owner_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(40))
    owner_kind: Mapped[str] = mapped_column(String(20), default="resident")
    deadline: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(10), default="planned")
    rating_open: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ActionUpdate(Base):
    """A dated report on an action's progress: status, a short note, perhaps a photo."""

    __tablename__ = "action_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(200), default="")
    photo: Mapped[str | None] = mapped_column(String(80))  # file name under instance/uploads
    by_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))


class Rating(Base):
    """A resident's judgement of an action (民事民评), one per resident, changeable."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("action_id", "participant_id"),
        CheckConstraint("value IN ('satisfied','basic','dissatisfied')", name="value"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(15))
    rated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
