"""Pre-moderation: the session's switch, and the facilitator's OK (or no) on each topic
residents raise while it is on. Café ideas have theirs in their format (`idea.approve`)."""
from __future__ import annotations

from sqlalchemy.orm import Session as Db

from council.domain import DomainError, moderation
from council.domain.steps import Step, require_step
from council.models import Topic
from council.services import audit
from council.services.common import Actor, Outcome, get, own_session
from council.services.topics import TOPIC_STEPS, mentions, shown_parts


def set_premoderation(db: Db, actor: Actor, session_id: int, on: object) -> Outcome:
    """Hold what phones write for the facilitator's OK, or show it at once again; in any step.
    Switching it off leaves what already waits waiting: each is approved or rejected by hand."""
    session = own_session(db, actor, session_id)
    if not isinstance(on, bool):
        raise DomainError("invalid_field", field="on")
    session.premoderation = on
    audit.record(db, session.id, "moderation.set", audit.facilitator_label(session), on=on)
    db.commit()
    return Outcome(session.id, frozenset({"session"}), {"on": on})


def approve_topic(db: Db, actor: Actor, topic_id: object) -> Outcome:
    """A waiting topic goes on the wall, as if it had just been raised."""
    return _decide(db, actor, topic_id, approve=True)


def reject_topic(db: Db, actor: Actor, topic_id: object) -> Outcome:
    """A waiting topic is never shown; its author is told."""
    return _decide(db, actor, topic_id, approve=False)


def _decide(db: Db, actor: Actor, topic_id: object, approve: bool) -> Outcome:
    topic = get(db, Topic, topic_id, "topic")
    session = own_session(db, actor, topic.session_id)
    require_step(Step(session.step), *TOPIC_STEPS)
    topic.review = moderation.decide(topic.review, approve)
    audit.record(db, session.id, "topic.approve" if approve else "topic.reject", audit.facilitator_label(session),
                 topic=topic.id, text=topic.text)
    owners = mentions(db, topic)
    db.commit()
    # a rejected topic was never on any screen but the console: only it and the author change
    return Outcome(session.id, shown_parts(session) if approve else frozenset({"topics"}), {"topic_id": topic.id},
                   personal=owners)
