"""The session's current state as plain data, whole or by part, for each audience.

A page that connects or reconnects gets `snapshot`; after a change, the changed parts are
rebuilt with `part` and broadcast. Audiences: "console" (the facilitator: everything,
hidden topics too), "public" (projector and phones).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council.domain import evaluation, voting
from council.models import (Action, Ballot, Decision, Participant, Poll, Proposal, Rating,
                            Session, Support, Topic)
from council.models.base import utcnow

PARTS = ("session", "participants", "topics", "proposals", "polls", "actions")


def _session(db: Db, s: Session, audience: str) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "place": s.place, "format": s.format,
            "starts_at": s.starts_at.isoformat(), "step": s.step, "join_code": s.join_code,
            "council": s.council.name, "facilitator": s.facilitator.name, "recorder": s.recorder,
            "timer_ends_at": s.timer_ends_at.isoformat() if s.timer_ends_at else None,
            "timer_seconds": s.timer_seconds, "server_now": utcnow().isoformat()}


def _participants(db: Db, s: Session, audience: str) -> dict[str, Any]:
    rows = db.execute(select(Participant.id, Participant.display_name, Participant.door_number)
                      .where(Participant.session_id == s.id).order_by(Participant.id)).all()
    data: dict[str, Any] = {"count": len(rows), "households": len({r.door_number for r in rows if r.door_number})}
    if audience == "console":
        data["list"] = [{"id": r.id, "name": r.display_name, "door": r.door_number} for r in rows]
    return data


def _topics(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    supports = dict(db.execute(select(Support.topic_id, func.count()).join(Topic)
                               .where(Topic.session_id == s.id).group_by(Support.topic_id)).all())
    query = select(Topic, Participant.display_name).outerjoin(Participant, Topic.author_id == Participant.id) \
        .where(Topic.session_id == s.id).order_by(Topic.id)
    if audience != "console":
        query = query.where(Topic.hidden.is_(False), Topic.merged_into_id.is_(None))
    return [{"id": t.id, "text": t.text, "supports": supports.get(t.id, 0), "author": name,
             "hidden": t.hidden, "merged_into": t.merged_into_id}
            for t, name in db.execute(query).all()]


def _proposals(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    rows = db.scalars(select(Proposal).where(Proposal.session_id == s.id).order_by(Proposal.id))
    return [{"id": p.id, "title": p.title, "text": p.text, "topic_id": p.topic_id} for p in rows]


def live_tallies(db: Db, session_id: int) -> dict[int, voting.Tally]:
    """Counts of the session's open polls, straight from the ballots."""
    rows = db.execute(select(Ballot.poll_id, Ballot.choice, func.count()).join(Poll)
                      .where(Poll.session_id == session_id, Poll.status == "open")
                      .group_by(Ballot.poll_id, Ballot.choice)).all()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for poll_id, choice, n in rows:
        counts[poll_id][choice] = n
    return {pid: voting.Tally(**c) for pid, c in counts.items()}


def _polls(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    live = live_tallies(db, s.id)
    decisions = {d.poll_id: d for d in db.scalars(select(Decision).where(Decision.session_id == s.id))}
    out = []
    for p in db.scalars(select(Poll).where(Poll.session_id == s.id).order_by(Poll.id)):
        d = decisions.get(p.id)
        tally = voting.Tally(d.yes, d.no, d.abstain) if d else live.get(p.id, voting.Tally())
        out.append({"id": p.id, "proposal_id": p.proposal_id, "status": p.status, "rule": p.rule,
                    "tally": tally.as_dict(), "needed": voting.decide(tally, p.rule).needed,
                    "decision": {"id": d.id, "adopted": d.adopted} if d else None})
    return out


def _actions(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    ratings: dict[int, list[evaluation.Rating]] = defaultdict(list)
    for action_id, value in db.execute(select(Rating.action_id, Rating.value).join(Action)
                                       .where(Action.session_id == s.id)):
        ratings[action_id].append(evaluation.Rating(value))
    rows = db.scalars(select(Action).where(Action.session_id == s.id).order_by(Action.id))
    return [{"id": a.id, "decision_id": a.decision_id, "what": a.what, "owner": a.owner,
             "deadline": a.deadline.isoformat(), "status": a.status, "rating_open": a.rating_open,
             "ratings": evaluation.summarize(ratings[a.id]).as_dict()} for a in rows]


_BUILDERS: dict[str, Callable[[Db, Session, str], Any]] = {
    "session": _session, "participants": _participants, "topics": _topics,
    "proposals": _proposals, "polls": _polls, "actions": _actions,
}


def part(db: Db, session_id: int, name: str, audience: str) -> Any:
    """One part of the state, as the audience may see it."""
    if name == "tally":
        return {str(pid): t.as_dict() for pid, t in live_tallies(db, session_id).items()}
    return _BUILDERS[name](db, db.get_one(Session, session_id), audience)


def snapshot(db: Db, session_id: int, audience: str, participant_id: int | None = None) -> dict[str, Any]:
    """Everything a page needs to show the session as it is now."""
    s = db.get_one(Session, session_id)
    state = {name: build(db, s, audience) for name, build in _BUILDERS.items()}
    if participant_id is not None:
        state["me"] = me(db, participant_id)
    return state


def me(db: Db, participant_id: int) -> dict[str, Any]:
    """What one participant has done: their supports, votes and ratings."""
    p = db.get_one(Participant, participant_id)
    return {"id": p.id, "name": p.display_name, "door": p.door_number,
            "supports": list(db.scalars(select(Support.topic_id).where(Support.participant_id == p.id))),
            "ballots": {str(k): v for k, v in db.execute(select(Ballot.poll_id, Ballot.choice)
                                                          .where(Ballot.participant_id == p.id))},
            "ratings": {str(k): v for k, v in db.execute(select(Rating.action_id, Rating.value)
                                                          .where(Rating.participant_id == p.id))}}
