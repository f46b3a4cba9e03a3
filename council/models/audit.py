from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from council.models.base import Base, utcnow


class AuditEvent(Base):
    """A trace of every vote-related act, and of login lockouts: when, who, what. Never a secret
    ballot's choice."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    # None for what belongs to no session: a login lockout ("login.locked", by "address:<ip>").
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(60))  # "facilitator:王主任", "participant:李阿姨", "address:…"
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
