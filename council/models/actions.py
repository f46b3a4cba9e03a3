from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.domain.actions import ActionStatus, OwnerKind
from council.domain.evaluation import Rating as RatingValue
from council.models.base import Base, utcnow
from council.models.enums import enum_type, one_of


class Action(Base):
    """What will be done about an adopted decision, by whom, by when (民事民办)."""

    __tablename__ = "actions"
    __table_args__ = (
        one_of("status", ActionStatus),
        one_of("owner_kind", OwnerKind),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(200))
    owner: Mapped[str] = mapped_column(String(40))
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
    note: Mapped[str] = mapped_column(String(200), default="")
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
