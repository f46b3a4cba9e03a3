"""First run: every command on a fresh database, the shipped catalog, and the one-time set-up
link that creates the first facilitator account from the browser."""
from __future__ import annotations

import gettext
import io
import os
import pty
import re
import select
import subprocess
import sys
import threading
import time
import tomllib
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import create_engine, func, select as sql_select, text
from sqlalchemy.orm import Session as Db

from council import migrate
from council.db import get_db, make_engine
from council.domain import DomainError
from council.models import Facilitator, SetupToken
from council.services import accounts, setup
from tests.conftest import close_app, make_app
from tests.servers import ENTRY, ROOT, Server, council

PASSWORD = "first-run-pass"
TRANSLATIONS = ROOT / "council" / "translations"


def _token(app) -> str:
    """The set-up link's secret, as `council serve` makes and prints it."""
    with app.app_context():
        return setup.link_token(get_db())


def _count_accounts(app) -> int:
    with app.app_context():
        return get_db().scalar(sql_select(func.count(Facilitator.id)))


# --- the set-up link, over HTTP ---------------------------------------------------------------

def test_login_page_of_a_fresh_install_points_to_the_set_up_link(app, client):
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "one-time set-up link" in page and "terminal" in page
    assert "council facilitator add NAME" not in page
    with app.app_context():
        accounts.add_facilitator(get_db(), "王主任", PASSWORD)
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "set-up link" not in page and "council facilitator add NAME" in page


