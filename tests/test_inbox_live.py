"""The facilitator's inbox, live: a console inbox page joins its council's room over Socket.IO
(a facilitator who reaches the council, nobody else), hears `inbox` after every committed change
of the council's issues (and of the councils below), and fetches its list (`?live=1`), the same
template a reload draws. With the clock frozen and moved: raised on the page, the issue is in
the open inbox at once, and overdue from the day after its reply deadline."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from council import localtime
from council.db import get_db
from council.extensions import socketio
from council.models import Council, Issue
from council.services import Actor, accounts, sessions
from tests.helpers import latest_state
from tests.test_multiprocess import shared_env  # noqa: F401,F811  (the two servers' database and Redis)

TOKEN_A, TOKEN_B = "a" * 32, "b" * 32


def _inbox(meeting, council_id=None, web=None):
    client = socketio.test_client(meeting.app, flask_test_client=web or meeting.web,
                                  auth={"role": "inbox", "council_id": council_id or meeting.council_id})
    meeting.clients.append(client)
    return client


def _heard(client):
    """The `inbox` messages a page got since last asked."""
    return [m["args"][0] for m in client.get_received() if m["name"] == "inbox"]


def _parent(app, council_id):
    with app.app_context():
        return get_db().get_one(Council, council_id).parent_id


def _resident(meeting, token=TOKEN_A):
    web = meeting.app.test_client()
    web.set_cookie("council_device", token)
    return web


def _live(meeting, council_id=None):
    """What an open inbox page fetches when it hears `inbox`: its list, without flashed messages."""
    r = meeting.web.get(f"/console/councils/{council_id or meeting.council_id}/inbox?live=1")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    return page[page.index('<div id="inbox-live">'):page.index("</main>")]


def test_an_open_inbox_hears_an_issue_raised_on_the_page_and_every_change_after(meeting, app):
    community = _parent(app, meeting.council_id)
    here, above = _inbox(meeting), _inbox(meeting, community)
    console = meeting.console()
    assert here.is_connected() and above.is_connected()
    _heard(here), _heard(above)
    resident = _resident(meeting)
    r = resident.post(f"/council/{meeting.council_id}/issues", data={"text": "楼道灯坏了", "door": "3-101"})
    assert r.status_code == 302
    with app.app_context():
        issue = get_db().scalar(select(Issue.id).where(Issue.text == "楼道灯坏了"))
    assert _heard(here) == [{"council_id": meeting.council_id, "issue_id": issue}]
    assert _heard(above) == [{"council_id": community, "issue_id": issue}], "the council above keeps count too"
    assert "inbox" not in [m["name"] for m in console.get_received()], "a session's console is not an inbox"
    assert "楼道灯坏了" in _live(meeting) and "3-101" in _live(meeting)

    neighbour = _resident(meeting, TOKEN_B)
    assert neighbour.post(f"/council/{meeting.council_id}/issues/{issue}/support").status_code == 302
    assert _heard(here) == [{"council_id": meeting.council_id, "issue_id": issue}]
    assert re.search(r"附议: 2", _live(meeting))
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "tag", "tag": "照明"})
    assert _heard(here) and "#照明" in _live(meeting)
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"})
    assert _heard(here), "carried into the session: the inbox hears it as well as the session"
    assert "已转入会议" in _card(_live(meeting), issue)
    assert [t["text"] for t in latest_state(console)["topics"]] == ["楼道灯坏了"]


def test_the_live_list_does_not_use_up_a_message_meant_for_the_page(meeting, app):
    resident = _resident(meeting)
    resident.post(f"/council/{meeting.council_id}/issues", data={"text": "楼道灯坏了"})
    with app.app_context():
        issue = get_db().scalar(select(Issue.id))
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "escalate", "to": "unit",
                                                                                     "unit": "物业", "due": ""})
    assert "答复期限" in _live(meeting)  # the list, fetched meanwhile
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/inbox").get_data(as_text=True)
    assert 'role="alert"' in page, "the refusal still shows on the page after the redirect"


def test_only_a_facilitator_who_reaches_the_council_joins_its_inbox(meeting, app):
    resident = _resident(meeting)
    resident.get(f"/council/{meeting.council_id}/issues")
    for web, auth in ((resident, {"role": "inbox", "council_id": meeting.council_id}),
                      (None, {"role": "inbox", "council_id": meeting.council_id}),
                      (meeting.web, {"role": "inbox", "council_id": "x"}),
                      (meeting.web, {"role": "inbox"}),
                      (meeting.web, {"role": "inbox", "council_id": 99999})):
        kwargs = {"flask_test_client": web} if web is not None else {}
        client = socketio.test_client(app, auth=auth, **kwargs)
        assert not client.is_connected(), auth
    with app.app_context():
        other = accounts.add_facilitator(get_db(), "另一位", "password-2")
        theirs = sessions.create_council(get_db(), Actor.facilitator(other.id), "别的院", "courtyard").reply["council_id"]
    stranger = meeting.login("另一位", "password-2")
    assert not _inbox(meeting, web=stranger).is_connected(), "another council's facilitator"
    own = _inbox(meeting, theirs, web=stranger)
    assert own.is_connected()
    _heard(own)
    _resident(meeting).post(f"/council/{meeting.council_id}/issues", data={"text": "楼道灯坏了"})
    assert _heard(own) == [], "nothing of a council out of reach"
    reply = own.emit("state.get", {}, callback=True)
    assert reply["ok"] is False, "an inbox page sends nothing: it fetches its page"
    assert own.emit("topic.raise", {"text": "x"}, callback=True)["ok"] is False

    mine = _inbox(meeting)
    assert mine.is_connected()
    meeting.web.post("/logout")
    assert not mine.is_connected(), "logging out ends the account's inbox pages too"


def test_with_the_clock_frozen_an_issue_raised_is_in_the_inbox_live_and_overdue_the_day_after_its_deadline(
        meeting, app, monkeypatch):
    """Frozen on 1 December at 10:00 in Beijing; moved to the deadline, then one day past it."""
    clock = {"day": dt.date(2026, 12, 1)}
    monkeypatch.setattr(localtime, "today", lambda: clock["day"])
    monkeypatch.setattr("council.services.inbox.utcnow", lambda: dt.datetime(2026, 12, 1, 2, tzinfo=dt.timezone.utc))
    community = _parent(app, meeting.council_id)
    here, above = _inbox(meeting), _inbox(meeting, community)
    _heard(here), _heard(above)

    _resident(meeting).post(f"/council/{meeting.council_id}/issues", data={"text": "3号楼门口积水", "door": "3-101"})
    with app.app_context():
        issue = get_db().scalar(select(Issue).where(Issue.text == "3号楼门口积水"))
        assert issue.created_at == dt.datetime(2026, 12, 1, 2, tzinfo=dt.timezone.utc)
    assert [m["issue_id"] for m in _heard(here)] == [issue.id], "live, at once"
    card = _card(_live(meeting), issue.id)
    assert "3号楼门口积水" in card and "今天" in card

    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue.id}",
                         data={"do": "escalate", "to": "parent", "due": "2026-12-10"})
    assert r.status_code == 302
    assert _heard(here) and _heard(above), "the council it went to hears it"
    for day, late in ((dt.date(2026, 12, 10), False), (dt.date(2026, 12, 11), True)):
        clock["day"] = day
        for council_id in (meeting.council_id, community):
            listed = _live(meeting, council_id)
            assert ("已逾期" in _card(listed, issue.id)) is late, (day, council_id)
            assert ("overdue-count" in listed) is late
        assert f"{(day - dt.date(2026, 12, 1)).days} 天前" in _card(_live(meeting), issue.id)


def _card(listed: str, issue_id: int) -> str:
    start = listed.index(f'id="issue-{issue_id}"')
    return listed[start:listed.index("</li>", start)]


@pytest.mark.postgres
def test_an_inbox_on_one_server_hears_an_issue_raised_through_another(shared_env, tmp_path):  # noqa: F811
    """Two server processes, one database, Redis between them: the room crosses processes."""
    from tests.servers import Server, run_scenario
    a = Server(shared_env, tmp_path / "a.log").start()
    b = Server(shared_env, tmp_path / "b.log").start()
    try:
        run_scenario(_across(a, b, shared_env["COUNCIL_DATABASE_URL"]))
    finally:
        a.stop()
        b.stop()


async def _across(a, b, database_url):
    import asyncio

    import aiohttp
    import socketio as sio
    from sqlalchemy import create_engine, text
    from tests.test_multiprocess import _facilitator
    cookie, _session_id, _code = await _facilitator(a.url)
    engine = create_engine(database_url)
    with engine.connect() as conn:
        council_id = conn.execute(text("SELECT id FROM councils WHERE name = '东院'")).scalar_one()
    engine.dispose()
    heard: list = []
    inbox = sio.AsyncClient(reconnection=False)
    inbox.on("inbox", lambda data: heard.append(data))
    await inbox.connect(a.url, auth={"role": "inbox", "council_id": council_id}, transports=["websocket"],
                        headers={"Cookie": cookie}, wait_timeout=20)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page = await (await http.get(f"{b.url}/council/{council_id}/issues")).text()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        r = await http.post(f"{b.url}/council/{council_id}/issues", data={"text": "楼道灯坏了", "csrf_token": token},
                            allow_redirects=False)
        assert r.status == 302, await r.text()
        r.release()
    for _ in range(250):
        if heard:
            break
        await asyncio.sleep(0.02)
    assert heard and heard[0]["council_id"] == council_id, heard
    await inbox.disconnect()
