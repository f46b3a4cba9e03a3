"""Councils and sessions: creation, the five-step moves, the countdown."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import DomainError, steps, timer
from council.domain.text import PLACE_MAX, TITLE_MAX, NAME_MAX, clean
from council.domain.voting import PollStatus
from council.models import Action, AuditEvent, Council, Decision, Facilitator, Poll, Session
from council.models.base import utcnow
from council.models.people import LEVELS
from council import policy
from council.services.common import Actor, Outcome, own_session

PARENT_LEVEL = {"community": "subdistrict", "courtyard": "community"}


def create_council(db: Db, actor: Actor, name: str, level: str, parent_id: int | None = None) -> Outcome:
    """A council at its level; a community sits in a subdistrict, a courtyard in a community."""
    name = clean(name, field="council_name", maximum=TITLE_MAX)
    if level not in LEVELS:
        raise DomainError("invalid_level")
    parent = None
    if parent_id is not None:
        parent = policy.council(db, actor, parent_id)
        if PARENT_LEVEL.get(level) != parent.level:
            raise DomainError("invalid_parent", level=level)
    council = Council(name=name, level=level, parent=parent, created_by_id=actor.id)
    db.add(council)
    db.commit()
    return Outcome(None, frozenset(), {"council_id": council.id})  # no screen shows it live yet


def create_session(db: Db, actor: Actor, council_id: int, title: str, starts_at: dt.datetime,
                   place: str = "", format: str = "plain", recorder: str = "") -> Outcome:
    """A session in raise, with a fresh numeric join code."""
    council = policy.council(db, actor, council_id)
    format = formats.get(format).name  # `invalid_format` unless a registered format
    if starts_at.tzinfo is None:
        raise DomainError("invalid_date")
    fields = dict(council_id=council.id, facilitator_id=actor.id,
                  title=clean(title, field="title", maximum=TITLE_MAX),
                  place=clean(place, field="place", maximum=PLACE_MAX, required=False),
                  recorder=clean(recorder, field="recorder", maximum=NAME_MAX, required=False),
                  starts_at=starts_at, format=format, step=steps.Step.RAISE)
    for _ in range(20):
        session = Session(join_code=f"{secrets.randbelow(900000) + 100000}", **fields)
        db.add(session)
        try:
            db.commit()
            return Outcome(session.id, frozenset(), {"session_id": session.id, "join_code": session.join_code})
        except IntegrityError:  # join code taken: draw again
            db.rollback()
    raise DomainError("no_join_code")


def _open_polls(db: Db, session_id: int) -> int:
    """Open polls that hold the session in decide: a windowed one closes by itself later."""
    return db.scalar(select(func.count()).select_from(Poll)
                     .where(Poll.session_id == session_id, Poll.status == PollStatus.OPEN,
                            Poll.closes_at.is_(None))) or 0


def _move(db: Db, actor: Actor, session_id: int, forward: bool, expected: object = None) -> Outcome:
    session = own_session(db, actor, session_id)
    current = steps.Step(session.step)
    if expected is not None and expected != current.value:  # confirmed for a step the session has left
        raise DomainError("step_moved", step=current.value)
    move = steps.next_step if forward else steps.previous_step
    new = move(current, open_polls=_open_polls(db, session.id))
    session.step = new
    session.closed_at = utcnow() if new is steps.Step.CLOSED else None
    parts = {"session"}
    if new is steps.Step.CLOSED:  # nothing is timed after the end: no screen keeps a countdown or "time is up"
        session.timer_ends_at = None
        if _close_ratings(db, session):  # the ratings given are final: no action shows "rating open" after the end
            parts.add("actions")
    if forward and new is steps.Step.DECIDE:
        draw = formats.get(session.format).candidates
        if draw and draw(db, session):  # the discussion's needs or top ideas, ready to be voted on
            parts.add("proposals")
    db.commit()
    return Outcome(session.id, frozenset(parts), {"step": new.value})


def advance_step(db: Db, actor: Actor, session_id: int, expected: object = None) -> Outcome:
    """raise → discuss → decide → do → evaluate → closed. With `expected` (the step the
    facilitator confirmed the move from), refused if the session has moved meanwhile."""
    return _move(db, actor, session_id, forward=True, expected=expected)


def step_back(db: Db, actor: Actor, session_id: int) -> Outcome:
    """Back one step, when the room needs it."""
    return _move(db, actor, session_id, forward=False)


def set_timer(db: Db, actor: Actor, session_id: int, seconds: object) -> Outcome:
    """Start a countdown shown on the projector and phones, or stop it with 0."""
    session = own_session(db, actor, session_id)
    seconds = timer.timer_seconds(seconds)
    session.timer_seconds = seconds
    session.timer_ends_at = utcnow() + dt.timedelta(seconds=seconds) if seconds else None
    db.commit()
    return Outcome(session.id, frozenset({"session"}))


def _close_ratings(db: Db, session: Session) -> int:
    """Close the rating of every action this session shows (its own and those carried over);
    how many were open. The caller commits."""
    from council.services.actions import evaluated_in
    ids = [a.id for a, _ in evaluated_in(db, session) if a.rating_open]
    if ids:
        db.execute(update(Action).where(Action.id.in_(ids)).values(rating_open=False))
    return len(ids)


# What moving on from each step does, as keys the console words before it asks to confirm.
EFFECTS: dict[steps.Step, tuple[str, ...]] = {
    steps.Step.RAISE: ("raising_closes", "discussion_starts"),
    steps.Step.DISCUSS: ("topics_close", "voting_starts"),
    steps.Step.DECIDE: ("voting_ends", "actions_start"),
    steps.Step.DO: ("rating_starts",),
    steps.Step.EVALUATE: ("ratings_close", "session_ends"),
}


def next_effects(session: Session) -> list[str]:
    """What Next step will do from the session's step (`session.moves.next.effects`); the format
    adds its own (an Open Space's needs, a café's top ideas become candidate proposals)."""
    current = steps.Step(session.step)
    out = list(EFFECTS.get(current, ()))
    if current is steps.Step.DISCUSS and formats.get(session.format).candidates:
        out.append("candidates")
    return out


def delete_session(db: Db, actor: Actor, session_id: object) -> Outcome:
    """Delete a session that decided nothing (made by mistake, or never held), with everything
    in it. The deletion itself stays in the audit trail (with no session)."""
    session = own_session(db, actor, session_id)
    if db.scalar(select(Decision.id).where(Decision.session_id == session.id).limit(1)) is not None:
        raise DomainError("session_has_decisions")
    who = db.get_one(Facilitator, actor.id)
    db.add(AuditEvent(session_id=None, kind="session.delete", actor=f"facilitator:{who.name}"[:60],
                      detail={"session_id": session.id, "title": session.title}))
    db.execute(delete(Session).where(Session.id == session.id))  # the database deletes what hangs on it
    db.commit()
    return Outcome(None, frozenset(), {"session_id": session.id, "title": session.title})


def decided(db: Db, session_ids: list[int]) -> set[int]:
    """Which of these sessions have a decision (and so can no longer be deleted)."""
    if not session_ids:
        return set()
    return set(db.scalars(select(Decision.session_id).where(Decision.session_id.in_(session_ids)).distinct()))


def last_council(db: Db, actor: Actor) -> int | None:
    """The council this facilitator last created a session in, if they still reach it: the
    new-session form starts there."""
    found = db.scalar(select(Session.council_id).where(Session.facilitator_id == actor.id)
                      .order_by(Session.created_at.desc(), Session.id.desc()).limit(1))
    return found if found is not None and found in policy.reachable_councils(db, actor.id) else None
