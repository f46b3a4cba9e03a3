"""Participation points (活力值) of a community's residents: its rules, counted from stored rows
on every read (council/domain/points.py), and the buildings' league table if it chose one."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain import DomainError
from council.domain.actions import ActionStatus
from council.domain.days import optional_day
from council.domain.moderation import Review
from council.domain.points import Deed, Line, building_of, parse_rule, rules_with_defaults, score
from council.formats.openspace.models import Group
from council.localtime import day, day_start
from council.models import (Action, ActionUpdate, Council, Decision, Participant, PointRule, Proposal, Rating,
                            Resident, Session, Topic)
from council.services.common import Actor, Outcome
from council.services.residents import home_council


@dataclass(frozen=True)
class Period:
    """Whole days in the meeting room's timezone, both ends included; None: no bound."""

    start: dt.date | None = None
    end: dt.date | None = None

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The period as UTC moments: from the start day's midnight to the next day after the end."""
        return (day_start(self.start) if self.start else None,
                day_start(self.end + dt.timedelta(days=1)) if self.end else None)

    @classmethod
    def parse(cls, start: object, end: object) -> Period:
        a, b = optional_day(start), optional_day(end)
        if a and b and a > b:
            raise DomainError("invalid_period")
        return cls(a, b)


def _within(column, period: Period):  # type: ignore[no-untyped-def]
    low, high = period.bounds()
    return and_(true(), *([column >= low] if low else []), *([column < high] if high else []))


def community_of(db: Db, actor: Actor, council_id: object) -> Council:
    """The community council whose points these are: the council itself, if it is one (a
    resident's home, council/domain/residents.py); otherwise `not_a_community`."""
    council = policy.council(db, actor, council_id)
    if home_council(db, council.id) != council.id:
        raise DomainError("not_a_community")
    return council


def rules_of(db: Db, community_id: int) -> dict[Deed, int]:
    stored = dict(db.execute(select(PointRule.deed, PointRule.points).where(PointRule.community_id == community_id)).all())
    return rules_with_defaults({Deed(k).value: v for k, v in stored.items()})


def set_rules(db: Db, actor: Actor, council_id: object, rules: dict[str, object], league: bool) -> Outcome:
    """A community's points for each kind of taking part, and whether its league table shows."""
    council = community_of(db, actor, council_id)
    parsed = dict(parse_rule(deed, points) for deed, points in rules.items())
    have = {r.deed: r for r in db.scalars(select(PointRule).where(PointRule.community_id == council.id))}
    for deed, points in parsed.items():
        if deed in have:
            have[deed].points = points
        else:
            db.add(PointRule(community_id=council.id, deed=deed, points=points))
    council.league_table = bool(league)
    db.commit()
    return Outcome(None, frozenset(), {"council_id": council.id})  # no live screen shows points


def counts(db: Db, resident_ids: list[int], period: Period) -> dict[int, Counter[Deed]]:
    """What each resident did in the period, kind by kind, from the stored rows."""
    out: dict[int, Counter[Deed]] = {r: Counter() for r in resident_ids}
    if not resident_ids:
        return out
    mine = Participant.resident_id.in_(resident_ids)

    def add(deed: Deed, rows) -> None:  # type: ignore[no-untyped-def]
        for rid, n in rows:
            out[rid][deed] += n

    add(Deed.ATTEND, db.execute(
        select(Participant.resident_id, func.count(func.distinct(Participant.session_id)))
        .join(Session, Session.id == Participant.session_id)
        .where(mine, Participant.present(), _within(Session.starts_at, period)).group_by(Participant.resident_id)))
    shown = and_(Topic.review == Review.APPROVED, Topic.hidden.is_(False))
    add(Deed.RAISE_TOPIC, db.execute(
        select(Participant.resident_id, func.count(Topic.id)).join(Topic, Topic.author_id == Participant.id)
        .where(mine, shown, _within(Topic.created_at, period)).group_by(Participant.resident_id)))
    add(Deed.TOPIC_DECIDED, db.execute(
        select(Participant.resident_id, func.count(func.distinct(Topic.id)))
        .join(Topic, Topic.author_id == Participant.id).join(Proposal, Proposal.topic_id == Topic.id)
        .join(Decision, Decision.proposal_id == Proposal.id)
        .where(mine, Decision.adopted.is_(True), _within(Decision.decided_at, period))
        .group_by(Participant.resident_id)))
    add(Deed.CONVENE_GROUP, db.execute(
        select(Participant.resident_id, func.count(Group.id)).join(Topic, Topic.author_id == Participant.id)
        .join(Group, Group.topic_id == Topic.id).join(Session, Session.id == Group.session_id)
        .where(mine, _within(Session.starts_at, period)).group_by(Participant.resident_id)))
    add(Deed.RATE, db.execute(
        select(Participant.resident_id, func.count(Rating.id)).join(Rating, Rating.participant_id == Participant.id)
        .join(Session, Session.id == Rating.session_id)
        .where(mine, _within(Session.starts_at, period)).group_by(Participant.resident_id)))
    # an action owned and done by its deadline (the day it was last reported done, on the room's clock)
    done_at = (select(ActionUpdate.action_id, func.max(ActionUpdate.at).label("at"))
               .where(ActionUpdate.status == ActionStatus.DONE).group_by(ActionUpdate.action_id).subquery())
    for rid, deadline, at in db.execute(
            select(Action.owner_resident_id, Action.deadline, done_at.c.at).join(done_at, done_at.c.action_id == Action.id)
            .where(Action.owner_resident_id.in_(resident_ids), Action.status == ActionStatus.DONE,
                   _within(done_at.c.at, period))):
        if day(at) <= deadline:
            out[rid][Deed.ACTION_ON_TIME] += 1
    return out


def points_of(db: Db, resident: Resident, period: Period = Period()) -> tuple[int, list[Line]]:
    """A resident's points over a period (all of it by default), line by line."""
    return score(counts(db, [resident.id], period)[resident.id], rules_of(db, resident.community_id))


@dataclass(frozen=True)
class Building:
    name: str
    residents: int
    points: int


def league(db: Db, actor: Actor, council_id: object, period: Period) -> list[Building]:
    """The community's buildings by their residents' points, if the community chose to show them."""
    council = community_of(db, actor, council_id)
    if not council.league_table:
        return []
    people = db.execute(select(Resident.id, Resident.door_number).where(
        Resident.community_id == council.id, Resident.merged_into_id.is_(None), Resident.erased_at.is_(None))).all()
    rules = rules_of(db, council.id)
    done = counts(db, [rid for rid, _door in people], period)
    totals: dict[str, list[int]] = {}
    for rid, door in people:
        building = building_of(door)
        if building is not None:
            entry = totals.setdefault(building, [0, 0])
            entry[0] += 1
            entry[1] += score(done[rid], rules)[0]
    return sorted((Building(b, n, p) for b, (n, p) in totals.items()), key=lambda b: (-b.points, b.name))


__all__ = ["Period", "community_of", "rules_of", "set_rules", "counts", "points_of", "league", "Building"]
