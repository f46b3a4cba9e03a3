"""After a commit, send the changed parts of a session's state to the rooms that show it.

This is the one place that publishes: every mutation, over Socket.IO or HTTP, hands its
`Outcome` here after the commit. Console and projector get most changes at once. Phones get
changes coalesced over a short window, so a burst of votes costs one message per phone, not
one per vote per phone; the console gets its heavy lists (who voted) the same way. The
pending sets below are only a send buffer; the state they announce is read from the database.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any, Iterable

from flask import Flask, current_app
from sqlalchemy import or_, select

from council.db import get_db
from council.extensions import socketio
from council.live.rooms import personal_room, room
from council.models import Session
from council.models.base import utcnow
from council.services import Outcome, state
from council.services.parts import Audience

ROOMS = {Audience.CONSOLE: "console", Audience.PROJECTOR: "projector", Audience.PHONE: "phones"}
# Parts a screen gets coalesced rather than at once: phones get every part so; the console
# its list of who voted, rebuilt once per window instead of once per vote.
COALESCED = {Audience.PHONE: None, Audience.CONSOLE: frozenset({"ballots"})}

_pending: dict[tuple[int, Audience], set[str]] = {}
# One flusher per session and audience at a time: two overlapping flushes could deliver an
# older build after a newer one, and a screen would keep the older state.
_flushers: set[tuple[int, Audience]] = set()
_lock = threading.Lock()


def publish(outcome: Outcome) -> None:
    """Broadcast what a committed operation changed, to every session it reaches."""
    if not outcome.parts and not outcome.personal:
        return
    db = get_db()
    for session in _sessions_reached(outcome):
        _publish_session(db, session, outcome.parts, coalesce_all=outcome.coalesced)
    for participant_id in outcome.personal:
        socketio.emit("me", state.me(db, participant_id), to=personal_room(participant_id))


def _sessions_reached(outcome: Outcome) -> list[Session]:
    """The session the change happened in, or every session of the council that changed and
    may still be on a screen: running, or closed within the posting period (公示期)."""
    db = get_db()
    if outcome.council_id is not None:
        since = utcnow() - dt.timedelta(days=current_app.config["COUNCIL"]["posting_days"])
        return list(db.scalars(select(Session).where(
            Session.council_id == outcome.council_id,
            or_(Session.closed_at.is_(None), Session.closed_at >= since))))
    return [db.get_one(Session, outcome.session_id)] if outcome.session_id is not None else []


def _publish_session(db: Any, session: Session, changed: Iterable[str], coalesce_all: bool = False) -> None:
    known = state.parts_of(session)
    names = sorted(n for n in changed if n in known or n == "tally")
    later: dict[Audience, set[str]] = {}
    built: dict[str, Any] = {}
    for audience in Audience:
        room_name = room(session.id, ROOMS[audience])
        for name in names:
            part = state.TALLY if name == "tally" else known[name]
            if audience not in part.audiences:
                continue
            coalesced = None if coalesce_all else COALESCED.get(audience, frozenset())
            if coalesced is None or name in coalesced:
                later.setdefault(audience, set()).add(name)
                continue
            key = name if not part.per_audience or audience is not Audience.CONSOLE else name + ":console"
            if key not in built:
                built[key] = part.build(db, session, audience)
            socketio.emit("patch", {"part": name, "data": built[key]}, to=room_name)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    for audience, parts in later.items():
        _schedule(app, session.id, audience, parts)


def _schedule(app: Flask, session_id: int, audience: Audience, parts: Iterable[str]) -> None:
    key = (session_id, audience)
    with _lock:
        _pending.setdefault(key, set()).update(parts)
        start = key not in _flushers
        _flushers.add(key)
    if start:
        socketio.start_background_task(_flush, app, key)


def _flush(app: Flask, key: tuple[int, Audience]) -> None:
    """Send what piled up during one window, again while more arrives, then stop."""
    session_id, audience = key
    while True:
        socketio.sleep(app.config["COUNCIL"]["phone_coalesce_ms"] / 1000)
        with _lock:
            parts = _pending.pop(key, set())
            if not parts:
                _flushers.discard(key)
                return
        if "polls" in parts:
            parts.discard("tally")  # the polls part already carries the counts
        try:
            with app.app_context():
                db = get_db()
                patches: list[dict[str, Any]] = [{"part": name, "data": state.part(db, session_id, name, audience)}
                                                 for name in sorted(parts)]
            socketio.emit("patches", patches, to=room(session_id, ROOMS[audience]))
        except Exception:  # a screen that missed this batch catches up with the next one or on reconnect
            app.logger.exception("could not send coalesced changes of session %s", session_id)


def drain(timeout: float = 2.0) -> bool:
    """Wait until no coalesced batch is pending (tests and shutdown)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if not _pending and not _flushers:
                return True
        socketio.sleep(0.01)
    return False
