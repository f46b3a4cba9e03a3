"""A document downloaded while the room is live: a real server (gevent, SQLite) renders a big
session's minutes several times while phones raise topics and the console sets the timer. The
health probe answers within 200 ms throughout, and every change reaches every screen.

A render that kept its transaction open would hold SQLite's write lock for the whole render:
the next write waits in SQLite's busy handler, which blocks the event loop itself.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import re
import time
import uuid

import aiohttp
import pytest
import socketio

from tests.conftest import close_app, make_app
from tests.servers import Server, live_client as _client, run_scenario

PASSWORD = "load-pass"
PHONES = 12  # taking turns, each stays inside its event budget and its share of the wall
PROBE_LIMIT = 0.2  # seconds


def _seed(url: str) -> tuple[int, int]:
    """A big meeting of a courtyard, now in its do step: the document to render; returns its
    session and council ids."""
    from council import migrate
    from council.db import get_db
    from council.services import (
        Actor,
        accounts,
        actions,
        participants,
        polls,
        proposals,
        sessions,
        topics,
    )
    migrate.upgrade(url)
    app = make_app(url)
    with app.app_context():
        db = get_db()
        fac = Actor.facilitator(accounts.add_facilitator(db, "王主任", PASSWORD).id)
        yard = sessions.create_council(db, fac, "天坛东路64号院", "courtyard")
        s = sessions.create_session(db, fac, yard.reply["council_id"], "环境提升议事会", dt.datetime(2026, 11, 24, 11, tzinfo=dt.timezone.utc),
                                    place="社区活动室", recorder="赵记录")
        people = [Actor.participant(participants.join(db, s.reply["join_code"], f"居民{i:02d}", f"{i // 4 + 1}-{i % 4 + 101}")
                                    .reply["participant_id"]) for i in range(30)]
        for i in range(60):
            topics.raise_topic(db, people[i % 30], f"议题{i + 1}：楼道堆物、停车、垃圾分类与绿化的问题之{i + 1}")
        sessions.advance_step(db, fac, s.reply["session_id"])
        ids = [proposals.create_proposal(db, fac, s.reply["session_id"], f"方案{i + 1}：集中整治院落环境",
                                         "由楼门长牵头，物业配合，每周六上午集中清理。" * 2).reply["proposal_id"]
               for i in range(12)]
        sessions.advance_step(db, fac, s.reply["session_id"])
        for n, pid in enumerate(ids):
            poll = polls.open_poll(db, fac, pid).reply["poll_id"]
            for k, person in enumerate(people):
                polls.cast_vote(db, person, poll, ("yes", "yes", "no", "abstain")[(k + n) % 4], uuid.uuid4().hex)
            polls.close_poll(db, fac, poll)
        sessions.advance_step(db, fac, s.reply["session_id"])
        from sqlalchemy import select

        from council.models import Decision
        adopted = list(db.scalars(select(Decision.id).where(Decision.adopted.is_(True))))
        for i in range(30):
            actions.create_action(db, fac, adopted[i % len(adopted)], f"行动{i + 1}：清理楼道并张贴告示",
                                  f"负责人{i + 1}", "2026-12-31", "property" if i % 2 else "building_head")
        ids = s.reply["session_id"], yard.reply["council_id"]
    close_app(app)
    return ids


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'council.db'}"
    big, council_id = _seed(url)
    env = {"COUNCIL_DATABASE_URL": url, "COUNCIL_SECRET_KEY": "load-secret", "COUNCIL_ASYNC_MODE": "gevent"}
    srv = Server(env, tmp_path / "server.log").start()
    yield srv, big, council_id
    srv.stop()


def _token(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


async def _login(http: aiohttp.ClientSession, url: str) -> str:
    token = _token(await (await http.get(url + "/login")).text())
    page = await (await http.post(url + "/login", data={"name": "王主任", "password": PASSWORD,
                                                         "csrf_token": token})).text()
    return _token(page)


async def _live_session(http: aiohttp.ClientSession, url: str, token: str, council_id: int) -> tuple[int, str]:
    """A second session of the council, in its raise step: where the live changes happen."""
    r = await http.post(url + "/console/sessions", data={"council_id": str(council_id), "title": "楼道议事会",
                                                         "starts_at": "2026-12-01T19:00", "csrf_token": token},
                        allow_redirects=False)
    session_id = int(r.headers["Location"].rsplit("/", 1)[1])
    r.release()
    state = await (await http.get(f"{url}/api/sessions/{session_id}/state")).json()
    return session_id, state["state"]["session"]["join_code"]


async def _phone(url: str, code: str, name: str) -> tuple[socketio.AsyncClient, list]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        token = _token(await (await http.get(f"{url}/join/{code}")).text())
        joined = await (await http.post(f"{url}/api/join/{code}", json={"name": name},
                                        headers={"X-CSRFToken": token})).json()
    return await _client(url, {"role": "phone", "code": code, "token": joined["device_token"]})


def _latest(got: list, part: str):
    """The last value of a state part a client received."""
    for kind, data in reversed(got):
        if kind == "patch" and data["part"] == part:
            return data["data"]
        if kind == "state":
            return data[part]
    return None


async def _until(test, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not test():
        if time.monotonic() > deadline:
            raise AssertionError("not received in time")
        await asyncio.sleep(0.02)


async def _probe(url: str, rendering: asyncio.Event, done: asyncio.Event, slow: list) -> int:
    """GET /api/health every 50 ms while documents render; slow answers are kept."""
    probes = 0
    async with aiohttp.ClientSession() as http:
        while not done.is_set():
            started = time.monotonic()
            async with http.get(url + "/api/health", timeout=aiohttp.ClientTimeout(total=30)) as r:
                assert r.status == 200
            took = time.monotonic() - started
            if rendering.is_set():
                probes += 1
                if took > PROBE_LIMIT:
                    slow.append(round(took, 3))
            await asyncio.sleep(0.05)
    return probes


async def _changes(console, phones: list, rendering: asyncio.Event, done: asyncio.Event) -> tuple[list, int]:
    """Phones raise topics in turn and the console sets the timer, each 100 ms; each reply is awaited."""
    raised, during, n = [], 0, 0
    while not done.is_set():
        phone = phones[n % len(phones)][0]
        reply = await phone.call("topic.raise", {"text": f"实时议题{n}"}, timeout=30)
        assert reply["ok"], reply
        raised.append(f"实时议题{n}")
        reply = await console.call("timer.set", {"seconds": 60 + n}, timeout=30)
        assert reply["ok"], reply
        during += rendering.is_set()
        n += 1
        await asyncio.sleep(0.1)
    return raised, during


async def _scenario(url: str, big: int, council_id: int) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        token = await _login(http, url)
        session_id, code = await _live_session(http, url, token, council_id)
        cookie = "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)
        console, on_console = await _client(url, {"role": "console", "session_id": session_id}, cookie)
        phones = [await _phone(url, code, f"邻居{i}") for i in range(PHONES)]
        rendering, done, slow = asyncio.Event(), asyncio.Event(), []
        probe = asyncio.create_task(_probe(url, rendering, done, slow))
        changes = asyncio.create_task(_changes(console, phones, rendering, done))
        await asyncio.sleep(0.5)
        renders = []
        for _ in range(3):
            rendering.set()
            started = time.monotonic()
            r = await http.get(f"{url}/console/{big}/minutes.pdf", timeout=aiohttp.ClientTimeout(total=120))
            pdf = await r.read()
            renders.append(time.monotonic() - started)
            rendering.clear()
            assert r.status == 200 and pdf.startswith(b"%PDF")
            await asyncio.sleep(0.2)
        done.set()
        probes = await probe
        raised, during = await changes
        assert not slow, f"health answered slowly during a render: {slow} (renders took {renders})"
        assert probes >= 5 and during >= 3, (probes, during, renders)
        everyone = [on_console] + [got for _, got in phones]
        last_timer = 60 + len(raised) - 1
        for got in everyone:  # every change reaches every screen
            await _until(lambda got=got: {t["text"] for t in _latest(got, "topics") or []} >= set(raised))
            await _until(lambda got=got: (_latest(got, "session") or {}).get("timer_seconds") == last_timer)
        for client in [console] + [c for c, _ in phones]:
            await client.disconnect()


def test_documents_render_while_the_room_stays_live(server):
    srv, big, council_id = server
    run_scenario(_scenario(srv.url, big, council_id), timeout=300)
    log = srv.log_path.read_text()
    assert "database is locked" not in log, log[-2000:]
