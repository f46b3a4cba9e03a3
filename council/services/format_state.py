"""The parts of a session's state that belong to Open Space and World Café.

Each builder returns an empty value for a session of another format, so every page can
rely on every part being there.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.models import (CafeRound, CafeTable, Dot, Group, Idea, Membership, Participant, ReportLine, Seat,
                            Session, Slot, Space, Topic)
from council.services import dots as dot_service


def dots(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """The dot rules, whether dotting is open, and the live ranking."""
    if s.format == "plain":
        return {}
    ranked = dot_service.ranked(db, s)
    voters = db.scalars(select(Dot.participant_id).where(Dot.session_id == s.id).distinct()).all()
    return {"dots": s.dots, "per_topic": s.dots_per_topic, "top": s.top_ideas, "status": s.dotting,
            "ranking": [{"id": t, "dots": n} for t, n in ranked], "voters": len(voters)}


def agenda(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """The agenda wall: spaces, slots, and each group with its convener, headcount and report."""
    if s.format != "openspace":
        return {}
    spaces = db.execute(select(Space.id, Space.name).where(Space.session_id == s.id).order_by(Space.position)).all()
    slots = db.execute(select(Slot.id, Slot.name).where(Slot.session_id == s.id).order_by(Slot.position)).all()
    rows = db.execute(select(Group, Topic.text, Topic.author_id, Participant.display_name)
                      .join(Topic, Group.topic_id == Topic.id)
                      .outerjoin(Participant, Topic.author_id == Participant.id)
                      .where(Group.session_id == s.id).order_by(Group.id)).all()
    heads = Counter(db.scalars(select(Membership.group_id).join(Group).where(Group.session_id == s.id)))
    lines: dict[tuple[int, str], list[str]] = defaultdict(list)
    for group_id, kind, text in db.execute(select(ReportLine.group_id, ReportLine.kind, ReportLine.text).join(Group)
                                           .where(Group.session_id == s.id)
                                           .order_by(ReportLine.position, ReportLine.id)):
        lines[(group_id, kind)].append(text)
    return {"spaces": [{"id": i, "name": n} for i, n in spaces], "slots": [{"id": i, "name": n} for i, n in slots],
            "groups": [{"id": g.id, "topic_id": g.topic_id, "topic": text, "convener_id": author,
                        "convener": name or "", "space_id": g.space_id, "slot_id": g.slot_id,
                        "headcount": heads.get(g.id, 0), "points": lines[(g.id, "point")],
                        "needs": lines[(g.id, "need")]} for g, text, author, name in rows]}


def cafe(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """Tables with hosts, rounds with questions, the round running, and who sits where.
    The public sees participant ids only; the console sees names too."""
    if s.format != "cafe":
        return {}
    names = dict(db.execute(select(Participant.id, Participant.display_name)
                            .where(Participant.session_id == s.id)).all())
    tables = db.scalars(select(CafeTable).where(CafeTable.session_id == s.id).order_by(CafeTable.position)).all()
    rounds = db.scalars(select(CafeRound).where(CafeRound.session_id == s.id).order_by(CafeRound.number)).all()
    seats: dict[str, dict[str, int]] = defaultdict(dict)
    for p, n, t in db.execute(select(Seat.participant_id, Seat.round_number, Seat.table_id)
                              .where(Seat.session_id == s.id)):
        seats[str(n)][str(p)] = t
    data: dict[str, Any] = {
        "tables": [{"id": t.id, "name": t.name, "host_id": t.host_id, "host": names.get(t.host_id, "")}
                   for t in tables],
        "rounds": [{"number": r.number, "minutes": r.minutes, "question": r.question} for r in rounds],
        "current": s.current_round, "seats": seats}
    if audience == "console":
        left = set(db.scalars(select(Participant.id).where(Participant.session_id == s.id,
                                                           Participant.left.is_(True))))
        data["names"] = {str(p): n for p, n in names.items()}
        data["left"] = sorted(left)
    return data


def ideas(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    """The harvest gallery, in the order ideas came in."""
    if s.format != "cafe":
        return []
    query = select(Idea).where(Idea.session_id == s.id).order_by(Idea.id)
    if audience != "console":
        query = query.where(Idea.hidden.is_(False))
    return [{"id": i.id, "table_id": i.table_id, "round": i.round_number, "text": i.text, "hidden": i.hidden}
            for i in db.scalars(query)]


def mine(db: Db, p: Participant) -> dict[str, Any]:
    """One participant's dots and groups."""
    target = Dot.topic_id if db.get_one(Session, p.session_id).format == "openspace" else Dot.idea_id
    return {"dots": {str(t): n for t, n in db.execute(select(target, Dot.count).where(Dot.participant_id == p.id))},
            "groups": {str(slot): g for slot, g in db.execute(select(Membership.slot_id, Membership.group_id)
                                                              .where(Membership.participant_id == p.id))}}
