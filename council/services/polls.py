"""Polls on proposals: open, cast, close; the close turns the tally into a decision."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, voting
from council.domain.steps import Step, require_step
from council.models import Ballot, BallotReceipt, Decision, Poll, Proposal
from council.models.base import utcnow
from council.services.common import Actor, Outcome, get, own_session, participant_session, same_session, upsert, insert_once

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def open_poll(db: Db, actor: Actor, proposal_id: object, rule: str = "majority_cast") -> Outcome:
    """Open a yes / no / abstain poll on a proposal that has no decision yet."""
    proposal = get(db, Proposal, proposal_id, "proposal")
    session = own_session(db, actor, proposal.session_id)
    require_step(Step(session.step), Step.DECIDE)
    voting.decide(voting.Tally(), rule)  # refuses an unknown rule before anything is stored
    if db.scalar(select(Decision.id).where(Decision.proposal_id == proposal.id)):
        raise DomainError("already_decided")
    poll = Poll(session_id=session.id, proposal_id=proposal.id, rule=rule, status="open")
    db.add(poll)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise DomainError("poll_already_open") from None
    return Outcome(session.id, frozenset({"polls"}), {"poll_id": poll.id})


def cast_vote(db: Db, actor: Actor, poll_id: object, choice: object, client_id: object) -> Outcome:
    """Record or change a participant's vote; a send already applied changes nothing."""
    participant, session = participant_session(db, actor)
    choice = voting.parse_choice(choice)
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise DomainError("invalid_field", field="client_id")
    poll = _locked_poll(db, poll_id, exclusive=False)
    same_session(poll.session_id, session, "poll")
    voting.require_open(poll.status)
    if not insert_once(db, BallotReceipt, {"poll_id": poll.id, "participant_id": participant.id,
                                           "client_id": client_id}):
        current = db.scalar(select(Ballot.choice).where(Ballot.poll_id == poll.id,
                                                        Ballot.participant_id == participant.id))
        db.commit()
        return Outcome(session.id, frozenset(), {"poll_id": poll.id, "choice": current, "duplicate": True})
    upsert(db, Ballot, {"poll_id": poll.id, "participant_id": participant.id},
           {"choice": choice.value, "cast_at": utcnow()})
    db.commit()
    return Outcome(session.id, frozenset({"tally"}), {"poll_id": poll.id, "choice": choice.value,
                                                      "duplicate": False})


def close_poll(db: Db, actor: Actor, poll_id: object) -> Outcome:
    """Close the poll and record the decision with the tally it rests on."""
    poll = _locked_poll(db, poll_id, exclusive=True)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status)
    result = voting.decide(tally_of(db, poll.id), poll.rule)
    poll.status, poll.closed_at = "closed", utcnow()
    t = result.tally
    db.add(Decision(session_id=session.id, poll_id=poll.id, proposal_id=poll.proposal_id,
                    adopted=result.adopted, yes=t.yes, no=t.no, abstain=t.abstain))
    db.commit()
    return Outcome(session.id, frozenset({"polls"}),
                   {"poll_id": poll.id, "adopted": result.adopted, **t.as_dict()})


def tally_of(db: Db, poll_id: int) -> voting.Tally:
    """The tally recomputed from the stored ballots."""
    rows = db.execute(select(Ballot.choice, func.count()).where(Ballot.poll_id == poll_id)
                      .group_by(Ballot.choice)).all()
    counts = {choice: n for choice, n in rows}
    return voting.Tally(yes=counts.get("yes", 0), no=counts.get("no", 0),
                        abstain=counts.get("abstain", 0))


def _locked_poll(db: Db, poll_id: object, *, exclusive: bool) -> Poll:
    # Voters share the lock, the close takes it alone: a vote racing the close is either
    # committed before the count or sees the poll closed.
    if isinstance(poll_id, bool) or not isinstance(poll_id, int):
        raise DomainError("invalid_field", field="poll_id")
    stmt = select(Poll).where(Poll.id == poll_id).with_for_update(read=not exclusive)
    poll = db.execute(stmt.execution_options(populate_existing=True)).scalar_one_or_none()
    if poll is None:
        raise DomainError("not_found", what="poll")
    return poll
