"""The posting period (公示期) of a meeting's minutes: residents object on the public record page,
a worker enters written objections, the facilitator answers each, extends the period, and marks
the posting complete. The rules: `council.domain.posting`; the period: `documents.dates.posting_period`.

`today` is the council's local date (`council.localtime.today`); tests pass their own.

Every objection raised or entered, every answer, an extension and the completion go into the
session's audit trail (`services.audit`), in the transaction that makes them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council import localtime
from council.documents.dates import posting_period
from council.domain import DomainError
from council.domain import posting as rules
from council.domain.days import parse_day
from council.models import Facilitator, Objection, Session
from council.models.base import utcnow
from council.services import audit
from council.services.common import Actor, Outcome, get, own_session, same_session
from council.services.participants import find_participant

NOTHING_LIVE: frozenset[str] = frozenset()  # no live screen shows objections: the pages are read fresh


def period_of(session: Session) -> rules.Period | None:
    """The session's posting period, or None while the meeting has not closed (nothing is posted)."""
    return posting_period(session) if session.closed_at is not None else None


def _today(today: dt.date | None) -> dt.date:
    return today if today is not None else localtime.today()


def objections(db: Db, session_id: int) -> list[Objection]:
    return list(db.scalars(select(Objection).where(Objection.session_id == session_id).order_by(Objection.id)))


def view(db: Db, session: Session, today: dt.date | None = None) -> dict[str, Any]:
    """The posting as pages show it: the period, whether objections are taken today, every
    objection with its answer, and the counts the minutes print."""
    p, rows = period_of(session), objections(db, session.id)
    return {"period": p, "running": p is not None and p.running(_today(today)),
            "complete": session.posting_done_at is not None, "done_at": session.posting_done_at,
            "objections": rows, "received": len(rows), "answered": sum(1 for o in rows if o.answer is not None)}


def _by(db: Db, actor: Actor) -> str:
    """The worker acting, as the audit trail names them: a co-facilitator or a colleague who
    reaches the council may be someone else than the session's facilitator."""
    return f"facilitator:{db.get_one(Facilitator, actor.id).name}"


def _add(db: Db, session: Session, text: object, door: object, today: dt.date | None, kind: str,
         by: str | None, **who: Any) -> Outcome:
    text, door = rules.check_objection(period_of(session), _today(today), text, door)
    objection = Objection(session_id=session.id, text=text, door_number=door, **who)
    db.add(objection)
    db.flush()
    # a resident who is no participant of the meeting is named by the door number they gave
    audit.record(db, session.id, kind, by or f"resident:{door}", objection=objection.id, door=door, text=text)
    db.commit()
    return Outcome(session.id, NOTHING_LIVE, {"objection_id": objection.id})


def object_to(db: Db, session_id: object, text: object, door: object, device_token: object = None,
              today: dt.date | None = None) -> Outcome:
    """Anyone objects on the public record page while the period runs; a phone that took part in
    the meeting (its device token) is recorded as the resident who objected."""
    session = get(db, Session, session_id, "session")
    participant = find_participant(db, session, device_token)
    return _add(db, session, text, door, today, "objection.raise",
                audit.participant_label(participant) if participant else None,
                resident_id=participant.resident_id if participant else None)


def enter(db: Db, actor: Actor, session_id: object, text: object, door: object,
          today: dt.date | None = None) -> Outcome:
    """A worker enters a written objection, under the same period."""
    return _add(db, own_session(db, actor, session_id), text, door, today, "objection.enter", _by(db, actor),
                entered_by_id=actor.id)


def answer(db: Db, actor: Actor, session_id: object, objection_id: object, text: object) -> Outcome:
    """The facilitator answers an objection, or changes the answer, until the posting is complete."""
    session = own_session(db, actor, session_id)
    objection = get(db, Objection, objection_id, "objection")
    same_session(objection.session_id, session, "objection")
    p = period_of(session)
    if p is None:
        raise DomainError("posting_not_started")
    previous = objection.answer
    objection.answer = rules.check_answer(p, text)
    objection.answered_at = utcnow()
    audit.record(db, session.id, "objection.answer", _by(db, actor), objection=objection.id, answer=objection.answer,
                 **({"previous": previous} if previous is not None else {}))
    db.commit()
    return Outcome(session.id, NOTHING_LIVE, {"objection_id": objection.id})


def extend(db: Db, actor: Actor, session_id: object, until: object) -> Outcome:
    """Extend the posting period to a later last day."""
    session = own_session(db, actor, session_id)
    p = period_of(session)
    if p is None:
        raise DomainError("posting_not_started")
    session.posting_until = rules.check_extend(p, parse_day(until))
    audit.record(db, session.id, "posting.extend", _by(db, actor), last=p.last.isoformat(),
                 until=session.posting_until.isoformat())
    db.commit()
    return Outcome(session.id, NOTHING_LIVE, {"until": session.posting_until.isoformat()})


def complete(db: Db, actor: Actor, session_id: object, today: dt.date | None = None) -> Outcome:
    """Mark the posting complete: after its last day, with every objection answered."""
    session = own_session(db, actor, session_id)
    p = period_of(session)
    if p is None:
        raise DomainError("posting_not_started")
    unanswered = db.scalar(select(func.count()).select_from(Objection).where(
        Objection.session_id == session.id, Objection.answer.is_(None))) or 0
    rules.check_complete(p, _today(today), unanswered)
    session.posting_done_at = utcnow()
    received = db.scalar(select(func.count()).select_from(Objection).where(Objection.session_id == session.id)) or 0
    audit.record(db, session.id, "posting.complete", _by(db, actor), last=p.last.isoformat(), received=received)
    db.commit()
    return Outcome(session.id, NOTHING_LIVE, {})
