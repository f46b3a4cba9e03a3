"""The topic wall: residents raise and support, the facilitator edits, hides and merges."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import DomainError, topics
from council.domain.steps import Step, require_step
from council.domain.text import TOPIC_MAX, TOPICS_PER_RESIDENT, clean, within_share
from council.models import Participant, Session, Support, Topic
from council.services.common import Actor, Outcome, get, own_session, participant_session, same_session

TOPIC_STEPS = (Step.RAISE, Step.DISCUSS)
CHANGED = frozenset({"topics"})


def raise_topic(db: Db, actor: Actor, text: object, session_id: int | None = None,
                participant_id: object = None) -> Outcome:
    """A resident raises a topic; a facilitator may enter one for a resident without a phone,
    who then convenes it in an Open Space."""
    if actor.kind == "facilitator":
        session, author = own_session(db, actor, session_id), None
        if participant_id is not None:
            author = get(db, Participant, participant_id, "participant")
            same_session(author.session_id, session, "participant")
    else:
        if participant_id is not None:  # a resident raises in their own name only
            raise DomainError("invalid_field", field="participant_id")
        author, session = participant_session(db, actor)
        within_share(db.scalar(select(func.count()).select_from(Topic).where(
            Topic.session_id == session.id, Topic.author_id == author.id)) or 0, TOPICS_PER_RESIDENT)
    require_step(Step(session.step), Step.RAISE)
    topic = Topic(session_id=session.id, author_id=author.id if author else None,
                  text=clean(text, field="text", maximum=TOPIC_MAX))
    db.add(topic)
    db.flush()
    if author is not None:
        db.add(Support(topic_id=topic.id, participant_id=author.id))
    db.commit()
    return Outcome(session.id, _shown(session), {"topic_id": topic.id},
                   personal=frozenset({author.id}) if author and actor.kind == "facilitator" else frozenset())


def support_topic(db: Db, actor: Actor, topic_id: object, on: object = True) -> Outcome:
    """Back a topic, or withdraw the backing; supporting twice counts once."""
    participant, session = participant_session(db, actor)
    require_step(Step(session.step), *TOPIC_STEPS)
    topic = live_topic(db, session, topic_id)
    if on is True:
        db.add(Support(topic_id=topic.id, participant_id=participant.id))
        try:
            db.commit()
        except IntegrityError:  # already supported: nothing to change
            db.rollback()
    elif on is False:
        db.execute(delete(Support).where(Support.topic_id == topic.id,
                                         Support.participant_id == participant.id))
        db.commit()
    else:
        raise DomainError("invalid_field", field="on")
    return Outcome(session.id, CHANGED, {"topic_id": topic.id, "supported": on})


def edit_topic(db: Db, actor: Actor, topic_id: object, text: object) -> Outcome:
    topic, session = _facilitator_topic(db, actor, topic_id)
    topic.text = clean(text, field="text", maximum=TOPIC_MAX)
    db.commit()
    return Outcome(session.id, _shown(session))


def hide_topic(db: Db, actor: Actor, topic_id: object, hidden: object = True) -> Outcome:
    """Hide abuse from the wall; the facilitator still sees it and can show it again."""
    topic, session = _facilitator_topic(db, actor, topic_id)
    if not isinstance(hidden, bool):
        raise DomainError("invalid_field", field="hidden")
    topic.hidden = hidden
    owners = _gone(db, session, topic.id) if hidden else frozenset()
    db.commit()
    return Outcome(session.id, _shown(session), personal=owners)


def merge_topics(db: Db, actor: Actor, source_id: object, target_id: object) -> Outcome:
    """Fold a duplicate into another topic; its supporters (and author) back the target."""
    source, session = _facilitator_topic(db, actor, source_id)
    target = get(db, Topic, target_id, "topic")
    same_session(target.session_id, session, "topic")
    topics.check_merge(source.id, target.id, source_merged=source.merged_into_id is not None,
                       target_merged=target.merged_into_id is not None)
    have = _supporters(db, target.id)
    wanted = topics.merged_supporters(have, _supporters(db, source.id), source.author_id)
    db.add_all(Support(topic_id=target.id, participant_id=p) for p in sorted(wanted - have))
    source.merged_into_id = target.id
    owners = _gone(db, session, source.id)
    db.commit()
    # the supporters who now back the target see it among their own supports
    return Outcome(session.id, _shown(session), personal=owners | frozenset(wanted - have))


def _shown(session: Session) -> frozenset[str]:
    """The parts that show the topics: the wall, and those of the session's format."""
    return CHANGED | formats.get(session.format).topic_parts


def _gone(db: Db, session: Session, topic_id: int) -> frozenset[int]:
    """A topic leaves the wall: its format gives back what hung on it (dots); returns the
    participants whose own view changed. The caller commits."""
    hook = formats.get(session.format).topic_gone
    return hook(db, session, topic_id) if hook else frozenset()


def _supporters(db: Db, topic_id: int) -> set[int]:
    return set(db.scalars(select(Support.participant_id).where(Support.topic_id == topic_id)))


def live_topic(db: Db, session: Session, topic_id: object) -> Topic:
    """A topic of this session that is on the wall: not hidden, not merged away."""
    topic = get(db, Topic, topic_id, "topic")
    same_session(topic.session_id, session, "topic")
    if topic.hidden or topic.merged_into_id is not None:
        raise DomainError("not_found", what="topic")
    return topic


def _facilitator_topic(db: Db, actor: Actor, topic_id: object) -> tuple[Topic, Session]:
    topic = get(db, Topic, topic_id, "topic")
    session = own_session(db, actor, topic.session_id)
    require_step(Step(session.step), *TOPIC_STEPS)
    return topic, session


__all__ = ["raise_topic", "support_topic", "edit_topic", "hide_topic", "merge_topics"]
