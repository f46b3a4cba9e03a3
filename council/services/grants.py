"""Co-facilitators: a council shared with another facilitator, and the councils one reaches."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain import DomainError
from council.models import Council, CouncilGrant, Facilitator, Session
from council.services.common import Actor, Outcome


@dataclass(frozen=True)
class Branch:
    """A council in the dashboard's tree (街道 › 社区 › 楼院), with how deep it sits."""

    council: Council
    depth: int


def grant(db: Db, actor: Actor | None, council_id: object, name: object) -> Outcome:
    """Give a council (and everything below it) to another facilitator, by account name.
    `actor` None is the server's own shell (`council grant`), which may grant any council."""
    if actor is None:
        council = db.get(Council, council_id) if isinstance(council_id, int) else None
        if council is None:
            raise DomainError("not_found", what="council")
    else:
        council = policy.council(db, actor, council_id)
    grantee = db.scalar(select(Facilitator).where(Facilitator.name == (name.strip() if isinstance(name, str) else "")))
    if grantee is None:
        raise DomainError("no_such_facilitator")
    if council.id in policy.reachable_councils(db, grantee.id):
        raise DomainError("already_granted")
    row = CouncilGrant(council_id=council.id, facilitator_id=grantee.id, granted_by_id=actor.id if actor else None)
    db.add(row)
    try:
        db.commit()
    except IntegrityError:  # granted at the same moment by someone else
        db.rollback()
        raise DomainError("already_granted") from None
    return Outcome.of_council(council.id, frozenset(), {"grant_id": row.id})  # no screen shows who runs it


def facilitators_of(db: Db, actor: Actor, council_id: object) -> tuple[Council, list[tuple[str, str]]]:
    """Who runs a council: its creator and every co-facilitator, with how they came to it."""
    council = policy.council(db, actor, council_id)
    creator = db.get_one(Facilitator, council.created_by_id)
    granted = db.execute(select(Facilitator.name).join(CouncilGrant, CouncilGrant.facilitator_id == Facilitator.id)
                         .where(CouncilGrant.council_id == council.id).order_by(CouncilGrant.granted_at)).scalars()
    return council, [(creator.name, "creator")] + [(n, "granted") for n in granted]


def tree(db: Db, actor: Actor) -> list[Branch]:
    """The councils this facilitator reaches, as the tree they are: each followed by those below."""
    reached = policy.reachable_councils(db, actor.id)
    rows = db.scalars(select(Council).where(Council.id.in_(reached)).order_by(Council.name)).all()
    below: dict[int | None, list[Council]] = {}
    for c in rows:
        below.setdefault(c.parent_id if c.parent_id in reached else None, []).append(c)
    out: list[Branch] = []

    def walk(parent: int | None, depth: int) -> None:
        for c in below.get(parent, []):
            out.append(Branch(c, depth))
            walk(c.id, depth + 1)
    walk(None, 0)
    return out


def sessions_of(db: Db, actor: Actor) -> list[Session]:
    """The sessions of every council the facilitator reaches, latest first."""
    reached = policy.reachable_councils(db, actor.id)
    return list(db.scalars(select(Session).where(Session.council_id.in_(reached))
                           .order_by(Session.starts_at.desc(), Session.id.desc())))
