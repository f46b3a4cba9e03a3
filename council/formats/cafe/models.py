"""World Café (世界咖啡馆): tables, rounds, the seating plan and the harvest."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ColumnElement, Enum, ForeignKey, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column

from council.domain.moderation import Review
from council.orm import Base, utcnow

# As `council.models.enums` types them (imported from there, this package would import
# `council.models`, which imports this module): a VARCHAR and a named CHECK of the enum's values.
_REVIEW = Enum(Review, native_enum=False, create_constraint=False, length=10,
               values_callable=lambda members: [m.value for m in members])
_REVIEW_CHECK = "review IN ({})".format(",".join(f"'{m.value}'" for m in Review))


class CafeTable(Base):
    """A named table (青松) with its host, who stays there every round."""

    __tablename__ = "cafe_tables"
    __table_args__ = (UniqueConstraint("session_id", "name"), UniqueConstraint("host_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    host_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))


class CafeRound(Base):
    """One round: its length and the question the tables talk about."""

    __tablename__ = "cafe_rounds"
    __table_args__ = (UniqueConstraint("session_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    minutes: Mapped[int]
    question: Mapped[str] = mapped_column(String(200))


class Seat(Base):
    """Where one participant sits in one round."""

    __tablename__ = "seats"
    __table_args__ = (UniqueConstraint("participant_id", "round_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    round_number: Mapped[int]
    table_id: Mapped[int] = mapped_column(ForeignKey("cafe_tables.id", ondelete="CASCADE"))


class Idea(Base):
    """One idea harvested at a table in a round."""

    __tablename__ = "ideas"
    __table_args__ = (CheckConstraint(_REVIEW_CHECK, name="review"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("cafe_tables.id", ondelete="CASCADE"))
    round_number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(200))
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    review: Mapped[Review] = mapped_column(_REVIEW, default=Review.APPROVED)

    @classmethod
    def shown(cls) -> ColumnElement[bool]:
        """The ideas the room sees in the gallery: approved and not hidden."""
        return and_(cls.hidden.is_(False), cls.review == Review.APPROVED)
