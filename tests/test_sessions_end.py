"""Logging out ends every login of the account: captured cookies, open consoles and projectors.

Issue 11, point 4: a cookie captured before logout opened /console, an open console socket kept
its rights, and the cookie lasted 31 days.
"""
from __future__ import annotations

import datetime as dt
import time

import pytest

from council import config
from council.db import get_db
from council.extensions import socketio
from council.services import accounts
from tests.servers import run_scenario
from tests.conftest import close_app, make_app
from tests.helpers import PASSWORD, latest_state, ok, refused
from tests import test_multiprocess

shared_env = test_multiprocess.shared_env  # the fixture: PostgreSQL and Redis for two servers


def _captured(meeting):
    """Another browser holding a copy of the facilitator's session cookie (a stolen cookie)."""
    thief = meeting.app.test_client()
    thief.set_cookie("session", meeting.web.get_cookie("session").value)
    return thief


def _socket(meeting, web, role="console"):
    return socketio.test_client(meeting.app, flask_test_client=web,
                                auth={"role": role, "session_id": meeting.session_id})


def _refused_connection(meeting, web, role):
    client = _socket(meeting, web, role)
    assert not client.is_connected()
    return client


def _opens_console(web) -> bool:
    response = web.get("/console")
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    return False


def test_a_cookie_captured_before_logout_opens_nothing_after(meeting):
    thief = _captured(meeting)
    assert _opens_console(thief)
    console = _socket(meeting, thief)
    assert console.is_connected()
    console.disconnect()

    assert meeting.web.post("/logout").status_code == 302
    assert not _opens_console(thief) and not _opens_console(meeting.web)
    assert thief.get(f"/api/sessions/{meeting.session_id}/state").status_code == 403
    for role in ("console", "projector"):
        _refused_connection(meeting, thief, role)

    again = meeting.login()  # logging in again works, and only the new cookie opens the console
    assert _opens_console(again) and not _opens_console(thief)
    assert _socket(meeting, again).is_connected()
    thief.post("/logout")  # a stale cookie cannot log the new login out
    assert _opens_console(again)


def test_a_cookie_without_the_session_epoch_opens_nothing(meeting):
    """A cookie signed before migration 0007 carries the account but no epoch."""
    old = meeting.app.test_client()
    with old.session_transaction() as s:
        s["facilitator_id"] = meeting.facilitator_id
        s["_permanent"] = True
    assert not _opens_console(old)
    _refused_connection(meeting, old, "console")


def test_logout_disconnects_open_consoles_and_projectors_of_the_account(meeting):
    thief = _captured(meeting)
    console, projector = _socket(meeting, thief), _socket(meeting, thief, "projector")
    own = meeting.console()
    phone = meeting.phone("李阿姨")
    ok(phone, "topic.raise", {"text": "楼道灯坏了"})
    assert [t["text"] for t in latest_state(console)["topics"]] == ["楼道灯坏了"]
    assert [t["text"] for t in latest_state(projector)["topics"]] == ["楼道灯坏了"]

    meeting.web.post("/logout")
    assert not console.is_connected() and not projector.is_connected() and not own.is_connected()
    console.queue.clear(), projector.queue.clear()
    ok(phone, "topic.raise", {"text": "垃圾桶满了"})
    time.sleep(0.1)
    assert console.queue == [] and projector.queue == []  # nothing of the session any more
    assert phone.is_connected()  # residents are not the facilitator's sessions


def test_a_socket_whose_account_logged_out_elsewhere_is_refused_and_gets_nothing(meeting):
    """Another server process ended the account's sessions and could not reach this one's
    sockets (no message queue): each event re-checks the epoch."""
    console, projector = meeting.console(), meeting.projector()
    phone = meeting.phone("李阿姨")
    ok(console, "timer.set", {"seconds": 60})
    with meeting.app.app_context():
        accounts.end_sessions(get_db(), meeting.facilitator_id)  # no close_room: as elsewhere

    assert console.is_connected()
    assert refused(console, "timer.set", {"seconds": 90})["code"] == "not_facilitator"
    assert refused(console, "state.get")["code"] == "not_facilitator"
    assert refused(projector, "state.get")["code"] == "not_facilitator"
    latest_state(console, wait=0), latest_state(projector, wait=0)
    ok(phone, "topic.raise", {"text": "楼道灯坏了"})
    time.sleep(0.1)
    assert console.get_received() == [] and projector.get_received() == []


