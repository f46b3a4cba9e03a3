"""Engine and per-request database sessions; SQLite gets WAL and immediate write locks."""
from __future__ import annotations

import sqlite3
import time
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker


BUSY_SECONDS = 15  # how long a write waits for another to finish before "busy"


def make_engine(url: str, *, foreign_keys: bool = True, **kwargs: Any) -> Engine:
    """An engine; migrations turn SQLite's foreign keys off, or rebuilding a table would
    cascade-delete the rows that point at it."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False}, **kwargs)
        _tune_sqlite(engine, foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, **kwargs)


def _tune_sqlite(engine: Engine, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so that BEGIN IMMEDIATE below is used.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.execute("PRAGMA secure_delete=ON")  # erased secret-ballot links do not linger in free pages
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=0")  # writers wait in `begin_immediate`, cooperatively
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        # A write lock from the start: a vote that races a poll's close sees the close, or
        # the close sees the vote, never a stale snapshot.
        begin_immediate(conn.connection.dbapi_connection)


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
    app.teardown_appcontext(_close)


def get_db() -> Session:
    """The database session of this request or Socket.IO event."""
    if "db" not in g:
        g.db = current_app.extensions["council.sessionmaker"]()
    return g.db


def _close(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()
