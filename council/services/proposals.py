"""Proposals drawn from the discussion (民事民议)."""
from __future__ import annotations

from sqlalchemy.orm import Session as Db

from council.domain.steps import Step, require_step
from council.domain.text import PROPOSAL_MAX, TOPIC_MAX, clean
from council.models import Proposal, Topic
from council.services.common import Actor, Outcome, get, own_session, same_session

PROPOSAL_STEPS = (Step.DISCUSS, Step.DECIDE)
CHANGED = frozenset({"proposals"})


def create_proposal(db: Db, actor: Actor, session_id: int, title: object, text: object = "",
                    topic_id: object = None) -> Outcome:
    """Turn a topic (or the room's idea) into something that can be voted on."""
    session = own_session(db, actor, session_id)
    require_step(Step(session.step), *PROPOSAL_STEPS)
    if topic_id is not None:
        same_session(get(db, Topic, topic_id, "topic").session_id, session, "topic")
    proposal = Proposal(session_id=session.id, topic_id=topic_id,
                        title=clean(title, field="title", maximum=TOPIC_MAX),
                        text=clean(text, field="text", maximum=PROPOSAL_MAX, required=False))
    db.add(proposal)
    db.commit()
    return Outcome(session.id, CHANGED, {"proposal_id": proposal.id})


def edit_proposal(db: Db, actor: Actor, proposal_id: object, title: object, text: object = "") -> Outcome:
    proposal = get(db, Proposal, proposal_id, "proposal")
    session = own_session(db, actor, proposal.session_id)
    require_step(Step(session.step), *PROPOSAL_STEPS)
    proposal.title = clean(title, field="title", maximum=TOPIC_MAX)
    proposal.text = clean(text, field="text", maximum=PROPOSAL_MAX, required=False)
    db.commit()
    return Outcome(session.id, CHANGED | {"polls"})
