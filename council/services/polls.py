"""Polls on proposals: open under a rule, take votes from every channel, close into a decision."""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any, Sequence

from sqlalchemy import bindparam, delete, func, insert, select, text, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, rules, voting
from council.domain.steps import Step
from council.models import (Ballot, BallotReceipt, Decision, Household, Participant, Participation, Poll,
                            PollCount, Proposal, Session)
from council.localtime import local
from council.models.base import utcnow
from council.services import audit
from council.services.common import (Actor, Outcome, dialect_insert as _dialect_insert, get, own_session,
                                     same_session, upsert)

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
TALLY = frozenset({"tally"})


def open_poll(db: Db, actor: Actor, proposal_id: object, rule: object = "majority_cast", unit: object = "person",
              secret: object = False, quorum: object = None, closes_at: object = None,
              closes_in_minutes: object = None) -> Outcome:
    """Open a yes / no / abstain poll on a proposal that has no decision yet. With a voting
    window (`closes_at`, or `closes_in_minutes` from now) it also takes remote votes, stays
    open after the meeting, and closes by itself at its deadline.

    Before the meeting reaches decide (raise, discuss) a poll opens only with a window: the
    residents vote from afar (the meeting notice's QR code) until the meeting, where it is
    simply open in the room; a poll without a window could be voted in by nobody before decide
    and would hold the session there."""
    deadline = voting.window_end(utcnow(), _moment(closes_at), closes_in_minutes)
    proposal = get(db, Proposal, proposal_id, "proposal")
    session = own_session(db, actor, proposal.session_id)
    voting.check_opening(Step(session.step), deadline, session.starts_at, local(session.starts_at).strftime("%Y-%m-%d %H:%M"))
    if not isinstance(rule, str) or not isinstance(secret, bool):
        raise DomainError("invalid_field", field="rule" if not isinstance(rule, str) else "secret")
    rules.check_rule(rule)
    unit_ = voting.parse_unit(unit)
    quorum_ = rules.check_quorum(quorum)
    roll = db.execute(select(Household.owner, Household.area_m2)
                      .where(Household.council_id == session.council_id)).all()
    voting.check_setup(rule, unit_, [(owner, area) for owner, area in roll])
    if unit_ is voting.Unit.HOUSEHOLD and not roll:
        raise DomainError("roll_empty")
    if db.scalar(select(Decision.id).where(Decision.proposal_id == proposal.id)):
        raise DomainError("already_decided")
    poll = Poll(session_id=session.id, proposal_id=proposal.id, rule=rule, unit=unit_.value, secret=secret,
                quorum=quorum_, status=voting.PollStatus.OPEN, closes_at=deadline)
    db.add(poll)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise DomainError("poll_already_open") from None
    audit.record(db, session.id, "poll.open", audit.facilitator_label(session), poll.id, rule=rule,
                 unit=unit_.value, secret=secret, quorum=quorum_,
                 **({"closes_at": deadline.isoformat()} if deadline else {}))
    db.commit()
    # the session's moves change (decide cannot end with a poll open), the console lists its voters
    return Outcome(session.id, frozenset({"polls", "ballots", "session"}),
                   {"poll_id": poll.id, "closes_at": deadline.isoformat() if deadline else None})


