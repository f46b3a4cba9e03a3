"""Socket.IO handlers: each authenticates, validates, calls one service and broadcasts."""
from __future__ import annotations

from typing import Any, Callable

from flask import current_app
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room
from sqlalchemy.exc import OperationalError

from council import policy
from council.db import get_db
from council.domain import DomainError
from council.live import broadcast, connection
from council.live.events import EVENTS, Event, validate
from council.live.rooms import personal_room, room
from council.messages import error_payload
from council.services import state
from council.services.parts import Audience

AUDIENCE = {"console": Audience.CONSOLE, "projector": Audience.PROJECTOR, "phone": Audience.PHONE}


def register(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect)
    socketio.on_event("state.get", on_state_get)
    for name, event in EVENTS.items():
        socketio.on_event(name, _handler(event))
    socketio.on_event("*", on_unknown)
    socketio.on_error_default(_on_unexpected)


def on_unknown(event: str, *_args: object) -> dict[str, Any]:
    return error_payload(DomainError("unknown_event"))


def on_connect(auth: object = None) -> None:
    """Refuse strangers; put the connection in its room and send the whole current state."""
    try:
        conn = connection.authenticate(auth)
    except DomainError as err:
        # Socket.IO sends the first argument as the error's `message` (a string) and the second
        # as its `data`: the same error object as everywhere else, so clients read `data.code`.
        error = error_payload(err)["error"]
        raise ConnectionRefusedError(error["message"], error) from None
    connection.remember(conn)
    join_room(room(conn.session_id, broadcast.ROOMS[AUDIENCE[conn.role]]))
    if conn.role == "phone" and conn.actor:
        join_room(personal_room(conn.actor.id))
    emit("state", _snapshot(conn))


def on_state_get(_payload: object = None) -> dict[str, Any]:
    """The whole current state, for a page that wants to be sure it is up to date."""
    try:
        return {"ok": True, "state": _snapshot(connection.current())}
    except DomainError as err:
        return error_payload(err)


def _snapshot(conn: connection.Connection) -> dict[str, Any]:
    participant = conn.actor.id if conn.role == "phone" and conn.actor else None
    return state.snapshot(get_db(), conn.session_id, AUDIENCE[conn.role], participant_id=participant)


def _handler(event: Event) -> Callable[[object], dict[str, Any]]:
    def handle(payload: object = None) -> dict[str, Any]:
        db = get_db()
        try:
            conn = connection.current()
            policy.gate(conn.role, event.roles)
            outcome = event.call(db, conn, validate(event.fields, payload))
        except DomainError as err:
            db.rollback()
            return error_payload(err)
        except OperationalError:  # database busy: nothing was committed, the client may retry
            db.rollback()
            return error_payload(DomainError("busy"))
        broadcast.publish(outcome)
        reply: dict[str, Any] = {"ok": True, **outcome.reply}
        if conn.role == "phone" and event.reply_me:
            reply["me"] = state.me(db, conn.actor.id)
        return reply
    return handle


def _on_unexpected(exc: BaseException) -> dict[str, Any]:
    current_app.logger.exception("unexpected error in a Socket.IO event", exc_info=exc)
    get_db().rollback()
    return error_payload(DomainError("invalid_field", field="payload"))
