"""Who may do what: the role gate without a database, then every HTTP route and every event
against the facilitator of this council, a co-facilitator, the facilitator of another council,
a phone, a projector and an anonymous visitor."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import func, select

from council import policy
from council.db import get_db
from council.extensions import socketio
from council.live.events import EVENTS
from council.models import (Action, AuditEvent, Ballot, Convention, Council, CouncilGrant, Household, Participant,
                            Poll, Proposal, Session, Topic)
from council.services import Actor, accounts, grants, sessions
from tests.helpers import client_id, latest_state, ok, refused

# ---------------------------------------------------------------- the role gate, no database


@pytest.mark.parametrize("name", sorted(EVENTS))
@pytest.mark.parametrize("role", list(policy.Role))
def test_role_gate(name, role):
    allowed = EVENTS[name].roles
    if role in allowed:
        policy.gate(role, allowed)
    else:
        with pytest.raises(policy.DomainError) as err:
            policy.gate(role, allowed)
        assert err.value.code in ("not_facilitator", "not_participant")
    assert policy.Role.PROJECTOR not in allowed, "a projector only watches"


def test_a_console_bound_to_one_session_reaches_no_other():
    with pytest.raises(policy.DomainError) as err:
        policy.session(None, Actor.facilitator(1, session_id=2), 3)  # refused before any query
    assert err.value.code == "not_found"


# ---------------------------------------------------------------- a council with its people

PASSWORD = "password-123"


@pytest.fixture
def world(meeting, app):
    """Session A of the meeting's courtyard (with a topic, proposal, decision, action and a
    household), a co-facilitator granted the community above it, and another facilitator
    with a council and session of their own."""
    console, li = meeting.console(), meeting.phone("李阿姨", "3-101")
    topic = ok(li, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    ok(li, "topic.raise", {"text": "楼道没有灯"})
    ok(console, "step.advance")
    proposal = ok(console, "proposal.create", {"title": "更换楼道灯", "topic_id": topic})["proposal_id"]
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": proposal})["poll_id"]
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    ok(console, "step.advance")
    decision = latest_state(console)["polls"][0]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "换灯", "owner": "物业",
                                           "deadline": "2026-12-31"})["action_id"]
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/households", data={"door": "3-101", "owner": "1"})
    assert r.status_code == 302
    with app.app_context():
        db = get_db()
        community = db.get_one(Council, meeting.council_id).parent_id
        co = accounts.add_facilitator(db, "李书记", PASSWORD)
        grants.grant(db, Actor.facilitator(meeting.facilitator_id), community, "李书记")
        other = accounts.add_facilitator(db, "赵主任", PASSWORD)
        theirs = sessions.create_council(db, Actor.facilitator(other.id), "别的社区", "community")
        their_session = sessions.create_session(db, Actor.facilitator(other.id), theirs.reply["council_id"], "别的会",
                                                dt.datetime.now(dt.timezone.utc))
        household = db.scalar(select(Household.id).where(Household.council_id == meeting.council_id))
        ids = {"session": meeting.session_id, "council": meeting.council_id, "community": community,
               "action": action, "household": household, "code": meeting.code, "co": co.id, "other": other.id,
               "their_council": theirs.reply["council_id"], "their_session": their_session.reply["session_id"],
               "resident": db.scalar(select(Participant.resident_id).where(Participant.id == li.participant_id))}
    console.disconnect()
    li.disconnect()
    return ids


def _fingerprint(app) -> dict[str, object]:
    """Counts and texts that any refused change would move."""
    with app.app_context():
        db = get_db()
        counts = {m.__name__: db.scalar(select(func.count()).select_from(m))
                  for m in (Session, Council, Topic, Proposal, Poll, Ballot, Action, Household, Participant,
                            CouncilGrant, AuditEvent)}
        counts["convention"] = [c.title for c in db.scalars(select(Convention))]
        counts["topics"] = [(t.text, t.hidden) for t in db.scalars(select(Topic).order_by(Topic.id))]
        counts["actions"] = [(a.status, a.what) for a in db.scalars(select(Action))]
        return counts


# What each route is, with a request that uses the council and session of the world.
# kind: "public" (anyone), "login" (any facilitator, not about one council), "reach" (needs
# the council or session: anonymous → login, another facilitator → 404).
ROUTES = {
    "phone.home": ("public", "GET", "/", None),
    "api.health": ("public", "GET", "/api/health", None),
    "socketio_transport": ("public", "GET", "/socket.io/?EIO=4&transport=polling", None),  # Socket.IO answers
    "phone.join": ("public", "POST", "/api/join/{code}", {"json": {"name": "路人"}}),
    "api.session_info": ("public", "GET", "/api/join/{code}", None),
    "phone.session": ("public", "GET", "/join/{code}", None),
    # a phone's own record, by the device token in its cookie: without one, 404 (tests/test_participation.py)
    "participation.mine": ("public", "GET", "/join/{code}/me", None),
    "participation.download": ("public", "GET", "/join/{code}/me.json", None),
    "participation.erase": ("public", "POST", "/join/{code}/me/erase", None),
    "participation.certificate": ("public", "GET", "/join/{code}/me/certificate.pdf", None),
    # remote votes (tests/test_voting_windows.py): the page, a join, a vote only from a phone of the session
    "remote.page": ("public", "GET", "/join/{code}/remote", None),
    "remote.join": ("public", "POST", "/join/{code}/remote/join", {"data": {"name": "路人"}}),
    "remote.vote": ("public", "POST", "/join/{code}/remote/1", {"data": {"choice": "yes"}}),
    # a council's issue inbox (public: residents, by the device token in their cookie)
    "inbox.public": ("public", "GET", "/council/{council}/issues", None),
    "inbox.raise_": ("public", "POST", "/council/{council}/issues", {"data": {"text": "路灯坏了", "door": "3-101"}}),
    "inbox.support": ("public", "POST", "/council/{council}/issues/1/support", None),
    "auth.login": ("public", "GET", "/login", None),
    "auth.logout": ("public", "POST", "/logout", None),
    # Once an account exists the set-up link is dead for everyone: it leads to the console.
    "setup.create_account": ("public", "POST", "/setup/" + "0" * 43,
                             {"data": {"name": "路人", "password": "12345678", "password_again": "12345678"}}),
    "static": ("public", "GET", "/static/js/common.js", None),
    "actions.photo": ("public", "GET", "/uploads/" + "0" * 32 + ".png", None),
    "documents.session_record": ("public", "GET", "/record/session/{session}", None),
    "documents.convention_record": ("public", "GET", "/record/convention/{council}", None),
    # refused before the meeting closed (the world's session runs): 400, the page with the message
    "posting.object_to": ("public", "POST", "/record/session/{session}/objections",
                          {"data": {"text": "有异议", "door": "3-101"}}),
    "posting.show": ("reach", "GET", "/console/{session}/posting", None),
    "posting.enter": ("reach", "POST", "/console/{session}/posting/objections", {"data": {"text": "书面异议", "door": "1-1"}}),
    "posting.answer": ("reach", "POST", "/console/{session}/posting/objections/1/answer", {"data": {"answer": "已答复"}}),
    "posting.extend": ("reach", "POST", "/console/{session}/posting/extend", {"data": {"until": "2099-01-01"}}),
    "posting.complete": ("reach", "POST", "/console/{session}/posting/complete", None),
    "console.dashboard": ("login", "GET", "/console", None),
    "console.create_council": ("login", "POST", "/console/councils",
                               {"data": {"name": "新楼院", "level": "courtyard", "parent_id": "{community}"}}),
    "console.create_session": ("login", "POST", "/console/sessions",
                               {"data": {"council_id": "{council}", "title": "新会", "starts_at": "2026-12-01T19:00"}}),
    "api.session_state": ("reach", "GET", "/api/sessions/{session}/state", None),
    "console.session": ("reach", "GET", "/console/{session}", None),
    # refused for the world's session (it has a decision): a message on the dashboard
    "console.delete_session": ("reach", "POST", "/console/{session}/delete", None),
    "console.projector": ("reach", "GET", "/projector/{session}", None),
    "console.audit_page": ("reach", "GET", "/console/{session}/audit", None),
    "console.audit_csv": ("reach", "GET", "/console/{session}/audit.csv", None),
    "documents.minutes": ("reach", "GET", "/console/{session}/minutes.pdf", None),
    "documents.notice": ("reach", "GET", "/console/{session}/notice.pdf", None),
    "documents.meeting_notice": ("reach", "GET", "/console/{session}/meeting-notice.pdf", None),
    "documents.convention_pdf": ("reach", "GET", "/console/councils/{council}/convention.pdf", None),
    "actions.council_actions": ("reach", "GET", "/console/councils/{council}/actions", None),
    "inbox.console_inbox": ("reach", "GET", "/console/councils/{council}/inbox", None),
    "inbox.triage": ("reach", "POST", "/console/councils/{council}/inbox/1", {"data": {"do": "tag", "tag": "路灯"}}),
    "inbox.enter": ("reach", "POST", "/console/councils/{council}/inbox/new",
                    {"data": {"text": "楼道灯不亮", "door": "3-101", "channel": "written"}}),
    "overview.show": ("reach", "GET", "/console/councils/{council}/overview", None),
    "overview.as_csv": ("reach", "GET", "/console/councils/{council}/overview.csv", None),
    "overview.as_pdf": ("reach", "GET", "/console/councils/{council}/overview.pdf", None),
    "overview.events": ("reach", "GET", "/console/councils/{council}/overview/people", None),
    "actions.report": ("reach", "POST", "/console/actions/{action}/progress",
                       {"data": {"status": "underway", "note": "进行中"}, "content_type": "multipart/form-data"}),
    "convention.show": ("reach", "GET", "/console/councils/{council}/convention", None),
    "convention.edit": ("reach", "POST", "/console/councils/{council}/convention",
                        {"data": {"title": "改名的公约", "preamble": ""}}),
    "grants.show": ("reach", "GET", "/console/councils/{council}/facilitators", None),
    "grants.add": ("reach", "POST", "/console/councils/{council}/facilitators", {"data": {"name": "赵主任"}}),
    "points.show": ("reach", "GET", "/console/councils/{community}/points", None),
    "points.save": ("reach", "POST", "/console/councils/{community}/points", {"data": {"attend": "3"}}),
    "points.certificate": ("reach", "GET", "/console/councils/{council}/residents/{resident}/certificate.pdf", None),
    "residents.known": ("reach", "GET", "/console/councils/{council}/residents", None),
    "residents.merge": ("reach", "POST", "/console/councils/{council}/residents/merge",
                        {"data": {"source": "1", "target": "1"}}),
    "residents.building_head": ("reach", "POST", "/console/councils/{council}/residents/{resident}/building-head",
                                {"data": {"building": "3号楼"}}),
    "grants.revoke": ("reach", "POST", "/console/councils/{council}/facilitators/revoke", {"data": {"name": "李书记"}}),
    "households.roll": ("reach", "GET", "/console/councils/{council}/households", None),
    "households.save": ("reach", "POST", "/console/councils/{council}/households", {"data": {"door": "9-9"}}),
    "households.delete": ("reach", "POST", "/console/councils/{council}/households/{household}/delete", None),
    "households.import_csv": ("reach", "POST", "/console/councils/{council}/households/import",
                              {"data": {"file": "门牌号\n8-8\n"}, "content_type": "multipart/form-data"}),
}


def test_every_route_is_in_the_policy_table(app):
    assert {r.endpoint for r in app.url_map.iter_rules()} == set(ROUTES)


def _request(client, endpoint: str, ids: dict[str, object]):
    _kind, method, url, extra = ROUTES[endpoint]
    kwargs = {}
    for key, value in (extra or {}).items():
        if key == "data":
            value = {k: (io.BytesIO(v.encode()), "roll.csv") if k == "file" else
                     (v.format(**ids) if isinstance(v, str) else v) for k, v in value.items()}
        kwargs[key] = value
    response = getattr(client, method.lower())(url.format(**ids), **kwargs)
    response.close()  # a file sent (static, PDF) is closed at once
    return response


def _login(meeting, name: str | None):
    return meeting.app.test_client() if name is None else meeting.login(name, PASSWORD if name != "王主任" else
                                                                        "secret-pass")


@pytest.mark.parametrize("who", ["anonymous", "other"])
def test_strangers_reach_nothing_and_change_nothing(meeting, app, world, who):
    client = _login(meeting, None if who == "anonymous" else "赵主任")
    for endpoint, (kind, method, url, _extra) in ROUTES.items():
        if kind == "public":
            continue
        before = _fingerprint(app)
        r = _request(client, endpoint, world)
        if who == "anonymous":
            assert r.status_code in (302, 403), endpoint
            assert r.status_code == 403 or "/login" in r.headers["Location"], endpoint
        elif kind == "reach":
            assert r.status_code == 404, (endpoint, r.status_code)
        if endpoint in ("console.create_council", "console.create_session") and who == "other":
            assert r.status_code == 302  # refused with a message on the dashboard
        assert _fingerprint(app) == before, endpoint


@pytest.mark.parametrize("who", ["王主任", "李书记"])
def test_creator_and_co_facilitator_reach_everything(meeting, app, world, who):
    client = _login(meeting, who)
    for endpoint, (kind, _method, _url, _extra) in ROUTES.items():
        r = _request(client, endpoint, world)
        if endpoint == "actions.photo" or endpoint.startswith("participation."):
            assert r.status_code == 404  # no such photo, no phone's record: for anyone
        elif endpoint == "remote.vote":
            assert r.status_code == 409  # the phone `remote.join` made: the world's poll has closed
        elif endpoint == "posting.object_to":
            assert r.status_code == 400  # the meeting has not closed: nothing is posted yet
        elif endpoint == "auth.logout":
            client = _login(meeting, who)
        else:
            assert r.status_code in (200, 201, 302), (endpoint, r.status_code)
            if r.status_code == 302:
                assert "/login" not in r.headers["Location"], endpoint
    with app.app_context():
        db = get_db()
        assert db.scalar(select(func.count()).select_from(Session).where(Session.title == "新会")) == 1
        assert db.scalar(select(Convention.title)) == "改名的公约"


def test_dashboard_lists_only_reachable_councils_as_a_tree(meeting, world):
    page = _login(meeting, "赵主任").get("/console").get_data(as_text=True)
    assert "别的社区" in page and "天坛东路64号院" not in page and "前门街道" not in page
    page = _login(meeting, "李书记").get("/console").get_data(as_text=True)
    assert "草厂社区" in page and "天坛东路64号院" in page and "前门街道" not in page and "别的社区" not in page
    tree = page.split('class="plain tree"')[1]
    assert tree.index("草厂社区") < tree.index("天坛东路64号院"), "each council is followed by those below it"


# ---------------------------------------------------------------- events, by who sends them


def test_consoles_connect_only_to_sessions_they_reach(meeting, app, world):
    for name, session, allowed in (("赵主任", world["session"], False), ("李书记", world["session"], True),
                                   ("王主任", world["their_session"], False), ("赵主任", world["their_session"], True)):
        web = _login(meeting, name)
        for role in ("console", "projector"):
            c = socketio.test_client(app, flask_test_client=web, auth={"role": role, "session_id": session})
            assert c.is_connected() is allowed, (name, role)
            if allowed:
                c.disconnect()


def test_co_facilitator_runs_the_session(meeting, app, world):
    web = _login(meeting, "李书记")
    console = socketio.test_client(app, flask_test_client=web, auth={"role": "console", "session_id": world["session"]})
    ok(console, "timer.set", {"seconds": 60})
    console.disconnect()


# Actions belong to the council, not to one meeting: a later session of the council reports on
# and rates them (the loop spans meetings), so `action.update` and `rating.open` are not here.
IDS_OF_SESSION_A = {"topic.edit", "topic.hide", "topic.merge", "proposal.edit", "proposal.withdraw", "action.withdraw",
                    "proposal.article", "poll.open",
                    "poll.close", "poll.count", "poll.attendance", "ballot.enter", "action.create", "topic.raise",
                    "topic.unmerge", "topic.approve", "topic.reject"}


def test_console_of_another_session_cannot_touch_this_one(meeting, app, world):
    """The same facilitator runs sessions A and B: the console of B sends A's ids."""
    from tests.test_security import SAMPLE
    with app.app_context():
        b = sessions.create_session(get_db(), Actor.facilitator(meeting.facilitator_id), meeting.council_id,
                                    "第二场", dt.datetime.now(dt.timezone.utc))
        b_id = b.reply["session_id"]
    console_b = socketio.test_client(app, flask_test_client=meeting.web, auth={"role": "console", "session_id": b_id})
    for event in sorted(n for n, e in EVENTS.items() if "console" in e.roles):
        payload = dict(SAMPLE.get(event, {}))
        if event == "topic.raise":
            payload = {"text": "冒名", "participant_id": 1}  # a participant of session A
        before = _fingerprint(app)
        reply = console_b.emit(event, payload, callback=True)
        if event in IDS_OF_SESSION_A:
            assert reply["ok"] is False and reply["error"]["code"] == "not_found", (event, reply)
        if not reply["ok"]:
            assert _fingerprint(app) == before, event
    console_b.disconnect()


