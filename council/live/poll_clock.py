"""Voting windows close by the clock: every server process closes the polls whose deadline
has passed, and publishes their decisions.

The deadline lives in the database (`polls.closes_at`), so any process closes a poll the same
way: at start (a poll whose window ended while no server ran), every `INTERVAL` seconds on a
background task `council serve` starts, and whenever a screen connects to the session or a
phone votes in it (so no one ever sees a poll open past its deadline, timer or not).
`polls.close_due` lets one process alone record each decision.
"""
from __future__ import annotations

from flask import Flask

from council.db import BUSY, get_reader, writer_session
from council.extensions import socketio
from council.live import broadcast
from council.services import polls

INTERVAL = 5.0  # seconds between two sweeps of a server process


def close_due(session_id: int | None = None) -> int:
    """Close the due polls (of one session, or all) and publish; returns how many closed here.
    Whether any is due is read first without the write lock (every connecting screen asks)."""
    reader = get_reader()
    due = polls.due_polls(reader, polls.utcnow(), session_id)
    reader.rollback()
    if not due:
        return 0
    db = writer_session()
    try:
        outcomes = polls.close_due(db, session_id)
    except BUSY:  # the next sweep, or the next reader, closes them
        db.rollback()
        return 0
    finally:
        db.close()
    broadcast.publish_all(outcomes)
    return len(outcomes)


def start(app: Flask, interval: float = INTERVAL) -> None:
    """Sweep now, then on a background task for as long as the server runs."""
    with app.app_context():
        close_due()

    def run() -> None:
        while True:
            socketio.sleep(interval)
            try:
                with app.app_context():
                    close_due()
            except Exception:  # a sweep that failed is retried by the next one
                app.logger.exception("closing the polls whose voting window ended failed")

    socketio.start_background_task(run)
