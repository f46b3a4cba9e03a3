"""World Café: tables and rounds, the seating plan, the rounds themselves, the harvest, and the
candidate proposals its top ideas become."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, moderation
from council.domain.steps import Step, require_step
from council.domain.text import IDEAS_PER_RESIDENT, LABEL_MAX, LINE_MAX, clean, within_share
from council.formats.cafe import rules as cafe
from council.formats.cafe.models import CafeRound, CafeTable, Idea, Seat
from council.formats.dotting import rules as dot_rules, services as dots
from council.models import Participant, Proposal, Session
from council.models.base import utcnow
from council.services import audit
from council.services.common import (Actor, Outcome, format_session, get, own_session, participant_session,
                                     require_format, same_session)

NAME = "cafe"
CHANGED = frozenset({"cafe"})
SETUP_STEPS = (Step.RAISE, Step.DISCUSS)


def _cafe_session(db: Db, actor: Actor, session_id: object, *allowed: Step) -> Session:
    return format_session(db, actor, session_id, NAME, *(allowed or SETUP_STEPS))


def _not_started(session: Session) -> None:
    if session.current_round:
        raise DomainError("cafe_started")


def round_count(db: Db, session_id: int) -> int:
    return db.scalar(select(func.count()).select_from(CafeRound).where(CafeRound.session_id == session_id)) or 0


def set_up(db: Db, actor: Actor, session_id: int, tables: object, rounds: object) -> Outcome:
    """Tables by name and rounds with their minutes and question; hosts stay with their
    table's name. Only before the first round: the seating is planned anew."""
    session = _cafe_session(db, actor, session_id)
    _not_started(session)
    if not isinstance(tables, list) or not isinstance(rounds, list) or not all(isinstance(r, dict) for r in rounds):
        raise DomainError("invalid_field", field="tables" if not isinstance(tables, list) else "rounds")
    names = [clean(t, field="name", maximum=LABEL_MAX) for t in tables]
    minutes = [r.get("minutes") for r in rounds]
    cafe.check_setup(names, minutes)  # type: ignore[arg-type]
    questions = [clean(r.get("question"), field="question", maximum=LINE_MAX) for r in rounds]
    hosts = dict(db.execute(select(CafeTable.name, CafeTable.host_id).where(CafeTable.session_id == session.id)).all())
    for model in (Seat, CafeTable, CafeRound):
        db.execute(delete(model).where(model.session_id == session.id))
    db.flush()
    db.add_all(CafeTable(session_id=session.id, name=n, position=i, host_id=hosts.get(n)) for i, n in enumerate(names))
    db.add_all(CafeRound(session_id=session.id, number=i + 1, minutes=m, question=q)
               for i, (m, q) in enumerate(zip(minutes, questions)))
    db.commit()
    return Outcome(session.id, CHANGED)


def set_host(db: Db, actor: Actor, table_id: object, participant_id: object = None) -> Outcome:
    """The host stays at the table every round; one table each. Only before the first round."""
    table = get(db, CafeTable, table_id, "table")
    session = _cafe_session(db, actor, table.session_id)
    _not_started(session)
    host = None
    if participant_id is not None:
        host = get(db, Participant, participant_id, "participant")
        same_session(host.session_id, session, "participant")
        if host.left:
            raise DomainError("invalid_hosts")
        for other in db.scalars(select(CafeTable).where(CafeTable.host_id == host.id, CafeTable.id != table.id)):
            other.host_id = None  # hosting here now, not there
        db.flush()
    table.host_id = host.id if host else None
    db.flush()
    if _seated(db, session):
        _plan(db, session)
    db.commit()
    return Outcome(session.id, CHANGED)


def seat_all(db: Db, actor: Actor, session_id: int) -> Outcome:
    """Plan the seating (before the first round) or re-plan the rounds still to come."""
    session = _cafe_session(db, actor, session_id)
    _plan(db, session)
    db.commit()
    return Outcome(session.id, CHANGED)


