"""Promises of the project as a whole: settings, migrations, CLI, offline pages, phone page weight."""
from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from council import config
from council.models import Base

ROOT = Path(__file__).resolve().parent.parent
COUNCIL = [sys.executable, "-c", "from council.entry import main; main()"]


def test_settings_from_file_and_environment(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[council]\nport = 6000\nposting_days = 10\n')
    conf = config.load(f, environ={"COUNCIL_PORT": "7000", "COUNCIL_DATABASE_URL": "sqlite:///x.db"})
    assert conf["port"] == 7000 and conf["posting_days"] == 10 and conf["database_url"] == "sqlite:///x.db"


@pytest.mark.parametrize("text, env", [
    ('[council]\nportt = 1\n', {}), ('[council]\nport = 0\n', {}), ("", {"COUNCIL_PORT": "many"}),
    ("", {"COUNCIL_DEFAULT_LOCALE": "fr"}),
])
def test_bad_settings_are_refused(tmp_path, text, env):
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(config.ConfigError):
        config.load(f, environ=env)


def test_shipped_config_loads():
    conf = config.load(ROOT / "config.toml", environ={})
    assert conf["port"] == 5000 and conf["default_locale"] == "zh_CN"


def test_migrations_match_the_models(database_url):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _cli(args, tmp_path, stdin=""):
    env = {**os.environ, "COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "COUNCIL_SECRET_KEY": "k"}
    return subprocess.run(COUNCIL + args, input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_cli_upgrade_add_facilitator_and_minutes(tmp_path):
    assert _cli(["db", "upgrade"], tmp_path).returncode == 0
    r = _cli(["facilitator", "add", "王主任"], tmp_path, stdin="long-password\n")
    assert r.returncode == 0, r.stderr
    r = _cli(["facilitator", "add", "王主任", "--password", "another-pass"], tmp_path)
    assert r.returncode != 0 and "这个名字已经被使用" in r.stderr
    r = _cli(["facilitator", "add", "短", "--password", "123"], tmp_path)
    assert r.returncode != 0 and "密码至少需要 8 个字符" in r.stderr
    r = _cli(["minutes", "1", "--out", str(tmp_path / "m.pdf")], tmp_path)
    assert r.returncode != 0 and "no session 1" in r.stderr

    import datetime as dt
    from council.services import Actor, sessions
    from sqlalchemy.orm import Session
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as db:
        c = sessions.create_council(db, Actor.facilitator(1), "西院", "courtyard")
        sessions.create_session(db, Actor.facilitator(1), c.reply["council_id"], "西院议事会", dt.datetime.now(dt.timezone.utc))
    engine.dispose()
    r = _cli(["minutes", "1", "--out", str(tmp_path / "m.pdf")], tmp_path)
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True).stdout
    assert "西院议事会" in text and "王主任" in text


def test_flask_cli_finds_the_app(tmp_path):
    env = {**os.environ, "COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / 'f.db'}", "COUNCIL_SECRET_KEY": "k"}
    r = subprocess.run([sys.executable, "-m", "flask", "--app", "council", "db", "upgrade"], capture_output=True,
                       text=True, env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0 and "up to date" in r.stdout, r.stderr


def _tracked(*folders):
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", *folders], capture_output=True,
                         text=True, cwd=ROOT).stdout.split()
    return [ROOT / p for p in out if (ROOT / p).exists()]


def test_no_page_loads_anything_from_another_host():
    pattern = re.compile(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", re.I)
    for path in _tracked("templates", "static", "council"):
        if path.suffix in (".html", ".js", ".css", ".py") and "vendor" not in path.parts:
            for line in path.read_text().splitlines():
                assert not pattern.search(line), f"{path}: {line.strip()[:120]}"


def test_no_browser_dialogs():
    """alert(), confirm() and prompt() block the page, look like a phishing pop-up in WeChat and
    cannot be translated or styled: messages are said on the page, confirmations are two taps."""
    pattern = re.compile(r"\b(alert|confirm|prompt)\s*\(")
    for path in _tracked("templates", "static"):
        if path.suffix in (".html", ".js") and "vendor" not in path.parts:
            for number, line in enumerate(path.read_text().splitlines(), 1):
                assert not pattern.search(line), f"{path}:{number}: {line.strip()[:120]}"


@pytest.mark.parametrize("format", ["plain", "openspace", "cafe"])
def test_phone_page_weight(app, format):
    """The phone page with everything it loads: at most 40 KB gzip-compressed on first visit."""
    from tests.helpers import Meeting
    meeting = Meeting(app, format=format)
    client = meeting.app.test_client()
    page = client.get(f"/join/{meeting.code}")
    html = page.get_data()
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith(b"socket.io.min.js") for a in assets)
    total = len(gzip.compress(html, 9))
    for asset in assets:
        with client.get(asset.decode()) as response:
            body = response.get_data()
        assert body, asset
        total += len(gzip.compress(body, 9))
    print(f"phone page ({format}): {total} bytes gzip with {len(assets)} assets")
    assert total <= 40 * 1024


@pytest.mark.parametrize("page, scripts", [
    ("phone", ["common.js", "phone.js", "formats/dotting.js", "formats/openspace.phone.js", "formats/cafe.phone.js"]),
    ("projector", ["common.js", "projector.js", "formats/dotting.js", "formats/openspace.projector.js",
                   "formats/cafe.projector.js"])])
def test_pages_get_every_string_their_scripts_use(app, page, scripts):
    """The phone and the projector get the client strings without the console's: each word a
    script of theirs shows must still be among the ones they get (an undefined on a phone)."""
    from council.web.strings import client_strings, page_strings
    with app.test_request_context():
        have = page_strings(client_strings(), page)
    used = {m for name in scripts for m in re.findall(r"\bT\.(\w+)", (ROOT / "static/js" / name).read_text())}
    assert used - {"f"} <= set(have), sorted(used - set(have))
    assert "make_proposal" not in have  # console-only words stay off the phone


def test_every_event_is_in_the_protocol():
    from council.live.events import EVENTS
    doc = (ROOT / "docs" / "protocol.md").read_text()
    missing = [name for name in EVENTS if f"| `{name}` |" not in doc]
    assert missing == []


def test_zh_catalog_translates_every_string(tmp_path):
    from babel.messages.pofile import read_po
    with open(ROOT / "council/translations/zh_Hans_CN/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    pot = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                          "-k", "lazy_gettext", "--no-location", "--omit-header", "-o", str(tmp_path / "m.pot"), "."],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    pot = (tmp_path / "m.pot").read_text()
    ids = set(re.findall(r'^msgid "(.+)"$', pot, re.M))
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog}  # a plural's id is (singular, plural)
    assert ids and ids <= known, ids - known


def test_migration_0002_keeps_existing_ballots(tmp_path):
    """Rebuilding tables on SQLite must not cascade-delete the rows that point at them."""
    import sqlite3
    from alembic import command
    from council.migrate import alembic_config, upgrade
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("""
        INSERT INTO facilitators(name, password_hash, created_at) VALUES ('a', 'x', '2026-01-01');
        INSERT INTO councils(name, level, created_by_id, created_at) VALUES ('c', 'courtyard', 1, '2026-01-01');
        INSERT INTO sessions(council_id, facilitator_id, title, place, starts_at, format, step, join_code, recorder,
                             timer_seconds, created_at) VALUES (1, 1, 't', '', '2026-01-01', 'plain', 'decide',
                             '123456', '', 0, '2026-01-01');
        INSERT INTO participants(session_id, display_name, door_number, device_token, joined_at)
            VALUES (1, 'p', '', 'tok', '2026-01-01');
        INSERT INTO proposals(session_id, title, text, created_at) VALUES (1, 'p', '', '2026-01-01');
        INSERT INTO polls(session_id, proposal_id, rule, status, opened_at) VALUES (1, 1, 'majority_cast', 'open', '2026-01-01');
        INSERT INTO ballots(poll_id, participant_id, choice, cast_at) VALUES (1, 1, 'yes', '2026-01-01');
    """)
    db.commit()
    db.close()
    upgrade(url)
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT voter_key, channel, choice FROM ballots").fetchall() == [("p:1", "phone", "yes")]
    assert db.execute("SELECT unit, secret FROM polls").fetchall() == [("person", 0)]
    db.close()
    command.downgrade(alembic_config(url), "0001")


def test_no_unused_imports_or_undefined_names():
    """Pyflakes' rules over the code, the tests and the benchmarks."""
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F,E9", "--no-cache", "council", "tests",
                        "benchmarks", "migrations"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_pages_list_values_in_the_domains_order(app):
    """The page's JSON sorts object keys: value lists travel as lists, in the domain's order
    (a resident's first button is 赞成, not 弃权)."""
    from council.domain.actions import ActionStatus
    from council.domain.evaluation import Rating
    from council.domain.voting import Choice
    from council.web.strings import client_strings
    with app.test_request_context("/"):
        order = client_strings()["order"]
    assert order["choices"] == ["yes", "no", "abstain"] and order["ratings"] == [r.value for r in Rating]
    assert order["statuses"] == [s.value for s in ActionStatus] and order["rules"][0] == "majority_cast"
    assert order["choices"] == [c.value for c in Choice]
    scripts = " ".join(p.read_text() for p in (ROOT / "static" / "js").rglob("*.js"))
    assert "Object.keys(T.choices)" not in scripts and '["yes", "no", "abstain"]' not in scripts


def test_pages_scripts_and_json_travel_compressed(client):
    for url in ("/", "/static/js/common.js", "/static/vendor/socket.io.min.js", "/static/css/phone.css"):
        r = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert r.status_code == 200 and r.headers.get("Content-Encoding") == "gzip", url
        assert gzip.decompress(r.data), url
        r.close()
    plain = client.get("/static/vendor/socket.io.min.js")
    assert "Content-Encoding" not in plain.headers, "a client that asks for nothing gets it plain"
    plain.close()


def test_message_queue_channel_follows_the_database():
    from council.config import queue_channel
    a = queue_channel({"message_queue_channel": ""}, "postgresql+psycopg://x@h/council_a")
    assert a == queue_channel({}, "postgresql+psycopg://x@h/council_a"), "one deployment, one channel"
    assert a != queue_channel({}, "postgresql+psycopg://x@h/council_b")
    assert queue_channel({"message_queue_channel": "street-1"}, "sqlite://") == "street-1"


def test_the_pages_scripts_travel_minified_and_the_files_stay_as_written(client):
    """static/js is served through rjsmin: the same code without its comments, cached by the
    browser like any static file; vendored files go as they are."""
    source = (ROOT / "static/js/common.js").read_text()
    served = client.get("/static/js/common.js")
    assert served.status_code == 200 and served.mimetype == "text/javascript"
    body = served.get_data(as_text=True)
    assert len(body) < 0.8 * len(source) and "/*" not in body and "function certificateParts" in body
    again = client.get("/static/js/common.js", headers={"If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304
    with client.get("/static/vendor/preact.min.js") as vendor:
        assert vendor.get_data() == (ROOT / "static/vendor/preact.min.js").read_bytes()
    assert client.get("/static/js/nothing.js").status_code == 404
    assert client.get("/static/js/../../council/app.py").status_code == 404
    with client.get("/static/css/base.css") as css:
        assert css.get_data() == (ROOT / "static/css/base.css").read_bytes()
