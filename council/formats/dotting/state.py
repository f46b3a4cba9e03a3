"""The `dots` part of a session's state, for the formats that rank with dots."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.formats.dotting import services as dots
from council.formats.dotting.models import Dot
from council.models import Session


def part(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """The dot rules, whether dotting is open, and the live ranking."""
    ranked = dots.ranked(db, s)
    voters = db.scalars(select(Dot.participant_id).where(Dot.session_id == s.id).distinct()).all()
    return {"dots": s.dots, "per_topic": s.dots_per_topic, "top": s.top_ideas, "status": s.dotting,
            "ranking": [{"id": t, "dots": n} for t, n in ranked], "voters": len(voters)}
