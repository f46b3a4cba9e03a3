"""The parts of a session's state that the World Café adds: tables, rounds and seats; the
harvest gallery; and the participant's own dots."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.domain.moderation import Review
from council.formats.cafe.models import CafeRound, CafeTable, Idea, Seat
from council.formats.dotting import services as dots
from council.models import Participant, Session


def cafe(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """Tables with hosts, rounds with questions, the round running, and who sits where.
    The public sees participant ids only; the console sees names too."""
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
    query = select(Idea).where(Idea.session_id == s.id).order_by(Idea.id)
    if audience != "console":  # the console also sees hidden ideas, and those waiting or rejected
        query = query.where(Idea.shown())
    return [{"id": i.id, "table_id": i.table_id, "round": i.round_number, "text": i.text, "hidden": i.hidden,
             "review": i.review.value} for i in db.scalars(query)]


def mine(db: Db, p: Participant) -> dict[str, Any]:
    """One participant's dots, by idea, and their ideas that wait for approval or were not
    approved (those are in no gallery: the phone lists them for their author alone)."""
    own = db.execute(select(Idea.id, Idea.text, Idea.review)
                     .where(Idea.session_id == p.session_id, Idea.author_id == p.id,
                            Idea.review != Review.APPROVED).order_by(Idea.id)).all()
    return {"dots": dots.mine(db, p, db.get_one(Session, p.session_id)),
            "own_ideas": [{"id": i, "text": text, "review": review.value} for i, text, review in own]}