def _moment(value: object) -> Any:
    """A deadline as sent: an ISO 8601 time with its offset (a datetime from Python)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise DomainError("invalid_field", field="closes_at")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_field", field="closes_at") from None
    if moment.tzinfo is None:
        raise DomainError("invalid_field", field="closes_at")
    return moment


@dataclass(frozen=True)
class PhoneVote:
    """One vote as a phone sent it, before any check."""

    actor: Actor
    poll_id: object
    choice: object
    client_id: object


def cast_vote(db: Db, actor: Actor, poll_id: object, choice: object, client_id: object) -> Outcome:
    """A vote from a phone; a send already applied changes nothing, a new one replaces the old."""
    result = cast_votes(db, [PhoneVote(actor, poll_id, choice, client_id)])[0]
    if isinstance(result, DomainError):
        raise result
    return result


def cast_votes(db: Db, votes: Sequence[PhoneVote]) -> list[Outcome | DomainError]:
    """Phones' votes that arrived together, stored in one transaction (group commit): each
    gets its own outcome, or the error that refused it and changed nothing.

    Every check reads before anything is written, so a refused vote leaves no trace in the
    transaction the others commit in. The writes go in (poll, voter) order, the order every
    server process takes the ballot rows in, so two processes' batches never deadlock; one
    voter's votes keep the order they arrived in, so the later one counts. This runs for every
    vote of a burst: plain Core statements, no ORM objects."""
    results: list[Outcome | DomainError | None] = [None] * len(votes)
    conn = db.connection()
    voters = {r.id: r for r in conn.execute(_VOTERS, {"ids": sorted({
        v.actor.id for v in votes if v.actor.kind == "participant"})})}
    poll_ids = sorted({v.poll_id for v in votes if type(v.poll_id) is int})
    polls = {r.id: r for r in conn.execute(_POLL_ROWS, {"ids": poll_ids})} if poll_ids else {}
    checked: list[tuple[int, Any, Any, voting.Choice, str]] = []
    now = utcnow()
    for i, vote in enumerate(votes):
        try:
            voter, poll, choice, key = _check_vote(vote, voters, polls, now)
        except DomainError as err:
            results[i] = err
            continue
        checked.append((i, voter, poll, choice, key))
    # Receipts first, all in one statement: a send whose client id was applied before, or
    # that came twice in this batch, is a duplicate; the first of its kind is the vote.
    first: dict[tuple[int, int, str], int] = {}
    for n, (i, voter, poll, _choice, _key) in enumerate(checked):
        first.setdefault((poll.id, voter.id, votes[i].client_id), n)
    new = _new_receipts(db, sorted(first))
    applied, duplicates = [], []
    for n, c in enumerate(checked):
        receipt = (c[2].id, c[1].id, votes[c[0]].client_id)
        (applied if first[receipt] == n and receipt in new else duplicates).append(c)
    trail: list[dict[str, Any]] = []
    stored: list[tuple[int, Any, Any, voting.Choice]] = []
    for round_ in _rounds(applied):
        previous = _store_ballots(db, [_ballot_row(poll.id, key, choice, voting.Channel.PHONE, participant_id=voter.id,
                                                   household_id=voter.household_id if key.startswith("h:") else None,
                                                   area=voter.area_m2 if key.startswith("h:") else None)
                                       for _i, voter, poll, choice, key in round_])
        for i, voter, poll, choice, key in round_:
            if not poll.secret:  # a secret poll's voters are written once, in no order, at close
                trail.append(audit.row(poll.session_id,
                                       "ballot.change" if previous.get((poll.id, key)) else "ballot.cast",
                                       audit.participant_name(voter.display_name), poll.id, channel="phone",
                                       voter=_label(voter.display_name, voter.door_number if key.startswith("h:") else None),
                                       choice=choice.value))
            stored.append((i, voter, poll, choice))
    current = _current_choices(db, [(poll.id, key) for _i, _v, poll, _c, key in duplicates])
    for i, _voter, poll, _choice, key in duplicates:  # answered with the ballot as stored
        results[i] = Outcome(poll.session_id, frozenset(), {"poll_id": poll.id, "duplicate": True,
                                                            "choice": current.get((poll.id, key))})
    audit.record_rows(db, trail)
    members = _members_of(db, {(voter.session_id, voter.household_id) for _i, voter, poll, _c in stored
                               if voting.Unit(poll.unit) is voting.Unit.HOUSEHOLD})
    db.commit()
    for i, voter, poll, choice in stored:
        household = voter.household_id if voting.Unit(poll.unit) is voting.Unit.HOUSEHOLD else None
        personal = members.get((voter.session_id, household), frozenset()) - {voter.id}
        results[i] = Outcome(poll.session_id, TALLY | {"ballots"},  # the console lists who took part
                             {"poll_id": poll.id, "choice": choice.value, "duplicate": False},
                             personal=personal, coalesced=poll.secret)
    return results  # type: ignore[return-value]


def _check_vote(vote: PhoneVote, voters: dict[int, Any], polls: dict[int, Any],
                now: dt.datetime) -> tuple[Any, Any, voting.Choice, str]:
    """The checks of one phone's vote, in the order a single vote meets them."""
    if vote.actor.kind != "participant":
        raise DomainError("not_participant")
    voter = voters.get(vote.actor.id)
    if voter is None:
        raise DomainError("not_found", what="participant")
    choice = voting.parse_choice(vote.choice)
    if not isinstance(vote.client_id, str) or not _CLIENT_ID.match(vote.client_id):
        raise DomainError("invalid_field", field="client_id")
    if type(vote.poll_id) is not int:
        raise DomainError("invalid_field", field="poll_id")
    poll = polls.get(vote.poll_id)
    if poll is None or poll.session_id != voter.session_id:  # ids are guessable
        raise DomainError("not_found", what="poll")
    voting.require_open(poll.status, poll.closes_at, now)
    key = voting.voter_key(voting.Unit(poll.unit), voter.id, voter.household_id)
    if voting.Unit(poll.unit) is voting.Unit.HOUSEHOLD:
        voting.check_may_vote(poll.rule, bool(voter.owner))
    return voter, poll, choice, key


