"""The World Café section of the minutes: the tables, each round's question, the harvest and
the dot ranking, as plain data built for the printed page."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council.formats.dotting.rules import ranking
from council.models import CafeRound, CafeTable, Dot, Idea, Session


def section(db: Db, session: Session) -> dict[str, Any]:
    """What the minutes print about the café (hidden ideas, and those not approved, stay out)."""
    tables = dict(db.execute(select(CafeTable.id, CafeTable.name).where(CafeTable.session_id == session.id)
                             .order_by(CafeTable.position)).all())
    ideas = db.execute(select(Idea.id, Idea.round_number, Idea.table_id, Idea.text)
                       .where(Idea.session_id == session.id, Idea.shown()).order_by(Idea.id)).all()
    return {"tables": list(tables.values()),
            "rounds": [{"number": r.number, "question": r.question, "minutes": r.minutes} for r in
                       db.scalars(select(CafeRound).where(CafeRound.session_id == session.id)
                                  .order_by(CafeRound.number))],
            "ideas": [{"round": n, "table": tables.get(t, ""), "text": text} for _, n, t, text in ideas],
            "dots": session.dots, "per_topic": session.dots_per_topic, "top": session.top_ideas,
            "ranked": _ranked(db, session, ideas, tables)}


def _ranked(db: Db, session: Session, ideas: list[Any], tables: dict[int, str]) -> list[dict[str, Any]]:
    """Ideas that got dots, most first, with the table that harvested them."""
    dots = {i: int(n) for i, n in db.execute(select(Dot.idea_id, func.sum(Dot.count))
                                             .where(Dot.session_id == session.id, Dot.idea_id.is_not(None))
                                             .group_by(Dot.idea_id))}
    by_id = {i: (text, tables.get(t, "")) for i, _, t, text in ideas}
    return [{"text": by_id[i][0], "table": by_id[i][1], "dots": n}
            for i, n in ranking(dots, [i for i, _, _, _ in ideas]) if n]
