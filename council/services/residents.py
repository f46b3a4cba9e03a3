"""Residents across meetings: the record each participant points at, found again by the phone's
device token in any session of the community, and one person's two records merged into one."""
from __future__ import annotations

from dataclasses import dataclass
import datetime as dt

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain.inbox import BUILDING_MAX
from council.domain.residents import check_merge, home_of, kept
from council.domain.text import clean
from council.models import Council, Participant, Resident, Session
from council.services.common import Actor, Outcome


def home_council(db: Db, council_id: int) -> int:
    """The community whose residents a council's sessions take in (domain.residents.home_of)."""
    chain, at = [], db.get(Council, council_id)
    while at is not None and len(chain) < 5:  # three levels; a loop in the tree cannot hang a join
        chain.append((at.id, at.level))
        at = db.get(Council, at.parent_id) if at.parent_id is not None else None
    return home_of(chain)


def _final(db: Db, resident: Resident) -> Resident:
    """The record kept at the end of this one's merges."""
    merged = dict(db.execute(select(Resident.id, Resident.merged_into_id)
                             .where(Resident.community_id == resident.community_id)).all())
    end = kept(resident.id, merged)
    return resident if end == resident.id else db.get_one(Resident, end)


def for_device(db: Db, home_id: int, token: str, name: str, door: str) -> Resident:
    """The resident a phone is in this community, created at its first join; named as it last
    called itself. Flushed, not committed: the join commits it with the participant."""
    found = db.scalar(select(Resident).where(Resident.community_id == home_id, Resident.device_token == token))
    if found is None:
        found = Resident(community_id=home_id, display_name=name, door_number=door, device_token=token)
        db.add(found)
        db.flush()
        return found
    found = _final(db, found)
    found.display_name, found.door_number = name, door
    return found


def entered(db: Db, home_id: int, name: str, door: str) -> Resident:
    """A resident the facilitator entered (no phone): a record of their own until linked."""
    resident = Resident(community_id=home_id, display_name=name, door_number=door, device_token=None)
    db.add(resident)
    db.flush()
    return resident


@dataclass(frozen=True)
class Known:
    """A resident as the console lists them: how often and when last seen, whether by phone."""

    id: int
    name: str
    door: str
    phone: bool
    sessions: int
    last_seen: dt.datetime | None
    building_head: str | None = None  # the building they are building head (楼门长) of


def known_to(db: Db, actor: Actor, council_id: object) -> tuple[Council, list[Known]]:
    """The residents who took part in the sessions of a council and the councils below it,
    most recently seen first; merged records are listed under the one kept."""
    council = policy.council(db, actor, council_id)
    below = policy.councils_below(db, council.id)
    rows = db.execute(
        select(Resident.id, Resident.display_name, Resident.door_number, Resident.device_token,
               # sessions attended; one who only voted from afar is listed, with none
               func.count(func.distinct(case((Participant.present(), Participant.session_id)))),
               func.max(Participant.joined_at),
               Resident.building_head)
        .join(Participant, Participant.resident_id == Resident.id)
        .join(Session, Session.id == Participant.session_id)
        .where(Session.council_id.in_(below), Resident.merged_into_id.is_(None))
        .group_by(Resident.id, Resident.display_name, Resident.door_number, Resident.device_token,
                  Resident.building_head)
        .order_by(func.max(Participant.joined_at).desc(), Resident.id.desc()))
    return council, [Known(rid, name, door, token is not None, n, last, head)
                     for rid, name, door, token, n, last, head in rows]


def set_building_head(db: Db, actor: Actor, resident_id: object, building: object, on: bool = True) -> Outcome:
    """Mark a resident as building head (楼门长) of a building, or take the mark back: a building
    head may raise issues for the households on the council's page (services.inbox)."""
    resident = policy.resident(db, actor, resident_id)
    resident.building_head = clean(building, field="building", maximum=BUILDING_MAX) if on else None
    db.commit()
    return Outcome(None, frozenset(), {"resident_id": resident.id})  # no live screen shows residents


def merge(db: Db, actor: Actor, source_id: object, target_id: object) -> Outcome:
    """One person's two records become one (the elder entered by hand and her phone, a new
    phone): the source's sessions count for the target; its phone finds the target from now on."""
    source, target = policy.resident(db, actor, source_id), policy.resident(db, actor, target_id)
    check_merge(source.id, target.id, same_home=source.community_id == target.community_id,
                source_merged=source.merged_into_id is not None, target_merged=target.merged_into_id is not None)
    source.merged_into_id = target.id
    db.execute(update(Participant).where(Participant.resident_id == source.id).values(resident_id=target.id))
    if not target.door_number and source.door_number:
        target.door_number = source.door_number
    if not target.building_head and source.building_head:
        target.building_head = source.building_head  # the same person still heads the building
    db.commit()
    return Outcome(None, frozenset(), {"resident_id": target.id})  # no live screen shows residents


def resident_of(db: Db, participant_id: int) -> Resident | None:
    participant = db.get(Participant, participant_id)
    return db.get(Resident, participant.resident_id) if participant and participant.resident_id else None


__all__ = ["home_council", "for_device", "entered", "known_to", "merge", "resident_of", "Known",
           "set_building_head"]