def _rounds(checked: list[tuple[int, Any, Any, voting.Choice, str]]) -> list[list[tuple[int, Any, Any, voting.Choice, str]]]:
    """The batch in rounds with one vote per (poll, voter) each, in the order they arrived: a
    voter who sent twice (or two phones of one household) is stored first, then changed. Within
    a round, rows go in (poll, voter) order, the order every server process locks them in, so two
    processes' batches never wait for each other in a circle."""
    rounds: list[dict[tuple[int, str], tuple[int, Any, Any, voting.Choice, str]]] = []
    for c in checked:
        slot = next((r for r in rounds if (c[2].id, c[4]) not in r), None)
        if slot is None:
            slot = {}
            rounds.append(slot)
        slot[(c[2].id, c[4])] = c
    return [[r[k] for k in sorted(r)] for r in rounds]


def _new_receipts(db: Db, receipts: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    """Record the client ids of these sends in one statement; returns those not seen before."""
    if not receipts:
        return set()
    t = BallotReceipt.__table__
    stmt = _dialect_insert(db)(t).on_conflict_do_nothing().returning(t.c.poll_id, t.c.participant_id, t.c.client_id)
    rows = db.connection().execute(stmt, [{"poll_id": p, "participant_id": v, "client_id": c} for p, v, c in receipts])
    return {tuple(r) for r in rows}  # type: ignore[misc]


def _current_choices(db: Db, keys: list[tuple[int, str]]) -> dict[tuple[int, str], str]:
    if not keys:
        return {}
    rows = db.connection().execute(select(_b.c.poll_id, _b.c.voter_key, _b.c.choice)
                                   .where(tuple_(_b.c.poll_id, _b.c.voter_key).in_(keys)))
    return {(p, k): c for p, k, c in rows}


def _ballot_row(poll_id: int, key: str, choice: voting.Choice, channel: voting.Channel, *,
                participant_id: int | None = None, household_id: int | None = None, area: Any = None,
                entered_by: int | None = None) -> dict[str, Any]:
    return {"poll_id": poll_id, "voter_key": key, "choice": choice, "channel": channel,
            "participant_id": participant_id, "household_id": household_id, "entered_by_id": entered_by,
            "area_m2": area, "replaced_channel": None, "cast_at": utcnow()}


def _store_ballots(db: Db, rows: list[dict[str, Any]]) -> dict[tuple[int, str], str]:
    """Store one ballot per (poll, voter), whatever the channel, in a few statements however
    many: the new ones inserted together, the existing ones locked, then replaced. Returns the
    channel each replaced ballot had (what the audit trail calls a change). A first ballot whose
    row another phone of the household committed an instant ago (ON CONFLICT waits for it) is a
    change too, so the trail says what really happened."""
    if not rows:
        return {}
    conn = db.connection()
    by_key = {(r["poll_id"], r["voter_key"]): r for r in rows}
    insert = _dialect_insert(db)(_b).on_conflict_do_nothing(index_elements=["poll_id", "voter_key"]) \
        .returning(_b.c.poll_id, _b.c.voter_key)
    inserted = {tuple(r) for r in conn.execute(insert, rows)}
    existing = [key for key in by_key if key not in inserted]
    if not existing:
        return {}
    found = conn.execute(select(_b.c.id, _b.c.poll_id, _b.c.voter_key, _b.c.channel)
                         .where(tuple_(_b.c.poll_id, _b.c.voter_key).in_(existing))
                         .order_by(_b.c.poll_id, _b.c.voter_key).with_for_update()).all()
    conn.execute(_UPDATE_MANY, [
        {**by_key[(p, k)], "ballot_id": ballot_id,
         "replaced_channel": ch if voting.conflict(voting.Channel(ch), by_key[(p, k)]["channel"]) else None}
        for ballot_id, p, k, ch in found])
    return {(p, k): ch for _id, p, k, ch in found}


def _members_of(db: Db, households: set[tuple[int, int | None]]) -> dict[tuple[int, int], frozenset[int]]:
    """The phones of each (session, household): they all show the household's vote."""
    wanted = {(s, h) for s, h in households if h is not None}
    if not wanted:
        return {}
    out: dict[tuple[int, int], set[int]] = {}
    for pid, sid, hid in db.connection().execute(_MEMBERS, {"sessions": sorted({s for s, _ in wanted}),
                                                            "households": sorted({h for _, h in wanted})}):
        if (sid, hid) in wanted:
            out.setdefault((sid, hid), set()).add(pid)
    return {k: frozenset(v) for k, v in out.items()}


def enter_vote(db: Db, actor: Actor, poll_id: object, choice: object, participant_id: object = None,
               door_number: object = None) -> Outcome:
    """A named vote the facilitator enters for a resident ("entered by" is recorded)."""
    poll = _locked_poll(db, poll_id, exclusive=False)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status, poll.closes_at, utcnow())
    voting.check_in_room(Step(session.step))
    choice_ = voting.parse_choice(choice)
    participant, household = None, None
    if voting.Unit(poll.unit) is voting.Unit.HOUSEHOLD:
        from council.services.households import household_for_door
        household = household_for_door(db, session.council_id, door_number if isinstance(door_number, str) else "")
        if household is None:
            raise DomainError("no_household")
        voting.check_may_vote(poll.rule, household.owner)
        key = f"h:{household.id}"
    else:
        participant = get(db, Participant, participant_id, "participant")
        same_session(participant.session_id, session, "participant")
        key = f"p:{participant.id}"
    previous = _store_ballots(db, [_ballot_row(poll.id, key, choice_, voting.Channel.ENTERED, entered_by=actor.id,
                                               participant_id=participant.id if participant else None,
                                               household_id=household.id if household else None,
                                               area=household.area_m2 if household else None)]).get((poll.id, key))
    audit.record(db, session.id, "ballot.entered", audit.facilitator_label(session), poll.id,
                 voter=_label(participant.display_name if participant else "",
                              household.door_number if household else None), replaced=previous or "",
                 **({} if poll.secret else {"choice": choice_.value}))
    db.commit()
    return Outcome(session.id, TALLY | {"ballots"}, {"poll_id": poll.id, "replaced": previous},
                   # the phones it stands for show who entered it, and when
                   personal=frozenset({participant.id}) if participant else _household_members(db, session.id, household, None),
                   coalesced=poll.secret)


