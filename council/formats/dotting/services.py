"""Dot voting: the rules, opening and closing, placing dots, the ranking. What the dots go on
(Open Space topics, café ideas) is the session's format's `DotTarget`."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import DomainError
from council.domain.steps import Step, require_step
from council.formats.dotting import DotTarget
from council.formats.dotting import rules as dot_rules
from council.formats.dotting.models import Dot
from council.models import Participant, Session
from council.services.common import Actor, Outcome, get, own_session, participant_session, same_session

CHANGED = frozenset({"dots"})
STATUSES = ("ready", "open", "closed")


def target_of(session: Session) -> DotTarget:
    """What this session's format dots on; `wrong_format` for a format without dots."""
    target = formats.get(session.format).dots
    if target is None:
        raise DomainError("wrong_format")
    return target


def rules_of(session: Session) -> dot_rules.DotRules:
    return dot_rules.DotRules(session.dots, session.dots_per_topic)


def set_rules(db: Db, actor: Actor, session_id: int, dots: object, per_topic: object,
              top: object = None) -> Outcome:
    """Dots per participant and per topic (and, in a café, how many top ideas become
    proposals); the dots can change only while none has been placed."""
    session = own_session(db, actor, session_id)
    require_step(Step(session.step), *target_of(session).steps)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (dots, per_topic)):
        raise DomainError("invalid_dot_rules")
    rules = dot_rules.DotRules(dots, per_topic)  # type: ignore[arg-type]
    changed = (rules.dots, rules.per_topic) != (session.dots, session.dots_per_topic)
    if changed and db.scalar(select(Dot.id).where(Dot.session_id == session.id).limit(1)) is not None:
        raise DomainError("dots_placed")
    if top is not None:
        if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 50:
            raise DomainError("invalid_top")
        session.top_ideas = top
    session.dots, session.dots_per_topic = rules.dots, rules.per_topic
    db.commit()
    return Outcome(session.id, CHANGED)


def set_open(db: Db, actor: Actor, session_id: int, open: object) -> Outcome:
    """Open dotting, or close it: once closed, nobody's dots move (it can be reopened)."""
    session = own_session(db, actor, session_id)
    target = target_of(session)
    require_step(Step(session.step), *target.steps)
    if not isinstance(open, bool):
        raise DomainError("invalid_field", field="open")
    if open and target.may_open is not None:
        target.may_open(db, session)
    session.dotting = "open" if open else "closed"
    db.commit()
    return Outcome(session.id, CHANGED | {"session"})


def place(db: Db, actor: Actor, target_id: object, count: object) -> Outcome:
    """A resident sets their dots on one topic or idea (moving is fewer here, more there)."""
    participant, session = participant_session(db, actor)
    return _set(db, session, participant, target_id, count)


def enter(db: Db, actor: Actor, session_id: int, participant_id: object, target_id: object,
          count: object) -> Outcome:
    """The facilitator places dots for a resident without a phone, under the same rules."""
    session = own_session(db, actor, session_id)
    participant = get(db, Participant, participant_id, "participant")
    same_session(participant.session_id, session, "participant")
    return _set(db, session, participant, target_id, count)


def _set(db: Db, session: Session, participant: Participant, target_id: object, count: object) -> Outcome:
    spec = target_of(session)
    require_step(Step(session.step), *spec.steps)
    target = spec.live(db, session, target_id)
    column = spec.column
    # Serialise one participant's dots (PostgreSQL); SQLite's BEGIN IMMEDIATE already does.
    db.execute(select(Participant.id).where(Participant.id == participant.id).with_for_update())
    mine = {t: n for t, n in db.execute(select(column, Dot.count).where(Dot.participant_id == participant.id))}
    after = dot_rules.place_dots(mine, target, count, rules_of(session), session.dotting == "open")
    now = after.get(target, 0)
    if now == mine.get(target, 0):
        return Outcome(session.id, frozenset(), {"target_id": target, "count": now})
    where = (Dot.participant_id == participant.id, column == target)
    if not now:
        db.execute(delete(Dot).where(*where))
    elif target in mine:
        db.execute(update(Dot).where(*where).values(count=now))
    else:
        db.add(Dot(session_id=session.id, participant_id=participant.id, count=now,
                   **{column.key: target}))
    db.commit()
    return Outcome(session.id, CHANGED, {"target_id": target, "count": now}, personal=frozenset({participant.id}))


def release(db: Db, session: Session, target_id: int) -> frozenset[int]:
    """A topic or idea taken off the wall (hidden, merged) gives its dots back to their owners,
    who may place them again; returns those owners. The caller commits."""
    column = target_of(session).column
    owners = frozenset(db.scalars(select(Dot.participant_id).where(column == target_id)))
    if owners:
        db.execute(delete(Dot).where(column == target_id))
    return owners


def totals(db: Db, session: Session) -> dict[int, int]:
    """Dots on each topic or idea."""
    column = target_of(session).column
    return {t: int(n) for t, n in db.execute(select(column, func.sum(Dot.count))
                                              .where(Dot.session_id == session.id).group_by(column))}


def ranked(db: Db, session: Session) -> list[tuple[int, int]]:
    """Live topics (or visible ideas) by dots, most first; ties in the order they came."""
    return dot_rules.ranking(totals(db, session), target_of(session).order(db, session))


def mine(db: Db, participant: Participant, session: Session) -> dict[str, int]:
    """One participant's dots, by target."""
    column = target_of(session).column
    return {str(t): n for t, n in db.execute(select(column, Dot.count).where(Dot.participant_id == participant.id))}
