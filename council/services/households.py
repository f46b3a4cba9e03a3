"""The household roll of a council, edited on the console or imported from CSV."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, households
from council.models import Council, Household, Participant, Session
from council import policy
from council.services.common import Actor, Outcome, get


def _council(db: Db, actor: Actor, council_id: object) -> Council:
    return policy.council(db, actor, council_id)


# A roll change moves the standing of household polls, the doors on ballots, and the
# household each linked phone votes for.
CHANGED = frozenset({"tally", "ballots", "participants"})


def roll(db: Db, council_id: int) -> list[Household]:
    return list(db.scalars(select(Household).where(Household.council_id == council_id)
                           .order_by(Household.door_number)))


def roll_totals(rows: list[Household]) -> dict[str, Any]:
    """The owners on a roll and their floor area, for the roll page's heading."""
    owners = [h for h in rows if h.owner]
    return {"owners": len(owners), "area": sum((h.area_m2 or 0) for h in owners)}


def save_household(db: Db, actor: Actor, council_id: object, door: object, area: object = None,
                   owner: object = True) -> Outcome:
    """Add a door to the roll, or update the one with that door number."""
    council = _council(db, actor, council_id)
    door = households.normalize_door(door)
    row = db.scalar(select(Household).where(Household.council_id == council.id, Household.door_number == door))
    if row is None:
        row = Household(council_id=council.id, door_number=door)
        db.add(row)
    row.area_m2, row.owner = households.parse_area(area), households.parse_owner(owner)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise DomainError("duplicate_door") from None
    linked = _link_participants(db, council.id)
    db.commit()  # the door and the residents it links, together
    return Outcome.of_council(council.id, CHANGED, {"household_id": row.id}, personal=linked)


def delete_household(db: Db, actor: Actor, household_id: object) -> Outcome:
    row = get(db, Household, household_id, "household")
    council = _council(db, actor, row.council_id)
    linked = frozenset(db.scalars(select(Participant.id).where(Participant.household_id == row.id)))
    db.delete(row)
    db.commit()
    return Outcome.of_council(council.id, CHANGED, personal=linked)


def import_csv(db: Db, actor: Actor, council_id: object, data: bytes) -> Outcome:
    """Add or update every valid row of an uploaded file; report the lines that were not
    taken, and why."""
    council = _council(db, actor, council_id)
    rows, errors = households.parse_csv(households.decode_csv(data))
    existing = {h.door_number: h for h in roll(db, council.id)}
    for h in rows:
        row = existing.get(h.door) or Household(council_id=council.id, door_number=h.door)
        row.area_m2, row.owner = h.area, h.owner
        db.add(row)
    db.flush()
    linked = _link_participants(db, council.id)
    db.commit()
    return Outcome.of_council(council.id, CHANGED, {"imported": len(rows),
                                                    "errors": [{"line": e.line, "code": e.code} for e in errors]},
                              personal=linked)


def household_for_door(db: Db, council_id: int, door: str) -> Household | None:
    """The roll entry of a door number as a resident typed it, if there is one."""
    try:
        door = households.normalize_door(door)
    except DomainError:
        return None
    return db.scalar(select(Household).where(Household.council_id == council_id, Household.door_number == door))


def _link_participants(db: Db, council_id: int) -> frozenset[int]:
    """Residents who joined before their door was on the roll now vote for their household;
    returns who was linked. The caller commits."""
    doors = {h.door_number: h.id for h in roll(db, council_id)}
    joined = db.scalars(select(Participant).join(Session).where(Session.council_id == council_id,
                                                                Participant.household_id.is_(None),
                                                                Participant.door_number != ""))
    linked = set()
    for p in joined:
        try:
            p.household_id = doors.get(households.normalize_door(p.door_number))
        except DomainError:
            continue
        if p.household_id is not None:
            linked.add(p.id)
    return frozenset(linked)