def cast_remote(db: Db, participant: Participant, poll_id: object, choice: object) -> Outcome:
    """A resident's own vote from afar (the remote page), into a poll open with a voting window.

    The phone is the participant its device token is in the poll's session; for a household
    poll, the household its door is on the roll. It is one more channel of the same ballot: a
    vote in the room before or after it replaces it or is replaced, the later counting."""
    poll = _locked_poll(db, poll_id, exclusive=False)
    if poll.session_id != participant.session_id:  # ids are guessable
        raise DomainError("not_found", what="poll")
    voting.require_open(poll.status, poll.closes_at, utcnow())
    if poll.closes_at is None:
        raise DomainError("no_voting_window")
    choice_ = voting.parse_choice(choice)
    unit = voting.Unit(poll.unit)
    household = db.get(Household, participant.household_id) if participant.household_id else None
    step = Step(db.get_one(Session, poll.session_id).step)
    key = voting.remote_voter_key(unit, participant.id, household.id if household else None, step)
    if unit is voting.Unit.HOUSEHOLD:
        voting.check_may_vote(poll.rule, bool(household and household.owner))
    by_door = unit is voting.Unit.HOUSEHOLD and household is not None
    previous = _store_ballots(db, [_ballot_row(poll.id, key, choice_, voting.Channel.REMOTE, participant_id=participant.id,
                                               household_id=household.id if by_door else None,
                                               area=household.area_m2 if by_door else None)]).get((poll.id, key))
    if not poll.secret:
        audit.record(db, poll.session_id, "ballot.change" if previous else "ballot.cast",
                     audit.participant_name(participant.display_name), poll.id, channel=voting.Channel.REMOTE.value,
                     voter=_label(participant.display_name, household.door_number if by_door else None),
                     choice=choice_.value)
    db.commit()
    others = _household_members(db, poll.session_id, household, participant.id) if by_door else frozenset()
    return Outcome(poll.session_id, TALLY | {"ballots"}, {"poll_id": poll.id, "choice": choice_.value,
                                                          "replaced": previous},
                   personal=others | {participant.id}, coalesced=poll.secret)


