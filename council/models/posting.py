"""Objections to a meeting's posted minutes (公示期异议), and the facilitator's answers."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class Objection(Base):
    """One objection during the posting period: from a resident's phone or browser (by the device
    token its cookie holds, if any), or a written one a worker entered; answered once, editable
    until the posting is complete."""

    __tablename__ = "objections"
    __table_args__ = (CheckConstraint("(answer IS NULL) = (answered_at IS NULL)", name="answered"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    door_number: Mapped[str] = mapped_column(String(20))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None]
