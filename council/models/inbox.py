"""The issue inbox: issues raised on a council's page between meetings, and their supporters."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.domain.inbox import IssueChannel, IssueState
from council.models.base import Base, utcnow
from council.models.enums import enum_type, one_of


class Issue(Base):
    """An issue a resident raised on the council's page (民情接待), and what became of it."""

    __tablename__ = "issues"
    __table_args__ = (one_of("state", IssueState), one_of("channel", IssueChannel))
    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(200))
    door_number: Mapped[str] = mapped_column(String(20), default="")
    photo: Mapped[str | None] = mapped_column(String(80))  # file name under instance/uploads
    tag: Mapped[str] = mapped_column(String(20), default="")
    state: Mapped[IssueState] = mapped_column(enum_type(IssueState, 20), default=IssueState.OPEN)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[dt.datetime | None]
    # escalated (吹哨): to the parent council, or to a named unit, with a reply deadline
    escalated_to_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="SET NULL"), index=True)
    unit: Mapped[str] = mapped_column(String(100), default="")
    reply_due: Mapped[dt.date | None] = mapped_column(Date)
    escalated_at: Mapped[dt.datetime | None]
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))  # carried
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # how it came in: the page, a worker's entry (written, spoken, roaming council), or a building
    # head raising it for the household at `door_number` (then `resident_id` is the building head)
    channel: Mapped[IssueChannel] = mapped_column(enum_type(IssueChannel, 20), default=IssueChannel.PAGE,
                                                  server_default=IssueChannel.PAGE.value)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("facilitators.id", ondelete="SET NULL"))


class IssueSupport(Base):
    """A resident backing an issue; once per resident (the raiser backs it from the start)."""

    __tablename__ = "issue_supports"
    __table_args__ = (UniqueConstraint("issue_id", "resident_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("residents.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
