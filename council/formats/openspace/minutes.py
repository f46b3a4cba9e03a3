"""The Open Space section of the minutes: the dot ranking, the agenda wall and each group's
report, as plain data built for the printed page."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council.formats.dotting.rules import ranking
from council.formats.openspace.state import wall_groups
from council.models import Dot, Participant, Session, Slot, Space, Topic


def section(db: Db, session: Session) -> dict[str, Any]:
    """What the minutes print about the marketplace, the wall and the reports."""
    return {"dots": session.dots, "per_topic": session.dots_per_topic, "ranked": _ranked(db, session),
            **_wall(db, session)}


def _ranked(db: Db, session: Session) -> list[dict[str, Any]]:
    """Topics that got dots, most first, with their conveners."""
    topics = db.execute(select(Topic.id, Topic.text, Participant.display_name)
                        .outerjoin(Participant, Topic.author_id == Participant.id)
                        .where(Topic.session_id == session.id, Topic.on_wall()).order_by(Topic.id)).all()
    dots = {t: int(n) for t, n in db.execute(select(Dot.topic_id, func.sum(Dot.count))
                                             .where(Dot.session_id == session.id, Dot.topic_id.is_not(None))
                                             .group_by(Dot.topic_id))}
    named = {tid: (text, name or "") for tid, text, name in topics}
    return [{"text": named[t][0], "by": named[t][1], "dots": n}
            for t, n in ranking(dots, [tid for tid, _, _ in topics]) if n]


def _wall(db: Db, session: Session) -> dict[str, Any]:
    """The agenda wall as a table (a row per slot, a cell per space) and the groups in order."""
    spaces = db.execute(select(Space.id, Space.name).where(Space.session_id == session.id)
                        .order_by(Space.position)).all()
    slots = db.execute(select(Slot.id, Slot.name).where(Slot.session_id == session.id).order_by(Slot.position)).all()
    groups = _groups(db, session)
    cells = {(g.pop("space_id"), g.pop("slot_id")): g for g in groups}
    return {"spaces": [name for _, name in spaces],
            "rows": [{"slot": slot_name, "cells": [_cell(cells.get((space_id, slot_id))) for space_id, _ in spaces]}
                     for slot_id, slot_name in slots],
            "groups": [{k: g[k] for k in ("topic", "convener", "points", "needs")} for g in groups]}


def _cell(group: dict[str, Any] | None) -> dict[str, Any] | None:
    """What one cell of the wall shows."""
    return {k: group[k] for k in ("topic", "convener", "headcount")} if group else None


def _groups(db: Db, session: Session) -> list[dict[str, Any]]:
    """Each group: its topic, convener, headcount, place on the wall and report."""
    printed = ("topic", "convener", "headcount", "space_id", "slot_id", "points", "needs")
    return [{k: g[k] for k in printed} for g in wall_groups(db, session.id)]
