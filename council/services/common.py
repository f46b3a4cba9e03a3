from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.domain.steps import Step, require_step
from council.models import Participant, Session

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who is asking: a facilitator (by account) or a participant of one session."""

    kind: str  # "facilitator" | "participant"
    id: int

    @classmethod
    def facilitator(cls, facilitator_id: int) -> Actor:
        return cls("facilitator", facilitator_id)

    @classmethod
    def participant(cls, participant_id: int) -> Actor:
        return cls("participant", participant_id)


@dataclass
class Outcome:
    """What a committed operation changed, and what the caller gets back."""

    session_id: int
    parts: frozenset[str]
    reply: dict[str, Any] = field(default_factory=dict)
    personal: frozenset[int] = frozenset()  # participants whose own view (`me`) changed too


def get(db: Db, model: type[T], ident: object, what: str) -> T:
    """Load a row by id or raise `not_found`."""
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise DomainError("invalid_field", field=f"{what}_id")
    row = db.get(model, ident)
    if row is None:
        raise DomainError("not_found", what=what)
    return row


def own_session(db: Db, actor: Actor, session_id: object) -> Session:
    """The session, if `actor` is its facilitator."""
    session = get(db, Session, session_id, "session")
    if actor.kind != "facilitator" or session.facilitator_id != actor.id:
        raise DomainError("not_facilitator")
    return session


def require_format(session: Session, format: str) -> None:
    """Refuse an Open Space or World Café operation in a session of another format."""
    if session.format != format:
        raise DomainError("wrong_format")


def format_session(db: Db, actor: Actor, session_id: object, format: str, *allowed: Step) -> Session:
    """The facilitator's own session, if it has this format and is in one of these steps."""
    session = own_session(db, actor, session_id)
    require_format(session, format)
    require_step(Step(session.step), *allowed)
    return session


def same_session(row_session_id: int, session: Session, what: str) -> None:
    """Refuse a row that belongs to another session (ids are guessable)."""
    if row_session_id != session.id:
        raise DomainError("not_found", what=what)


def participant_session(db: Db, actor: Actor) -> tuple[Participant, Session]:
    """The acting participant and their session, in one query (this is on every vote)."""
    if actor.kind != "participant":
        raise DomainError("not_participant")
    row = db.execute(select(Participant, Session).join(Session, Participant.session_id == Session.id)
                     .where(Participant.id == actor.id)).first()
    if row is None:
        raise DomainError("not_found", what="participant")
    return row[0], row[1]


def _insert(db: Db) -> Any:
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def upsert(db: Db, model: type, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Insert a row or update it in place, atomically, keyed by a unique constraint."""
    stmt = _insert(db)(model).values(**keys, **values)
    db.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=values))