def test_the_link_creates_the_first_account_logs_in_and_dies(app, client):
    token = _token(app)
    page = client.get(f"/setup/{token}?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "At least 8 characters." in html and 'minlength="8"' in html
    assert page.headers["Referrer-Policy"] == "no-referrer" and "no-store" in page.headers["Cache-Control"]

    done = client.post(f"/setup/{token}", data={"name": " 王主任 ", "password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/console")
    assert client.get("/console").status_code == 200  # logged in, no login form in between
    assert _count_accounts(app) == 1

    # Used up: the link leads to the console (a stranger: its login page), and a second account
    # cannot come through it.
    assert client.get(f"/setup/{token}").headers["Location"].endswith("/console")
    stranger = app.test_client()
    again = stranger.get(f"/setup/{token}", follow_redirects=True)
    assert again.request.path == "/login"
    again = stranger.post(f"/setup/{token}", data={"name": "李", "password": PASSWORD, "password_again": PASSWORD},
                          follow_redirects=True)
    assert again.request.path == "/login"
    assert _count_accounts(app) == 1
    login = stranger.post("/login", data={"name": "王主任", "password": PASSWORD})
    assert login.status_code == 302


def test_without_the_secret_nobody_creates_an_account(app, client):
    form = {"name": "李", "password": PASSWORD, "password_again": PASSWORD}
    assert client.get("/setup/anything").status_code == 404  # before any link was made
    assert client.post("/setup/anything", data=form).status_code == 404
    token = _token(app)
    for wrong in ("anything", token[:-1], token + "x", ("A" if token[0] != "A" else "B") + token[1:]):
        assert client.get(f"/setup/{wrong}").status_code == 404
        assert client.post(f"/setup/{wrong}", data=form).status_code == 404
    assert _count_accounts(app) == 0
    assert client.get(f"/setup/{token}").status_code == 200  # the real link still works


@pytest.mark.parametrize("form, message", [
    ({"name": "王主任", "password": "short", "password_again": "short"},
     "The password must have at least 8 characters."),
    ({"name": "王主任", "password": PASSWORD, "password_again": PASSWORD + "!"}, "The two passwords are not the same."),
    ({"name": "   ", "password": PASSWORD, "password_again": PASSWORD}, "Please fill in the name."),
])
def test_the_set_up_form_refuses_in_words_and_keeps_the_link(app, client, form, message):
    token = _token(app)
    refused = client.post(f"/setup/{token}?lang=en", data=form)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert _count_accounts(app) == 0
    assert client.get(f"/setup/{token}").status_code == 200


def test_the_set_up_page_speaks_chinese_first(app, client):
    html = client.get(f"/setup/{_token(app)}").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "小院议事厅" in html and "密码" in html


def test_the_set_up_form_needs_its_csrf_token(database_url):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    try:
        client, token = app.test_client(), _token(app)
        form = {"name": "王主任", "password": PASSWORD, "password_again": PASSWORD}
        assert client.post(f"/setup/{token}", data=form).status_code == 400
        assert _count_accounts(app) == 0
        page = client.get(f"/setup/{token}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert client.post(f"/setup/{token}", data={**form, "csrf_token": csrf}).status_code == 302
        assert _count_accounts(app) == 1
    finally:
        close_app(app)


def test_the_link_survives_a_restart_and_dies_with_an_account_made_in_the_shell(app, database_url):
    token = _token(app)
    restarted = make_app(database_url)  # another process, or the same after a restart
    try:
        assert _token(restarted) == token
        with restarted.app_context():
            accounts.add_facilitator(get_db(), "王主任", PASSWORD)
        assert _token(restarted) is None
        with restarted.app_context():
            assert get_db().scalar(sql_select(func.count(SetupToken.id))) == 0  # the secret is erased
        assert restarted.test_client().get(f"/setup/{token}", follow_redirects=True).request.path == "/login"
    finally:
        close_app(restarted)


def test_two_requests_racing_with_the_secret_make_one_account(app, database_url):
    token = _token(app)
    engine = make_engine(database_url)
    barrier, results = threading.Barrier(2), []

    def create(name: str) -> None:
        with Db(engine, expire_on_commit=False) as db:
            barrier.wait()
            try:
                results.append(setup.create_first_facilitator(db, token, name, PASSWORD).name)
            except DomainError as err:
                results.append(err.code)
    workers = [threading.Thread(target=create, args=(name,)) for name in ("甲", "乙")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(30)
    engine.dispose()
    assert sorted(results, key=len) in (["甲", "not_found"], ["乙", "not_found"]), results
    assert _count_accounts(app) == 1


# --- every command on a fresh database ---------------------------------------------------------

def _env(tmp_path: Path) -> dict[str, str]:
    return {"COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "COUNCIL_SECRET_KEY": "k"}


def _one_clear_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("args", [
    ["facilitator", "password", "王主任", "--password", PASSWORD],
    ["grant", "1", "王主任"],
    ["minutes", "1", "--out", "minutes.pdf"],
])
def test_commands_on_a_fresh_database_name_the_command_to_run(tmp_path, args):
    line = _one_clear_line(council(args, _env(tmp_path), timeout=120))
    assert "council db upgrade" in line


def test_facilitator_add_sets_up_a_fresh_database(tmp_path):
    env = _env(tmp_path)
    done = council(["facilitator", "add", "王主任", "--password", PASSWORD], env, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "王主任" in done.stdout
    changed = council(["facilitator", "password", "王主任", "--password", PASSWORD + "2"], env, timeout=120)
    assert changed.returncode == 0, changed.stderr
    assert council(["grant", "1", "王主任"], env, timeout=120).returncode != 0  # no council 1: a plain refusal


def test_a_database_from_an_older_version_says_to_upgrade(tmp_path):
    env = _env(tmp_path)
    url = env["COUNCIL_DATABASE_URL"]
    from alembic.script import ScriptDirectory
    previous = ScriptDirectory.from_config(migrate.alembic_config(url)).get_revision("head").down_revision
    migrate.upgrade(url, previous)
    for args in (["facilitator", "add", "王主任", "--password", PASSWORD], ["grant", "1", "王主任"]):
        line = _one_clear_line(council(args, env, timeout=120))
        assert "council db upgrade" in line
    assert council(["db", "upgrade"], env, timeout=120).returncode == 0
    assert council(["facilitator", "add", "王主任", "--password", PASSWORD], env, timeout=120).returncode == 0


def test_a_database_from_a_newer_version_is_refused_in_one_line(tmp_path):
    env = {**_env(tmp_path), "COUNCIL_DEFAULT_LOCALE": "en"}
    url = env["COUNCIL_DATABASE_URL"]
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for args in (["db", "upgrade"], ["facilitator", "add", "王主任", "--password", PASSWORD],
                 ["serve", "--host", "127.0.0.1", "--port", "1"]):
        assert "newer version" in _one_clear_line(council(args, env, timeout=120))


def test_a_database_that_cannot_be_opened_is_named_in_one_line(tmp_path):
    env = {**_env(tmp_path), "COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / 'no' / 'such' / 'folder.db'}",
           "COUNCIL_DEFAULT_LOCALE": "en"}
    assert "Cannot open the database" in _one_clear_line(council(["db", "upgrade"], env, timeout=120))


def test_the_cli_says_the_password_minimum_up_front(tmp_path):
    helped = council(["facilitator", "add", "--help"], _env(tmp_path), timeout=120)
    assert "at least 8 characters" in helped.stdout
    helped = council(["facilitator", "password", "--help"], _env(tmp_path), timeout=120)
    assert "at least 8 characters" in helped.stdout
    # At a terminal, the prompt itself says it (in the server's language).
    prompt = _prompt_at_a_terminal(["facilitator", "add", "王主任"], _env(tmp_path))
    assert re.search(r"(at least|至少) ?8", prompt), prompt


def _prompt_at_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What the command writes to a terminal before it waits for the password."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", ENTRY, *args], env={**os.environ, **env}, cwd=ROOT,
                            stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    out, deadline = b"", time.monotonic() + 60
    try:
        while time.monotonic() < deadline and not out.rstrip(b" ").endswith(b":") and proc.poll() is None:
            if select.select([leader], [], [], 0.5)[0]:
                out += os.read(leader, 1024)
    finally:
        proc.kill()
        proc.wait(10)
        os.close(leader)
    return out.decode(errors="replace")


# --- `council serve` on a fresh install ---------------------------------------------------------

def _set_up_link(log: Path, start: int) -> str | None:
    """The last set-up link in the server's output after `start`."""
    found = re.findall(r"http://127\.0\.0\.1:\d+/setup/\S+", log.read_text()[start:])
    return found[-1] if found else None


def _secret(link: str | None) -> str | None:
    return link.rsplit("/", 1)[1] if link else None


def test_serve_prints_the_set_up_link_until_an_account_exists(tmp_path):
    env, log = _env(tmp_path), tmp_path / "server.log"
    server = Server(env, log).start()
    try:
        link = _set_up_link(log, 0)
        assert link, log.read_text()
        with urllib.request.urlopen(link, timeout=10) as page:
            assert page.status == 200 and "csrf_token" in page.read().decode()
    finally:
        server.stop()

    mark = len(log.read_text())
    server = Server(env, log).start()  # a restart prints the same link
    server.stop()
    assert _secret(_set_up_link(log, mark)) == _secret(link)

    assert council(["facilitator", "add", "王主任", "--password", PASSWORD], env, timeout=120).returncode == 0
    mark = len(log.read_text())
    server = Server(env, log).start()
    try:
        assert _set_up_link(log, mark) is None, log.read_text()[mark:]
        dead = f"{server.url}/setup/{_secret(link)}"
        with urllib.request.urlopen(dead, timeout=10) as page:  # it lands on the login page
            assert urllib.parse.urlsplit(page.url).path == "/login"
    finally:
        server.stop()


# --- the compiled catalog ships with the package -----------------------------------------------

# The compiled catalogs are committed rather than compiled when the server starts: a startup
# compile needs a writable package folder (not so for an installed package or a read-only
# deployment) and would mask a stale catalog where this test fails on it, before anything ships.

def _catalogs() -> list[Path]:
    found = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))
    assert found
    return found


def _carried() -> set[Path]:
    """The files a commit of this tree carries: tracked, or new and not ignored."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "council/translations"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return {ROOT / line for line in out.splitlines()}


@pytest.mark.parametrize("po", _catalogs(), ids=lambda p: p.parent.parent.name)
def test_the_compiled_catalog_ships_with_the_package_and_matches_its_source(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run scripts/translations compile"
    assert mo in _carried(), f"{mo.relative_to(ROOT)} is git-ignored: a fresh clone would serve English"
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "translations/*/LC_MESSAGES/*.mo" in package_data["council"]

    with po.open("rb") as fh:
        catalog = read_po(fh)
    fresh = io.BytesIO()
    write_mo(fresh, catalog)  # as `scripts/translations compile` does: fuzzy entries left out
    fresh.seek(0)
    with mo.open("rb") as fh:
        shipped = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
    # Compared entry by entry (the header aside), not byte by byte: Babel versions lay out alike
    # catalogs differently.
    stale = sorted(str(k) for k in expected.keys() ^ shipped.keys()) + \
        sorted(str(k) for k in expected.keys() & shipped.keys() if k != "" and expected[k] != shipped[k])
    assert not stale, f"{mo.relative_to(ROOT)} is stale, run scripts/translations compile: {stale[:5]}"


def test_a_fresh_clone_serves_chinese(database_url, tmp_path):
    """The catalogs exactly as a clone of this tree has them, before anyone compiles anything."""
    for path in _carried():
        target = tmp_path / path.relative_to(TRANSLATIONS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    # In a process of its own: Flask-Babel keeps the catalogs it read in one cache for every app.
    page = subprocess.run(
        [sys.executable, "-c", "import sys; from council import create_app; "
         "app = create_app({'database_url': sys.argv[1], 'secret_key': 'k', 'async_mode': 'threading', "
         "'BABEL_TRANSLATION_DIRECTORIES': sys.argv[2]}); print(app.test_client().get('/login').get_data(as_text=True))",
         database_url, str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert page.returncode == 0, page.stderr
    assert "主持人登录" in page.stdout
