"""Who is on the other end of a Socket.IO connection, decided once at connect."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import session as flask_session

from council.db import get_db, get_reader
from council.domain import DomainError
from council import policy, throttle
from council.services import Actor, accounts
from council.services.participants import find_participant

ROLES = ("console", "projector", "phone", "inbox")


class Revoked(DomainError):
    """A console or projector whose account's sessions ended: it gets nothing more."""


@dataclass(frozen=True)
class Connection:
    role: str
    session_id: int | None  # None for a console inbox page: it watches a council, not a session
    actor: Actor | None  # None for the projector: it only watches
    # Console and projector: the account logged in, at the session epoch it connected with;
    # a logout or a password change since then ends the connection's rights.
    facilitator_id: int | None = None
    epoch: str | None = None
    council_id: int | None = None  # the council of a console inbox page

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "session_id": self.session_id,
                "actor": [self.actor.kind, self.actor.id, self.actor.session_id] if self.actor else None,
                "facilitator_id": self.facilitator_id, "epoch": self.epoch, "council_id": self.council_id}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Connection:
        actor = Actor(*data["actor"]) if data["actor"] else None
        return cls(data["role"], data["session_id"], actor, data.get("facilitator_id"), data.get("epoch"),
                   data.get("council_id"))


def authenticate(auth: object) -> Connection:
    """Console and projector need the session's facilitator logged in; a phone its device token."""
    if not isinstance(auth, dict) or auth.get("role") not in ROLES:
        raise DomainError("not_authenticated")
    db = get_reader()  # only reads: a storm of reconnecting phones takes no write lock
    if auth["role"] == "phone":
        session = throttle.session_by_code(db, auth.get("code"), auth.get("token"))  # guessing counts here too
        participant = find_participant(db, session, auth.get("token"))
        if participant is None:
            raise DomainError("not_participant")
        return Connection("phone", session.id, Actor.participant(participant.id))
    facilitator_id = flask_session.get("facilitator_id")
    epoch = flask_session.get("facilitator_epoch")
    if auth["role"] == "inbox":
        return _inbox(db, facilitator_id, epoch, auth.get("council_id"))
    session_id = auth.get("session_id")
    if not accounts.epoch_holds(db, facilitator_id, epoch) or not policy.may_run(db, facilitator_id, session_id):
        raise DomainError("not_facilitator")
    # the console acts within its own session only; the projector only watches
    actor = Actor.facilitator(facilitator_id, session_id=session_id) if auth["role"] == "console" else None
    return Connection(auth["role"], session_id, actor, facilitator_id, epoch)


def _inbox(db: Any, facilitator_id: object, epoch: object, council_id: object) -> Connection:
    """A console inbox page: a facilitator logged in who reaches the council; it only listens."""
    if not isinstance(facilitator_id, int) or not accounts.epoch_holds(db, facilitator_id, epoch):
        raise DomainError("not_facilitator")
    try:
        council = policy.council(db, Actor.facilitator(facilitator_id), council_id)
    except DomainError:
        raise DomainError("not_facilitator") from None
    return Connection("inbox", None, None, facilitator_id, epoch if isinstance(epoch, str) else None, council.id)


def remember(conn: Connection) -> None:
    flask_session["connection"] = conn.as_dict()


def current() -> Connection:
    """The connection's identity, checked again on every event: a console or projector whose
    account logged out or changed its password since it connected is refused `not_facilitator`
    (one primary-key lookup), whichever server process the logout went through."""
    data = flask_session.get("connection")
    if data is None:
        raise DomainError("not_authenticated")
    conn = Connection.from_dict(data)
    if conn.role != "phone" and not accounts.epoch_holds(get_db(), conn.facilitator_id, conn.epoch):
        raise Revoked("not_facilitator")
    return conn


def screens_room(conn: Connection) -> str | None:
    """The room of every console and projector of the account (closed at logout)."""
    return accounts.screens_room(conn.facilitator_id) if conn.facilitator_id is not None else None
