from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class Convention(Base):
    """A council's living courtyard convention (院落公约)."""

    __tablename__ = "conventions"
    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    preamble: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ConventionVersion(Base):
    """One adopted state of the convention; earlier versions stay readable."""

    __tablename__ = "convention_versions"
    __table_args__ = (UniqueConstraint("convention_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    convention_id: Mapped[int] = mapped_column(ForeignKey("conventions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id", ondelete="SET NULL"))
    adopted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    change: Mapped[str] = mapped_column(String(60), default="")  # e.g. "第三条 修改"


class Article(Base):
    """A numbered article of one version, with the decision that adopted its text."""

    __tablename__ = "articles"
    __table_args__ = (UniqueConstraint("version_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("convention_versions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # meeting, date, tally of the decision


class ArticleChange(Base):
    """A proposal marked to add, amend or repeal an article once it is adopted."""

    __tablename__ = "article_changes"
    __table_args__ = (CheckConstraint("kind IN ('add','amend','repeal')", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    target: Mapped[int | None]
