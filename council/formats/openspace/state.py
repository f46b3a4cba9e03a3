"""The parts of a session's state that Open Space adds: the agenda wall, and the
participant's own dots and groups."""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.formats.dotting import services as dots
from council.formats.openspace.models import Group, Membership, ReportLine, Slot, Space
from council.models import Participant, Session, Topic


def agenda(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """The agenda wall: spaces, slots, and each group with its convener, headcount and report."""
    spaces = db.execute(select(Space.id, Space.name).where(Space.session_id == s.id).order_by(Space.position)).all()
    slots = db.execute(select(Slot.id, Slot.name).where(Slot.session_id == s.id).order_by(Slot.position)).all()
    return {"spaces": [{"id": i, "name": n} for i, n in spaces], "slots": [{"id": i, "name": n} for i, n in slots],
            "groups": wall_groups(db, s.id)}


def wall_groups(db: Db, session_id: int) -> list[dict[str, Any]]:
    """Each group on the wall, as plain data: its topic, convener, headcount, place and report
    (the live wall and the minutes both read it from here)."""
    rows = db.execute(select(Group.id, Group.topic_id, Group.space_id, Group.slot_id, Topic.text, Topic.author_id,
                             Participant.display_name)
                      .join(Topic, Group.topic_id == Topic.id)
                      .outerjoin(Participant, Topic.author_id == Participant.id)
                      .where(Group.session_id == session_id).order_by(Group.id)).all()
    heads = Counter(db.scalars(select(Membership.group_id).join(Group).where(Group.session_id == session_id)))
    lines: dict[tuple[int, str], list[str]] = defaultdict(list)
    for group_id, kind, text in db.execute(select(ReportLine.group_id, ReportLine.kind, ReportLine.text).join(Group)
                                           .where(Group.session_id == session_id)
                                           .order_by(ReportLine.position, ReportLine.id)):
        lines[(group_id, getattr(kind, "value", kind))].append(text)
    return [{"id": gid, "topic_id": topic_id, "topic": text, "convener_id": author, "convener": name or "",
             "space_id": space_id, "slot_id": slot_id, "headcount": heads.get(gid, 0),
             "points": lines[(gid, "point")], "needs": lines[(gid, "need")]}
            for gid, topic_id, space_id, slot_id, text, author, name in rows]


def mine(db: Db, p: Participant) -> dict[str, Any]:
    """One participant's dots, and the group they are in for each time slot."""
    return {"dots": dots.mine(db, p, db.get_one(Session, p.session_id)),
            "groups": {str(slot): g for slot, g in db.execute(select(Membership.slot_id, Membership.group_id)
                                                              .where(Membership.participant_id == p.id))}}
