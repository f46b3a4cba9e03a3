"""Proposals drawn from the discussion (民事民议)."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.domain.steps import Step, require_step
from council.domain.text import PROPOSAL_MAX, TOPIC_MAX, clean
from council.models import Poll, Proposal, Session, Topic
from council.services import audit, convention
from council.services.common import Actor, Outcome, get, own_session, same_session

# From raise on: a proposal written before the meeting goes on its notice (会议通知) and may be
# voted on from afar before the meeting (a poll with a voting window, issue 15).
PROPOSAL_STEPS = (Step.RAISE, Step.DISCUSS, Step.DECIDE)
CHANGED = frozenset({"proposals"})


def create_proposal(db: Db, actor: Actor, session_id: int, title: object, text: object = "",
                    topic_id: object = None, article: object = None) -> Outcome:
    """Turn a topic (or the room's idea) into something that can be voted on. `article`
    ("add": a starting convention text) marks it as a new article in the same transaction."""
    session = own_session(db, actor, session_id)
    require_step(Step(session.step), *PROPOSAL_STEPS)
    if topic_id is not None:
        same_session(get(db, Topic, topic_id, "topic").session_id, session, "topic")
    proposal = Proposal(session_id=session.id, topic_id=topic_id,
                        title=clean(title, field="title", maximum=TOPIC_MAX),
                        text=clean(text, field="text", maximum=PROPOSAL_MAX, required=False))
    db.add(proposal)
    parts = CHANGED
    if article is not None:
        if article != "add":  # an amendment or repeal names its article: proposal.article does that
            raise DomainError("invalid_field", field="article")
        db.flush()
        convention.mark(db, session, proposal, article)
        parts = parts | {"convention"}
    db.commit()
    return Outcome(session.id, parts, {"proposal_id": proposal.id})


def edit_proposal(db: Db, actor: Actor, proposal_id: object, title: object, text: object = "") -> Outcome:
    """Change a proposal's title and text, until it is put to the vote."""
    proposal, session = _unvoted(db, actor, proposal_id)
    proposal.title = clean(title, field="title", maximum=TOPIC_MAX)
    proposal.text = clean(text, field="text", maximum=PROPOSAL_MAX, required=False)
    db.commit()
    return Outcome(session.id, CHANGED | {"polls"})


def withdraw_proposal(db: Db, actor: Actor, proposal_id: object) -> Outcome:
    """Take a proposal off the list (with its convention mark), until it is put to the vote;
    the audit trail keeps what it was."""
    proposal, session = _unvoted(db, actor, proposal_id)
    audit.record(db, session.id, "proposal.withdraw", audit.facilitator_label(session),
                 proposal_id=proposal.id, title=proposal.title)
    db.execute(delete(Proposal).where(Proposal.id == proposal.id))  # its convention mark goes with it
    db.commit()
    return Outcome(session.id, CHANGED, {"proposal_id": proposal.id})


def _unvoted(db: Db, actor: Actor, proposal_id: object) -> tuple[Proposal, Session]:
    """A proposal of the facilitator's session that no poll has been opened on yet."""
    proposal = get(db, Proposal, proposal_id, "proposal")
    session = own_session(db, actor, proposal.session_id)
    require_step(Step(session.step), *PROPOSAL_STEPS)
    if db.scalar(select(Poll.id).where(Poll.proposal_id == proposal.id).limit(1)) is not None:
        raise DomainError("proposal_voted")
    return proposal, session
