"""Socket.IO handlers: each authenticates, validates, calls one service and broadcasts."""
from __future__ import annotations

from typing import Any, Callable

from flask import current_app, request
from flask_socketio import ConnectionRefusedError, SocketIO, emit, join_room, leave_room, rooms
from socketio.pubsub_manager import PubSubManager
from council import policy
from council.db import BUSY, get_db, get_reader
from council.domain import DomainError
from council.extensions import socketio
from council.live import broadcast, budget, connection, poll_clock, snapshots
from council.live.events import EVENTS, Event, validate
from council.live.rooms import inbox_room, personal_room, room
from council.messages import error_payload
from council.services import accounts, state
from council.services.parts import Audience

AUDIENCE = {"console": Audience.CONSOLE, "projector": Audience.PROJECTOR, "phone": Audience.PHONE}


def register(socketio: SocketIO) -> None:
    socketio.on_event("connect", on_connect)
    socketio.on_event("state.get", on_state_get)
    for name, event in EVENTS.items():
        socketio.on_event(name, _handler(event))
    socketio.on_event("*", on_unknown)
    socketio.on_error_default(_on_unexpected)
    _closing_screens_disconnects(socketio)


def _closing_screens_disconnects(socketio: SocketIO) -> None:
    """Closing an account's screens room (`accounts.screens_room`, at logout or a password
    change) disconnects its members, not only empties it, in every server process: the
    closing process handles its own members and, with a message queue, every other process
    handles the `close_room` it receives for its members. (python-socketio can disconnect a
    sid across processes but cannot list another process's room members.)"""
    server = socketio.server
    manager = server.manager

    def disconnect_members(room: object, namespace: str | None) -> None:
        if isinstance(room, str) and room.startswith(accounts.SCREENS_ROOM_PREFIX):
            for sid, _eio_sid in list(manager.get_participants(namespace or "/", room)):
                server.disconnect(sid, namespace=namespace or "/", ignore_queue=True)

    if isinstance(manager, PubSubManager):
        handle_close_room = manager._handle_close_room  # the closing process and the others

        def on_close_room(message: dict[str, Any]) -> None:
            disconnect_members(message.get("room"), message.get("namespace"))
            handle_close_room(message)
        manager._handle_close_room = on_close_room  # type: ignore[method-assign]
    else:
        close_room = manager.close_room

        def on_local_close_room(room: str, namespace: str | None = None) -> None:
            disconnect_members(room, namespace)
            close_room(room, namespace)
        manager.close_room = on_local_close_room  # type: ignore[method-assign]


def on_unknown(event: str, *_args: object) -> dict[str, Any]:
    try:
        budget.charge(1)  # a flood of nonsense costs like any other
    except DomainError as err:
        return error_payload(err)
    return error_payload(DomainError("unknown_event"))


def on_connect(auth: object = None) -> None:
    """Refuse strangers; put the connection in its room and send the whole current state."""
    try:
        conn = connection.authenticate(auth)
        if conn.role == "phone" and conn.actor:
            budget.charge_participant(conn.actor.id, budget.STATE_COST)
    except BUSY:  # no database connection free in time: the page tries again
        raise _refused(DomainError("busy")) from None
    except DomainError as err:
        raise _refused(err) from None
    connection.remember(conn)
    if conn.role == "inbox":  # a console inbox page: it hears `inbox` and fetches its list itself
        assert conn.council_id is not None and conn.facilitator_id is not None
        join_room(inbox_room(conn.council_id))
        join_room(accounts.screens_room(conn.facilitator_id))  # closed at the account's logout
        return
    join_room(room(conn.session_id, broadcast.ROOMS[AUDIENCE[conn.role]]))
    if connection.screens_room(conn):
        join_room(connection.screens_room(conn))  # closed at the account's logout
    if conn.role == "phone" and conn.actor:
        join_room(personal_room(conn.actor.id))
    try:
        poll_clock.close_due(conn.session_id)  # a voting window that ended: the screen sees the decision
        snapshot = _snapshot(conn)
    except BUSY:
        raise _refused(DomainError("busy")) from None
    emit("state", snapshot)


def _refused(err: DomainError) -> ConnectionRefusedError:
    # Socket.IO sends the first argument as the error's `message` (a string) and the second
    # as its `data`: the same error object as everywhere else, so clients read `data.code`.
    get_reader().rollback()
    error = error_payload(err)["error"]
    return ConnectionRefusedError(error["message"], error)


def on_state_get(_payload: object = None) -> dict[str, Any]:
    """The whole current state, for a page that wants to be sure it is up to date."""
    socketio.sleep(0)  # see `_handler`
    try:
        budget.charge(budget.STATE_COST)
        conn = connection.current()
        if conn.role == "inbox":  # it has no session state: it fetches its page
            raise DomainError("unknown_event")
        return {"ok": True, "state": _snapshot(conn)}
    except BUSY:
        get_reader().rollback()
        return error_payload(DomainError("busy"))
    except DomainError as err:
        _stop_if_revoked(err)
        return error_payload(err)


def _stop_if_revoked(err: DomainError) -> None:
    """A console or projector whose account logged out (through another server process, or
    with no message queue to reach this one) leaves every room: it gets no more of the session."""
    if isinstance(err, connection.Revoked):
        for name in rooms():
            if name != request.sid:  # type: ignore[attr-defined]
                leave_room(name)


def _snapshot(conn: connection.Connection) -> dict[str, Any]:
    participant = conn.actor.id if conn.role == "phone" and conn.actor else None
    return snapshots.snapshot(get_reader(), conn.session_id, AUDIENCE[conn.role], participant_id=participant)


def _handler(event: Event) -> Callable[[object], dict[str, Any]]:
    def handle(payload: object = None) -> dict[str, Any]:
        # A connection's events run one after another (`async_handlers=False`); before each,
        # every other connection with work ready gets its turn, so that a phone sending events
        # as fast as it can never holds the server away from the others.
        socketio.sleep(0)
        db = get_db()
        try:
            budget.charge(event.cost)  # before any database work: a refusal costs nearly nothing
            conn = connection.current()
            policy.gate(conn.role, event.roles)
            outcome = event.call(db, conn, validate(event.fields, payload))
        except DomainError as err:
            db.rollback()
            _stop_if_revoked(err)
            return error_payload(err)
        except BUSY:  # database locked or no connection free in time: nothing was committed, resend
            db.rollback()
            return error_payload(DomainError("busy"))
        if not event.published:
            try:
                broadcast.publish(outcome)
            except Exception:  # committed: the sender is told so; screens catch up with the next change
                current_app.logger.exception("could not publish a committed change")
        reply: dict[str, Any] = {"ok": True, **outcome.reply}
        if conn.role == "phone" and event.reply_me:
            reply["me"] = state.me(get_reader(), conn.actor.id)
        return reply
    return handle


def _on_unexpected(exc: BaseException) -> dict[str, Any]:
    current_app.logger.exception("unexpected error in a Socket.IO event", exc_info=exc)
    get_db().rollback()
    return error_payload(DomainError("invalid_field", field="payload"))
