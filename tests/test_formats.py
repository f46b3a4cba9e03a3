"""Formats behind one interface: found through the registry, and nothing else branches on a
format's name, so that a new format is one package and its name in `INSTALLED`."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import event

from council import formats
from council.db import get_db
from council.formats import Format
from council.live.events import EVENTS
from council.services import Actor, accounts, sessions, state
from council.services.parts import CONSOLE_ONLY, Part
from tests.conftest import close_app, make_app

ROOT = Path(__file__).resolve().parent.parent
NAMES = "|".join(formats.INSTALLED)
# A branch on a format's name: a comparison with one, or with the session's format (Python,
# Jinja and JavaScript alike). Generic helpers comparing two variables are fine.
BRANCHES = [
    re.compile(rf"""(==|!=)=?\s*["']({NAMES})["']"""),
    re.compile(rf"""["']({NAMES})["']\s*(==|!=)"""),
    re.compile(r"""\bformat\s*(==|!=)=?\s*["']"""),
    re.compile(r"""\bformat\s+(not\s+)?in\s*[(\[{]"""),
    re.compile(r"""switch\s*\([^)]*\bformat\b"""),
]


def test_the_registry_lists_the_installed_formats():
    assert formats.names()[:3] == ("plain", "openspace", "cafe")
    assert [f.name for f in formats.all_formats()][:3] == ["plain", "openspace", "cafe"]
    assert formats.get("cafe").name == "cafe"
    with pytest.raises(formats.DomainError) as refused:
        formats.get("unknown")
    assert refused.value.code == "invalid_format"


def test_every_format_event_is_in_the_event_table():
    for fmt in formats.all_formats():
        for name, handler in fmt.events.items():
            assert EVENTS.get(name) is handler, f"{fmt.name}: {name} is not reachable"


def test_every_format_script_exists():
    for fmt in formats.all_formats():
        for page, scripts in fmt.scripts.items():
            assert page in ("console", "phone", "projector")
            for script in scripts:
                assert (ROOT / "static" / "js" / script).is_file(), f"{fmt.name}: {script}"


def _sources() -> list[Path]:
    found = [p for p in (ROOT / "council").rglob("*.py") if p != ROOT / "council" / "formats" / "__init__.py"]
    found += list((ROOT / "templates").rglob("*.html")) + list((ROOT / "static" / "js").rglob("*.js"))
    return [p for p in found if "vendor" not in p.parts]


def test_nothing_outside_the_registry_branches_on_a_format_name():
    offenders = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
                 for path in _sources()
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if any(b.search(line) for b in BRANCHES)]
    assert not offenders, "branches on a format's name:\n" + "\n".join(offenders)


def test_the_branch_check_would_see_a_branch():
    lines = ['if session.format == "cafe":', "{% if s.format != 'plain' %}", 'var x = format === "openspace";',
             "if format not in ('plain', 'cafe'):", "switch (s.session.format) {"]
    assert all(any(b.search(line) for b in BRANCHES) for line in lines)
    assert not any(b.search("if session.format != format:") for b in BRANCHES)


@pytest.fixture
def throwaway():
    """A fourth format, declared without a package and forgotten after the test."""
    fmt = formats.register(Format(
        name="vision", label=lambda: "Future Search",
        parts={"vision": Part("vision", lambda db, s, audience: {"themes": [], "for": str(audience)}),
               "vision_notes": Part("vision_notes", lambda db, s, audience: ["only the facilitator"],
                                    audiences=CONSOLE_ONLY)},
        client={"topics_on_phone": False}))
    yield fmt
    formats.unregister(fmt.name)
    assert "vision" not in formats.names()


@pytest.fixture
def sqlite_app(tmp_path, sqlite_template):
    path = tmp_path / "council.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    engine = app.extensions["council.engine"]
    # The sessions table lists the installed formats in a CHECK constraint, which a real
    # format's migration widens; the throwaway one has no migration, so this database skips
    # CHECK constraints.
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA ignore_check_constraints = ON"))
    engine.dispose()
    yield app
    close_app(app)


def test_a_fourth_format_needs_nothing_but_its_registration(throwaway, sqlite_app):
    assert formats.names()[-1] == "vision"
    with sqlite_app.app_context():
        db = get_db()
        me = accounts.add_facilitator(db, "主持人", "password-1")
        actor = Actor.facilitator(me.id)
        council = sessions.create_council(db, actor, "前门东", "courtyard")
        s = sessions.create_session(db, actor, council.reply["council_id"], "展望未来", dt.datetime.now(dt.timezone.utc),
                                    format="vision")
        console = state.snapshot(db, s.reply["session_id"], "console")
        projector = state.snapshot(db, s.reply["session_id"], "projector")
        assert console["session"]["format"] == "vision"
        assert console["vision"] == {"themes": [], "for": "console"}
        assert console["vision_notes"] == ["only the facilitator"]
        assert projector["vision"]["for"] == "projector" and "vision_notes" not in projector
        assert not {"dots", "agenda", "cafe", "ideas"} & set(console)
        sessions.advance_step(db, actor, s.reply["session_id"])  # into discuss
        sessions.advance_step(db, actor, s.reply["session_id"])  # into decide: no candidates to draw
        assert state.snapshot(db, s.reply["session_id"], "console")["session"]["step"] == "decide"
        with pytest.raises(formats.DomainError):
            sessions.create_session(db, actor, council.reply["council_id"], "x", dt.datetime.now(dt.timezone.utc), format="nope")
        session_id = s.reply["session_id"]
    client = sqlite_app.test_client()
    assert client.post("/login", data={"name": "主持人", "password": "password-1"}).status_code == 302
    page = client.get(f"/console/{session_id}")
    assert page.status_code == 200
    boot = json.loads(re.search(rb'id="boot">(.*?)</script>', page.data, re.S).group(1))
    assert boot["format"]["topics_on_phone"] is False and boot["format"]["name"] == "vision"  # the scripts' flags
