"""Two server processes share one PostgreSQL database and Redis: a change made through one
reaches the clients of the other, and a restarted server comes back to the same session."""
from __future__ import annotations

import asyncio
import os
import re
import uuid

import aiohttp
import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_ADMIN_URL, _postgres_reachable
from tests.servers import Server, live_client as _client, council, run_scenario

REDIS_URL = os.environ.get("COUNCIL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
pytestmark = pytest.mark.postgres


def _redis_reachable() -> bool:
    import redis
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture
def shared_env(tmp_path):
    if not (_postgres_reachable() and _redis_reachable()):
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL and Redis must be reachable in CI")
        pytest.skip("PostgreSQL or Redis not reachable")
    name = f"council_mp_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    env = {"COUNCIL_DATABASE_URL": PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name,
           "COUNCIL_SECRET_KEY": "shared-secret", "COUNCIL_MESSAGE_QUEUE": REDIS_URL}
    council(["db", "upgrade"], env, check=True)
    council(["facilitator", "add", "王主任", "--password", "shared-pass"], env, check=True)
    yield env
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


async def _until(got: list, test, timeout: float = 5.0):
    for _ in range(int(timeout / 0.02)):
        for kind, data in got:
            if test(kind, data):
                return data
        await asyncio.sleep(0.02)
    raise AssertionError(f"not received: {got[-5:]}")


async def _facilitator(url: str) -> tuple[str, int, str]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await (await http.get(url + "/login")).text()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        page = await (await http.post(url + "/login", data={"name": "王主任", "password": "shared-pass",
                                                              "csrf_token": token})).text()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        (await http.post(url + "/console/councils", data={"name": "东院", "level": "courtyard",
                                                          "csrf_token": token})).release()
        page = await (await http.get(url + "/console")).text()
        council_id = re.search(r'<option value="(\d+)">东院', page).group(1)
        r = await http.post(url + "/console/sessions", data={"council_id": council_id, "title": "东院议事会",
                                                             "starts_at": "2026-12-01T19:00", "csrf_token": token},
                            allow_redirects=False)
        session_id = int(r.headers["Location"].rsplit("/", 1)[1])
        r.release()
        state = await (await http.get(f"{url}/api/sessions/{session_id}/state")).json()
        cookie = "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)
        return cookie, session_id, state["state"]["session"]["join_code"]


async def _scenario(a: Server, b: Server) -> None:
    cookie, session_id, code = await _facilitator(a.url)
    console, on_console = await _client(a.url, {"role": "console", "session_id": session_id}, cookie)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await (await http.get(f"{b.url}/join/{code}")).text()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        joined = await (await http.post(f"{b.url}/api/join/{code}", json={"name": "李阿姨"},
                                        headers={"X-CSRFToken": token})).json()
    phone, on_phone = await _client(b.url, {"role": "phone", "code": code, "token": joined["device_token"]})

    reply = await phone.call("topic.raise", {"text": "楼道灯坏了"})
    assert reply["ok"], reply
    await _until(on_console, lambda k, d: k == "patch" and d["part"] == "topics"
                 and [t["text"] for t in d["data"]] == ["楼道灯坏了"])
    assert (await console.call("step.advance", {}))["ok"]
    await _until(on_phone, lambda k, d: k == "patch" and d["part"] == "session" and d["data"]["step"] == "discuss")
    await console.disconnect()
    await phone.disconnect()

    a.stop()  # a restarted server sees the same session: the state is in the database
    a.start()
    console, on_console = await _client(a.url, {"role": "console", "session_id": session_id}, cookie)
    state = await _until(on_console, lambda k, d: k == "state")
    assert state["session"]["step"] == "discuss" and [t["text"] for t in state["topics"]] == ["楼道灯坏了"]
    await console.disconnect()


def test_two_processes_and_a_restart(shared_env, tmp_path):
    a = Server(shared_env, tmp_path / "a.log").start()
    b = Server(shared_env, tmp_path / "b.log").start()
    try:
        run_scenario(_scenario(a, b))
    finally:
        a.stop()
        b.stop()
