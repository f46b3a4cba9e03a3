from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class Poll(Base):
    """A vote on one proposal under a stated rule (民事民决)."""

    __tablename__ = "polls"
    __table_args__ = (CheckConstraint("status IN ('open','closed')", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(30), default="majority_cast")
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]


class Ballot(Base):
    """One participant's current choice in a poll: the unique key forbids a second vote."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("poll_id", "participant_id"),
        CheckConstraint("choice IN ('yes','no','abstain')", name="choice"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(10))
    cast_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class BallotReceipt(Base):
    """Client-generated ids already applied, so a retried or late-arriving send counts once."""

    __tablename__ = "ballot_receipts"
    __table_args__ = (UniqueConstraint("poll_id", "participant_id", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))


class Decision(Base):
    """The outcome of a closed poll, with the tally it rests on."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), unique=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    adopted: Mapped[bool]
    yes: Mapped[int]
    no: Mapped[int]
    abstain: Mapped[int]
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# At most one open poll per proposal, enforced by the database on both back ends.
Index("uq_polls_open_proposal", Poll.proposal_id, unique=True,
      sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'"))
