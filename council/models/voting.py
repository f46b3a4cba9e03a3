from __future__ import annotations

import datetime as dt

from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from council.domain.voting import COUNTED_CHANNELS, NAMED_CHANNELS, Channel, Choice, PollStatus, Unit
from council.models.base import Base, utcnow
from council.models.enums import enum_type, one_of


class Poll(Base):
    """A vote on one proposal under a stated rule (民事民决)."""

    __tablename__ = "polls"
    __table_args__ = (one_of("status", PollStatus), one_of("unit", Unit))
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(30), default="majority_cast")
    status: Mapped[PollStatus] = mapped_column(enum_type(PollStatus, 10), default=PollStatus.OPEN)
    unit: Mapped[Unit] = mapped_column(enum_type(Unit, 10), default=Unit.PERSON)
    secret: Mapped[bool] = mapped_column(default=False)
    quorum: Mapped[int | None]
    present: Mapped[int | None]  # attendance entered by the facilitator; None: those who joined
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    # a voting window: the poll closes by itself then (UTC), whichever server process is running
    closes_at: Mapped[dt.datetime | None] = mapped_column(index=True)


class Ballot(Base):
    """The current vote of one voter (a person, or a household) in a poll.

    The unique key on (poll, voter) forbids a second vote: a later one replaces it. When a
    secret poll closes, voter, participant, household and time are erased from its ballots.
    """

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("poll_id", "voter_key"),
        one_of("choice", Choice),
        one_of("channel", NAMED_CHANNELS),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str | None] = mapped_column(String(30))  # "p:<participant>" or "h:<household>"
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    choice: Mapped[Choice] = mapped_column(enum_type(Choice, 10))
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, 10), default=Channel.PHONE)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    replaced_channel: Mapped[Channel | None] = mapped_column(enum_type(Channel, 10))  # a conflict the facilitator sees
    cast_at: Mapped[dt.datetime | None] = mapped_column(default=utcnow)


class PollCount(Base):
    """A count entered by the facilitator: a show of hands (举手) or paper ballots (纸质票)."""

    __tablename__ = "poll_counts"
    __table_args__ = (UniqueConstraint("poll_id", "channel"),
                      one_of("channel", COUNTED_CHANNELS))
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_type(Channel, 10))
    yes: Mapped[int] = mapped_column(default=0)
    no: Mapped[int] = mapped_column(default=0)
    abstain: Mapped[int] = mapped_column(default=0)
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Participation(Base):
    """Who took part in a secret poll once it closed: no choice, no time."""

    __tablename__ = "participations"
    __table_args__ = (UniqueConstraint("poll_id", "voter_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    voter_key: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(60))  # name or door number, as shown to the facilitator


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
    certificate: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # rule, electorate, channels, conditions
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# At most one open poll per proposal, enforced by the database on both back ends.
_OPEN = text(f"status = '{PollStatus.OPEN.value}'")
Index("uq_polls_open_proposal", Poll.proposal_id, unique=True, sqlite_where=_OPEN, postgresql_where=_OPEN)