def remote_polls(db: Db, participant: Participant) -> list[dict[str, Any]]:
    """The windowed polls of the participant's session still taking votes, each with its
    proposal, deadline and the ballot that now counts for this phone (or its household)."""
    now = utcnow()
    rows = db.execute(select(Poll, Proposal.title).join(Proposal, Proposal.id == Poll.proposal_id)
                      .where(Poll.session_id == participant.session_id, Poll.status == voting.PollStatus.OPEN,
                             Poll.closes_at.is_not(None), Poll.closes_at > now).order_by(Poll.id)).all()
    out = []
    step = Step(db.get_one(Session, participant.session_id).step)
    for poll, title in rows:
        unit = voting.Unit(poll.unit)
        try:
            key = voting.remote_voter_key(unit, participant.id, participant.household_id, step)
        except DomainError:  # the phone's door is not on the roll (or none given) where it must be
            key = None
        mine = db.execute(select(Ballot.choice, Ballot.channel).where(Ballot.poll_id == poll.id,
                                                                      Ballot.voter_key == key)).first() if key else None
        out.append({"id": poll.id, "title": title, "rule": poll.rule, "unit": unit.value, "secret": poll.secret,
                    "closes_at": poll.closes_at, "may_vote": key is not None,
                    # why not: a door was given but is not on the roll (else: no door given)
                    "off_roll": key is None and bool(participant.door_number),
                    "choice": mine.choice.value if mine else None, "channel": mine.channel.value if mine else None})
    return out


def set_count(db: Db, actor: Actor, poll_id: object, channel: object, yes: object, no: object,
              abstain: object) -> Outcome:
    """Enter (or correct) the show-of-hands or paper count of a poll."""
    poll = _locked_poll(db, poll_id, exclusive=False)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status, poll.closes_at, utcnow())
    voting.check_in_room(Step(session.step))
    channel_ = voting.parse_counted_channel(channel)
    voting.check_counted_channel_allowed(poll.rule)
    counts = {k: voting.check_count(v, k) for k, v in (("yes", yes), ("no", no), ("abstain", abstain))}
    upsert(db, PollCount, {"poll_id": poll.id, "channel": channel_.value},
           {**counts, "entered_by_id": actor.id, "entered_at": utcnow()})
    audit.record(db, session.id, "count.entered", audit.facilitator_label(session), poll.id,
                 channel=channel_.value, **counts)
    db.commit()
    return Outcome(session.id, TALLY | {"polls"}, {"poll_id": poll.id})


