"""A resident's own record (我的参与): what they did and what became of it, never a secret
choice; downloadable; erased on request with every tally and document figure unchanged."""
from __future__ import annotations

import json

import pytest

from council.db import get_db
from council.documents import minutes_data
from council.services import state
from tests.helpers import client_id, latest_state, ok


@pytest.fixture
def lived(meeting):
    """李阿姨 raises a topic that becomes an adopted proposal with an action, votes in an open and
    a secret poll, and rates the action; 张师傅 votes too."""
    console, li, zhang = meeting.console(), meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅", "3-102")
    topic = ok(li, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    ok(zhang, "topic.support", {"topic_id": topic, "on": True})
    ok(console, "step.advance")
    lamp = ok(console, "proposal.create", {"title": "更换楼道灯", "topic_id": topic})["proposal_id"]
    bins = ok(console, "proposal.create", {"title": "增加分类垃圾桶"})["proposal_id"]
    ok(console, "step.advance")
    open_poll = ok(console, "poll.open", {"proposal_id": lamp})["poll_id"]
    for phone, choice in ((li, "yes"), (zhang, "yes")):
        ok(phone, "ballot.cast", {"poll_id": open_poll, "choice": choice, "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": open_poll})
    secret = ok(console, "poll.open", {"proposal_id": bins, "secret": True})["poll_id"]
    for phone, choice in ((li, "no"), (zhang, "yes")):
        ok(phone, "ballot.cast", {"poll_id": secret, "choice": choice, "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": secret})
    ok(console, "step.advance")
    decision = [p for p in latest_state(console)["polls"] if p["id"] == open_poll][0]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "换灯", "owner": "物业",
                                           "deadline": "2026-12-31"})["action_id"]
    ok(console, "step.advance")
    ok(console, "rating.open", {"action_id": action, "open": True})
    ok(li, "rating.give", {"action_id": action, "value": "satisfied"})
    return li


def _phone_web(meeting, token):
    web = meeting.app.test_client()
    web.set_cookie(f"council_token_{meeting.code}", token)
    return web


def test_the_record_says_what_became_of_each_thing_and_no_secret_choice(meeting, lived):
    web = _phone_web(meeting, lived.token)
    record = web.get(f"/join/{meeting.code}/me.json")
    assert record.status_code == 200 and "attachment" in record.headers["Content-Disposition"]
    data = json.loads(record.get_data(as_text=True))
    assert data["resident"]["name"] == "李阿姨" and data["resident"]["door"] == "3-101"
    assert [s["title"] for s in data["sessions"]] == ["院落环境议事会"]
    assert data["topics"] == [{"session": "院落环境议事会", "text": "楼道灯坏了", "became": [
        {"proposal": "更换楼道灯", "adopted": True, "actions": [{"what": "换灯", "status": "planned"}]}]}]
    assert [(p["proposal"], p["choice"]) for p in data["polls"]] == [("更换楼道灯", "yes"), ("增加分类垃圾桶", None)]
    assert data["ratings"] == [{"session": "院落环境议事会", "action": "换灯", "value": "satisfied"}]
    page = web.get(f"/join/{meeting.code}/me").get_data(as_text=True)
    for text in ("我的参与", "楼道灯坏了", "更换楼道灯", "不公开投票：只记录您参加过", "我们保存"):
        assert text in page, text
    assert "反对" not in page  # her secret choice, nowhere
    stranger = meeting.app.test_client()
    assert stranger.get(f"/join/{meeting.code}/me").status_code == 404
    assert stranger.get(f"/join/{meeting.code}/me.json").status_code == 404


def test_erasure_forgets_who_and_keeps_every_figure(app, meeting, lived):
    with app.app_context():
        before_state = state.snapshot(get_db(), meeting.session_id, "projector")
        before_minutes = minutes_data(get_db(), meeting.session_id)
    web = _phone_web(meeting, lived.token)
    ask = web.get(f"/join/{meeting.code}/me?erase=1").get_data(as_text=True)
    assert "删除后无法恢复" in ask
    with app.app_context():  # asking changed nothing
        assert minutes_data(get_db(), meeting.session_id) == before_minutes
    done = web.post(f"/join/{meeting.code}/me/erase")
    assert done.status_code == 302 and "erased=1" in done.headers["Location"]
    with app.app_context():
        after_state = state.snapshot(get_db(), meeting.session_id, "projector")
        after_minutes = minutes_data(get_db(), meeting.session_id)
    for key in ("polls", "actions", "proposals"):
        assert after_state[key] == before_state[key], key
    assert [t["supports"] for t in after_state["topics"]] == [t["supports"] for t in before_state["topics"]]
    assert json.dumps(after_minutes, ensure_ascii=False, default=str).count("李阿姨") == 0
    assert json.dumps(before_minutes, ensure_ascii=False, default=str).count("李阿姨") > 0
    # the figures of the minutes: the same numbers in the same places
    assert _named_back(after_minutes) == _named_back(before_minutes)
    # the phone no longer finds a record, and its old token is nobody
    assert web.get(f"/join/{meeting.code}/me").status_code == 404
    assert "已删除" in meeting.app.test_client().get(f"/join/{meeting.code}/me?erased=1").get_data(as_text=True)



def _named_back(minutes):
    """The minutes with the erased name put back and the took-part lists (sorted by name) as sets:
    what is left to differ is a figure."""
    data = json.loads(json.dumps(minutes, ensure_ascii=False, default=str).replace("已删除的居民", "李阿姨"))
    for poll in data["polls"]:
        poll["took_part"] = sorted(poll.get("took_part") or [])
    return data


def test_an_erased_residents_objection_stays_posted_but_is_no_longer_theirs(app, meeting, lived):
    from sqlalchemy import select
    from council.models import Objection, Participant, Resident
    from council.services.participation import erase
    with app.app_context():
        db = get_db()
        resident = db.get_one(Participant, lived.participant_id).resident_id
        db.add(Objection(session_id=meeting.session_id, text="灯的位置不对", door_number="3-101", resident_id=resident))
        db.commit()
        erase(db, db.get_one(Resident, resident))
        objection = db.scalar(select(Objection))
        assert objection.text == "灯的位置不对" and objection.resident_id is None