def start_round(db: Db, actor: Actor, session_id: int) -> Outcome:
    """The next round begins: phones show where to go, the countdown runs."""
    session = _cafe_session(db, actor, session_id, Step.DISCUSS)
    rounds = list(db.scalars(select(CafeRound).where(CafeRound.session_id == session.id).order_by(CafeRound.number)))
    if session.current_round >= len(rounds):
        raise DomainError("no_more_rounds")
    if session.dotting != "ready":
        raise DomainError("dotting_started")
    if not _seated(db, session):
        _plan(db, session)
    session.current_round += 1
    minutes = rounds[session.current_round - 1].minutes
    session.timer_seconds = minutes * 60
    session.timer_ends_at = utcnow() + dt.timedelta(minutes=minutes)
    db.commit()
    return Outcome(session.id, CHANGED | {"session"}, {"round": session.current_round})


def mark_left(db: Db, actor: Actor, session_id: int, participant_id: object, left: object) -> Outcome:
    """A resident went home (or came back): the café seats them no more (or again)."""
    session = own_session(db, actor, session_id)
    participant = get(db, Participant, participant_id, "participant")
    same_session(participant.session_id, session, "participant")
    if not isinstance(left, bool):
        raise DomainError("invalid_field", field="left")
    participant.left = left
    if left:
        for table in db.scalars(select(CafeTable).where(CafeTable.host_id == participant.id)):
            if not session.current_round:  # a host who leaves mid-café keeps the table's name only
                table.host_id = None
    db.flush()
    parts = frozenset({"participants"})
    if _seated(db, session) and session.step != Step.CLOSED.value:
        _plan(db, session)
        parts |= CHANGED
    db.commit()
    return Outcome(session.id, parts)


def seat_newcomer(db: Db, session: Session) -> frozenset[str]:
    """Someone joined a café already seated: seat them for the rest, moving nobody now seated.
    Called inside the joining operation, which commits; returns the parts that changed."""
    if session.step not in (Step.RAISE.value, Step.DISCUSS.value) or not _seated(db, session):
        return frozenset({"cafe"})  # the console's café view names everyone who joined
    db.flush()
    _plan(db, session)
    return CHANGED


def _seated(db: Db, session: Session) -> bool:
    return db.scalar(select(Seat.id).where(Seat.session_id == session.id).limit(1)) is not None


def _plan(db: Db, session: Session) -> None:
    tables = {str(t.id): t for t in db.scalars(select(CafeTable).where(CafeTable.session_id == session.id)
                                               .order_by(CafeTable.position))}
    rounds = round_count(db, session.id)
    if not tables or not rounds:
        raise DomainError("invalid_tables" if not tables else "invalid_rounds")
    people = list(db.scalars(select(Participant.id).where(Participant.session_id == session.id, Participant.present(),
                                                          Participant.left.is_(False)).order_by(Participant.id)))
    if not people:
        raise DomainError("no_participants")
    hosts = {key: t.host_id for key, t in tables.items() if t.host_id in people}
    seed = session.id
    if session.current_round == 0:
        plan = cafe.seat(people, list(tables), hosts, rounds, seed=seed)
    else:
        old: list[dict[int, str]] = [{} for _ in range(rounds)]
        for p, n, t in db.execute(select(Seat.participant_id, Seat.round_number, Seat.table_id)
                                  .where(Seat.session_id == session.id)):
            old[n - 1][p] = str(t)
        plan = cafe.reseat(old, session.current_round - 1, people, list(tables), hosts, seed=seed)
    keep = session.current_round - 1 if session.current_round else 0  # rounds already over stay as they were
    db.execute(delete(Seat).where(Seat.session_id == session.id, Seat.round_number > keep))
    db.add_all(Seat(session_id=session.id, participant_id=p, round_number=n, table_id=int(t))
               for n, round_ in enumerate(plan, start=1) if n > keep for p, t in round_.items())


