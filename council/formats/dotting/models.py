"""Dots: how many one participant put on one target of a format that ranks with dots."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.orm import Base


class Dot(Base):
    """Dots one participant put on one Open Space topic or one café idea."""

    __tablename__ = "dots"
    __table_args__ = (UniqueConstraint("participant_id", "topic_id"), UniqueConstraint("participant_id", "idea_id"),
                      CheckConstraint("(topic_id IS NULL) <> (idea_id IS NULL)", name="one_target"),
                      CheckConstraint("count > 0", name="count"))
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    count: Mapped[int]