def set_attendance(db: Db, actor: Actor, poll_id: object, present: object) -> Outcome:
    """How many people (or households) are in the room, for the rule 'more than half present'."""
    poll = _locked_poll(db, poll_id, exclusive=False)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status, poll.closes_at, utcnow())
    voting.check_in_room(Step(session.step))
    poll.present = None if present is None else voting.check_count(present, "present")
    audit.record(db, session.id, "attendance.set", audit.facilitator_label(session), poll.id, present=poll.present)
    db.commit()
    return Outcome(session.id, frozenset({"polls"}), {"poll_id": poll.id})


def close_poll(db: Db, actor: Actor, poll_id: object) -> Outcome:
    """Close the poll and record the decision with its certificate; a secret poll forgets who chose what."""
    poll = _locked_poll(db, poll_id, exclusive=True)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status)
    poll.status, poll.closed_at = voting.PollStatus.CLOSED, utcnow()
    return _decide(db, poll, session, audit.facilitator_label(session))


def close_due(db: Db, session_id: int | None = None) -> list[Outcome]:
    """Close every open poll whose voting window has ended (of one session, or all), each into
    its decision, as the facilitator's close would. Every server process runs this, at start,
    on a timer and whenever a poll is read or voted in: the deadline is in the database, and
    the guarded UPDATE lets only one of two processes closing the same poll record its
    decision (the other finds it closed and moves on). Returns what to publish."""
    now = utcnow()
    due = due_polls(db, now, session_id)
    db.rollback()  # hold nothing while deciding
    return [outcome for outcome in (close_if_due(db, pid, now) for pid in due) if outcome is not None]


def due_polls(db: Db, now: dt.datetime, session_id: int | None = None) -> list[int]:
    """The open polls whose voting window has ended by `now`."""
    query = select(Poll.id).where(Poll.status == voting.PollStatus.OPEN, Poll.closes_at.is_not(None),
                                  Poll.closes_at <= now).order_by(Poll.id)
    if session_id is not None:
        query = query.where(Poll.session_id == session_id)
    return list(db.scalars(query))


def close_if_due(db: Db, poll_id: int, now: dt.datetime) -> Outcome | None:
    """Close one poll found due, into its decision; None when another process (or the
    facilitator) closed it first: the guarded UPDATE takes the row only while it is still open,
    so of two processes closing it at once one alone records the decision."""
    won = db.execute(update(Poll).where(Poll.id == poll_id, Poll.status == voting.PollStatus.OPEN,
                                        Poll.closes_at <= now)
                     .values(status=voting.PollStatus.CLOSED, closed_at=now)
                     .execution_options(synchronize_session=False)).rowcount
    if not won:
        db.rollback()
        return None
    poll = db.execute(select(Poll).where(Poll.id == poll_id).execution_options(populate_existing=True)).scalar_one()
    return _decide(db, poll, db.get_one(Session, poll.session_id), "clock:closes_at")


def _decide(db: Db, poll: Poll, session: Session, by: str) -> Outcome:
    """The decision of a poll just marked closed: its certificate from the ballots and counts,
    then the secret ballot's unlinking, the trail, one commit."""
    total, channels = tally_of(db, poll.id)
    cert = standing_of(db, poll, session, total, channels)
    decision = Decision(session_id=session.id, poll_id=poll.id, proposal_id=poll.proposal_id, adopted=cert["passed"],
                        yes=total.yes, no=total.no, abstain=total.abstain, decided_at=utcnow(), certificate=cert)
    db.add(decision)
    db.flush()
    from council.services import convention
    new_version = convention.adopt(db, session, decision)
    voters: frozenset[int] = frozenset()
    if poll.secret:  # each phone's own view turns from its choice into "you took part"
        voters = frozenset(db.scalars(select(Participant.id).where(Participant.session_id == session.id)))
        took_part = _unlink(db, poll)
        audit.record(db, session.id, "poll.took_part", by, poll.id,
                     voters=len(took_part), names="、".join(took_part))
    audit.record(db, session.id, "poll.close", by, poll.id, passed=cert["passed"],
                 yes=total.yes, no=total.no, abstain=total.abstain)
    db.commit()
    return Outcome(session.id, frozenset({"polls", "ballots", "session"} | ({"convention"} if new_version else set())),
                   {"poll_id": poll.id, "adopted": cert["passed"], "yes": total.yes, "no": total.no,
                    "abstain": total.abstain, "cast": total.cast}, personal=voters)


