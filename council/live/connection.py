"""Who is on the other end of a Socket.IO connection, decided once at connect."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import session as flask_session

from council.db import get_db
from council.domain import DomainError
from council import policy
from council.services import Actor
from council.services.participants import find_participant, session_by_code

ROLES = ("console", "projector", "phone")


@dataclass(frozen=True)
class Connection:
    role: str
    session_id: int
    actor: Actor | None  # None for the projector: it only watches

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "session_id": self.session_id,
                "actor": [self.actor.kind, self.actor.id, self.actor.session_id] if self.actor else None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Connection:
        actor = Actor(*data["actor"]) if data["actor"] else None
        return cls(data["role"], data["session_id"], actor)


def authenticate(auth: object) -> Connection:
    """Console and projector need the session's facilitator logged in; a phone its device token."""
    if not isinstance(auth, dict) or auth.get("role") not in ROLES:
        raise DomainError("not_authenticated")
    db = get_db()
    if auth["role"] == "phone":
        session = session_by_code(db, auth.get("code"))
        participant = find_participant(db, session, auth.get("token"))
        if participant is None:
            raise DomainError("not_participant")
        return Connection("phone", session.id, Actor.participant(participant.id))
    facilitator_id = flask_session.get("facilitator_id")
    session_id = auth.get("session_id")
    if facilitator_id is None or not policy.may_run(db, facilitator_id, session_id):
        raise DomainError("not_facilitator")
    # the console acts within its own session only; the projector only watches
    actor = Actor.facilitator(facilitator_id, session_id=session_id) if auth["role"] == "console" else None
    return Connection(auth["role"], session_id, actor)


def remember(conn: Connection) -> None:
    flask_session["connection"] = conn.as_dict()


def current() -> Connection:
    data = flask_session.get("connection")
    if data is None:
        raise DomainError("not_authenticated")
    return Connection.from_dict(data)
