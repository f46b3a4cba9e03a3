"""A resident's own record (我的参与): what they took part in across the community's sessions,
to read on the phone, to download, and to erase.

Built from the stored rows on every read, never a copy that could drift. A secret poll shows
only that the resident took part, never a choice. Erasure removes who the resident is (name,
door, phone) from every record of theirs and keeps every row a tally or a document counts, so
no figure of any meeting moves.
"""
from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.domain.inbox import IssueState
from council.models import (Action, Ballot, Council, Decision, Issue, IssueSupport, Objection, Participant,
                            Participation, Poll, Proposal, Rating, Resident, Session, Topic)
from council.models.base import utcnow
from council.services.common import Outcome
from council.services.participants import find_participant, session_by_code

# What an erased resident is called wherever a name was: documents print Chinese in any UI language.
ERASED = "已删除的居民"


def resident_of_device(db: Db, code: object, device_token: object) -> Resident:
    """The resident a phone is, found by a session's join code and the phone's device token."""
    participant = find_participant(db, session_by_code(db, code), device_token)
    if participant is None or participant.resident_id is None:
        raise DomainError("not_participant")
    resident = db.get_one(Resident, participant.resident_id)
    if resident.erased_at is not None:
        raise DomainError("not_participant")
    return resident


def record(db: Db, resident: Resident) -> dict[str, Any]:
    """Everything the resident took part in, as plain data, latest session first."""
    people = list(db.scalars(select(Participant.id).where(Participant.resident_id == resident.id)))
    sessions = db.execute(
        select(Session.id, Session.title, Session.starts_at, Council.name, Participant.added_by_id)
        .join(Participant, Participant.session_id == Session.id).join(Council, Council.id == Session.council_id)
        .where(Participant.id.in_(people), Participant.present())  # attended: a remote vote is under polls
        .order_by(Session.starts_at.desc(), Session.id.desc())).all()
    return {
        "resident": {"name": resident.display_name, "door": resident.door_number,
                     "since": resident.created_at.isoformat()},
        "sessions": [{"id": sid, "title": title, "starts_at": at.isoformat(), "council": council,
                      "entered": added_by is not None} for sid, title, at, council, added_by in sessions],
        "topics": _topics(db, people),
        "polls": _polls(db, people),
        "actions": [{"what": what, "deadline": deadline.isoformat(), "status": status.value} for what, deadline, status
                    in db.execute(select(Action.what, Action.deadline, Action.status)
                                  .where(Action.owner_resident_id == resident.id).order_by(Action.deadline))],
        "points": _points(db, resident),
        # an escalation's action has no meeting of its own: it is named by the meeting that rated it
        "ratings": [{"session": s, "action": what, "value": value.value} for s, what, value in db.execute(
            select(Session.title, Action.what, Rating.value).join(Action, Action.id == Rating.action_id)
            .join(Session, Session.id == func.coalesce(Action.session_id, Rating.session_id))
            .where(Rating.participant_id.in_(people)).order_by(Rating.id))],
        "issues": _issues(db, resident),
    }


def _issues(db: Db, resident: Resident) -> list[dict[str, Any]]:
    """The issues the resident raised or backed on a council's page, newest first, with what became
    of them: the answer, or the unit or council that owes the reply and by when. A duplicate
    merged away is left out: its backers back the issue it went into."""
    mine = [r.id for r in _with_merged(db, resident)]
    backed = select(IssueSupport.issue_id).where(IssueSupport.resident_id.in_(mine))
    rows = db.execute(select(Issue, Council.name).join(Council, Council.id == Issue.council_id)
                      .where(or_(Issue.resident_id.in_(mine), Issue.id.in_(backed)),
                             Issue.state != IssueState.MERGED)
                      .order_by(Issue.created_at.desc(), Issue.id.desc())).all()
    above = dict(db.execute(select(Council.id, Council.name).where(
        Council.id.in_({i.escalated_to_id for i, _ in rows if i.escalated_to_id}))).all())
    return [{"text": i.text, "council": council, "raised": i.resident_id in mine, "state": i.state.value,
             "raised_at": i.created_at.isoformat(), "answer": i.answer,
             "answered_at": i.answered_at.isoformat() if i.answered_at else None,
             "escalated_to": above.get(i.escalated_to_id, "") if i.escalated_to_id else i.unit,
             "reply_due": i.reply_due.isoformat() if i.reply_due else None} for i, council in rows]


