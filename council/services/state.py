"""The session's current state as plain data, whole or by part, for each audience.

A page that connects or reconnects gets `snapshot`; after a change, the changed parts are
rebuilt with `part` and broadcast. Each part declares once who sees it (`services.parts`):
the console sees everything, hidden topics and names on open ballots too; the projector and
the phones see the public version. A session's format adds its own parts (`council.formats`).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import evaluation, households as door_rules, rules, steps, voting
from council.models import (ActionUpdate, ArticleChange, Ballot, Decision, Household, Participant, Participation, Poll, Proposal,
                            Rating, Session, Support, Topic)
from council.domain.errors import DomainError
from council.domain.moderation import Review
from council.localtime import local
from council.models.base import utcnow
from council.services.parts import CONSOLE_ONLY, Audience, Part

def _session(db: Db, s: Session, audience: Audience) -> dict[str, Any]:
    return {"id": s.id, "title": s.title, "place": s.place, "format": s.format,
            "starts_at": s.starts_at.isoformat(), "step": s.step, "join_code": s.join_code,
            "council": s.council.name, "council_id": s.council_id, "facilitator": s.facilitator.name,
            "recorder": s.recorder, "timer_ends_at": s.timer_ends_at.isoformat() if s.timer_ends_at else None,
            "timer_seconds": s.timer_seconds, "server_now": utcnow().isoformat(), "premoderation": s.premoderation,
            "steps": [step.value for step in steps.ORDER], "moves": _moves(db, s)}


def _moves(db: Db, s: Session) -> dict[str, Any]:
    """Which step moves the facilitator can make now, and why not: pages show, never decide."""
    open_polls = db.scalar(select(func.count()).select_from(Poll)  # a windowed poll does not hold decide
                           .where(Poll.session_id == s.id, Poll.status == voting.PollStatus.OPEN,
                                  Poll.closes_at.is_(None))) or 0
    out: dict[str, Any] = {}
    for name, move in (("next", steps.next_step), ("back", steps.previous_step)):
        try:
            out[name] = {"to": move(steps.Step(s.step), open_polls=open_polls).value, "refused": None}
        except DomainError as err:
            out[name] = {"to": None, "refused": err.code}
    from council.services.sessions import next_effects
    out["next"]["effects"] = next_effects(s)  # what Next will do: the console says so before it asks
    return out


def _participants(db: Db, s: Session, audience: Audience) -> dict[str, Any]:
    """Those present (`Participant.present`): the count everyone sees, the console's list of
    them; the console also sees, apart, who joined only to vote remotely."""
    rows = db.execute(select(Participant.id, Participant.display_name, Participant.door_number, Participant.left,
                             Participant.present().label("here"))
                      .where(Participant.session_id == s.id).order_by(Participant.id)).all()
    here = [r for r in rows if r.here]
    data: dict[str, Any] = {"count": len(here), "households": door_rules.count_households(r.door_number for r in here)}
    if audience is Audience.CONSOLE:
        data["list"] = [{"id": r.id, "name": r.display_name, "door": r.door_number, "left": r.left} for r in here]
        data["remote"] = [{"id": r.id, "name": r.display_name, "door": r.door_number} for r in rows if not r.here]
    return data


def _topics(db: Db, s: Session, audience: Audience) -> list[dict[str, Any]]:
    supports = dict(db.execute(select(Support.topic_id, func.count()).join(Topic, Support.topic_id == Topic.id)
                               .where(Topic.session_id == s.id).group_by(Support.topic_id)).all())
    query = select(Topic, Participant.display_name).outerjoin(Participant, Topic.author_id == Participant.id) \
        .where(Topic.session_id == s.id).order_by(Topic.id)
    if audience is not Audience.CONSOLE:  # the console also sees topics waiting for approval, and rejected ones
        query = query.where(Topic.on_wall())
    return [{"id": t.id, "text": t.text, "supports": supports.get(t.id, 0), "author": name,
             "hidden": t.hidden, "merged_into": t.merged_into_id, "review": t.review.value}
            for t, name in db.execute(query).all()]


def _proposals(db: Db, s: Session, audience: Audience) -> list[dict[str, Any]]:
    rows = db.scalars(select(Proposal).where(Proposal.session_id == s.id).order_by(Proposal.id)).all()
    changes = {c.proposal_id: {"kind": c.kind, "target": c.target} for c in
               db.scalars(select(ArticleChange).where(ArticleChange.proposal_id.in_([p.id for p in rows])))}
    return [{"id": p.id, "title": p.title, "text": p.text, "topic_id": p.topic_id, "article": changes.get(p.id),
             "from": "need" if p.need_id else "idea" if p.idea_id else None} for p in rows]


def _convention(db: Db, s: Session, audience: Audience) -> dict[str, Any]:
    from council.services import convention
    return convention.view(db, s.council_id)


_OPEN_POLLS = text("SELECT id FROM polls WHERE session_id = :session AND status = :open").bindparams(
    open=voting.PollStatus.OPEN.value)


def live_standings(db: Db, s: Session) -> dict[int, dict[str, Any]]:
    """Where each open poll stands now: counts and everything derived from them (needed, met
    or not, which condition fails), built by the same function as the certificate at close."""
    from council.services.polls import standing_of, tallies_of
    open_ids = list(db.execute(_OPEN_POLLS, {"session": s.id}).scalars())
    if not open_ids:
        return {}
    polls = {p.id: p for p in db.scalars(select(Poll).where(Poll.id.in_(open_ids)))}
    return {pid: voting.shown_while_open(_standing_view(standing_of(db, polls[pid], s, *t)), polls[pid].secret)
            for pid, t in tallies_of(db, open_ids).items()}


def _standing_view(cert: dict[str, Any]) -> dict[str, Any]:
    """The fields of a poll that follow from its counts: what a tally patch replaces."""
    return {"tally": cert["total"], "channels": cert["channels"], "needed": cert["needed"], "standing": cert}


def _tally(db: Db, s: Session, audience: Audience) -> dict[str, Any]:
    return {str(pid): view for pid, view in live_standings(db, s).items()}


def _polls(db: Db, s: Session, audience: Audience) -> list[dict[str, Any]]:
    live = live_standings(db, s)
    decisions = {d.poll_id: d for d in db.scalars(select(Decision).where(Decision.session_id == s.id))}
    out = []
    for p in db.scalars(select(Poll).where(Poll.session_id == s.id).order_by(Poll.id)):
        d = decisions.get(p.id)
        view = _standing_view(d.certificate) if d else live.get(p.id) or {}
        out.append({"id": p.id, "proposal_id": p.proposal_id, "status": p.status, "rule": p.rule, "unit": p.unit,
                    "secret": p.secret, "quorum": p.quorum, "present": p.present, "inputs": rules.inputs(p.rule),
                    "closes_at": p.closes_at.isoformat() if p.closes_at else None,  # a voting window's end
                    # as the meeting room's clock says it, whatever the browser's own timezone
                    "closes_at_local": local(p.closes_at).strftime("%m-%d %H:%M") if p.closes_at else None,
                    "owners_only": p.rule in rules.BY_AREA, **view,  # who may vote: the phone says so before a tap
                    "decision": {"id": d.id, "adopted": d.adopted} if d else None,
                    "certificate": d.certificate if d else None})
    return out


def _ballots(db: Db, s: Session, audience: Audience) -> dict[str, Any]:
    """Who voted how (names only for open ballots), entered votes and conflicts: the console's view.

    Rebuilt once per coalesced window during a vote, over every ballot of the session: rows,
    not ORM objects (loading a thousand Ballot objects was a third of a burst's CPU)."""
    people = dict(db.execute(select(Participant.id, Participant.display_name)
                             .where(Participant.session_id == s.id)).all())
    doors = dict(db.execute(select(Household.id, Household.door_number)
                            .where(Household.council_id == s.council_id)).all())
    polls = db.execute(select(Poll.id, Poll.secret).where(Poll.session_id == s.id).order_by(Poll.id)).all()
    rows: dict[int, list[dict[str, Any]]] = {p.id: [] for p in polls}
    secret = {p.id: p.secret for p in polls}
    for b in db.execute(select(Ballot.poll_id, Ballot.household_id, Ballot.participant_id, Ballot.choice,
                               Ballot.channel, Ballot.replaced_channel, Ballot.entered_by_id)
                        .join(Poll, Poll.id == Ballot.poll_id)
                        .where(Poll.session_id == s.id, Ballot.voter_key.is_not(None))
                        .order_by(Ballot.poll_id, Ballot.voter_key)):
        rows[b.poll_id].append({"voter": doors.get(b.household_id) or people.get(b.participant_id, ""),
                                "choice": None if secret[b.poll_id] else b.choice, "channel": b.channel,
                                "replaced": b.replaced_channel, "entered": b.entered_by_id is not None})
    took_part: dict[int, list[str]] = {p.id: [] for p in polls}
    for poll_id, label in db.execute(select(Participation.poll_id, Participation.label)
                                     .join(Poll, Poll.id == Participation.poll_id)
                                     .where(Poll.session_id == s.id).order_by(Participation.label)):
        took_part[poll_id].append(label)
    return {str(p.id): {"ballots": rows[p.id], "took_part": took_part[p.id],
                        "conflicts": [r for r in rows[p.id] if r["replaced"]]} for p in polls}


def _actions(db: Db, s: Session, audience: Audience) -> list[dict[str, Any]]:
    """This session's actions, then those carried over from earlier meetings of the council and
    its escalations awaiting or bearing their reply; ratings are the ones given in this session."""
    from council.services.actions import evaluated_in, origins as origins_of
    listed = evaluated_in(db, s)
    ratings: dict[int, list[evaluation.Rating]] = defaultdict(list)
    for action_id, value in db.execute(select(Rating.action_id, Rating.value)
                                       .where(Rating.session_id == s.id)):
        ratings[action_id].append(evaluation.Rating(value))
    origins = origins_of(db, [a for a, _ in listed])
    notes: dict[int, str] = {}
    for action_id, note in db.execute(select(ActionUpdate.action_id, ActionUpdate.note)
                                      .where(ActionUpdate.action_id.in_([a.id for a, _ in listed]),
                                             ActionUpdate.note != "").order_by(ActionUpdate.at)):
        notes[action_id] = note  # the latest note wins
    return [{"id": a.id, "decision_id": a.decision_id, "what": a.what, "owner": a.owner, "owner_kind": a.owner_kind,
             "deadline": a.deadline.isoformat(), "status": a.status, "rating_open": a.rating_open,
             "carried": carried, "origin": origins[a.id], "note": notes.get(a.id, ""),
             # an escalated issue's reply (吹哨报到): the note is the reply once it came back
             "issue": a.issue_id is not None,
             "ratings": evaluation.summarize(ratings[a.id]).as_dict()} for a, carried in listed]


CORE_PARTS: dict[str, Part] = {p.name: p for p in (
    Part("session", _session),
    Part("participants", _participants, per_audience=True),  # the console sees names and doors
    Part("topics", _topics, per_audience=True),  # the console sees hidden and merged topics
    Part("proposals", _proposals),
    Part("polls", _polls),
    Part("actions", _actions),
    Part("ballots", _ballots, audiences=CONSOLE_ONLY),  # who voted how: the facilitator's alone
    Part("convention", _convention),
)}
# Not in a snapshot: the open polls' counts and standing, a patch merged into `polls`.
TALLY = Part("tally", _tally)


def parts_of(s: Session) -> dict[str, Part]:
    """Every part of this session's state: the core ones and its format's."""
    return {**CORE_PARTS, **formats.get(s.format).parts}


def part(db: Db, session_id: int, name: str, audience: Audience | str) -> Any:
    """One part of the state, as the audience may see it."""
    s = db.get_one(Session, session_id)
    found = TALLY if name == "tally" else parts_of(s)[name]
    return found.build(db, s, Audience(audience))


def snapshot(db: Db, session_id: int, audience: Audience | str, participant_id: int | None = None) -> dict[str, Any]:
    """Everything a page needs to show the session as it is now."""
    s = db.get_one(Session, session_id)
    audience = Audience(audience)
    state = {name: p.build(db, s, audience) for name, p in parts_of(s).items() if audience in p.audiences}
    if participant_id is not None:
        state["me"] = me(db, participant_id)
    return state


def as_sent(built: dict[str, Any], me: dict[str, Any] | None = None) -> dict[str, Any]:
    """A state built earlier, as it leaves now: with the server's clock of this moment (pages
    set their countdown by it) and, for a phone, the participant's own view."""
    out = dict(built)
    if "session" in out:
        out["session"] = {**out["session"], "server_now": utcnow().isoformat()}
    if me is not None:
        out["me"] = me
    return out


_p, _b, _poll, _part = Participant.__table__, Ballot.__table__, Poll.__table__, Participation.__table__
# Built once: `me` goes to every phone that connects, a whole room at once after a Wi-Fi drop.
_ME = select(_p.c.id, _p.c.session_id, _p.c.display_name, _p.c.door_number, _p.c.household_id, _p.c.remote,
             Household.__table__.c.door_number.label("household"), Household.__table__.c.owner,
             Session.__table__.c.format) \
    .select_from(_p.join(Session.__table__, Session.__table__.c.id == _p.c.session_id)
                 .outerjoin(Household.__table__, Household.__table__.c.id == _p.c.household_id)) \
    .where(_p.c.id == bindparam("participant"))
# By poll first: the ballots' unique key (poll, voter) finds them without reading the others.
# Who stored the ballot and when: a household's phones share one, the facilitator may enter it.
_MY_BALLOTS = select(_b.c.poll_id, _b.c.choice, _b.c.channel, _b.c.participant_id, _b.c.cast_at, _poll.c.secret) \
    .join(_poll, _poll.c.id == _b.c.poll_id).where(
    _b.c.poll_id.in_(select(_poll.c.id).where(_poll.c.session_id == bindparam("session"))),
    _b.c.voter_key.in_(bindparam("keys", expanding=True)))
_MY_PARTS = select(_part.c.poll_id).where(
    _part.c.poll_id.in_(select(_poll.c.id).where(_poll.c.session_id == bindparam("session"))),
    _part.c.voter_key.in_(bindparam("keys", expanding=True)))
_MY_SUPPORTS = select(Support.__table__.c.topic_id).where(Support.__table__.c.participant_id == bindparam("participant"))
_MY_RATINGS = select(Rating.__table__.c.action_id, Rating.__table__.c.value).where(
    Rating.__table__.c.participant_id == bindparam("participant"))
_t, _into = Topic.__table__, Topic.__table__.alias("into")
# The participant's topics that are not on the wall as raised: waiting, rejected, or merged
# into another (with that topic's text: the phone says where hers went).
_MY_TOPICS = select(_t.c.id, _t.c.text, _t.c.review, _into.c.id.label("into_id"), _into.c.text.label("into_text"),
                    _into.c.hidden.label("into_hidden")) \
    .select_from(_t.outerjoin(_into, _into.c.id == _t.c.merged_into_id)) \
    .where(_t.c.author_id == bindparam("participant"),
           (_t.c.review != Review.APPROVED.value) | _t.c.merged_into_id.is_not(None)).order_by(_t.c.id)


def me(db: Db, participant_id: int) -> dict[str, Any]:
    """What one participant has done: their supports, votes and ratings, and what became of
    their topics that are not on the wall as raised (waiting, rejected, merged)."""
    conn = db.connection()
    p = conn.execute(_ME, {"participant": participant_id}).one()
    keys = [f"p:{p.id}"] + ([f"h:{p.household_id}"] if p.household_id else [])
    mine = {"participant": p.id, "session": p.session_id, "keys": keys}
    ballots, set_by = _my_ballots(conn.execute(_MY_BALLOTS, mine).all(), p.id)
    return {"id": p.id, "name": p.display_name, "door": p.door_number, "household": p.household,
            "owner": bool(p.owner) if p.household_id else None,
            "remote": p.remote,  # joined on the remote-vote page only: the room's page asks them to join
            "supports": list(conn.execute(_MY_SUPPORTS, mine).scalars()),
            "ballots": ballots, "set_by": set_by,
            "took_part": [int(k) for k in conn.execute(_MY_PARTS, mine).scalars()],
            "ratings": {str(k): v for k, v in conn.execute(_MY_RATINGS, mine)},
            "own_topics": [{"id": t.id, "text": t.text, "review": t.review,
                            # a target hidden as abuse is not quoted
                            "merged_into": {"id": t.into_id, "text": "" if t.into_hidden else t.into_text}
                            if t.into_id else None}
                           for t in conn.execute(_MY_TOPICS, mine)],
            **_format_mine(db, participant_id, p.format)}


def _my_ballots(rows: list[Any], participant_id: int) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The phone's votes (its own, its household's), and who else set one and when: another
    phone of the household, or the facilitator entering it. In a secret poll a vote this phone
    did not cast shows only that it was set, never the choice (nobody is linked to a secret
    choice but the one who made it)."""
    ballots, set_by = {}, {}
    for r in rows:
        by = "facilitator" if r.channel == voting.Channel.ENTERED else None if r.participant_id == participant_id \
            else "other_phone"
        if by is None or not r.secret:
            ballots[str(r.poll_id)] = r.choice
        if by is not None:
            set_by[str(r.poll_id)] = {"by": by, "at": local(r.cast_at).strftime("%H:%M") if r.cast_at else ""}
    return ballots, set_by


def _format_mine(db: Db, participant_id: int, format: str) -> dict[str, Any]:
    fmt = formats.get(format)
    return fmt.mine(db, db.get_one(Participant, participant_id)) if fmt.mine else {}
