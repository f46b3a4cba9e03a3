"""Roles on councils (街道干部, 社区书记, 楼院主持人): given to another facilitator, taken back,
and the councils each person reaches (council/domain/roles.py says what a role is)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain import DomainError
from council.domain.roles import Role, check_revoke, highest, role_at
from council.models import Council, CouncilGrant, Facilitator, Session
from council.services.common import Actor, Outcome


@dataclass(frozen=True)
class Branch:
    """A council in the dashboard's tree (街道 › 社区 › 楼院), with how deep it sits."""

    council: Council
    depth: int


@dataclass(frozen=True)
class Holder:
    """Someone who holds a council's role: its creator, or given it (then it can be taken back)."""

    name: str
    role: Role
    grant_id: int | None  # None: the creator
    granted_by: str | None


def _council(db: Db, actor: Actor | None, council_id: object) -> Council:
    """The council, reached by the actor; `actor` None is the server's own shell, which reaches all."""
    if actor is not None:
        return policy.council(db, actor, council_id)
    council = db.get(Council, council_id) if isinstance(council_id, int) and not isinstance(council_id, bool) else None
    if council is None:
        raise DomainError("not_found", what="council")
    return council


def grant(db: Db, actor: Actor | None, council_id: object, name: object) -> Outcome:
    """Give a council's role (and with it every council below) to another facilitator, by
    account name. `actor` None is the server's own shell (`council grant`)."""
    council = _council(db, actor, council_id)
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
    # no screen shows who runs it
    return Outcome.of_council(council.id, frozenset(), {"grant_id": row.id, "role": role_at(council.level).value})


def revoke(db: Db, actor: Actor | None, council_id: object, name: object) -> Outcome:
    """Take back a role given on a council. Whoever reaches the council may: a role above one's
    own is out of reach, so nobody revokes upwards. The facilitator then reaches only what
    their other roles reach; their consoles are asked again at their next event."""
    council = _council(db, actor, council_id)
    person = db.scalar(select(Facilitator).where(Facilitator.name == (name.strip() if isinstance(name, str) else "")))
    if person is None:
        raise DomainError("no_such_facilitator")
    row = db.scalar(select(CouncilGrant).where(CouncilGrant.council_id == council.id,
                                               CouncilGrant.facilitator_id == person.id))
    check_revoke(row is not None)
    db.delete(row)
    db.commit()
    return Outcome.of_council(council.id, frozenset(), {"role": role_at(council.level).value})


def holders(db: Db, actor: Actor, council_id: object) -> tuple[Council, list[Holder]]:
    """Who holds a council's role: its creator, then everyone it was given to, in order."""
    council = policy.council(db, actor, council_id)
    role = role_at(council.level)
    creator = db.get_one(Facilitator, council.created_by_id)
    granter = Facilitator.__table__.alias("granter")
    given = db.execute(select(Facilitator.name, CouncilGrant.id, granter.c.name)
                       .join(CouncilGrant, CouncilGrant.facilitator_id == Facilitator.id)
                       .outerjoin(granter, granter.c.id == CouncilGrant.granted_by_id)
                       .where(CouncilGrant.council_id == council.id).order_by(CouncilGrant.granted_at, CouncilGrant.id))
    return council, [Holder(creator.name, role, None, None)] + [Holder(n, role, gid, by) for n, gid, by in given]


def roles_of(db: Db, facilitator_id: int) -> tuple[Role | None, list[tuple[Council, Role]]]:
    """A person's roles: each council they created or were given, with its role, and their title
    (the highest of them)."""
    given = select(CouncilGrant.council_id).where(CouncilGrant.facilitator_id == facilitator_id)
    held = db.scalars(select(Council).where((Council.created_by_id == facilitator_id) | Council.id.in_(given))
                      .order_by(Council.name)).all()
    return highest([c.level for c in held]), [(c, role_at(c.level)) for c in held]


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
