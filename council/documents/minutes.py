"""The minutes (会议纪要): what one meeting did, as plain data built for the printed page.

Once the meeting is closed its minutes never change: they hold what the meeting raised,
discussed, decided, agreed and judged, and nothing that moves later (not the council's current
convention, not an action's progress after the meeting).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council import formats
from council.documents.dates import cn_minute, posting
from council.domain import convention as articles
from council.domain import evaluation
from council.domain.actions import ActionStatus, carries_over
from council.domain.households import count_households
from council.models import (Action, ActionUpdate, Article, Ballot, ConventionVersion, Decision, Household, Objection,
                            Participant, Participation, Poll, Proposal, Rating, Session, Support, Topic)
from council.services.actions import earlier_actions, judged_elsewhere, origins as action_origins
from council.words import channel_names, condition_words, owner_kinds, rule_names

# Where an escalation's action came from, in the carried actions' "from" column (printed in Chinese)
ESCALATED = "居民反映事项（上报答复）"


def plain(value: Any) -> Any:
    """An enum member as its stored value; anything else as it is."""
    return getattr(value, "value", value)


def build(db: Db, session_id: int) -> dict[str, Any]:
    """Everything the minutes print, and nothing else."""
    s = db.get_one(Session, session_id)
    titles = dict(db.execute(select(Proposal.id, Proposal.title).where(Proposal.session_id == s.id)).all())
    fmt = formats.get(plain(s.format))
    return {"title": s.title, "council": s.council.name, "held": cn_minute(s.starts_at), "place": s.place,
            "facilitator": s.facilitator.name, "recorder": s.recorder, "attendance": attendance(db, s),
            "topics": _topics(db, s),
            "section": fmt.minutes(db, s) if fmt.minutes else None,
            "section_template": fmt.minutes_template if fmt.minutes else None,
            "proposals": [{"title": p.title, "text": p.text} for p in
                          db.scalars(select(Proposal).where(Proposal.session_id == s.id).order_by(Proposal.id))],
            "polls": _polls(db, s, titles), **_actions(db, s, titles), "posting": posting(s),
            "objections": _objections(db, s)}


def _objections(db: Db, s: Session) -> dict[str, Any]:
    """The objections of the posting period (公示期异议) with their answers: the posted minutes
    change with each of them, and so does their fingerprint."""
    rows = list(db.scalars(select(Objection).where(Objection.session_id == s.id).order_by(Objection.id)))
    return {"received": len(rows), "answered": sum(1 for o in rows if o.answer is not None),
            "complete": cn_minute(s.posting_done_at) if s.posting_done_at else "",
            "rows": [{"door": o.door_number, "text": o.text, "entered": o.entered_by_id is not None,
                       "answer": o.answer or "", "answered": cn_minute(o.answered_at) if o.answered_at else ""}
                      for o in rows]}


def attendance(db: Db, s: Session) -> dict[str, int]:
    """People present (a remote voter is not: `Participant.present`), and the households their
    door numbers stand for."""
    doors = list(db.scalars(select(Participant.door_number).where(Participant.session_id == s.id,
                                                                  Participant.present())))
    return {"people": len(doors), "households": count_households(doors)}


def _topics(db: Db, s: Session) -> list[dict[str, Any]]:
    """The topics the room saw (`Topic.on_wall`: approved, not hidden, not merged away), with
    proposer and supporters."""
    supports = dict(db.execute(select(Support.topic_id, func.count()).join(Topic, Support.topic_id == Topic.id)
                               .where(Topic.session_id == s.id).group_by(Support.topic_id)).all())
    rows = db.execute(select(Topic.id, Topic.text, Participant.display_name)
                      .outerjoin(Participant, Topic.author_id == Participant.id)
                      .where(Topic.session_id == s.id, Topic.on_wall())
                      .order_by(Topic.id)).all()
    return [{"text": text, "author": name or "", "supports": supports.get(tid, 0)} for tid, text, name in rows]


def _polls(db: Db, s: Session, titles: dict[int, str]) -> list[dict[str, Any]]:
    """Each poll: its certificate in words, who voted, and the convention article it changed."""
    decisions = {d.poll_id: d for d in db.scalars(select(Decision).where(Decision.session_id == s.id))}
    voters = _voter_names(db, s)
    out = []
    for poll in db.scalars(select(Poll).where(Poll.session_id == s.id).order_by(Poll.id)):
        d = decisions.get(poll.id)
        item = {"title": titles.get(poll.proposal_id, "")}
        item.update(_decided(db, poll, d, voters) if d else {"decided": False, "tally": _open_tally(db, poll.id)})
        out.append(item)
    return out


def _voter_names(db: Db, s: Session) -> dict[str, dict[int, str]]:
    """How voters are named on the roll: households by door number, people by name."""
    return {"people": dict(db.execute(select(Participant.id, Participant.display_name)
                                      .where(Participant.session_id == s.id)).all()),
            "doors": dict(db.execute(select(Household.id, Household.door_number)
                                     .where(Household.council_id == s.council_id)).all())}


def _open_tally(db: Db, poll_id: int) -> dict[str, int]:
    """A poll still open when the minutes are printed: its counts so far."""
    from council.services.polls import tally_of
    total, _ = tally_of(db, poll_id)
    return {"yes": total.yes, "no": total.no, "abstain": total.abstain}


def _decided(db: Db, poll: Poll, d: Decision, voters: dict[str, dict[int, str]]) -> dict[str, Any]:
    """A closed poll as its certificate recorded it, in the words the minutes print."""
    c = d.certificate
    channels, conditions = channel_names(), condition_words()
    return {"decided": True, "rule": rule_names().get(c["rule"], c["rule"]), "quorum": c.get("quorum"),
            "by_household": c["unit"] == "household", "secret": bool(c["secret"]),
            "eligible": c["eligible"], "eligible_area": c["eligible_area"], "present": c["present"],
            "total": _counts(c["total"]), "passed": bool(c["passed"]),
            "channels": [{"name": channels.get(k, k), **_counts(v)} for k, v in c["channels"].items()],
            "failed": [conditions[f["key"]].format(**f) for f in c["conditions"] if not f["met"]],
            **_roll(db, poll, voters), "article": _article(db, d)}


def _counts(t: dict[str, Any]) -> dict[str, Any]:
    """The counts of a tally that the minutes print."""
    return {k: t[k] for k in ("yes", "no", "abstain", "cast", "yes_area", "cast_area")}


def _roll(db: Db, poll: Poll, voters: dict[str, dict[int, str]]) -> dict[str, list[Any]]:
    """Names and choices of an open ballot; only who took part in a secret one."""
    if poll.secret:
        return {"ballots": [], "took_part": list(db.scalars(select(Participation.label)
                                                            .where(Participation.poll_id == poll.id)
                                                            .order_by(Participation.label)))}
    people, doors = voters["people"], voters["doors"]
    rows = db.scalars(select(Ballot).where(Ballot.poll_id == poll.id, Ballot.voter_key.is_not(None))
                      .order_by(Ballot.voter_key))
    return {"took_part": [], "ballots": [{"voter": doors.get(b.household_id) or people.get(b.participant_id, ""),
                                          "choice": plain(b.choice), "entered": plain(b.channel) == "entered"}
                                         for b in rows]}


def _article(db: Db, d: Decision) -> dict[str, str] | None:
    """The convention change this decision made, as the version it created recorded it."""
    version = db.scalar(select(ConventionVersion).where(ConventionVersion.decision_id == d.id))
    if version is None:
        return None
    for a in db.scalars(select(Article).where(Article.version_id == version.id).order_by(Article.number)):
        if (a.source or {}).get("decision_id") == d.id:
            return {"change": version.change, "label": articles.article_label(a.number), "text": a.text}
    return {"change": version.change, "label": "", "text": ""}  # a repeal leaves no text behind


def _actions(db: Db, s: Session, titles: dict[int, str]) -> dict[str, list[dict[str, Any]]]:
    """This meeting's actions, those carried over from earlier meetings, and the ratings given here,
    each as it stood when the meeting closed."""
    cutoff = s.closed_at
    own = list(db.scalars(select(Action).where(Action.session_id == s.id).order_by(Action.id)))
    carried = _carried(db, s, cutoff)
    history = _history(db, [a.id for a in own + carried], cutoff)
    decided = dict(db.execute(select(Decision.id, Decision.proposal_id).where(Decision.session_id == s.id)).all())
    kinds = owner_kinds()
    origins = action_origins(db, carried)
    return {
        "actions": [{"decision": titles.get(decided.get(a.decision_id, 0), ""), "what": a.what, "owner": a.owner,
                     "kind": kinds.get(plain(a.owner_kind), ""), "deadline": a.deadline.isoformat(),
                     "status": _status(a, history, cutoff)} for a in own],
        "carried": [{"what": a.what, "origin": origins[a.id] or ESCALATED, "owner": a.owner,
                     "deadline": a.deadline.isoformat(), "status": _status(a, history, cutoff),
                     "note": next((n for _, n in reversed(history[a.id]) if n), "")} for a in carried],
        "ratings": _ratings(db, s, own + carried),
    }


def _carried(db: Db, s: Session, cutoff: dt.datetime | None) -> list[Action]:
    """Earlier meetings' actions and escalations this meeting evaluated: unfinished, or finished
    and not yet judged at another meeting, as things stood at the cutoff."""
    earlier = earlier_actions(db, s)
    judged = judged_elsewhere(db, s, cutoff)
    history = _history(db, [a.id for a in earlier], cutoff)
    return [a for a in earlier
            if carries_over(ActionStatus(_status(a, history, cutoff)), a.id in judged)]


def _history(db: Db, action_ids: list[int], cutoff: dt.datetime | None) -> dict[int, list[tuple[str, str]]]:
    """Each action's progress reports (status, note) up to the cutoff, oldest first."""
    query = select(ActionUpdate.action_id, ActionUpdate.status, ActionUpdate.note) \
        .where(ActionUpdate.action_id.in_(action_ids)).order_by(ActionUpdate.at, ActionUpdate.id)
    if cutoff is not None:
        query = query.where(ActionUpdate.at <= cutoff)
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, status, note in db.execute(query):
        out[action_id].append((plain(status), note))
    return out


def _status(a: Action, history: dict[int, list[tuple[str, str]]], cutoff: dt.datetime | None) -> str:
    """The action's status at the cutoff: its last report by then, else not started."""
    if cutoff is None:
        return plain(a.status)
    reports = history.get(a.id) or []
    return reports[-1][0] if reports else ActionStatus.PLANNED.value


def _ratings(db: Db, s: Session, listed: list[Action]) -> list[dict[str, Any]]:
    """How the residents in this meeting rated each action."""
    given: dict[int, Counter[str]] = defaultdict(Counter)
    for action_id, value in db.execute(select(Rating.action_id, Rating.value).where(Rating.session_id == s.id)):
        given[action_id][plain(value)] += 1
    out = []
    for a in listed:
        if given.get(a.id):
            summary = evaluation.summarize(evaluation.Rating(v) for v in given[a.id].elements())
            out.append({"what": a.what, "satisfied": summary.satisfied, "basic": summary.basic,
                        "dissatisfied": summary.dissatisfied, "satisfaction": f"{summary.satisfaction * 100:.0f}%"})
    return out
