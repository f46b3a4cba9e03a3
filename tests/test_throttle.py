"""Throttles: logins locked after wrong passwords, join codes that cannot be guessed, joins that a
whole room gets through and a flood does not (issue 11, point 2)."""
from __future__ import annotations

import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from zoneinfo import ZoneInfo

import limits.storage.memory
import pytest
from sqlalchemy import func, select

import council.throttle
from council import config
from council.db import get_db
from council.domain import DomainError
from council.extensions import socketio
from council.live import connection
from council.models import AuditEvent, Participant
from council.services import accounts
from tests.conftest import close_app, make_app
from tests.helpers import PASSWORD, Meeting
from tests.servers import Server, council as run_council

REDIS_URL = os.environ.get("COUNCIL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class Clock:
    """The time the throttles read, moved by the test: minutes pass without waiting."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    # The memory storage and the throttle each read `time.time()` through their own module's
    # name `time`: replacing that name moves their clock alone, not the rest of the process.
    c = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", c)
    monkeypatch.setattr(council.throttle, "time", c)
    return c


@pytest.fixture
def room(tmp_path, sqlite_template):
    """A meeting on SQLite alone, for the tests that send thousands of requests: the throttles
    count the same whatever the database (the lockout tests run on both)."""
    shutil.copy(sqlite_template, tmp_path / "council.db")
    app = make_app(f"sqlite:///{tmp_path / 'council.db'}")
    meeting = Meeting(app)
    yield meeting
    meeting.disconnect_all()
    close_app(app)


def at(ip: str) -> dict[str, dict[str, str]]:
    return {"environ_base": {"REMOTE_ADDR": ip}}


def login(app, name: str, password: str, ip: str):
    return app.test_client().post("/login", data={"name": name, "password": password}, **at(ip))


def add(app, *names: str) -> None:
    with app.app_context():
        for name in names:
            accounts.add_facilitator(get_db(), name, "right-password")


def lockouts(app) -> list[AuditEvent]:
    with app.app_context():
        return list(get_db().scalars(select(AuditEvent).where(AuditEvent.kind == "login.locked")
                                     .order_by(AuditEvent.id)))


# --- logins -------------------------------------------------------------------------------------

def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(app, clock):
    add(app, "王主任", "李书记")
    for _ in range(4):
        r = login(app, "王主任", "wrong-password", "10.0.0.1")
        assert r.status_code == 400 and "用户名或密码错误" in r.text
    assert lockouts(app) == []
    r = login(app, "王主任", "wrong-password", "10.0.0.1")  # the fifth: the lock starts now
    assert r.status_code == 429 and "登录已锁定" in r.text and "15 分钟" in r.text
    assert r.headers["Retry-After"] == "900"
    r = login(app, "王主任", "right-password", "10.0.0.1")
    assert r.status_code == 429 and "登录已锁定" in r.text
    # the account is locked from every address; another account from the same address is not
    assert login(app, "王主任", "right-password", "10.0.0.2").status_code == 429
    assert login(app, "李书记", "right-password", "10.0.0.1").status_code == 302

    [event] = lockouts(app)
    assert event.session_id is None and event.actor == "address:10.0.0.1"
    assert event.detail == {"account": "王主任", "scope": "account", "minutes": 15}

    clock.advance(14 * 60)
    r = login(app, "王主任", "right-password", "10.0.0.1")
    assert r.status_code == 429 and "1 分钟" in r.text  # what is left of the lock, rounded up
    clock.advance(61)
    assert login(app, "王主任", "right-password", "10.0.0.1").status_code == 302
    assert len(lockouts(app)) == 1  # refused tries while locked write nothing more


def test_twenty_wrong_passwords_from_one_address_lock_every_login_from_it(app, clock):
    add(app, "王主任")
    names = [f"猜{i}" for i in range(5)]
    for i in range(19):  # four tries on each of five names: no account reaches its own limit
        assert login(app, names[i % 5], "wrong-password", "10.0.0.9").status_code == 400
    r = login(app, names[19 % 5], "wrong-password", "10.0.0.9")
    assert r.status_code == 429 and "登录已锁定" in r.text
    assert login(app, "王主任", "right-password", "10.0.0.9").status_code == 429
    assert login(app, "王主任", "right-password", "10.0.0.10").status_code == 302  # another address
    [event] = lockouts(app)
    assert event.actor == "address:10.0.0.9" and event.detail["scope"] == "address"
    assert event.detail["account"] == names[4]


def test_the_right_password_never_counts(app, clock):
    add(app, "王主任")
    for _ in range(10):
        assert login(app, "王主任", "right-password", "10.0.0.1").status_code == 302
    for _ in range(4):
        assert login(app, "王主任", "wrong-password", "10.0.0.1").status_code == 400
    assert login(app, "王主任", "wrong-password", "10.0.0.1").status_code == 429  # the fifth failure


def test_the_dashboard_shows_the_accounts_lockouts_in_local_time(app, clock):
    add(app, "王主任")
    for _ in range(5):
        login(app, "王主任", "wrong-password", "203.0.113.7")
    clock.advance(16 * 60)
    web = app.test_client()
    assert web.post("/login", data={"name": "王主任", "password": "right-password"}).status_code == 302
    page = web.get("/console").text
    [event] = lockouts(app)
    shanghai = event.at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert "登录锁定记录" in page and "203.0.113.7" in page
    assert shanghai.strftime("%Y-%m-%d %H:%M") in page and "您的账号，锁定 15 分钟" in page
    with app.app_context():  # another account sees nothing of it
        accounts.add_facilitator(get_db(), "李书记", "right-password")
    other = app.test_client()
    other.post("/login", data={"name": "李书记", "password": "right-password"})
    assert "203.0.113.7" not in other.get("/console").text


# --- join codes ---------------------------------------------------------------------------------

def _unknown(code: str) -> str:
    return "1" + code[1:] if code[0] != "1" else "2" + code[1:]


def test_guessing_join_codes_is_cut_off_for_that_address_only(room, clock):
    app, wrong = room.app, _unknown(room.code)
    guesser = app.test_client()
    for i in range(60):  # unknown codes through each of the three routes count together
        if i % 3 == 0:
            r = guesser.get(f"/join/{wrong}", **at("10.1.1.1"))
        elif i % 3 == 1:
            r = guesser.get(f"/api/join/{wrong}", **at("10.1.1.1"))
        else:
            r = guesser.post(f"/api/join/{wrong}", json={"name": "猜"}, **at("10.1.1.1"))
        assert r.status_code == 404, (i, r.status_code)
    # past the limit even the right code is refused, so the answer tells nothing
    r = guesser.get(f"/api/join/{room.code}", **at("10.1.1.1"))
    assert r.status_code == 429 and r.json["error"]["code"] == "rate_limited"
    assert r.json["error"]["message"] == "太快了，请稍等几秒再试。"
    assert 0 < r.json["error"]["params"]["retry_after"] <= 600
    assert r.headers["Retry-After"] == str(r.json["error"]["params"]["retry_after"])
    r = guesser.post(f"/api/join/{room.code}", json={"name": "猜"}, **at("10.1.1.1"))
    assert r.status_code == 429 and r.json["error"]["code"] == "rate_limited"
    r = guesser.get(f"/join/{room.code}", **at("10.1.1.1"))
    assert r.status_code == 429 and "太快了" in r.text
    # another address is not affected
    r = app.test_client().get(f"/api/join/{room.code}", **at("10.1.1.2"))
    assert r.status_code == 200 and r.json["ok"]
    clock.advance(601)
    assert guesser.get(f"/api/join/{room.code}", **at("10.1.1.1")).status_code == 200


def test_a_phone_already_in_the_session_still_gets_in_from_a_refused_address(room, clock):
    """One guesser on the room's Wi-Fi must not keep the room's phones out."""
    app, wrong = room.app, _unknown(room.code)
    joined = room.join("李阿姨")
    guesser = app.test_client()
    for _ in range(60):
        guesser.get(f"/api/join/{wrong}")  # 127.0.0.1, as the phones below
    phone = app.test_client()
    phone.set_cookie(f"council_token_{room.code}", joined["device_token"])
    assert phone.get(f"/join/{room.code}").status_code == 200
    assert app.test_client().get(f"/join/{room.code}").status_code == 429
    r = app.test_client().post(f"/api/join/{room.code}", json={"name": "李阿姨二", "token": joined["device_token"]})
    assert r.status_code == 200 and r.json["participant_id"] == joined["participant_id"]

    auth = {"role": "phone", "code": room.code, "token": joined["device_token"]}
    live = socketio.test_client(app, auth=auth)
    assert live.is_connected()
    live.disconnect()
    stranger = socketio.test_client(app, auth={**auth, "token": "x" * 32})
    assert not stranger.is_connected()
    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        with pytest.raises(DomainError) as refused:
            connection.authenticate({**auth, "token": "x" * 32})
    assert refused.value.code == "rate_limited"


def test_unknown_codes_on_the_live_connection_count_too(room, clock):
    wrong = _unknown(room.code)
    for _ in range(60):
        with room.app.test_request_context(environ_base={"REMOTE_ADDR": "10.2.2.2"}):
            with pytest.raises(DomainError) as refused:
                connection.authenticate({"role": "phone", "code": wrong, "token": "x" * 32})
            assert refused.value.code == "unknown_code"
    r = room.app.test_client().get(f"/api/join/{room.code}", **at("10.2.2.2"))
    assert r.status_code == 429


# --- joins --------------------------------------------------------------------------------------

def _join(app, code: str, ip: str, name: str, token: str | None = None):
    body = {"name": name, **({"token": token} if token else {})}
    return app.test_client().post(f"/api/join/{code}", json=body, **at(ip))


def _participants(app) -> int:
    with app.app_context():
        return get_db().scalar(select(func.count()).select_from(Participant))


def test_a_room_of_300_behind_one_address_joins_within_a_minute_and_a_flood_is_cut_off(room, clock):
    app, code = room.app, room.code
    tokens = []
    for i in range(300):  # 300 phones within 60 seconds, all from the room's one address
        r = _join(app, code, "192.0.2.1", f"居民{i}")
        assert r.status_code == 200, (i, r.json)
        tokens.append(r.json["device_token"])
        clock.advance(0.2)
    assert _participants(app) == 300

    clock.advance(60)
    accepted, refused = 0, []
    for i in range(2000):  # 2,000 joins sent within 10 seconds from one address
        r = _join(app, code, "198.51.100.7", f"刷{i}")
        if r.status_code == 200:
            accepted += 1
        else:
            refused.append(r)
        clock.advance(0.005)
    assert 60 <= accepted <= 180, accepted
    assert _participants(app) == 300 + accepted  # a refused join stores nothing
    assert {(r.status_code, r.json["error"]["code"]) for r in refused} == {(429, "rate_limited")}
    assert all(1 <= r.json["error"]["params"]["retry_after"] <= 5 for r in refused)

    # meanwhile a phone of the room renaming itself, from the flooding address too, is not starved
    r = _join(app, code, "198.51.100.7", "居民0（改名）", token=tokens[0])
    assert r.status_code == 200 and _participants(app) == 300 + accepted
    # and a newcomer from another address still joins
    assert _join(app, code, "192.0.2.99", "新来的").status_code == 200


def test_a_flood_from_many_addresses_is_cut_by_the_sessions_limit(room, clock):
    app, code = room.app, room.code
    statuses = []
    for i in range(150):  # 150 addresses, one join each, within one second
        statuses.append(_join(app, code, f"10.9.{i // 250}.{i % 250 + 1}", f"刷{i}").status_code)
        clock.advance(0.006)
    assert statuses.count(200) == 100 and statuses.count(429) == 50


def test_a_device_renaming_itself_over_and_over_is_limited_on_its_own(room, clock):
    app, code = room.app, room.code
    token = _join(app, code, "192.0.2.1", "李阿姨").json["device_token"]
    codes = [_join(app, code, "192.0.2.1", f"李阿姨{i}", token=token).status_code for i in range(13)]
    assert codes == [200] * 12 + [429]
    assert _join(app, code, "192.0.2.1", "王大爷").status_code == 200  # the address's newcomers are not charged


def test_limits_are_set_per_app_and_can_be_switched_off_for_a_test_that_floods_on_purpose(database_url):
    app = make_app(database_url, join_limit_address="2 per minute")
    try:
        meeting = Meeting(app)
        assert [_join(app, meeting.code, "10.0.0.1", f"居民{i}").status_code for i in range(3)] == [200, 200, 429]
        meeting.disconnect_all()
    finally:
        close_app(app)
    app = make_app(database_url, RATELIMIT_ENABLED=False)
    try:
        assert app.extensions["council.throttle"].counter is None
        assert all(login(app, "王主任", "wrong-password", "10.0.0.1").status_code == 400 for _ in range(8))
        assert login(app, "王主任", PASSWORD, "10.0.0.1").status_code == 302
    finally:
        close_app(app)


def test_limits_are_settings_and_a_wrong_one_is_refused(tmp_path):
    shipped = config.load(config.PROJECT_ROOT / "config.toml", environ={})
    assert shipped["login_limit_account"] == "5 per 15 minutes"
    assert shipped["join_limit_address"] == "400 per minute; 60 per 5 seconds"
    f = tmp_path / "c.toml"
    f.write_text('[council]\nlogin_limit_account = "five a day"\n')
    with pytest.raises(config.ConfigError):
        config.load(f, environ={})
    conf = config.load(f, environ={"COUNCIL_LOGIN_LIMIT_ACCOUNT": "3 per hour"})
    assert conf["login_limit_account"] == "3 per hour"


def test_each_app_counts_apart(database_url, clock):
    """Two apps in one process (tests): one's counts never reach the other."""
    first = make_app(database_url)
    second = make_app(database_url)
    try:
        add(first, "王主任")
        for _ in range(5):
            login(first, "王主任", "wrong-password", "10.0.0.1")
        assert login(first, "王主任", "right-password", "10.0.0.1").status_code == 429
        assert login(second, "王主任", "right-password", "10.0.0.1").status_code == 302
    finally:
        close_app(second)
        close_app(first)


# --- several processes: Redis -------------------------------------------------------------------

def _redis():
    import redis
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.ping()
        return client
    except Exception:
        return None


class Browser:
    """Logs in to a real server as a page does: the form's CSRF token, the cookie, no redirects."""

    def __init__(self, url: str) -> None:
        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # a 302 is the answer, not followed
                return None
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), Stay())

    def login(self, name: str, password: str) -> tuple[int, str]:
        page = self.opener.open(self.url + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"name": name, "password": password, "csrf_token": token}).encode()
        try:
            with self.opener.open(self.url + "/login", data=form, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()


def test_several_processes_of_a_deployment_count_together_in_redis_and_deployments_apart(tmp_path):
    """With the message queue set, counts live in Redis under the deployment's channel: a lock
    started through one server process holds on the other; another deployment on the same
    Redis counts apart."""
    redis = _redis()
    if redis is None:
        if os.environ.get("CI"):
            pytest.fail("Redis must be reachable in CI")
        pytest.skip("Redis not reachable")
    channel = f"council-test-{uuid.uuid4().hex[:10]}"
    deployments = []
    for name in ("one", "other"):
        env = {"COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / name}.db", "COUNCIL_SECRET_KEY": "k",
               "COUNCIL_MESSAGE_QUEUE": REDIS_URL, "COUNCIL_MESSAGE_QUEUE_CHANNEL": f"{channel}-{name}"}
        run_council(["db", "upgrade"], env, check=True)
        run_council(["facilitator", "add", "王主任", "--password", "right-password"], env, check=True)
        deployments.append(env)
    servers = [Server(deployments[0], tmp_path / "a.log"), Server(deployments[0], tmp_path / "b.log"),
               Server(deployments[1], tmp_path / "c.log")]
    try:
        a, b, c = (Browser(server.start().url) for server in servers)
        for browser in (a, b, a, b):
            assert browser.login("王主任", "wrong-password")[0] == 400
        status, page = b.login("王主任", "wrong-password")  # the fifth, through either process
        assert status == 429 and "登录已锁定" in page
        assert a.login("王主任", "right-password")[0] == 429
        assert c.login("王主任", "right-password")[0] == 302  # the other deployment: its own counts
        assert redis.keys(f"{channel}-one:*") and not redis.keys(f"{channel}-other:*")
    finally:
        for server in servers:
            server.stop()
        for key in redis.scan_iter(f"{channel}-*"):
            redis.delete(key)
