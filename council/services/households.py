"""The household roll of a council, edited on the console or imported from CSV."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, households
from council.models import Council, Household, Participant, Session
from council.services.common import Actor, get


def _council(db: Db, actor: Actor, council_id: object) -> Council:
    if actor.kind != "facilitator":
        raise DomainError("not_facilitator")
    return get(db, Council, council_id, "council")


def roll(db: Db, council_id: int) -> list[Household]:
    return list(db.scalars(select(Household).where(Household.council_id == council_id)
                           .order_by(Household.door_number)))


def save_household(db: Db, actor: Actor, council_id: object, door: object, area: object = None,
                   owner: object = True) -> Household:
    """Add a door to the roll, or update the one with that door number."""
    council = _council(db, actor, council_id)
    door = households.normalize_door(door)
    row = db.scalar(select(Household).where(Household.council_id == council.id, Household.door_number == door))
    if row is None:
        row = Household(council_id=council.id, door_number=door)
        db.add(row)
    row.area_m2, row.owner = households.parse_area(area), households.parse_owner(owner)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise DomainError("duplicate_door") from None
    _link_participants(db, council.id)
    return row


def delete_household(db: Db, actor: Actor, household_id: object) -> None:
    row = get(db, Household, household_id, "household")
    _council(db, actor, row.council_id)
    db.delete(row)
    db.commit()


def import_csv(db: Db, actor: Actor, council_id: object, text: str) -> dict[str, Any]:
    """Add or update every valid row; report the lines that were not taken, and why."""
    council = _council(db, actor, council_id)
    rows, errors = households.parse_csv(text)
    existing = {h.door_number: h for h in roll(db, council.id)}
    for h in rows:
        row = existing.get(h.door) or Household(council_id=council.id, door_number=h.door)
        row.area_m2, row.owner = h.area, h.owner
        db.add(row)
    db.commit()
    _link_participants(db, council.id)
    return {"imported": len(rows), "errors": [{"line": e.line, "code": e.code} for e in errors]}


def household_for_door(db: Db, council_id: int, door: str) -> Household | None:
    """The roll entry of a door number as a resident typed it, if there is one."""
    try:
        door = households.normalize_door(door)
    except DomainError:
        return None
    return db.scalar(select(Household).where(Household.council_id == council_id, Household.door_number == door))


def _link_participants(db: Db, council_id: int) -> None:
    """Residents who joined before their door was on the roll now vote for their household."""
    doors = {h.door_number: h.id for h in roll(db, council_id)}
    joined = db.scalars(select(Participant).join(Session).where(Session.council_id == council_id,
                                                                Participant.household_id.is_(None),
                                                                Participant.door_number != ""))
    changed = False
    for p in joined:
        try:
            p.household_id = doors.get(households.normalize_door(p.door_number))
        except DomainError:
            continue
        changed = changed or p.household_id is not None
    if changed:
        db.commit()