def test_changing_the_password_ends_every_login_and_disconnects(meeting):
    thief = _captured(meeting)
    console = _socket(meeting, thief)
    projector = _socket(meeting, meeting.web, "projector")
    result = meeting.app.test_cli_runner().invoke(args=["facilitator", "password", "王主任"],
                                                  input="a-new-password\n")
    assert result.exit_code == 0, result.output
    assert not console.is_connected() and not projector.is_connected()
    assert not _opens_console(thief) and not _opens_console(meeting.web)
    _refused_connection(meeting, thief, "console")

    assert meeting.app.test_client().post("/login", data={"name": "王主任", "password": PASSWORD}).status_code == 400
    assert _opens_console(meeting.login(password="a-new-password"))


def test_changing_the_password_is_checked(meeting):
    runner = meeting.app.test_cli_runner()
    short = runner.invoke(args=["facilitator", "password", "王主任", "--password", "short"])
    assert short.exit_code != 0 and "8" in short.output
    unknown = runner.invoke(args=["facilitator", "password", "无此人", "--password", "long-enough"])
    assert unknown.exit_code != 0
    assert _opens_console(meeting.web)  # a refused change ends nothing
    with meeting.app.app_context(), pytest.raises(Exception) as err:
        accounts.change_password(get_db(), "王主任", "short")
    assert err.value.code == "password_too_short"


def test_login_lifetime_and_secure_flag_come_from_the_settings(database_url, tmp_path):
    assert config.DEFAULTS["login_days"] == 1
    assert config.load(tmp_path / "none.toml", environ={})["login_days"] == 1
    assert config.load(tmp_path / "none.toml", environ={"COUNCIL_LOGIN_DAYS": "7"})["login_days"] == 7
    toml = tmp_path / "c.toml"
    toml.write_text("[council]\nlogin_days = 3\n")
    assert config.load(toml, environ={})["login_days"] == 3
    with pytest.raises(config.ConfigError):
        config.load(tmp_path / "none.toml", environ={"COUNCIL_LOGIN_DAYS": "0"})
    assert "login_days = 1" in (config.PROJECT_ROOT / "config.toml").read_text()

    for extra, days, secure in (({}, 1, False), ({"login_days": 3, "public_url": "https://yuan.example.cn"}, 3, True)):
        app = make_app(database_url, **extra)
        try:
            assert app.config["PERMANENT_SESSION_LIFETIME"] == dt.timedelta(days=days)
            assert app.config["SESSION_COOKIE_SECURE"] is secure
            with app.app_context():
                accounts.add_facilitator(get_db(), f"主任{days}", PASSWORD)
            response = app.test_client().post("/login", data={"name": f"主任{days}", "password": PASSWORD})
            cookie = response.headers["Set-Cookie"]
            assert ("; Secure" in cookie) is secure
            expires = dt.datetime.strptime(cookie.split("Expires=")[1].split(";")[0], "%a, %d %b %Y %H:%M:%S GMT")
            left = expires.replace(tzinfo=dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)
            assert dt.timedelta(days=days) - dt.timedelta(minutes=1) < left <= dt.timedelta(days=days)
        finally:
            close_app(app)


@pytest.mark.postgres
def test_logout_through_one_process_disconnects_the_screens_held_by_another(shared_env, tmp_path):
    """Two `council serve` processes sharing PostgreSQL and Redis: the console and projector
    connected to A are disconnected when the account logs out through B."""
    import asyncio
    import re

    import aiohttp

    from tests.servers import Server, live_client
    a = Server(shared_env, tmp_path / "a.log").start()
    b = Server(shared_env, tmp_path / "b.log").start()

    async def scenario() -> None:
        cookie, session_id, _code = await test_multiprocess._facilitator(a.url)
        console, _ = await live_client(a.url, {"role": "console", "session_id": session_id}, cookie)
        projector, _ = await live_client(a.url, {"role": "projector", "session_id": session_id}, cookie)
        assert (await console.call("timer.set", {"seconds": 60}))["ok"]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            page = await (await http.get(b.url + "/login")).text()
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            page = await (await http.post(b.url + "/login", data={"name": "王主任", "password": "shared-pass",
                                                                    "csrf_token": token})).text()
            token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
            r = await http.post(b.url + "/logout", data={"csrf_token": token}, allow_redirects=False)
            r.release()
            assert r.status == 302
        for _ in range(250):
            if not console.connected and not projector.connected:
                break
            await asyncio.sleep(0.02)
        assert not console.connected and not projector.connected
        for c in (console, projector):
            await c.disconnect()

    try:
        run_scenario(scenario())
    finally:
        a.stop()
        b.stop()
