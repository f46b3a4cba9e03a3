"""Alembic, driven from code: `council db upgrade` and the tests use the same path."""
from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from council.config import PROJECT_ROOT

# Where a database stands against this version's migrations (see `state`).
FRESH, CURRENT, BEHIND, AHEAD = "fresh", "current", "behind", "ahead"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision`."""
    command.upgrade(alembic_config(url), revision)


def state(url: str) -> str:
    """FRESH: no tables at all (a new database); CURRENT: at this version's last migration;
    BEHIND: older, or tables that no migration stamped; AHEAD: migrated by a newer version.
    Raises SQLAlchemy's OperationalError when the database cannot be opened."""
    script = ScriptDirectory.from_config(alembic_config(url))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            revisions = set(MigrationContext.configure(conn).get_current_heads())
            tables = inspect(conn).get_table_names() if not revisions else ["alembic_version"]
    finally:
        engine.dispose()
    if revisions == set(script.get_heads()):
        return CURRENT
    if not tables:
        return FRESH
    known = {rev.revision for rev in script.walk_revisions()}
    return AHEAD if revisions - known else BEHIND
