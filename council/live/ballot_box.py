"""One writer per server process for the phones' votes: group commit.

A thousand phones voting within a second used to be a thousand transactions, each with its
own commit (and, with a durable SQLite, its own flush to disk), each holding a database
connection while it waited for the write lock. Here every phone's vote joins the box; one
writer takes all the votes waiting, stores them in one transaction (`polls.cast_votes`),
answers each phone only after that commit, and publishes the batch's changes once. While it
commits, the next votes gather: the busier the room, the larger the batches, and the number of
database connections votes use stays one per process whatever the number of phones.

The box holds only votes on their way to the database, never state: a restarted process
starts empty, and a phone whose vote was not answered sends it again (its client id makes the
resend count once).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from council.db import BUSY, writer_session
from council.domain import DomainError
from council.extensions import socketio
from council.live import broadcast, poll_clock
from council.services import Outcome, polls

BATCH = 500  # at most this many votes per transaction: the first phones are not kept waiting for the last
ANSWER_SECONDS = 60  # longer than any wait for the database (`council.db`), so never in normal work


@dataclass
class _Waiting:
    vote: polls.PhoneVote
    done: threading.Event = field(default_factory=threading.Event)
    result: Outcome | DomainError | None = None


class BallotBox:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.waiting: list[_Waiting] = []
        self.lock = threading.Lock()
        self.writing = False

    def cast(self, vote: polls.PhoneVote) -> Outcome:
        """Put the vote in and wait until it is committed (or refused); the writer publishes."""
        entry = _Waiting(vote)
        with self.lock:
            self.waiting.append(entry)
            start, self.writing = not self.writing, True
        if start:
            self._start()
        # A writer that never answers (it should not happen) costs the phone a `busy`, not its
        # vote: the page sends it again with the same client id, counted once.
        if not entry.done.wait(ANSWER_SECONDS):
            raise DomainError("busy")
        if isinstance(entry.result, DomainError):
            raise entry.result
        assert entry.result is not None
        return entry.result

    def _start(self) -> None:
        try:
            socketio.start_background_task(self._write)
        except BaseException:
            with self.lock:
                self.writing = False
            raise

    def _write(self) -> None:
        """Store what is waiting, batch after batch, until nothing is; then stop."""
        try:
            while self._write_batch():
                pass
        finally:
            with self.lock:  # stopped, however: the next vote starts a writer again
                self.writing = False
                again = bool(self.waiting)
                if again:
                    self.writing = True
            if again:  # votes came in as it stopped abnormally
                self._start()

    def _write_batch(self) -> bool:
        with self.lock:
            batch, self.waiting = self.waiting[:BATCH], self.waiting[BATCH:]
            if not batch:
                return False
        try:
            with self.app.app_context():
                results = self._store(batch)
                for entry, result in zip(batch, results):
                    entry.result = result
                # As every other event: the screens are told before the sender is answered.
                broadcast.publish_all([r for r in results if isinstance(r, Outcome)])
                if any(isinstance(r, DomainError) and r.code == "poll_closed" for r in results):
                    poll_clock.close_due()  # a voting window just ended: its decision, now
        except Exception:  # the votes answered are stored: screens catch up with the next change
            self.app.logger.exception("a batch of votes failed or could not be published")
        finally:
            for entry in batch:  # never leave a phone waiting, whatever happened
                if entry.result is None:
                    entry.result = DomainError("busy")
                entry.done.set()
        return True

    def _store(self, batch: list[_Waiting]) -> list[Outcome | DomainError]:
        db = writer_session()
        try:
            return self._store_in(db, batch)
        finally:
            db.close()

    def _store_in(self, db: Any, batch: list[_Waiting]) -> list[Outcome | DomainError]:
        try:
            return polls.cast_votes(db, [e.vote for e in batch])
        except BUSY:  # locked or no connection in time: nothing was committed, phones resend
            db.rollback()
            return [DomainError("busy") for _ in batch]
        except Exception:
            # A vote the checks let through broke the batch (it should not happen): each vote
            # alone then, so that it fails by itself and the others are stored.
            db.rollback()
            current_app.logger.exception("a batch of %d votes failed", len(batch))
            if len(batch) == 1:
                return [DomainError("invalid_field", field="payload")]  # as `handlers._on_unexpected`
            return [self._store_in(db, [e])[0] for e in batch]


def cast(vote: polls.PhoneVote) -> Outcome:
    """The vote, committed in this process's next batch."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    box = app.extensions.get("council.ballot_box")
    if box is None:
        box = app.extensions.setdefault("council.ballot_box", BallotBox(app))
    return box.cast(vote)
