"""Actions outlive their meeting: the next session of the council evaluates them; the
council page files them as open, overdue and done, with dated progress reports."""
from __future__ import annotations

import datetime as dt
import io
import subprocess

from council.db import get_db
from council.services import Actor, sessions
from tests.helpers import client_id, latest_state, ok, refused

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _first_meeting(meeting):
    console, li = meeting.console(), meeting.phone("李阿姨", "3-101")
    ok(console, "step.advance")
    p = ok(console, "proposal.create", {"title": "清理楼道堆物"})["proposal_id"]
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": p})["poll_id"]
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    ok(console, "step.advance")
    decision = ok(console, "state.get")["state"]["polls"][0]["decision"]["id"]
    late = ok(console, "action.create", {"decision_id": decision, "what": "清理一楼堆物", "owner": "张师傅",
                                         "owner_kind": "building_head", "deadline": "2026-11-01"})["action_id"]
    soon = ok(console, "action.create", {"decision_id": decision, "what": "安装楼道灯", "owner": "物业公司",
                                         "owner_kind": "property", "deadline": "2099-12-31"})["action_id"]
    done = ok(console, "action.create", {"decision_id": decision, "what": "张贴告示", "owner": "志愿者队伍",
                                         "owner_kind": "volunteers", "deadline": "2026-11-30"})["action_id"]
    assert refused(console, "action.create", {"decision_id": decision, "what": "x", "owner": "y",
                                              "owner_kind": "mayor", "deadline": "2026-12-01"})["code"] == "invalid_owner_kind"
    ok(console, "action.update", {"action_id": done, "status": "done"})
    for _ in range(2):
        ok(console, "step.advance")
    return late, soon, done


def _second_meeting(meeting):
    with meeting.app.app_context():
        s = sessions.create_session(get_db(), Actor.facilitator(meeting.facilitator_id), meeting.council_id,
                                    "第二次议事会", dt.datetime.now(dt.timezone.utc))
        return s.reply["session_id"], s.reply["join_code"]


def test_next_meeting_of_the_council_evaluates_open_actions(meeting, app):
    late, soon, done = _first_meeting(meeting)
    second_id, code = _second_meeting(meeting)
    from council.extensions import socketio
    console2 = socketio.test_client(app, flask_test_client=meeting.web, auth={"role": "console", "session_id": second_id})
    body = app.test_client().post(f"/api/join/{code}", json={"name": "赵大爷"}).json
    phone2 = socketio.test_client(app, auth={"role": "phone", "code": code, "token": body["device_token"]})
    for _ in range(4):
        ok(console2, "step.advance")
    listed = {a["id"]: a for a in latest_state(console2)["actions"]}
    assert set(listed) == {late, soon, done}, "unfinished and unjudged actions carry over"
    assert all(a["carried"] and a["origin"] == "院落环境议事会" for a in listed.values())
    ok(console2, "rating.open", {"action_id": done, "open": True})
    ok(phone2, "rating.give", {"action_id": done, "value": "satisfied"})
    shown = {a["id"]: a for a in latest_state(console2)["actions"]}[done]
    assert shown["ratings"]["satisfied"] == 1
    # the minutes of the second meeting show what was carried over and how it was judged
    pdf = meeting.web.get(f"/console/{second_id}/minutes.pdf").data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    assert "往期行动" in text and "张贴告示" in text and "院落环境议事会" in text
    console2.disconnect()
    phone2.disconnect()

    third_id, _ = _second_meeting(meeting)
    with app.app_context():
        from council.models import Session
        from council.services.actions import evaluated_in
        carried = {a.id for a, is_carried in evaluated_in(get_db(), get_db().get(Session, third_id)) if is_carried}
    assert carried == {late, soon}, "a finished action judged at a later meeting does not come back"


def test_rating_an_action_of_another_council_is_refused(meeting, app):
    _first_meeting(meeting)
    with app.app_context():
        other = sessions.create_council(get_db(), Actor.facilitator(meeting.facilitator_id), "别的院", "courtyard")
        s = sessions.create_session(get_db(), Actor.facilitator(meeting.facilitator_id), other.reply["council_id"], "别的会",
                                    dt.datetime.now(dt.timezone.utc))
        sid = s.reply["session_id"]
    from council.extensions import socketio
    console = socketio.test_client(app, flask_test_client=meeting.web, auth={"role": "console", "session_id": sid})
    for _ in range(4):
        ok(console, "step.advance")
    assert latest_state(console)["actions"] == []
    assert refused(console, "rating.open", {"action_id": 1, "open": True})["code"] == "not_found"
    console.disconnect()


def test_council_page_files_actions_and_takes_progress_with_a_photo(meeting, app):
    late, soon, done = _first_meeting(meeting)
    web = meeting.web
    page = web.get(f"/console/councils/{meeting.council_id}/actions").get_data(as_text=True)
    overdue = page.split('class="standing-overdue"')[1].split("</section>")[0]
    assert "清理一楼堆物" in overdue and "楼门长" in overdue
    assert "安装楼道灯" in page.split('class="standing-open"')[1].split("</section>")[0]
    assert "张贴告示" in page.split('class="standing-done"')[1].split("</section>")[0]
    r = web.post(f"/console/actions/{soon}/progress", data={"status": "underway", "note": "灯具已采购",
                                                             "photo": (io.BytesIO(PNG), "lamp.png")},
                 content_type="multipart/form-data")
    assert r.status_code == 302
    page = web.get(f"/console/councils/{meeting.council_id}/actions").get_data(as_text=True)
    assert "灯具已采购" in page
    import re
    name = re.search(r'/uploads/([0-9a-f]{32}\.png)', page).group(1)
    with app.test_client().get(f"/uploads/{name}") as photo:
        assert photo.status_code == 200 and photo.data == PNG
    r = web.post(f"/console/actions/{soon}/progress", data={"status": "underway", "note": "x",
                                                             "photo": (io.BytesIO(b"<svg onload=alert(1)>"), "a.png")},
                 content_type="multipart/form-data", follow_redirects=True)
    assert "请选择 JPEG 或 PNG 照片" in r.get_data(as_text=True)
    assert app.test_client().get("/uploads/..%2Fsecret_key").status_code == 404
