"""Reload equals live: through whole sessions, after every operation (over Socket.IO or HTTP),
each page's state built from the patches it received equals a fresh snapshot for its audience.

A figure computed in two places, or a change that reaches the database but not the screens,
makes a page differ from its reload: this is the test that catches both.
"""
from __future__ import annotations

import io
import json

import pytest

from tests.helpers import Meeting, client_id, latest_state, ok


@pytest.fixture
def checked(app):
    def start(format: str = "plain") -> Meeting:
        m = Meeting(app, format=format, check_live=True)
        meetings.append(m)
        return m
    meetings: list[Meeting] = []
    yield start
    for m in meetings:
        m.disconnect_all()


def test_plain_session_reload_equals_live(checked):
    plain_session(checked())


def plain_session(m: Meeting) -> None:
    """A whole plain session touching every core part, over Socket.IO and the console's pages."""
    console, projector = m.console(), m.projector()
    li = m.phone("李阿姨", "2-101")
    zhang = m.phone("张大爷", "２-１０１")  # the same door, typed with full-width digits
    wu = m.phone("吴姐", "3-1")
    assert latest_state(projector)["participants"]["households"] == 2, "door numbers fold as on the roll"

    lights = ok(li, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    ok(zhang, "topic.support", {"topic_id": lights, "on": True})
    dup = ok(wu, "topic.raise", {"text": "楼道没有灯"})["topic_id"]
    spam = ok(wu, "topic.raise", {"text": "广告"})["topic_id"]
    ok(console, "topic.hide", {"topic_id": spam, "hidden": True})
    ok(console, "topic.merge", {"source_id": dup, "target_id": lights})
    ok(console, "topic.edit", {"topic_id": lights, "text": "楼道灯坏了，晚上看不见"})
    ok(console, "step.advance")

    lamp = ok(console, "proposal.create", {"title": "更换楼道灯", "topic_id": lights})["proposal_id"]
    dogs = ok(console, "proposal.create", {"title": "文明养犬", "text": "遛狗牵绳，及时清理。"})["proposal_id"]
    ok(console, "proposal.article", {"proposal_id": dogs, "kind": "add"})  # the convention part moves too
    ok(console, "step.advance")

    # More than half of those present: 20 in the room, 3 yes. Live and at close: 11 needed.
    poll = ok(console, "poll.open", {"proposal_id": lamp, "rule": "majority_present"})["poll_id"]
    ok(console, "poll.attendance", {"poll_id": poll, "present": 20})
    for phone in (li, wu):
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    no_phone = ok(console, "participant.add", {"name": "王奶奶", "door": "5-1"})["participant_id"]
    ok(console, "ballot.enter", {"poll_id": poll, "choice": "yes", "participant_id": no_phone})
    live = {p["id"]: p for p in latest_state(projector)["polls"]}[poll]
    assert live["needed"] == 11 and live["standing"]["passed"] is False
    failed = [c for c in live["standing"]["conditions"] if not c["met"]]
    assert [(c["key"], c["actual"], c["needed"]) for c in failed] == [("yes_of_present", "3", "11")]
    m.join("李阿姨（2号楼）", "2-101", token=li.token)  # renamed: the console's named ballots follow
    assert any(b["voter"] == "李阿姨（2号楼）" for b in latest_state(console)["ballots"][str(poll)]["ballots"])
    ok(console, "poll.close", {"poll_id": poll})
    closed = {p["id"]: p for p in latest_state(projector)["polls"]}[poll]
    assert closed["needed"] == closed["certificate"]["needed"] == 11

    # The household roll edited on its page: phones of that door now vote for it.
    r = m.post(f"/console/councils/{m.council_id}/households", data={"door": "2-101", "area": "60", "owner": "1"})
    assert r.status_code == 302
    assert latest_state(zhang)["me"]["household"] == "2-101"

    # A secret poll: when it closes, each phone's own choice turns into "took part", live.
    secret = ok(console, "poll.open", {"proposal_id": dogs, "secret": True})["poll_id"]
    ok(zhang, "ballot.cast", {"poll_id": secret, "choice": "yes", "client_id": client_id()})
    ok(wu, "ballot.cast", {"poll_id": secret, "choice": "no", "client_id": client_id()})
    ok(li, "ballot.cast", {"poll_id": secret, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": secret})
    assert latest_state(wu)["me"]["took_part"] == [secret]
    assert str(secret) not in latest_state(wu)["me"]["ballots"]

    r = m.post(f"/console/councils/{m.council_id}/convention", data={"title": "2号院公约", "preamble": "共同遵守。"})
    assert r.status_code == 302 and latest_state(li)["convention"]["title"] == "2号院公约"
    ok(console, "step.advance")

    decision = {p["id"]: p for p in latest_state(console)["polls"]}[secret]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "张贴养犬须知", "owner": "张大爷",
                                           "deadline": "2026-12-31"})["action_id"]
    r = m.post(f"/console/actions/{action}/progress", data={"status": "underway", "note": "已打印"},
               content_type="multipart/form-data")
    assert r.status_code == 302 and latest_state(projector)["actions"][0]["note"] == "已打印"
    ok(console, "step.advance")
    ok(console, "rating.open", {"action_id": action, "open": True})
    ok(li, "rating.give", {"action_id": action, "value": "satisfied"})
    ok(console, "timer.set", {"seconds": 120})
    ok(console, "step.advance")


def test_open_space_reload_equals_live(checked):
    from tests.test_open_space import test_whole_open_space_session
    test_whole_open_space_session(checked("openspace"))


def test_world_cafe_reload_equals_live(checked):
    from tests.test_world_cafe import test_whole_world_cafe_session
    test_whole_world_cafe_session(checked("cafe"))


def test_household_import_reaches_live_screens(checked):
    m = checked()
    console = m.console()
    li = m.phone("李阿姨", "3-101")
    r = m.post(f"/console/councils/{m.council_id}/households/import",
               data={"file": (io.BytesIO("门牌号,面积,是否业主\n3-101,80,是\n".encode()), "roll.csv")},
               content_type="multipart/form-data")
    assert r.status_code == 302 and latest_state(li)["me"]["household"] == "3-101"
    household = m.web.get(f"/console/councils/{m.council_id}/households").get_data(as_text=True)
    assert "3-101" in household
    assert latest_state(console)["participants"]["households"] == 1


def test_no_console_only_field_reaches_a_projector_or_phone(checked):
    """Hidden and merged topics, names and doors of the participants, who voted how, the café's
    names: the console's alone, in every message a projector or phone received."""
    m = checked()
    plain_session(m)
    console = m.clients[0]
    assert [t["text"] for t in latest_state(console)["topics"] if t["hidden"]] == ["广告"]
    public = [c for c in m.clients if c.audience != "console"]
    assert {c.audience for c in public} == {"projector", "phone"}
    for client in public:
        latest_state(client, wait=0)
        patches = [p for message in client.log for p in _patches(message)]
        assert patches, client.audience
        for patch in patches:
            assert patch["part"] != "ballots", client.audience
            if patch["part"] == "participants":
                assert set(patch["data"]) == {"count", "households"}, client.audience
            if patch["part"] == "topics":
                assert all(not t["hidden"] and t["merged_into"] is None for t in patch["data"]), client.audience
        assert "广告" not in json.dumps(latest_state(client, wait=0), ensure_ascii=False)


def _patches(message: dict) -> list[dict]:
    if message["name"] == "state":
        return [{"part": k, "data": v} for k, v in message["args"][0].items()]
    if message["name"] == "patch":
        return [message["args"][0]]
    if message["name"] == "patches":
        return list(message["args"][0])
    return []


def test_a_convener_renamed_on_rejoin_is_renamed_on_the_wall(checked):
    m = checked("openspace")
    console = m.console()
    li = m.phone("李阿姨", "3-101")
    m.projector()
    topic = ok(li, "topic.raise", {"text": "电动车充电难"})["topic_id"]
    ok(console, "dots.open", {"open": True})
    ok(li, "dot.place", {"target_id": topic, "count": 1})
    ok(console, "dots.open", {"open": False})
    ok(console, "agenda.setup", {"spaces": ["东侧桌"], "slots": ["14:00"]})
    ok(console, "agenda.place")
    m.join("李秀兰", "3-101", token=li.token)
    assert latest_state(console)["agenda"]["groups"][0]["convener"] == "李秀兰"
