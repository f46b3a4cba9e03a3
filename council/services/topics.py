"""The topic wall: residents raise and support, the facilitator edits, hides, merges and
undoes a merge. Approving and rejecting under pre-moderation: `council.services.moderation`."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import DomainError, moderation, topics
from council.domain.steps import Step, require_step
from council.domain.text import TOPIC_MAX, TOPICS_PER_RESIDENT, clean, within_share
from council.models import Participant, Session, Support, Topic
from council.services import audit
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
    # under pre-moderation a resident's topic waits for the facilitator; theirs goes up at once
    review = moderation.initial(session.premoderation, by_facilitator=actor.kind == "facilitator")
    topic = Topic(session_id=session.id, author_id=author.id if author else None,
                  text=clean(text, field="text", maximum=TOPIC_MAX), review=review)
    db.add(topic)
    db.flush()
    if author is not None:
        db.add(Support(topic_id=topic.id, participant_id=author.id))
    db.commit()
    # a waiting topic is on no screen but the console's (and its author's own list)
    parts = shown_parts(session) if review is moderation.Review.APPROVED else CHANGED
    return Outcome(session.id, parts, {"topic_id": topic.id, "review": review.value},
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
    owners = mentions(db, topic)  # a phone that names this topic in its own list shows the new text
    db.commit()
    return Outcome(session.id, shown_parts(session), personal=owners)


def hide_topic(db: Db, actor: Actor, topic_id: object, hidden: object = True) -> Outcome:
    """Hide abuse from the wall; the facilitator still sees it and can show it again."""
    topic, session = _facilitator_topic(db, actor, topic_id)
    if not isinstance(hidden, bool):
        raise DomainError("invalid_field", field="hidden")
    topic.hidden = hidden
    owners = _gone(db, session, topic.id) if hidden else frozenset()
    owners |= mentions(db, topic) - {topic.author_id}  # phones that quote it as where theirs went
    db.commit()
    return Outcome(session.id, shown_parts(session), personal=owners)


def merge_topics(db: Db, actor: Actor, source_id: object, target_id: object) -> Outcome:
    """Fold a duplicate into another topic; its supporters (and author) back the target. The
    duplicate keeps its own supports, and the ones brought over are marked as such, so that
    `unmerge_topic` can undo exactly this. A duplicate still waiting for approval is approved
    by being merged: the facilitator has read it."""
    source, session = _facilitator_topic(db, actor, source_id)
    target = get(db, Topic, target_id, "topic")
    same_session(target.session_id, session, "topic")
    topics.check_merge(source.id, target.id, source_merged=source.merged_into_id is not None,
                       target_merged=target.merged_into_id is not None,
                       source_review=source.review, target_review=target.review)
    have = _supporters(db, target.id)
    wanted = topics.merged_supporters(have, _supporters(db, source.id), source.author_id)
    moved = sorted(wanted - have)
    db.add_all(Support(topic_id=target.id, participant_id=p, via_topic_id=source.id) for p in moved)
    source.merged_into_id = target.id
    source.review = moderation.Review.APPROVED
    audit.record(db, session.id, "topic.merge", audit.facilitator_label(session), topic=source.id, text=source.text,
                 into=target.id, into_text=target.text, supporters=len(moved))
    owners = _gone(db, session, source.id) | mentions(db, source)
    db.commit()
    # the supporters who now back the target see it among their own supports; the author
    # of the duplicate sees where her topic went
    return Outcome(session.id, shown_parts(session), {"topic_id": target.id}, personal=owners | frozenset(moved))


def unmerge_topic(db: Db, actor: Actor, topic_id: object) -> Outcome:
    """Undo a merge: the duplicate is on the wall again with the supports it always kept, and
    the target loses exactly the supports the merge brought over (a resident who backed both
    before the merge backs both still; one who withdrew the moved support meanwhile is not
    given it back). Dots the duplicate had were given back at the merge and stay with their
    owners. Allowed in raise and discuss, like a merge, also when the target has become a
    proposal's topic: the proposal stays with the target."""
    source, session = _facilitator_topic(db, actor, topic_id)
    target = db.get(Topic, source.merged_into_id) if source.merged_into_id is not None else None
    topics.check_unmerge(merged=target is not None,
                         target_merged=target is not None and target.merged_into_id is not None)
    assert target is not None
    moved = set(db.scalars(select(Support.participant_id).where(Support.topic_id == target.id,
                                                               Support.via_topic_id == source.id)))
    db.execute(delete(Support).where(Support.topic_id == target.id, Support.via_topic_id == source.id))
    source.merged_into_id = None
    audit.record(db, session.id, "topic.unmerge", audit.facilitator_label(session), topic=source.id,
                 text=source.text, into=target.id, into_text=target.text, supporters=len(moved))
    owners = mentions(db, source)
    db.commit()
    return Outcome(session.id, shown_parts(session), {"topic_id": source.id}, personal=owners | frozenset(moved))


def shown_parts(session: Session) -> frozenset[str]:
    """The parts that show the topics: the wall, and those of the session's format."""
    return CHANGED | formats.get(session.format).topic_parts


def mentions(db: Db, topic: Topic) -> frozenset[int]:
    """The participants whose own view (`me`) names this topic: its author, and the authors of
    the topics merged into it (their phones say where their topic went, with its text)."""
    authors = set(db.scalars(select(Topic.author_id).where(Topic.merged_into_id == topic.id,
                                                         Topic.author_id.is_not(None))))
    if topic.author_id is not None:
        authors.add(topic.author_id)
    return frozenset(authors)


def _gone(db: Db, session: Session, topic_id: int) -> frozenset[int]:
    """A topic leaves the wall: its format gives back what hung on it (dots); returns the
    participants whose own view changed. The caller commits."""
    hook = formats.get(session.format).topic_gone
    return hook(db, session, topic_id) if hook else frozenset()


def _supporters(db: Db, topic_id: int) -> set[int]:
    return set(db.scalars(select(Support.participant_id).where(Support.topic_id == topic_id)))


def live_topic(db: Db, session: Session, topic_id: object) -> Topic:
    """A topic of this session that is on the wall: approved, not hidden, not merged away
    (as `Topic.on_wall` says). A topic waiting for approval takes no support."""
    topic = get(db, Topic, topic_id, "topic")
    same_session(topic.session_id, session, "topic")
    if topic.hidden or topic.merged_into_id is not None or topic.review != moderation.Review.APPROVED:
        raise DomainError("not_found", what="topic")
    return topic


def _facilitator_topic(db: Db, actor: Actor, topic_id: object) -> tuple[Topic, Session]:
    topic = get(db, Topic, topic_id, "topic")
    session = own_session(db, actor, topic.session_id)
    require_step(Step(session.step), *TOPIC_STEPS)
    return topic, session


__all__ = ["raise_topic", "support_topic", "edit_topic", "hide_topic", "merge_topics", "unmerge_topic"]
