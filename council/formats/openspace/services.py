"""Open Space: the agenda wall, the groups residents walk between, their reports, and the
candidate proposals their needs become."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.domain.moderation import Review
from council.domain.steps import Step, require_step
from council.domain.text import LABEL_MAX, clean
from council.formats.dotting import services as dots
from council.formats.openspace import rules as openspace
from council.formats.openspace.models import Group, Membership, ReportLine, Slot, Space
from council.models import Proposal, Session, Topic
from council.services.common import (Actor, Outcome, format_session, get, own_session, participant_session,
                                     require_format, same_session, upsert)
from council.services.topics import live_topic

NAME = "openspace"
CHANGED = frozenset({"agenda"})
WALL_STEPS = (Step.RAISE, Step.DISCUSS)


def _wall_session(db: Db, actor: Actor, session_id: object) -> Session:
    return format_session(db, actor, session_id, NAME, *WALL_STEPS)


def _wall_in_use(db: Db, session: Session) -> bool:
    """Residents have joined groups or reports are written: rebuilding would lose them."""
    for model in (Membership, ReportLine):
        if db.scalar(select(model.id).join(Group).where(Group.session_id == session.id).limit(1)) is not None:
            return True
    return False


def set_wall(db: Db, actor: Actor, session_id: int, spaces: object, slots: object) -> Outcome:
    """Name the spaces and time slots; this clears the wall, so not once residents are in groups."""
    session = _wall_session(db, actor, session_id)
    names = [_labels(spaces, "spaces"), _labels(slots, "slots")]
    openspace.wall_labels(*names)
    if _wall_in_use(db, session):
        raise DomainError("agenda_in_use")
    for model in (Group, Space, Slot):
        db.execute(delete(model).where(model.session_id == session.id))
    db.add_all(Space(session_id=session.id, name=n, position=i) for i, n in enumerate(names[0]))
    db.add_all(Slot(session_id=session.id, name=n, position=i) for i, n in enumerate(names[1]))
    db.commit()
    return Outcome(session.id, CHANGED)


def _labels(values: object, field: str) -> list[str]:
    if not isinstance(values, list):
        raise DomainError("invalid_field", field=field)
    return [clean(v, field="name", maximum=LABEL_MAX) for v in values]


def place_topics(db: Db, actor: Actor, session_id: int) -> Outcome:
    """Fill the wall from the dots: most-dotted first, no convener in two places at once."""
    session = _wall_session(db, actor, session_id)
    if session.dotting != "closed":
        raise DomainError("dotting_not_closed")
    if _wall_in_use(db, session):
        raise DomainError("agenda_in_use")
    spaces = list(db.scalars(select(Space.id).where(Space.session_id == session.id).order_by(Space.position)))
    slots = list(db.scalars(select(Slot.id).where(Slot.session_id == session.id).order_by(Slot.position)))
    conveners = _conveners(db, session)
    candidates = [openspace.Candidate(t, n, conveners.get(t)) for t, n in dots.ranked(db, session) if n > 0]
    wall = openspace.agenda(candidates, spaces, slots)
    db.execute(delete(Group).where(Group.session_id == session.id))
    db.add_all(Group(session_id=session.id, topic_id=t, space_id=space, slot_id=slot)
               for (space, slot), t in wall.items())
    db.commit()
    return Outcome(session.id, CHANGED, {"placed": len(wall)})


def _conveners(db: Db, session: Session) -> dict[int, int | None]:
    return dict(db.execute(select(Topic.id, Topic.author_id).where(Topic.session_id == session.id)).all())


def move_topic(db: Db, actor: Actor, session_id: int, topic_id: object, space_id: object = None,
               slot_id: object = None) -> Outcome:
    """Put a topic in a cell by hand (a topic already there swaps), or take it off the wall.
    A group that lands in another time slot loses its members: they choose again."""
    session = _wall_session(db, actor, session_id)
    topic = get(db, Topic, topic_id, "topic")
    same_session(topic.session_id, session, "topic")
    if topic.review != Review.APPROVED:  # what waits for approval, or was rejected, goes on no wall
        raise DomainError("not_found", what="topic")
    groups = {g.topic_id: g for g in db.scalars(select(Group).where(Group.session_id == session.id))}
    before = {(g.space_id, g.slot_id): t for t, g in groups.items()}
    if space_id is None and slot_id is None:
        if topic.id in groups:
            db.delete(groups[topic.id])
        db.commit()
        return Outcome(session.id, CHANGED)
    same_session(get(db, Space, space_id, "space").session_id, session, "space")
    same_session(get(db, Slot, slot_id, "slot").session_id, session, "slot")
    after = openspace.move(before, topic.id, (space_id, slot_id), _conveners(db, session))  # type: ignore[arg-type]
    moved = [(groups.get(t), t, cell) for cell, t in after.items() if before.get(cell) != t]
    for group, _, _ in moved:  # the unique cell key holds at every statement: step out first
        if group is not None:
            group.space_id = group.slot_id = None  # type: ignore[assignment]
    db.flush()
    for group, t, (space, slot) in moved:
        if group is None:
            db.add(Group(session_id=session.id, topic_id=t, space_id=space, slot_id=slot))
            continue
        if group.id and slot != _slot_of(before, t):
            db.execute(delete(Membership).where(Membership.group_id == group.id))
        group.space_id, group.slot_id = space, slot  # type: ignore[assignment]
    db.commit()
    return Outcome(session.id, CHANGED)


def _slot_of(wall: dict, topic_id: int) -> object:
    return next((slot for (_, slot), t in wall.items() if t == topic_id), None)


def join_group(db: Db, actor: Actor, group_id: object) -> Outcome:
    """A resident goes to a group; in the same time slot this moves them (the law of two feet)."""
    participant, session = participant_session(db, actor)
    require_format(session, NAME)
    require_step(Step(session.step), Step.DISCUSS)
    group = get(db, Group, group_id, "group")
    same_session(group.session_id, session, "group")
    upsert(db, Membership, {"participant_id": participant.id, "slot_id": group.slot_id}, {"group_id": group.id})
    db.commit()
    return Outcome(session.id, CHANGED, {"group_id": group.id})


def save_report(db: Db, actor: Actor, group_id: object, points: object, needs: object) -> Outcome:
    """The group's report, written by its convener or the facilitator: key points and concrete
    needs, one line each. Lines kept unchanged keep their identity (a need drawn into a
    proposal stays linked to it)."""
    group = get(db, Group, group_id, "group")
    if actor.kind == "facilitator":
        session = own_session(db, actor, group.session_id)
    else:
        participant, session = participant_session(db, actor)
        same_session(group.session_id, session, "group")
        if db.get_one(Topic, group.topic_id).author_id != participant.id:
            raise DomainError("not_convener")
    require_step(Step(session.step), Step.DISCUSS)
    wanted = {"point": openspace.report_lines(points, "points"), "need": openspace.report_lines(needs, "needs")}
    old = list(db.scalars(select(ReportLine).where(ReportLine.group_id == group.id)))
    for kind, lines in wanted.items():
        spare = {line.text: line for line in old if line.kind == kind}
        for position, text in enumerate(lines):
            line = spare.pop(text, None)
            if line is None:
                db.add(ReportLine(group_id=group.id, kind=kind, position=position, text=text))
            else:
                line.position = position
                old.remove(line)
    for line in old:
        db.delete(line)
    db.commit()
    return Outcome(session.id, CHANGED)



def candidates(db: Db, session: Session) -> int:
    """Every concrete need of the groups' reports, in wall order, becomes a candidate proposal
    when the session moves to decide (a unique key draws each need once); the caller commits.
    Returns how many were added."""
    drawn = select(Proposal.need_id).where(Proposal.session_id == session.id, Proposal.need_id.is_not(None))
    added = [Proposal(session_id=session.id, topic_id=topic_id, title=text, need_id=need_id)
             for need_id, text, topic_id in db.execute(
                 select(ReportLine.id, ReportLine.text, Group.topic_id).join(Group)
                 .join(Slot, Group.slot_id == Slot.id).join(Space, Group.space_id == Space.id)
                 .where(Group.session_id == session.id, ReportLine.kind == "need", ReportLine.id.not_in(drawn))
                 .order_by(Slot.position, Space.position, ReportLine.position))]
    db.add_all(added)
    return len(added)


def dot_target(db: Db, session: Session, topic_id: object) -> int:
    """A topic may get dots while it is on the wall."""
    return live_topic(db, session, topic_id).id


def dot_order(db: Db, session: Session) -> list[int]:
    """The live topics, in the order they were raised."""
    return list(db.scalars(select(Topic.id).where(Topic.session_id == session.id, Topic.on_wall())
                           .order_by(Topic.id)))


def topic_gone(db: Db, session: Session, topic_id: int) -> frozenset[int]:
    """A topic off the wall gives its dots back; returns their owners. The caller commits."""
    return dots.release(db, session, topic_id)