def tally_of(db: Db, poll_id: int) -> tuple[rules.Tally, dict[str, rules.Tally]]:
    """The tally recomputed from the stored ballots and counts, in total and per channel."""
    return tallies_of(db, [poll_id])[poll_id]


# The vote path runs these for every batch of ballots: statements built once, so SQLAlchemy
# does not rebuild them each time.
_GROUPS = text("SELECT b.poll_id, b.channel, b.choice, count(*), sum(b.area_m2) FROM ballots b "
               "WHERE b.poll_id IN :ids GROUP BY b.poll_id, b.channel, b.choice").bindparams(
    bindparam("ids", expanding=True))
_COUNTS = text("SELECT poll_id, channel, yes, no, abstain FROM poll_counts WHERE poll_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_b, _p, _h, _poll = Ballot.__table__, Participant.__table__, Household.__table__, Poll.__table__
_VOTERS = select(_p.c.id, _p.c.session_id, _p.c.household_id, _p.c.display_name, _h.c.door_number, _h.c.owner,
                 _h.c.area_m2).select_from(_p.outerjoin(_h, _h.c.id == _p.c.household_id)) \
    .where(_p.c.id.in_(bindparam("ids", expanding=True)))
# Voters share the poll's row lock, the close takes it alone (see `_locked_poll`).
_POLL_ROWS = select(_poll.c.id, _poll.c.session_id, _poll.c.status, _poll.c.unit, _poll.c.rule, _poll.c.secret,
                    _poll.c.closes_at) \
    .where(_poll.c.id.in_(bindparam("ids", expanding=True))).with_for_update(read=True)
_UPDATE_MANY = update(_b).where(_b.c.id == bindparam("ballot_id")).values(
    {c: bindparam(c) for c in ("choice", "channel", "participant_id", "household_id", "entered_by_id", "area_m2",
                               "replaced_channel", "cast_at")})
_MEMBERS = select(_p.c.id, _p.c.session_id, _p.c.household_id).where(
    _p.c.session_id.in_(bindparam("sessions", expanding=True)),
    _p.c.household_id.in_(bindparam("households", expanding=True)))


def tallies_of(db: Db, poll_ids: list[int]) -> dict[int, tuple[rules.Tally, dict[str, rules.Tally]]]:
    """Tallies of several polls in two grouped queries (this runs after every vote)."""
    if not poll_ids:
        return {}
    groups: dict[int, list[voting.BallotGroup]] = {pid: [] for pid in poll_ids}
    manual: dict[int, list[voting.ManualCount]] = {pid: [] for pid in poll_ids}
    for pid, ch, c, n, area in db.execute(_GROUPS, {"ids": poll_ids}):
        groups[pid].append(voting.BallotGroup(voting.Channel(ch), voting.Choice(c), n, area))
    for pid, ch, y, n, a in db.execute(_COUNTS, {"ids": poll_ids}):
        manual[pid].append(voting.ManualCount(voting.Channel(ch), y, n, a))
    return {pid: voting.count_groups(groups[pid], manual[pid]) for pid in poll_ids}


def electorate_of(db: Db, poll: Poll, session: Session, cast: int = 0) -> rules.Electorate:
    """Who could vote: the roll for households (owners only, by area); for people, those present.

    Attendance entered by the facilitator counts; otherwise those who joined in the room (one who
    joined only to vote remotely is not present, `Participant.present`), and never fewer than
    voted (a show of hands counts people who never joined on a phone; a remote vote is a vote)."""
    if voting.Unit(poll.unit) is voting.Unit.HOUSEHOLD:
        query = select(func.count(), func.coalesce(func.sum(Household.area_m2), 0)) \
            .where(Household.council_id == session.council_id)
        if poll.rule in rules.BY_AREA:
            query = query.where(Household.owner.is_(True))
        eligible, area = db.execute(query).one()
        joined = db.scalar(select(func.count(func.distinct(Participant.household_id)))
                           .where(Participant.session_id == session.id, Participant.household_id.is_not(None),
                                  Participant.present()))
    else:
        joined = db.scalar(select(func.count()).select_from(Participant).where(Participant.session_id == session.id,
                                                                               Participant.present()))
        area = 0
    present = poll.present if poll.present is not None else max(joined or 0, cast)
    if voting.Unit(poll.unit) is voting.Unit.PERSON:
        eligible = max(present, cast)
    return rules.Electorate(eligible=eligible or 0, eligible_area=rules.Decimal(area or 0), present=present)


def standing_of(db: Db, poll: Poll, session: Session, total: rules.Tally,
                channels: dict[str, rules.Tally]) -> dict[str, Any]:
    """Where a poll stands with these counts: the live view while it is open and, at close,
    its certificate. One function for both, so the projector never shows another figure."""
    electorate = electorate_of(db, poll, session, cast=total.cast)
    result = rules.decide(total, poll.rule, electorate, poll.quorum)
    return certificate(poll, total, channels, electorate, result)


def certificate(poll: Poll, total: rules.Tally, channels: dict[str, rules.Tally], electorate: rules.Electorate,
                result: rules.Result) -> dict[str, Any]:
    """What the published result shows: rule, electorate, participation, counts, conditions."""
    return {"rule": poll.rule, "unit": poll.unit, "secret": poll.secret, "quorum": poll.quorum,
            "eligible": electorate.eligible, "eligible_area": str(electorate.eligible_area),
            "present": electorate.present, "total": total.as_dict(),
            "channels": {k: v.as_dict() for k, v in channels.items() if v.cast},
            "passed": result.passed, "needed": result.needed,
            "conditions": [{"key": c.key, "met": c.met, "actual": _num(c.actual), "needed": _num(c.needed),
                            "of": _num(c.of)} for c in result.conditions]}


def _num(value: int | rules.Decimal) -> str:
    """Areas to the hundredth of a square metre, thresholds rounded up so they are never understated."""
    if isinstance(value, rules.Decimal):
        return str(value.quantize(rules.Decimal("0.01"), rounding="ROUND_CEILING"))
    return str(value)


def _household_members(db: Db, session_id: int, household: Household | None, but: int | None) -> frozenset[int]:
    """The other phones of a household: they show the household's vote too."""
    if household is None:
        return frozenset()
    return _members_of(db, {(session_id, household.id)}).get((session_id, household.id), frozenset()) - {but}


def _label(name: str, door: str | None) -> str:
    """Who a ballot stands for in the trail: the household's door, else the person's name."""
    return door or name


def _unlink(db: Db, poll: Poll) -> list[str]:
    """Keep who took part and the counts; erase who chose what, and when, and in what order.
    Returns who took part, in the order of their names."""
    rows = db.execute(select(Ballot.voter_key, Ballot.choice, Ballot.channel, Ballot.area_m2,
                             Ballot.participant_id, Ballot.household_id).where(Ballot.poll_id == poll.id)).all()
    labels = _voter_labels(db, rows)
    db.execute(delete(Ballot).where(Ballot.poll_id == poll.id))
    db.execute(delete(BallotReceipt).where(BallotReceipt.poll_id == poll.id))
    db.add_all(Participation(poll_id=poll.id, voter_key=key, label=labels[key])
               for key in sorted(r.voter_key for r in rows))
    anonymous = [(r.choice, r.channel, r.area_m2) for r in rows]
    random.SystemRandom().shuffle(anonymous)
    if anonymous:  # a core insert: None stays None, the default time is not filled in
        db.execute(insert(Ballot.__table__), [{"poll_id": poll.id, "voter_key": None, "choice": c, "channel": ch,
                                     "area_m2": a, "cast_at": None} for c, ch, a in anonymous])
    return sorted(labels.values())


def _voter_labels(db: Db, rows: list[Any]) -> dict[str, str]:
    people = dict(db.execute(select(Participant.id, Participant.display_name)
                             .where(Participant.id.in_([r.participant_id for r in rows if r.participant_id])))
                  .all())
    doors = dict(db.execute(select(Household.id, Household.door_number)
                            .where(Household.id.in_([r.household_id for r in rows if r.household_id]))).all())
    return {r.voter_key: doors.get(r.household_id) or people.get(r.participant_id, "") for r in rows}


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
