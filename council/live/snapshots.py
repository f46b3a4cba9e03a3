"""A session's public state, built once per change for every phone and projector that connects.

When the meeting room's Wi-Fi drops, every phone reconnects at once and each asks for the whole
state. Built per connection that was 11–30 ms of database and Python work each: five hundred
phones waited up to eleven seconds, the console with them. The public state (what every phone,
or every projector, of a session sees alike) is the same for all of them until the next change,
so it is built once and handed to each; a phone's own part (`me`) is still its own.

A change is known by its revision: `broadcast.publish` moves a session's revision on after
every commit, before any screen is told. A state built at revision r is handed out only while
the revision is still r, so a connecting page never gets a state older than the patches it will
receive. With several server processes (a message queue) the revision is a counter in Redis,
which every process reads, so a change made through one process is seen by all; with one
process it is a counter in this process. What is kept here is a copy of the database's state,
never state of its own: a restarted process starts empty and builds again.
"""
from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session as Db

from council.domain.steps import Step
from council.services import state
from council.services.parts import Audience

CACHED = frozenset({Audience.PHONE, Audience.PROJECTOR})  # one console per session: built each time


@dataclass
class Snapshots:
    redis: Any  # the deployment's Redis with a message queue; else the counters below
    prefix: str
    revisions: dict[int, str] = field(default_factory=dict)
    built: dict[tuple[int, Audience], tuple[str, dict[str, Any]]] = field(default_factory=dict)
    locks: dict[tuple[int, Audience], threading.Lock] = field(default_factory=dict)
    guard: threading.Lock = field(default_factory=threading.Lock)

    def revision(self, session_id: int) -> str:
        if self.redis is not None:
            return (self.redis.get(f"{self.prefix}:revision:{session_id}") or b"").decode()
        return self.revisions.get(session_id, "")

    def changed(self, session_id: int) -> None:
        # A new random token, not a counter: a Redis that restarted (and lost its counters)
        # could count up to an old revision again and hand out the state built then.
        token = uuid.uuid4().hex
        if self.redis is not None:
            try:
                self.redis.set(f"{self.prefix}:revision:{session_id}", token)
                return
            except Exception:  # the others cannot be told: at least this process forgets
                current_app.logger.exception("could not move the revision of session %s on", session_id)
        with self.guard:
            self.revisions[session_id] = token
            for key in [k for k in self.built if k[0] == session_id]:
                del self.built[key]

    def lock(self, key: tuple[int, Audience]) -> threading.Lock:
        with self.guard:
            return self.locks.setdefault(key, threading.Lock())


def _snapshots() -> Snapshots:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    found = app.extensions.get("council.snapshots")
    if found is None:
        found = app.extensions.setdefault("council.snapshots", Snapshots(
            app.extensions.get("council.redis"), f"council:{app.extensions.get('council.channel', '')}"))
    return found


def changed(session_id: int) -> None:
    """A commit changed the session: states built before it are not handed out again."""
    _snapshots().changed(session_id)


def snapshot(db: Db, session_id: int, audience: Audience, participant_id: int | None = None) -> dict[str, Any]:
    """Everything a page needs to show the session as it is now (`state.snapshot`), the
    public part built once per change and shared by every phone or projector."""
    if audience not in CACHED:
        return state.snapshot(db, session_id, audience, participant_id=participant_id)
    snapshots, key = _snapshots(), (session_id, audience)
    revision = snapshots.revision(session_id)
    # Whatever this connection read before (its authentication) belongs to an older moment:
    # the state is read from here on, after the revision, so it is never older than it.
    db.rollback()
    found = snapshots.built.get(key)
    if found is None or found[0] != revision:
        # One connection builds, the others of the storm wait for it rather than build too.
        with snapshots.lock(key):
            found = snapshots.built.get(key)
            if found is None or found[0] != revision:
                found = (revision, state.snapshot(db, session_id, audience))
                if found[1]["session"]["step"] != Step.CLOSED:  # see `KEPT`
                    if len(snapshots.built) >= KEPT:
                        snapshots.built.clear()
                    snapshots.built[key] = found
    return state.as_sent(found[1], me=state.me(db, participant_id) if participant_id is not None else None)


# States kept at most (sessions × audiences); past that the store starts again. A closed
# session is not kept: its page shows the council's convention as it is now, and a change to
# the council reaches only the sessions of the posting period (`broadcast._sessions_reached`).
KEPT = 1000
