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
import uuid
from typing import Any, Iterable

from flask import Flask, current_app
from sqlalchemy import or_, select

from council import policy
from council.db import get_reader
from council.extensions import socketio
from council.live import snapshots
from council.live.rooms import inbox_room, personal_room, room
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


# A council's issue inbox: no session shows it; the console inbox pages of the council and the
# councils above it (an escalation goes up, overdue counts are kept at every level) hear of it.
INBOX = "issues"


def publish(outcome: Outcome) -> None:
    """Broadcast what a committed operation changed, to every session it reaches."""
    if not outcome.parts and not outcome.personal:
        return
    if INBOX in outcome.parts:
        _publish_inbox(outcome)
        if outcome.parts == {INBOX} and not outcome.personal:
            return
    if outcome.session_id is not None:
        # First, before anything that could fail: no page connects to a state older than this.
        snapshots.changed(outcome.session_id)
    db = get_reader()  # the change is committed: what screens get is read, without the write lock
    for session in _sessions_reached(outcome):
        if session.id != outcome.session_id:
            snapshots.changed(session.id)
        _publish_session(db, session, outcome.parts, coalesce_all=outcome.coalesced)
    for participant_id in outcome.personal:
        socketio.emit("me", state.me(db, participant_id), to=personal_room(participant_id))


def _publish_inbox(outcome: Outcome) -> None:
    """Tell the open console inbox pages of the issue's council and of every council above it
    that their list changed; each fetches it again, as its own facilitator and language."""
    db = get_reader()
    at: int | None = outcome.council_id
    if at is None and outcome.session_id is not None:
        at = db.get_one(Session, outcome.session_id).council_id
    if at is None:
        return
    for council_id in policy.councils_above(db, at):
        socketio.emit("inbox", {"council_id": council_id, "issue_id": outcome.reply.get("issue_id")},
                      to=inbox_room(council_id))


def publish_all(outcomes: Iterable[Outcome]) -> None:
    """Publish what several operations committed together changed (a batch of votes): each
    session's parts once, as if one operation had changed them all. If one of them must reach
    screens only in a coalesced batch (a secret ballot), the whole session's change does."""
    by_session: dict[int, Outcome] = {}
    for o in outcomes:
        if o.council_id is not None or o.session_id is None:
            publish(o)
            continue
        m = by_session.get(o.session_id)
        by_session[o.session_id] = o if m is None else Outcome(
            m.session_id, m.parts | o.parts, {}, m.personal | o.personal, coalesced=m.coalesced or o.coalesced)
    for outcome in by_session.values():
        publish(outcome)


def _sessions_reached(outcome: Outcome) -> list[Session]:
    """The session the change happened in, or every session of the council that changed and
    may still be on a screen: running, or closed within the posting period (公示期)."""
    db = get_reader()
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
    shared = app.extensions.get("council.redis")
    if shared is not None:
        # Several processes: one batch per session and window, whichever process sends it. The
        # parts wait in Redis; the process that takes the flusher's key sends them.
        pending, flusher = _redis_keys(app, key)
        pipe = shared.pipeline()
        pipe.sadd(pending, *parts)
        pipe.set(flusher, _PROCESS, nx=True, px=_hold_ms(app))
        start = bool(pipe.execute()[1])
        if start:
            with _lock:
                _flushers.add(key)
    else:
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
        parts = _take(app, key)
        if parts is None:
            return
        if not parts:
            continue
        if "polls" in parts:
            parts.discard("tally")  # the polls part already carries the counts
        try:
            with app.app_context():
                db = get_reader()
                patches: list[dict[str, Any]] = [{"part": name, "data": state.part(db, session_id, name, audience)}
                                                 for name in sorted(parts)]
            socketio.emit("patches", patches, to=room(session_id, ROOMS[audience]))
        except Exception:  # a screen that missed this batch catches up with the next one or on reconnect
            app.logger.exception("could not send coalesced changes of session %s", session_id)


def _take(app: Flask, key: tuple[int, Audience]) -> set[str] | None:
    """The parts that piled up for the next batch; None when nothing did and the flusher stops."""
    shared = app.extensions.get("council.redis")
    if shared is None:
        with _lock:
            parts = _pending.pop(key, set())
            if not parts:
                _flushers.discard(key)
                return None
            return parts
    pending, flusher = _redis_keys(app, key)
    for attempt in range(_REDIS_TRIES):
        try:
            # Taken only while this process still holds the flusher's key (renewed as it goes):
            # a flusher that lost it (a long pause) stops rather than send beside another.
            taken = shared.eval(_TAKE, 2, flusher, pending, _PROCESS, _hold_ms(app))
            if taken is None:
                break
            parts = {p.decode() for p in taken}
            if parts or not shared.eval(_STOP, 2, flusher, pending, _PROCESS, _hold_ms(app)):
                return parts
            break
        except Exception:  # Redis busy or gone a moment: try again, the parts wait there
            app.logger.exception("coalesced batches of session %s: Redis failed (try %d)", key[0], attempt + 1)
            socketio.sleep(0.2 * (attempt + 1))
    with _lock:
        _flushers.discard(key)
    return None


_TAKE = """
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  return nil
end
local parts = redis.call('smembers', KEYS[2])
redis.call('del', KEYS[2])
redis.call('pexpire', KEYS[1], ARGV[2])
return parts
"""
_REDIS_TRIES = 5
# A process stops flushing only when nothing waits: checked and released in one step, so that
# parts added meanwhile are either seen here (and flushed) or find the key free (and start a
# flusher of their own process). Answers 1 to stop, 0 to go on.
_STOP = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  if redis.call('scard', KEYS[2]) > 0 then
    redis.call('pexpire', KEYS[1], ARGV[2])
    return 0
  end
  redis.call('del', KEYS[1])
end
return 1
"""
_PROCESS = uuid.uuid4().hex  # who holds a flusher's key: this server process


def _redis_keys(app: Flask, key: tuple[int, Audience]) -> tuple[str, str]:
    base = f"council:{app.extensions['council.channel']}:batch:{key[0]}:{key[1].value}"
    return base + ":pending", base + ":flusher"


def _hold_ms(app: Flask) -> int:
    # A flusher's key outlives anything a batch may wait for (a database connection, Redis: 10 s
    # each) and frees itself if its process dies.
    return max(30_000, 20 * app.config["COUNCIL"]["phone_coalesce_ms"])


def drain(timeout: float = 2.0) -> bool:
    """Wait until no coalesced batch is pending (tests and shutdown)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if not _pending and not _flushers:
                return True
        socketio.sleep(0.01)
    return False
