"""The session's current state as plain data, whole or by part, for each audience.

A page that connects or reconnects gets `snapshot`; after a change, the changed parts are
rebuilt with `part` and broadcast. Audiences: "console" (the facilitator: everything,
hidden topics too), "public" (projector and phones).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session as Db

from council.domain import evaluation, rules
from council.models import (ActionUpdate, ArticleChange, Ballot, Decision, Household, Participant, Participation, Poll, Proposal,
                            Rating, Session, Support, Topic)
from council.models.base import utcnow
from council.services import format_state

def _session(db: Db, s: Session, audience: str) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "place": s.place, "format": s.format,
            "starts_at": s.starts_at.isoformat(), "step": s.step, "join_code": s.join_code,
            "council": s.council.name, "facilitator": s.facilitator.name, "recorder": s.recorder,
            "timer_ends_at": s.timer_ends_at.isoformat() if s.timer_ends_at else None,
            "timer_seconds": s.timer_seconds, "server_now": utcnow().isoformat()}


def _participants(db: Db, s: Session, audience: str) -> dict[str, Any]:
    rows = db.execute(select(Participant.id, Participant.display_name, Participant.door_number, Participant.left)
                      .where(Participant.session_id == s.id).order_by(Participant.id)).all()
    data: dict[str, Any] = {"count": len(rows), "households": len({r.door_number for r in rows if r.door_number})}
    if audience == "console":
        data["list"] = [{"id": r.id, "name": r.display_name, "door": r.door_number, "left": r.left} for r in rows]
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
    rows = db.scalars(select(Proposal).where(Proposal.session_id == s.id).order_by(Proposal.id)).all()
    changes = {c.proposal_id: {"kind": c.kind, "target": c.target} for c in
               db.scalars(select(ArticleChange).where(ArticleChange.proposal_id.in_([p.id for p in rows])))}
    return [{"id": p.id, "title": p.title, "text": p.text, "topic_id": p.topic_id, "article": changes.get(p.id),
             "from": "need" if p.need_id else "idea" if p.idea_id else None} for p in rows]


def _convention(db: Db, s: Session, audience: str) -> dict[str, Any]:
    from council.services import convention
    return convention.view(db, s.council_id)


def live_tallies(db: Db, session_id: int) -> dict[int, tuple[rules.Tally, dict[str, rules.Tally]]]:
    """Counts of the session's open polls, straight from the ballots and entered counts."""
    from council.services.polls import tallies_of
    open_ids = list(db.execute(_OPEN_POLLS, {"session": session_id}).scalars())
    return tallies_of(db, open_ids)


_OPEN_POLLS = text("SELECT id FROM polls WHERE session_id = :session AND status = 'open'")


def _tally_view(total: rules.Tally, channels: dict[str, rules.Tally]) -> dict[str, Any]:
    return {"tally": total.as_dict(), "channels": {k: v.as_dict() for k, v in channels.items() if v.cast}}