def add_idea(db: Db, actor: Actor, text: object, session_id: int | None = None, table_id: object = None) -> Outcome:
    """An idea harvested at a table in the running round: typed by anyone seated there, or by
    the facilitator for any table."""
    if actor.kind == "facilitator":
        session = _cafe_session(db, actor, session_id, Step.DISCUSS)
        table = get(db, CafeTable, table_id, "table")
        same_session(table.session_id, session, "table")
        author, table_key = None, table.id
    else:
        if table_id is not None:  # a resident harvests at the table they sit at
            raise DomainError("invalid_field", field="table_id")
        author, session = participant_session(db, actor)
        require_format(session, NAME)
        require_step(Step(session.step), Step.DISCUSS)
        table_key = db.scalar(select(Seat.table_id).where(Seat.participant_id == author.id,
                                                          Seat.round_number == session.current_round))
        if table_key is None:
            raise DomainError("no_round_running" if not session.current_round else "no_seat")
        within_share(db.scalar(select(func.count()).select_from(Idea).where(
            Idea.session_id == session.id, Idea.author_id == author.id)) or 0, IDEAS_PER_RESIDENT)
    if not session.current_round:
        raise DomainError("no_round_running")
    if session.dotting != "ready":
        raise DomainError("dotting_started")
    # under pre-moderation a resident's idea waits for the facilitator; theirs goes up at once
    review = moderation.initial(session.premoderation, by_facilitator=author is None)
    idea = Idea(session_id=session.id, table_id=table_key, round_number=session.current_round,
                author_id=author.id if author else None, text=clean(text, field="text", maximum=LINE_MAX),
                review=review)
    db.add(idea)
    db.commit()
    if review is moderation.Review.PENDING:  # in no gallery but the console's, and its author's own list
        return Outcome(session.id, frozenset({"ideas"}), {"idea_id": idea.id, "review": review.value})
    return Outcome(session.id, frozenset({"ideas", "dots"}),  # the ranking lists it too
                   {"idea_id": idea.id, "review": review.value})


def approve_idea(db: Db, actor: Actor, idea_id: object) -> Outcome:
    """A waiting idea goes into the gallery, as if it had just been harvested."""
    return _decide_idea(db, actor, idea_id, approve=True)


def reject_idea(db: Db, actor: Actor, idea_id: object) -> Outcome:
    """A waiting idea is never shown; its author is told."""
    return _decide_idea(db, actor, idea_id, approve=False)


def _decide_idea(db: Db, actor: Actor, idea_id: object, approve: bool) -> Outcome:
    idea = get(db, Idea, idea_id, "idea")
    session = own_session(db, actor, idea.session_id)
    require_format(session, NAME)
    idea.review = moderation.decide(idea.review, approve)
    audit.record(db, session.id, "idea.approve" if approve else "idea.reject", audit.facilitator_label(session),
                 idea=idea.id, text=idea.text)
    db.commit()
    return Outcome(session.id, frozenset({"ideas", "dots"}) if approve else frozenset({"ideas"}),
                   {"idea_id": idea.id}, personal=frozenset({idea.author_id}) if idea.author_id else frozenset())


def hide_idea(db: Db, actor: Actor, idea_id: object, hidden: object) -> Outcome:
    """Take abuse off the gallery; the facilitator still sees it and can show it again."""
    idea = get(db, Idea, idea_id, "idea")
    session = own_session(db, actor, idea.session_id)
    if not isinstance(hidden, bool):
        raise DomainError("invalid_field", field="hidden")
    idea.hidden = hidden
    owners = dots.release(db, session, idea.id) if hidden else frozenset()
    db.commit()
    return Outcome(session.id, frozenset({"ideas", "dots"}), personal=owners)


def may_open_dots(db: Db, session: Session) -> None:
    """The café votes on the whole harvest: dotting opens after the last round."""
    if session.current_round < round_count(db, session.id):
        raise DomainError("rounds_not_done")


def dot_target(db: Db, session: Session, idea_id: object) -> int:
    """An idea may get dots while it is in the gallery."""
    idea = get(db, Idea, idea_id, "idea")
    same_session(idea.session_id, session, "idea")
    if idea.hidden or idea.review != moderation.Review.APPROVED:
        raise DomainError("not_found", what="idea")
    return idea.id


def dot_order(db: Db, session: Session) -> list[int]:
    """The visible ideas, in the order they came in."""
    return list(db.scalars(select(Idea.id).where(Idea.session_id == session.id, Idea.shown())
                           .order_by(Idea.id)))


def candidates(db: Db, session: Session) -> int:
    """The top ideas by dots (ties at the cut included) become candidate proposals when the
    session moves to decide (a unique key draws each idea once); the caller commits. Returns
    how many were added."""
    chosen = dot_rules.top(dots.ranked(db, session), session.top_ideas)
    drawn = set(db.scalars(select(Proposal.idea_id).where(Proposal.session_id == session.id,
                                                          Proposal.idea_id.is_not(None))))
    texts = dict(db.execute(select(Idea.id, Idea.text).where(Idea.id.in_(chosen))).all())
    added = [Proposal(session_id=session.id, title=texts[i], idea_id=i) for i in chosen if i not in drawn]
    db.add_all(added)
    return len(added)
