from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain import DomainError
from council.policy import Actor
from council.domain.steps import Step, require_step
from council.models import Participant, Session

T = TypeVar("T")


@dataclass
class Outcome:
    """What a committed operation changed, and what the caller gets back.

    Every mutation returns one, over Socket.IO or HTTP alike, and one helper
    (`council.live.broadcast.publish`) sends the changed parts after the commit. A change to
    a council (its household roll, its convention, an action's progress between meetings)
    names `council_id`: every live session of that council gets the parts."""

    session_id: int | None
    parts: frozenset[str]
    reply: dict[str, Any] = field(default_factory=dict)
    personal: frozenset[int] = frozenset()  # participants whose own view (`me`) changed too
    council_id: int | None = None
    # Every screen gets this change only in the next coalesced batch, never on its own: a
    # secret ballot's vote, whose own patch would line up with its voter in time.
    coalesced: bool = False

    @classmethod
    def of_council(cls, council_id: int, parts: frozenset[str] | set[str], reply: dict[str, Any] | None = None,
                   personal: frozenset[int] = frozenset()) -> Outcome:
        return cls(None, frozenset(parts), reply or {}, personal, council_id)


def get(db: Db, model: type[T], ident: object, what: str) -> T:
    """Load a row by id or raise `not_found`."""
    row = policy.row(db, model, ident, what)
    if row is None:
        raise DomainError("not_found", what=what)
    return row


def own_session(db: Db, actor: Actor, session_id: object) -> Session:
    """The session, if the policy lets this facilitator run it."""
    return policy.session(db, actor, session_id)


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


def dialect_insert(db: Db) -> Any:
    """The database's own INSERT construct (with ON CONFLICT), SQLite's or PostgreSQL's."""
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def upsert(db: Db, model: type, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Insert a row or update it in place, atomically, keyed by a unique constraint."""
    stmt = dialect_insert(db)(model).values(**keys, **values)
    db.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=values))

