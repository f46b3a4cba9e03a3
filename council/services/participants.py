"""Residents joining a session from their phones."""
from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as Db

from council import formats
from council.domain import DomainError
from council.domain.steps import Step
from council.domain.text import DOOR_MAX, NAME_MAX, clean
from council.models import Participant, Session
from council.services import residents
from council.services.common import Actor, Outcome, own_session

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def session_by_code(db: Db, code: object) -> Session:
    """The session a join code opens, or `unknown_code`."""
    code = code.strip() if isinstance(code, str) else ""
    session = db.scalar(select(Session).where(Session.join_code == code)) if code.isdigit() else None
    if session is None:
        raise DomainError("unknown_code")
    return session


def find_participant(db: Db, session: Session, device_token: object) -> Participant | None:
    """The participant this device already is in this session, if any."""
    if not isinstance(device_token, str) or not _TOKEN.match(device_token):
        return None
    return db.scalar(select(Participant).where(Participant.session_id == session.id,
                                               Participant.device_token == device_token))


def join(db: Db, code: object, display_name: object, door_number: object = "",
         device_token: object = None, *, remote: bool = False) -> Outcome:
    """Join by code; the same device joining again is the same participant, renamed, and in
    any session of the community the same resident.

    `remote`: joined on the remote-vote page, to vote from wherever they are. Such a participant
    is not present (`Participant.present`) until the same device joins in the room; once present
    they stay so, whatever page they use afterwards."""
    try:
        return _join(db, code, display_name, door_number, device_token, remote)
    except IntegrityError:  # the same device joined twice at once: the first one wins, this one finds it
        db.rollback()
        return _join(db, code, display_name, door_number, device_token, remote)


def _join(db: Db, code: object, display_name: object, door_number: object, device_token: object,
          remote: bool) -> Outcome:
    session = session_by_code(db, code)
    if session.step == Step.CLOSED:
        raise DomainError("session_closed")
    name = clean(display_name, field="name", maximum=NAME_MAX)
    door = clean(door_number, field="door", maximum=DOOR_MAX, required=False)
    from council.services.households import household_for_door
    household = household_for_door(db, session.council_id, door) if door else None
    participant = find_participant(db, session, device_token)
    # a new name shows in topics and ballots; one more resident present moves the polls' standing
    parts = {"participants", "topics", "ballots", "tally"}
    token = participant.device_token if participant is not None else \
        device_token if isinstance(device_token, str) and _TOKEN.match(device_token) else secrets.token_urlsafe(24)
    resident = residents.for_device(db, residents.home_council(db, session.council_id), token, name, door)
    arrived = False  # now in the room for the first time: seated, backing what they backed from home
    if participant is None:
        participant = Participant(session_id=session.id, display_name=name, door_number=door, resident_id=resident.id,
                                  device_token=token, household_id=household.id if household else None,
                                  remote=remote)
        db.add(participant)
        arrived = not remote
    else:
        participant.display_name, participant.door_number = name, door
        participant.household_id = household.id if household else None
        participant.resident_id = resident.id
        parts |= set(formats.get(session.format).parts)  # a convener's or host's name shows there too
        if participant.remote and not remote:  # voted from afar, now in the room: present from here on
            participant.remote, arrived = False, True
    if arrived:
        parts |= _joined(db, session)
        db.flush()
        from council.services.inbox import back_carried_topics
        back_carried_topics(db, participant, session)  # what they backed from home, carried here
    db.commit()
    return Outcome(session.id, frozenset(parts),
                   {"participant_id": participant.id, "device_token": participant.device_token,
                    "session_id": session.id, "household": household.door_number if household else None},
                   personal=frozenset({participant.id}))  # a page already open shows the new name


def add_participant(db: Db, actor: Actor, session_id: int, display_name: object, door_number: object = "") -> Outcome:
    """A resident without a phone, entered by the facilitator so that votes can be entered for them."""
    session = own_session(db, actor, session_id)
    if session.step == Step.CLOSED:
        raise DomainError("session_closed")
    name = clean(display_name, field="name", maximum=NAME_MAX)
    door = clean(door_number, field="door", maximum=DOOR_MAX, required=False)
    from council.services.households import household_for_door
    household = household_for_door(db, session.council_id, door) if door else None
    resident = residents.entered(db, residents.home_council(db, session.council_id), name, door)
    participant = Participant(session_id=session.id, display_name=name, door_number=door, resident_id=resident.id,
                              device_token="entered-" + secrets.token_urlsafe(24), added_by_id=actor.id,
                              household_id=household.id if household else None)
    db.add(participant)
    parts = {"participants", "tally"} | _joined(db, session)
    db.commit()
    return Outcome(session.id, frozenset(parts), {"participant_id": participant.id})


def _joined(db: Db, session: Session) -> frozenset[str]:
    """What the session's format does when someone joins (a café seats them): changed parts."""
    on_join = formats.get(session.format).on_join
    return on_join(db, session) if on_join else frozenset()
