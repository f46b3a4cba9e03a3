from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.domain.actions import ActionStatus, OwnerKind
from council.domain.evaluation import Rating as RatingValue
from council.models.base import Base, utcnow
from council.models.enums import enum_type, one_of


class Action(Base):
    """What will be done about an adopted decision, by whom, by when (民事民办); or the reply an
    escalated issue is owed (吹哨报到): no meeting, no decision, the issue's council rates it."""

    __tablename__ = "actions"
    __table_args__ = (
        one_of("status", ActionStatus),
        one_of("owner_kind", OwnerKind),
        CheckConstraint("(session_id IS NOT NULL AND decision_id IS NOT NULL AND issue_id IS NULL)"
                        " OR (session_id IS NULL AND decision_id IS NULL AND issue_id IS NOT NULL)", name="source"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), unique=True)
    what: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(100))  # a unit's or a council's name, when escalated
    owner_kind: Mapped[OwnerKind] = mapped_column(enum_type(OwnerKind, 20), default=OwnerKind.RESIDENT)
    # the resident who owns it, when the owner is one the community knows (their 我的参与, points)
    owner_resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    deadline: Mapped[dt.date]
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus, 10), default=ActionStatus.PLANNED)
    rating_open: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ActionUpdate(Base):
    """A dated report on an action's progress: status, a short note, perhaps a photo."""

    __tablename__ = "action_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus, 10))
    note: Mapped[str] = mapped_column(String(500), default="")  # as long as an escalation's reply
    photo: Mapped[str | None] = mapped_column(String(80))  # file name under instance/uploads
    by_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))


class Rating(Base):
    """A resident's judgement of an action (民事民评), one per resident, changeable."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("action_id", "participant_id"),
        one_of("value", RatingValue),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    value: Mapped[RatingValue] = mapped_column(enum_type(RatingValue, 15))
    rated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