def _polls(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    live = live_tallies(db, s.id)
    decisions = {d.poll_id: d for d in db.scalars(select(Decision).where(Decision.session_id == s.id))}
    out = []
    for p in db.scalars(select(Poll).where(Poll.session_id == s.id).order_by(Poll.id)):
        d = decisions.get(p.id)
        if d:
            cert = d.certificate
            view = {"tally": cert.get("total") or rules.Tally(d.yes, d.no, d.abstain).as_dict(),
                    "channels": cert.get("channels", {})}
            needed = cert.get("needed", 0)
        else:
            total, channels = live.get(p.id, (rules.Tally(), {}))
            view = _tally_view(total, channels)
            needed = rules.decide(total, p.rule, quorum=p.quorum).needed
        out.append({"id": p.id, "proposal_id": p.proposal_id, "status": p.status, "rule": p.rule, "unit": p.unit,
                    "secret": p.secret, "quorum": p.quorum, "present": p.present, "needed": needed, **view,
                    "decision": {"id": d.id, "adopted": d.adopted} if d else None,
                    "certificate": d.certificate if d else None})
    return out


def _ballots(db: Db, s: Session, audience: str) -> dict[str, Any]:
    """Who voted how (names only for open ballots), entered votes and conflicts: the console's view."""
    out: dict[str, Any] = {}
    people = dict(db.execute(select(Participant.id, Participant.display_name)
                             .where(Participant.session_id == s.id)).all())
    doors = dict(db.execute(select(Household.id, Household.door_number)
                            .where(Household.council_id == s.council_id)).all())
    for p in db.scalars(select(Poll).where(Poll.session_id == s.id).order_by(Poll.id)):
        rows = [{"voter": doors.get(b.household_id) or people.get(b.participant_id, ""),
                 "choice": None if p.secret else b.choice, "channel": b.channel,
                 "replaced": b.replaced_channel, "entered": b.entered_by_id is not None}
                for b in db.scalars(select(Ballot).where(Ballot.poll_id == p.id, Ballot.voter_key.is_not(None))
                                    .order_by(Ballot.voter_key))]
        took_part = list(db.scalars(select(Participation.label).where(Participation.poll_id == p.id)
                                    .order_by(Participation.label)))
        out[str(p.id)] = {"ballots": rows, "took_part": took_part,
                          "conflicts": [r for r in rows if r["replaced"]]}
    return out


def _actions(db: Db, s: Session, audience: str) -> list[dict[str, Any]]:
    """This session's actions, then those carried over from earlier meetings of the council;
    ratings are the ones given in this session."""
    from council.services.actions import evaluated_in
    listed = evaluated_in(db, s)
    ratings: dict[int, list[evaluation.Rating]] = defaultdict(list)
    for action_id, value in db.execute(select(Rating.action_id, Rating.value)
                                       .where(Rating.session_id == s.id)):
        ratings[action_id].append(evaluation.Rating(value))
    origins = dict(db.execute(select(Session.id, Session.title)
                              .where(Session.id.in_({a.session_id for a, _ in listed}))).all())
    notes: dict[int, str] = {}
    for action_id, note in db.execute(select(ActionUpdate.action_id, ActionUpdate.note)
                                      .where(ActionUpdate.action_id.in_([a.id for a, _ in listed]),
                                             ActionUpdate.note != "").order_by(ActionUpdate.at)):
        notes[action_id] = note  # the latest note wins
    return [{"id": a.id, "decision_id": a.decision_id, "what": a.what, "owner": a.owner, "owner_kind": a.owner_kind,
             "deadline": a.deadline.isoformat(), "status": a.status, "rating_open": a.rating_open,
             "carried": carried, "origin": origins.get(a.session_id, ""), "note": notes.get(a.id, ""),
             "ratings": evaluation.summarize(ratings[a.id]).as_dict()} for a, carried in listed]


_BUILDERS: dict[str, Callable[[Db, Session, str], Any]] = {
    "session": _session, "participants": _participants, "topics": _topics,
    "proposals": _proposals, "polls": _polls, "actions": _actions, "ballots": _ballots,
    "convention": _convention, "dots": format_state.dots, "agenda": format_state.agenda,
    "cafe": format_state.cafe, "ideas": format_state.ideas,
}
CONSOLE_ONLY = frozenset({"ballots"})


def part(db: Db, session_id: int, name: str, audience: str) -> Any:
    """One part of the state, as the audience may see it."""
    if name == "tally":
        return {str(pid): _tally_view(*t) for pid, t in live_tallies(db, session_id).items()}
    return _BUILDERS[name](db, db.get_one(Session, session_id), audience)


def snapshot(db: Db, session_id: int, audience: str, participant_id: int | None = None) -> dict[str, Any]:
    """Everything a page needs to show the session as it is now."""
    s = db.get_one(Session, session_id)
    state = {name: build(db, s, audience) for name, build in _BUILDERS.items()
             if audience == "console" or name not in CONSOLE_ONLY}
    if participant_id is not None:
        state["me"] = me(db, participant_id)
    return state


def me(db: Db, participant_id: int) -> dict[str, Any]:
    """What one participant has done: their supports, votes and ratings."""
    p = db.get_one(Participant, participant_id)
    keys = [f"p:{p.id}"] + ([f"h:{p.household_id}"] if p.household_id else [])
    household = db.get(Household, p.household_id) if p.household_id else None
    return {"id": p.id, "name": p.display_name, "door": p.door_number,
            "household": household.door_number if household else None,
            "supports": list(db.scalars(select(Support.topic_id).where(Support.participant_id == p.id))),
            "ballots": {str(k): v for k, v in db.execute(select(Ballot.poll_id, Ballot.choice)
                                                          .where(Ballot.voter_key.in_(keys)))},
            "took_part": [str(k) for k in db.scalars(select(Participation.poll_id)
                                                     .where(Participation.voter_key.in_(keys)))],
            "ratings": {str(k): v for k, v in db.execute(select(Rating.action_id, Rating.value)
                                                          .where(Rating.participant_id == p.id))},
            **format_state.mine(db, p)}
