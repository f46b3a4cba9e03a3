from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class Action(Base):
    """What will be done about an adopted decision, by whom, by when (民事民办)."""

    __tablename__ = "actions"
    __table_args__ = (CheckConstraint("status IN ('planned','underway','done')", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(40))
    deadline: Mapped[dt.date]
    status: Mapped[str] = mapped_column(String(10), default="planned")
    rating_open: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


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
    value: Mapped[str] = mapped_column(String(15))
    rated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
