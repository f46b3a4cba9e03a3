"""Who may do what to which council, session and object: asked by every route and event.

Two questions, answered here and nowhere else:

- The role gate (no database): which kind of connection may send which event. A console
  runs its session, a projector only watches, a phone takes part.
- Reach (with the database): a facilitator reaches the councils they created or were
  granted (`council grant`, or the council's co-facilitator page), and every council below
  those (街道 › 社区 › 楼院), with their sessions. A console connection is bound to one
  session: an id from another session, even one the same facilitator runs, is `not_found`.

Whatever is out of reach answers `not_found`, never "forbidden": ids are guessable, and
an answer must not tell that a council or session exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.models import Council, CouncilGrant, Participant, Resident, Session

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """Who is asking: a facilitator (by account) or a participant of one session."""

    kind: str  # "facilitator" | "participant"
    id: int
    # A console is bound to one session: the policy answers `not_found` for any other.
    session_id: int | None = None

    @classmethod
    def facilitator(cls, facilitator_id: int, session_id: int | None = None) -> Actor:
        return cls("facilitator", facilitator_id, session_id)

    @classmethod
    def participant(cls, participant_id: int) -> Actor:
        return cls("participant", participant_id)


class Role(StrEnum):
    """What a live connection is: the kind of page at the other end."""

    CONSOLE = "console"
    PROJECTOR = "projector"
    PHONE = "phone"


def gate(role: str, allowed: Iterable[str]) -> None:
    """Refuse an event its connection's role may not send, with the code the client shows."""
    allowed = frozenset(allowed)
    if role in allowed:
        return
    raise DomainError("not_facilitator" if Role.CONSOLE in allowed else "not_participant")


def reachable_councils(db: Db, facilitator_id: int) -> set[int]:
    """Every council the facilitator created or was granted, with all councils below them."""
    roots = set(db.scalars(select(Council.id).where(Council.created_by_id == facilitator_id)))
    roots |= set(db.scalars(select(CouncilGrant.council_id).where(CouncilGrant.facilitator_id == facilitator_id)))
    return _below(db, roots)


def councils_below(db: Db, council_id: int) -> set[int]:
    """A council and every council below it."""
    return _below(db, {council_id})


def councils_above(db: Db, council_id: int, parents: dict[int, int | None] | None = None) -> list[int]:
    """A council and every council above it, nearest first (`parents`: the tree's child → parent
    map, when the caller has read it already for many councils)."""
    if parents is None:
        parents = dict(db.execute(select(Council.id, Council.parent_id)).all())
    out: list[int] = []
    at: int | None = council_id
    while at is not None and at not in out:  # three levels at most; a loop in the tree ends the walk
        out.append(at)
        at = parents.get(at)
    return out


def _below(db: Db, roots: set[int]) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for cid, parent in db.execute(select(Council.id, Council.parent_id)):
        children.setdefault(parent, []).append(cid)
    reached, todo = set(), list(roots)
    while todo:  # three levels at most: a short walk down the tree
        cid = todo.pop()
        if cid not in reached:
            reached.add(cid)
            todo.extend(children.get(cid, ()))
    return reached


def _facilitator(actor: Actor) -> int:
    if actor.kind != "facilitator":
        raise DomainError("not_facilitator")
    return actor.id


def row(db: Db, model: type[T], ident: object, what: str) -> T | None:
    """The row with a client's id, or None; an id that is not a whole number is refused."""
    if isinstance(ident, bool) or not isinstance(ident, int):
        raise DomainError("invalid_field", field=f"{what}_id")
    return db.get(model, ident)


def council(db: Db, actor: Actor, council_id: object) -> Council:
    """The council, if the facilitator reaches it; otherwise `not_found`."""
    facilitator_id = _facilitator(actor)
    found = row(db, Council, council_id, "council")
    if found is None or found.id not in reachable_councils(db, facilitator_id):
        raise DomainError("not_found", what="council")
    return found


def session(db: Db, actor: Actor, session_id: object) -> Session:
    """The session, if the facilitator reaches its council and the actor is not bound to
    another session; otherwise `not_found`."""
    facilitator_id = _facilitator(actor)
    if actor.session_id is not None and actor.session_id != session_id:
        raise DomainError("not_found", what="session")
    found = row(db, Session, session_id, "session")
    if found is None or found.council_id not in reachable_councils(db, facilitator_id):
        raise DomainError("not_found", what="session")
    return found


def resident(db: Db, actor: Actor, resident_id: object) -> Resident:
    """A resident of the community, if the facilitator reaches its community council or a
    council where the resident took part; otherwise `not_found`."""
    reached = reachable_councils(db, _facilitator(actor))
    found = row(db, Resident, resident_id, "resident")
    if found is None:
        raise DomainError("not_found", what="resident")
    if found.community_id in reached:
        return found
    took_part = select(Session.council_id).join(Participant, Participant.session_id == Session.id) \
        .where(Participant.resident_id == found.id)
    if not reached.intersection(db.scalars(took_part)):
        raise DomainError("not_found", what="resident")
    return found


def may_run(db: Db, facilitator_id: int, session_id: object) -> bool:
    """Whether a facilitator may open this session's console or projector."""
    try:
        session(db, Actor.facilitator(facilitator_id), session_id)
    except DomainError:
        return False
    return True
