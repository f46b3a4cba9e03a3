"""Engine and per-request database sessions; SQLite gets WAL, durable commits and immediate
write locks for writers, plain read transactions for readers."""
from __future__ import annotations

import sqlite3
import time
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError, TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker


BUSY_SECONDS = 15  # how long a write waits for another to finish before "busy"
POOL_SECONDS = 10  # how long an event waits for a free connection of the pool before "busy"
# The pool is bounded whatever the number of phones: votes go through one writer per process
# (`council.live.ballot_box`), so the connections serve pages, connects and the console.
POOL_SIZE, POOL_OVERFLOW = 10, 10
# What tells a caller the database could not serve it now (locked, or no connection free in
# time): nothing was committed, and the same request may be sent again.
BUSY = (OperationalError, PoolTimeout)
READ_ONLY = "council_read_only"


def make_engine(url: str, *, foreign_keys: bool = True, pool_size: int = POOL_SIZE,
                max_overflow: int = POOL_OVERFLOW, **kwargs: Any) -> Engine:
    """An engine; migrations turn SQLite's foreign keys off, or rebuilding a table would
    cascade-delete the rows that point at it. Statements' values stay out of error messages
    and logs: a failed vote's would tell who chose what in a secret poll."""
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": POOL_SECONDS}
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False},
                               hide_parameters=True, **pool, **kwargs)
        _tune_sqlite(engine, foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, **pool, **kwargs)


def _tune_sqlite(engine: Engine, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so that BEGIN IMMEDIATE below is used.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA secure_delete=ON")  # erased secret-ballot links do not linger in free pages
        # Acknowledged means on disk: every commit reaches the disk before the phone is told.
        # Group commit (`council.live.ballot_box`) keeps a burst of votes to a few commits.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=0")  # writers wait in `begin_immediate`, cooperatively
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        dbapi_conn = conn.connection.dbapi_connection
        if conn.get_execution_options().get(READ_ONLY):
            # A reader (a state built for a screen): a consistent snapshot of the last commit,
            # without the write lock, so it neither waits for the writers nor holds them up.
            dbapi_conn.execute("BEGIN")
            return
        # A write lock from the start: a vote that races a poll's close sees the close, or
        # the close sees the vote, never a stale snapshot.
        begin_immediate(dbapi_conn)


def begin_immediate(dbapi_conn: Any, patience: float = BUSY_SECONDS) -> None:
    """BEGIN IMMEDIATE, waiting for the write lock by sleeping between tries, not inside SQLite.

    SQLite's own busy wait sleeps in C: under gevent it stops every greenlet of the process,
    the one holding the lock too (it may have yielded mid-transaction, sending a message), so
    the wait could only end in "database is locked". `time.sleep` here lets the holder finish.
    The connection's busy timeout is 0 once it is set up (see `_tune_sqlite`): in WAL mode a
    transaction that holds the write lock waits for nobody, so this is the only wait."""
    deadline = time.monotonic() + patience
    pause = 0.0005
    while True:
        try:
            dbapi_conn.execute("BEGIN IMMEDIATE")  # the driver's own call: this runs for every transaction
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() >= deadline:
                raise OperationalError("BEGIN IMMEDIATE", None, err) from err
        time.sleep(pause)
        pause = min(pause * 2, 0.01)


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["council.engine"] = engine
    app.extensions["council.sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.extensions["council.readers"] = sessionmaker(engine.execution_options(**{READ_ONLY: True}),
                                                     expire_on_commit=False)
    # The votes' writer (`council.live.ballot_box`) has a connection of its own: a room of
    # phones reconnecting at once can take every connection of the pool, never the votes'.
    writer = make_engine(app.config["DATABASE_URL"], pool_size=1, max_overflow=0)
    app.extensions["council.writer_engine"] = writer
    app.extensions["council.writer"] = sessionmaker(writer, expire_on_commit=False)
    app.teardown_appcontext(_close)


def get_db() -> Session:
    """The database session of this request or Socket.IO event."""
    if "db" not in g:
        g.db = current_app.extensions["council.sessionmaker"]()
    return g.db


def writer_session() -> Session:
    """A database session on the votes' writer's own connection; the caller closes it."""
    return current_app.extensions["council.writer"]()


def dispose(app: Flask) -> None:
    """Close every connection the app holds (tests, shutdown)."""
    app.extensions["council.engine"].dispose()
    app.extensions["council.writer_engine"].dispose()


def get_reader() -> Session:
    """A database session that only reads (the state sent to screens): on SQLite its
    transactions take no write lock. Never commit through it."""
    if "reader" not in g:
        g.reader = current_app.extensions["council.readers"]()
    return g.reader


def _close(_exc: BaseException | None) -> None:
    for name in ("db", "reader"):
        db = g.pop(name, None)
        if db is not None:
            db.close()
