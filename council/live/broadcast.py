"""After a commit, send the changed parts of a session's state to the rooms that show it.

Console and projector get every change at once. Phones get changes coalesced over a short
window, so a burst of votes costs one message per phone, not one per vote per phone. The
pending set below is only a send buffer; the state it announces is read from the database.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Iterable

from flask import Flask, current_app

from council.db import get_db
from council.extensions import socketio
from council.live.rooms import personal_room, room
from council.services import Outcome, state

PER_AUDIENCE = {"participants", "topics", "cafe", "ideas"}  # parts the console sees more of than the public
_pending: dict[int, set[str]] = {}
_flushing: set[int] = set()
_lock = threading.Lock()


def publish(outcome: Outcome) -> None:
    """Broadcast what a committed operation changed."""
    if not outcome.parts and not outcome.personal:
        return
    sid, db = outcome.session_id, get_db()
    for name in sorted(outcome.parts):
        console = state.part(db, sid, name, "console")
        socketio.emit("patch", {"part": name, "data": console}, to=room(sid, "console"))
        if name in state.CONSOLE_ONLY:
            continue
        public = state.part(db, sid, name, "public") if name in PER_AUDIENCE else console
        socketio.emit("patch", {"part": name, "data": public}, to=room(sid, "projector"))
    for participant_id in outcome.personal:
        socketio.emit("me", state.me(db, participant_id), to=personal_room(participant_id))
    public_parts = outcome.parts - state.CONSOLE_ONLY
    if public_parts:
        _schedule_phones(current_app._get_current_object(), sid, public_parts)  # type: ignore[attr-defined]


def _schedule_phones(app: Flask, session_id: int, parts: Iterable[str]) -> None:
    with _lock:
        first = session_id not in _pending
        _pending.setdefault(session_id, set()).update(parts)
    if first:
        socketio.start_background_task(_flush_phones, app, session_id)


def _flush_phones(app: Flask, session_id: int) -> None:
    socketio.sleep(app.config["COUNCIL"]["phone_coalesce_ms"] / 1000)
    with _lock:
        parts = _pending.pop(session_id, set())
        _flushing.add(session_id)
    if "polls" in parts:
        parts.discard("tally")  # the polls part already carries the counts
    try:
        with app.app_context():
            db = get_db()
            patches: list[dict[str, Any]] = [{"part": name, "data": state.part(db, session_id, name, "public")}
                                             for name in sorted(parts)]
        socketio.emit("patches", patches, to=room(session_id, "phones"))
    except Exception:  # a phone that missed this batch catches up with the next one or on reconnect
        app.logger.exception("could not send coalesced changes of session %s to phones", session_id)
    finally:
        with _lock:
            _flushing.discard(session_id)


def drain(timeout: float = 2.0) -> bool:
    """Wait until no batch for phones is pending (tests and shutdown)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if not _pending and not _flushing:
                return True
        socketio.sleep(0.01)
    return False