def _points(db: Db, resident: Resident) -> dict[str, Any]:
    from council.services.points import points_of
    total, lines = points_of(db, resident)
    return {"total": total, "lines": [{"deed": line.deed.value, "count": line.count, "each": line.each,
                                       "points": line.points} for line in lines]}


def _topics(db: Db, people: list[int]) -> list[dict[str, Any]]:
    """Each topic raised and what became of it: a proposal, a decision, actions and their state."""
    out = []
    for tid, text, session in db.execute(select(Topic.id, Topic.text, Session.title)
                                         .join(Session, Session.id == Topic.session_id)
                                         .where(Topic.author_id.in_(people)).order_by(Topic.id)):
        became = []
        for pid, title in db.execute(select(Proposal.id, Proposal.title).where(Proposal.topic_id == tid)):
            decision = db.execute(select(Decision.id, Decision.adopted).where(Decision.proposal_id == pid)).first()
            actions = [] if decision is None else [
                {"what": what, "status": status.value} for what, status in
                db.execute(select(Action.what, Action.status).where(Action.decision_id == decision.id))]
            became.append({"proposal": title, "adopted": None if decision is None else decision.adopted,
                           "actions": actions})
        out.append({"session": session, "text": text, "became": became})
    return out


def _polls(db: Db, people: list[int]) -> list[dict[str, Any]]:
    """The polls taken part in: an open ballot with its choice, a secret one without."""
    keys = [f"p:{p}" for p in people]
    rows = db.execute(
        select(Poll.id, Proposal.title, Session.title, Poll.secret, Ballot.choice)
        .join(Proposal, Proposal.id == Poll.proposal_id).join(Session, Session.id == Proposal.session_id)
        .join(Ballot, Ballot.poll_id == Poll.id).where(Ballot.participant_id.in_(people)).order_by(Poll.id))
    polls = {pid: {"proposal": title, "session": session, "choice": None if secret else choice.value}
             for pid, title, session, secret, choice in rows}
    for pid, title, session in db.execute(  # a closed secret poll keeps only who took part
            select(Poll.id, Proposal.title, Session.title).join(Proposal, Proposal.id == Poll.proposal_id)
            .join(Session, Session.id == Proposal.session_id).join(Participation, Participation.poll_id == Poll.id)
            .where(Participation.voter_key.in_(keys))):
        polls.setdefault(pid, {"proposal": title, "session": session, "choice": None})
    return [polls[k] for k in sorted(polls)]


def erase(db: Db, resident: Resident) -> Outcome:
    """Forget who the resident is, keep what they did: their name becomes ERASED everywhere, the
    community's record loses door and phone, and the phone no longer finds it. Every ballot,
    support, topic and rating stays counted; a meeting's rows keep the door, the household's."""
    people = list(db.scalars(select(Participant).where(Participant.resident_id == resident.id)))
    if people:
        db.execute(update(Participation).where(Participation.voter_key.in_([f"p:{p.id}" for p in people]))
                   .values(label=ERASED))
    for participant in people:  # a token of its own each: two of one person may share a session
        # the door stays on the meeting's rows: it is the household's, and households are counted
        participant.display_name = ERASED
        participant.device_token = "erased-" + secrets.token_urlsafe(24)
    # an objection stays on the posted record (it was answered there), no longer theirs
    db.execute(update(Objection).where(Objection.resident_id.in_([r.id for r in _with_merged(db, resident)]))
               .values(resident_id=None))
    for record_ in _with_merged(db, resident):  # the records merged into it named the same person
        record_.display_name, record_.door_number, record_.device_token = ERASED, "", None
        record_.erased_at = utcnow()
    db.commit()
    return Outcome(None, frozenset(), {"erased": True})  # live screens show it at their next change


def _with_merged(db: Db, resident: Resident) -> list[Resident]:
    out, todo = [], [resident]
    while todo:
        at = todo.pop()
        out.append(at)
        todo.extend(db.scalars(select(Resident).where(Resident.merged_into_id == at.id)))
    return out


__all__ = ["ERASED", "record", "erase", "resident_of_device"]
