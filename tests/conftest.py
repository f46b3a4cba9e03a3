"""Fixtures: an app on SQLite and on PostgreSQL, logged-in clients, live Socket.IO clients."""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from council import create_app, migrate
from council.models import Base

# Properties are checked by their examples, not timed: on a shared 2-core machine a slow
# example is load, not a failure.
hypothesis_settings.register_profile("council", deadline=None)
hypothesis_settings.load_profile("council")

PG_ADMIN_URL = os.environ.get("COUNCIL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _postgres_reachable() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "council.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated once."""
    if not _postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}; CI must test it")
        pytest.skip("PostgreSQL is not reachable")
    name = f"council_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    migrate.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "council.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


def make_app(database_url: str, **extra: object):
    config = {"database_url": database_url, "secret_key": "test-secret", "async_mode": "threading",
              "phone_coalesce_ms": 30, "public_url": "http://192.168.1.20:5000",
              "TESTING": True, "WTF_CSRF_ENABLED": False}
    config.update(extra)
    return create_app(config)


@pytest.fixture
def app(database_url: str):
    app = make_app(database_url)
    yield app
    close_app(app)


def close_app(app) -> None:
    """Wait for the batches still being sent, then close the database connections: a batch
    sent after the pool is gone would open a connection that nobody closes."""
    from council.live.broadcast import drain
    assert drain(timeout=10), "coalesced batches still being sent after the test"
    from council import db
    db.dispose(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def meeting(app):
    yield from _meeting(app, "plain")


@pytest.fixture
def open_space(app):
    yield from _meeting(app, "openspace")


@pytest.fixture
def cafe(app):
    yield from _meeting(app, "cafe")


def _meeting(app, format: str):
    from tests.helpers import Meeting
    m = Meeting(app, format=format)
    yield m
    m.disconnect_all()
    from council.live.broadcast import drain
    assert drain(timeout=10), "batches for phones still pending"