def test_phone_and_projector_are_held_to_their_roles(meeting, world):
    events = sorted(EVENTS)
    for start in range(0, len(events), 20):  # fresh connections within a connection's burst of 30 events
        phone, projector = meeting.phone(f"路人{start}"), meeting.projector()
        for event in events[start:start + 20]:
            for client, role in ((phone, "phone"), (projector, "projector")):
                if role not in EVENTS[event].roles:
                    assert refused(client, event, {})["code"] in ("not_facilitator", "not_participant"), (event, role)


def test_council_grant_command(meeting, app):
    with app.app_context():
        accounts.add_facilitator(get_db(), "钱干事", PASSWORD)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["grant", str(meeting.council_id), "钱干事"])
    assert result.exit_code == 0, result.output
    assert "/console/councils" in _login(meeting, "钱干事").get("/console").get_data(as_text=True)
    page = _login(meeting, "钱干事").get(f"/console/councils/{meeting.council_id}/facilitators")
    assert page.status_code == 200 and "钱干事" in page.get_data(as_text=True)
    again = runner.invoke(args=["grant", str(meeting.council_id), "钱干事"])
    assert again.exit_code != 0 and "已经" in again.output
    assert runner.invoke(args=["grant", "999", "钱干事"]).exit_code != 0


def test_out_of_reach_answers_not_found_in_the_readers_words(meeting, world):
    client = _login(meeting, "赵主任")
    r = client.get(f"/api/sessions/{world['session']}/state")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    r = client.get(f"/console/{world['session']}")
    assert r.status_code == 404 and "找不到" in r.get_data(as_text=True)
    assert client.get("/console/999999").get_data(as_text=True) == r.get_data(as_text=True), \
        "a council out of reach reads exactly like one that does not exist"


def test_no_page_commits_on_a_get(meeting, app, world):
    """Reading changes nothing: a GET never commits (only services commit, for a mutation)."""
    from sqlalchemy import event
    commits: list[str] = []
    engine = app.extensions["council.engine"]
    endpoint = {"now": ""}
    listener = lambda _conn: commits.append(endpoint["now"])  # noqa: E731
    event.listen(engine, "commit", listener)
    try:
        client = _login(meeting, "王主任")
        for name, (_kind, method, _url, _extra) in ROUTES.items():
            if method == "GET":
                endpoint["now"] = name
                assert _request(client, name, world).status_code in (200, 404), name
    finally:
        event.remove(engine, "commit", listener)
    assert commits == []
