"""Polls on proposals: open under a rule, take votes from every channel, close into a decision."""
from __future__ import annotations

import random
import re
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, rules, voting
from council.domain.steps import Step, require_step
from council.models import (Ballot, BallotReceipt, Decision, Household, Participant, Participation, Poll,
                            PollCount, Proposal, Session)
from council.models.base import utcnow
from council.services import audit
from council.services.common import (Actor, Outcome, get, own_session, participant_session,
                                     same_session, upsert)

_CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
TALLY = frozenset({"tally"})


def open_poll(db: Db, actor: Actor, proposal_id: object, rule: object = "majority_cast", unit: object = "person",
              secret: object = False, quorum: object = None) -> Outcome:
    """Open a yes / no / abstain poll on a proposal that has no decision yet."""
    proposal = get(db, Proposal, proposal_id, "proposal")
    session = own_session(db, actor, proposal.session_id)
    require_step(Step(session.step), Step.DECIDE)
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
                quorum=quorum_, status=voting.PollStatus.OPEN)
    db.add(poll)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise DomainError("poll_already_open") from None
    audit.record(db, session.id, "poll.open", audit.facilitator_label(session), poll.id, rule=rule,
                 unit=unit_.value, secret=secret, quorum=quorum_)
    db.commit()
    # the session's moves change (decide cannot end with a poll open), the console lists its voters
    return Outcome(session.id, frozenset({"polls", "ballots", "session"}), {"poll_id": poll.id})


def cast_vote(db: Db, actor: Actor, poll_id: object, choice: object, client_id: object) -> Outcome:
    """A vote from a phone; a send already applied changes nothing, a new one replaces the old."""
    participant, session = participant_session(db, actor)
    choice_ = voting.parse_choice(choice)
    if not isinstance(client_id, str) or not _CLIENT_ID.match(client_id):
        raise DomainError("invalid_field", field="client_id")
    poll = _locked_poll(db, poll_id, exclusive=False)
    same_session(poll.session_id, session, "poll")
    voting.require_open(poll.status)
    key = voting.voter_key(voting.Unit(poll.unit), participant.id, participant.household_id)
    if db.execute(_RECEIPT, {"poll": poll.id, "participant": participant.id, "client": client_id}).first() is None:
        current = db.scalar(select(Ballot.choice).where(Ballot.poll_id == poll.id, Ballot.voter_key == key))
        db.commit()
        return Outcome(session.id, frozenset(), {"poll_id": poll.id, "choice": current, "duplicate": True})
    household = _voting_household(db, poll, participant.household_id)
    previous = _store(db, poll, key, choice_, voting.Channel.PHONE, participant_id=participant.id,
                      household=household)
    if not poll.secret:  # a secret poll's voters are written once, in no order, at close
        audit.record(db, session.id, "ballot.change" if previous else "ballot.cast",
                     audit.participant_label(participant), poll.id, channel="phone",
                     voter=_label(participant, household), choice=choice_.value)
    db.commit()
    return Outcome(session.id, TALLY | {"ballots"},  # the console lists who took part
                   {"poll_id": poll.id, "choice": choice_.value, "duplicate": False},
                   personal=_household_members(db, session.id, household, participant.id), coalesced=poll.secret)


def enter_vote(db: Db, actor: Actor, poll_id: object, choice: object, participant_id: object = None,
               door_number: object = None) -> Outcome:
    """A named vote the facilitator enters for a resident ("entered by" is recorded)."""
    poll = _locked_poll(db, poll_id, exclusive=False)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status)
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
    previous = _store(db, poll, key, choice_, voting.Channel.ENTERED, entered_by=actor.id,
                      participant_id=participant.id if participant else None, household=household)
    audit.record(db, session.id, "ballot.entered", audit.facilitator_label(session), poll.id,
                 voter=_label(participant, household), replaced=previous or "",
                 **({} if poll.secret else {"choice": choice_.value}))
    db.commit()
    return Outcome(session.id, TALLY | {"ballots"}, {"poll_id": poll.id, "replaced": previous},
                   personal=_household_members(db, session.id, household, participant.id if participant else None),
                   coalesced=poll.secret)


def set_count(db: Db, actor: Actor, poll_id: object, channel: object, yes: object, no: object,
              abstain: object) -> Outcome:
    """Enter (or correct) the show-of-hands or paper count of a poll."""
    poll = _locked_poll(db, poll_id, exclusive=False)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status)
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
    voting.require_open(poll.status)
    poll.present = None if present is None else voting.check_count(present, "present")
    audit.record(db, session.id, "attendance.set", audit.facilitator_label(session), poll.id, present=poll.present)
    db.commit()
    return Outcome(session.id, frozenset({"polls"}), {"poll_id": poll.id})


def close_poll(db: Db, actor: Actor, poll_id: object) -> Outcome:
    """Close the poll and record the decision with its certificate; a secret poll forgets who chose what."""
    poll = _locked_poll(db, poll_id, exclusive=True)
    session = own_session(db, actor, poll.session_id)
    voting.require_open(poll.status)
    total, channels = tally_of(db, poll.id)
    cert = standing_of(db, poll, session, total, channels)
    poll.status, poll.closed_at = voting.PollStatus.CLOSED, utcnow()
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
        audit.record(db, session.id, "poll.took_part", audit.facilitator_label(session), poll.id,
                     voters=len(took_part), names="、".join(took_part))
    audit.record(db, session.id, "poll.close", audit.facilitator_label(session), poll.id, passed=cert["passed"],
                 yes=total.yes, no=total.no, abstain=total.abstain)
    db.commit()
    return Outcome(session.id, frozenset({"polls", "ballots", "session"} | ({"convention"} if new_version else set())),
                   {"poll_id": poll.id, "adopted": cert["passed"], "yes": total.yes, "no": total.no,
                    "abstain": total.abstain, "cast": total.cast}, personal=voters)


