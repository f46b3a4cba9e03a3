"""Councils and sessions: creation, the five-step moves, the countdown."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import DomainError, steps, timer
from council.domain.text import PLACE_MAX, TITLE_MAX, NAME_MAX, clean
from council.domain.voting import PollStatus
from council.models import Council, Poll, Session
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
    return db.scalar(select(func.count()).select_from(Poll)
                     .where(Poll.session_id == session_id, Poll.status == PollStatus.OPEN)) or 0


def _move(db: Db, actor: Actor, session_id: int, forward: bool) -> Outcome:
    session = own_session(db, actor, session_id)
    current = steps.Step(session.step)
    move = steps.next_step if forward else steps.previous_step
    new = move(current, open_polls=_open_polls(db, session.id))
    session.step = new
    session.closed_at = utcnow() if new is steps.Step.CLOSED else None
    if new is steps.Step.CLOSED:  # nothing is timed after the end: no screen keeps a countdown or "time is up"
        session.timer_ends_at = None
    parts = {"session"}
    if forward and new is steps.Step.DECIDE:
        draw = formats.get(session.format).candidates
        if draw and draw(db, session):  # the discussion's needs or top ideas, ready to be voted on
            parts.add("proposals")
    db.commit()
    return Outcome(session.id, frozenset(parts), {"step": new.value})


def advance_step(db: Db, actor: Actor, session_id: int) -> Outcome:
    """raise → discuss → decide → do → evaluate → closed."""
    return _move(db, actor, session_id, forward=True)


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
