from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, Text, UniqueConstraint, and_, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from council.domain.dotting import Dotting
from council.domain.moderation import Review
from council.domain.steps import Step
from council.models.base import Base, utcnow
from council.models.enums import enum_type, one_of
from council.models.people import Council, Facilitator


class Session(Base):
    """One meeting of a council, moving through the five steps."""

    __tablename__ = "sessions"
    __table_args__ = (
        one_of("step", Step),
        CheckConstraint("format IN ('plain','openspace','cafe')", name="format"),
        one_of("dotting", Dotting),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    facilitator_id: Mapped[int] = mapped_column(ForeignKey("facilitators.id"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(100), default="")
    starts_at: Mapped[dt.datetime]
    format: Mapped[str] = mapped_column(String(20), default="plain")
    step: Mapped[Step] = mapped_column(enum_type(Step, 20), default=Step.RAISE)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    recorder: Mapped[str] = mapped_column(String(40), default="")
    timer_ends_at: Mapped[dt.datetime | None]
    timer_seconds: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]
    # Open Space and World Café: the dot rules, whether dotting is open, the café's round
    dots: Mapped[int] = mapped_column(default=3)
    dots_per_topic: Mapped[int] = mapped_column(default=2)
    dotting: Mapped[Dotting] = mapped_column(enum_type(Dotting, 10), default=Dotting.READY)
    current_round: Mapped[int] = mapped_column(default=0)
    top_ideas: Mapped[int] = mapped_column(default=5)
    # Pre-moderation: topics and café ideas from phones wait for the facilitator's OK
    premoderation: Mapped[bool] = mapped_column(default=False)
    # The posting period (公示期): its last day once extended (None: the posting_days rule,
    # council.domain.posting.period), and when the facilitator marked it complete
    posting_until: Mapped[dt.date | None]
    posting_done_at: Mapped[dt.datetime | None]

    council: Mapped[Council] = relationship()
    facilitator: Mapped[Facilitator] = relationship()


class Participant(Base):
    """A resident taking part from a phone, or entered by the facilitator."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("session_id", "device_token"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(40))
    door_number: Mapped[str] = mapped_column(String(20), default="")
    device_token: Mapped[str] = mapped_column(String(64))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id"))  # no phone: entered
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    left: Mapped[bool] = mapped_column(default=False)  # gone home: a café seats them no more
    # who this is to the community across its sessions (None only for rows no migration reached)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"), index=True)
    # joined on the remote-vote page and never in the room: a voter, not someone at the meeting
    remote: Mapped[bool] = mapped_column(default=False, server_default=false())

    @classmethod
    def present(cls) -> ColumnElement[bool]:
        """Those at the meeting: every count or list of attendance (the console's and the
        projector's count, the minutes' and notice's 到会, attendance points, the overview, the
        residents' sessions, the electorate of "those present", café seats) filters by this;
        who someone is (their phone, their ballots, their household) does not."""
        return cls.remote.is_(False)


class Topic(Base):
    """An issue or need raised by a resident (民事民提)."""

    __tablename__ = "topics"
    __table_args__ = (one_of("review", Review),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(200))
    hidden: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    review: Mapped[Review] = mapped_column(enum_type(Review, 10), default=Review.APPROVED)

    author: Mapped[Participant | None] = relationship()

    @classmethod
    def on_wall(cls) -> ColumnElement[bool]:
        """The topics the room sees: approved, not hidden, not merged away. Every public
        list, count and document of topics filters by this, and nothing else."""
        return and_(cls.hidden.is_(False), cls.merged_into_id.is_(None), cls.review == Review.APPROVED)


class Support(Base):
    """A resident backing a topic; the unique key makes support count once."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("topic_id", "participant_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    # Set when a merge brought this support over from a duplicate: undoing the merge takes
    # exactly these away again (the duplicate kept its own supports all along).
    via_topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))


class Proposal(Base):
    """What the discussion proposes to do about a topic (民事民议)."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A candidate drawn from an Open Space group's need or a café idea; unique, so drawn once
    need_id: Mapped[int | None] = mapped_column(ForeignKey("report_lines.id", ondelete="SET NULL"), unique=True)
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"), unique=True)


Index("ix_topics_session_live", Topic.session_id, Topic.merged_into_id)