def tally_of(db: Db, poll_id: int) -> tuple[rules.Tally, dict[str, rules.Tally]]:
    """The tally recomputed from the stored ballots and counts, in total and per channel."""
    return tallies_of(db, [poll_id])[poll_id]


# The vote path runs these for every ballot: plain SQL that reads the same on SQLite and
# PostgreSQL, so SQLAlchemy does not rebuild a statement each time.
_GROUPS = text("SELECT b.poll_id, b.channel, b.choice, count(*), sum(b.area_m2) FROM ballots b "
               "WHERE b.poll_id IN :ids GROUP BY b.poll_id, b.channel, b.choice").bindparams(
    bindparam("ids", expanding=True))
_COUNTS = text("SELECT poll_id, channel, yes, no, abstain FROM poll_counts WHERE poll_id IN :ids").bindparams(
    bindparam("ids", expanding=True))
_RECEIPT = text("INSERT INTO ballot_receipts (poll_id, participant_id, client_id) VALUES (:poll, :participant, "
                ":client) ON CONFLICT DO NOTHING RETURNING id")
# A voter's first ballot is an insert; when the row is there already (committed, perhaps by
# another phone of the household an instant ago: ON CONFLICT waits for it), its channel is
# read under a row lock and then replaced. So what the ballot replaced, and the audit trail's
# cast or change, are what really happened, even when two phones vote at the same instant.
_INSERT = text("INSERT INTO ballots (poll_id, voter_key, choice, channel, participant_id, household_id, "
               "entered_by_id, area_m2, replaced_channel, cast_at) VALUES (:poll, :key, :choice, :channel, "
               ":participant, :household, :entered_by, :area, NULL, :at) "
               "ON CONFLICT (poll_id, voter_key) DO NOTHING RETURNING id"
               ).bindparams(bindparam("area", type_=Ballot.__table__.c.area_m2.type),
                            bindparam("at", type_=Ballot.__table__.c.cast_at.type))
_UPDATE = text("UPDATE ballots SET choice = :choice, channel = :channel, participant_id = :participant, "
               "household_id = :household, entered_by_id = :entered_by, area_m2 = :area, "
               "replaced_channel = :replaced, cast_at = :at WHERE id = :id"
               ).bindparams(bindparam("area", type_=Ballot.__table__.c.area_m2.type),
                            bindparam("at", type_=Ballot.__table__.c.cast_at.type))


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

    Attendance entered by the facilitator counts; otherwise those who joined, and never fewer
    than voted (a show of hands counts people who never joined on a phone)."""
    if voting.Unit(poll.unit) is voting.Unit.HOUSEHOLD:
        query = select(func.count(), func.coalesce(func.sum(Household.area_m2), 0)) \
            .where(Household.council_id == session.council_id)
        if poll.rule in rules.BY_AREA:
            query = query.where(Household.owner.is_(True))
        eligible, area = db.execute(query).one()
        joined = db.scalar(select(func.count(func.distinct(Participant.household_id)))
                           .where(Participant.session_id == session.id, Participant.household_id.is_not(None)))
    else:
        joined = db.scalar(select(func.count()).select_from(Participant).where(Participant.session_id == session.id))
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


def _store(db: Db, poll: Poll, key: str, choice: voting.Choice, channel: voting.Channel, *,
           participant_id: int | None = None, household: Household | None = None,
           entered_by: int | None = None) -> str | None:
    """Store the voter's ballot; returns the channel of the ballot it replaced, if any."""
    row = {"poll": poll.id, "key": key, "choice": choice.value, "channel": channel.value,
           "participant": participant_id, "household": household.id if household else None,
           "entered_by": entered_by, "area": household.area_m2 if household else None, "at": utcnow()}
    if db.execute(_INSERT, row).first() is not None:
        return None
    ballot_id, previous = db.execute(select(Ballot.id, Ballot.channel).where(
        Ballot.poll_id == poll.id, Ballot.voter_key == key).with_for_update()).one()
    replaced = previous if voting.conflict(voting.Channel(previous), channel) else None
    db.execute(_UPDATE, {**row, "id": ballot_id, "replaced": replaced})
    return previous


def _voting_household(db: Db, poll: Poll, household_id: int | None) -> Household | None:
    if voting.Unit(poll.unit) is not voting.Unit.HOUSEHOLD or household_id is None:
        return None
    household = db.get_one(Household, household_id)
    voting.check_may_vote(poll.rule, household.owner)
    return household


def _household_members(db: Db, session_id: int, household: Household | None, but: int | None) -> frozenset[int]:
    """The other phones of a household: they show the household's vote too."""
    if household is None:
        return frozenset()
    ids = db.scalars(select(Participant.id).where(Participant.session_id == session_id,
                                                  Participant.household_id == household.id))
    return frozenset(i for i in ids if i != but)


def _label(participant: Participant | None, household: Household | None) -> str:
    return household.door_number if household else participant.display_name if participant else ""


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
