"""Documents tell one truth: a closed meeting's minutes never change, every document prints the
same Chinese text whatever the reader's page language, and every date is the council's local one."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from council.db import get_db
from council.extensions import socketio
from council.models import ActionUpdate, AuditEvent, ConventionVersion, Decision
from council.services import Actor, sessions
from tests.helpers import client_id, latest_state, ok

FP = re.compile(r"文件指纹\s*([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})")
# 2026-11-27 17:30 UTC is 2026-11-28 01:30 in Beijing: a date printed in UTC shows the day before.
LATE_EVENING_UTC = dt.datetime(2026, 11, 27, 17, 30, tzinfo=dt.timezone.utc)


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return out.decode()


def _fp(text: str) -> str:
    return FP.search(text).group(1)


def _session(meeting, title: str, starts_at: dt.datetime) -> tuple[int, str, object]:
    """Another session of the meeting's council, with its console connected."""
    with meeting.app.app_context():
        s = sessions.create_session(get_db(), Actor.facilitator(meeting.facilitator_id), meeting.council_id, title,
                                    starts_at, place="活动室")
        sid, code = s.reply["session_id"], s.reply["join_code"]
    console = socketio.test_client(meeting.app, flask_test_client=meeting.web,
                                   auth={"role": "console", "session_id": sid})
    meeting.clients.append(console)
    return sid, code, console


def _phone(meeting, code: str, name: str):
    body = meeting.app.test_client().post(f"/api/join/{code}", json={"name": name}).json
    phone = socketio.test_client(meeting.app, auth={"role": "phone", "code": code, "token": body["device_token"]})
    meeting.clients.append(phone)
    return phone


def _adopt(console, phones, title, text, kind, target=None, choice="yes", rule=None):
    p = ok(console, "proposal.create", {"title": title, "text": text})["proposal_id"]
    if kind:
        ok(console, "proposal.article", {"proposal_id": p, "kind": kind, **({"target": target} if target else {})})
    poll = ok(console, "poll.open", {"proposal_id": p, **({"rule": rule} if rule else {})})["poll_id"]
    for phone in phones:
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": choice, "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    return poll


def _closed_meeting_adopting_an_article(meeting) -> int:
    """The first meeting: a topic, an adopted article, an action, a rating; then closed."""
    console = meeting.console()
    phones = [meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅", "3-102")]
    ok(phones[0], "topic.raise", {"text": "遛狗不拴绳"})
    ok(console, "step.advance")
    ok(console, "step.advance")
    _adopt(console, phones, "文明养犬", "出户遛犬须束犬链。", "add")
    ok(console, "step.advance")
    decision = latest_state(console)["polls"][0]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "张贴养犬公约", "owner": "楼门长张师傅",
                                           "owner_kind": "building_head", "deadline": "2026-12-01"})["action_id"]
    ok(console, "step.advance")
    ok(console, "rating.open", {"action_id": action, "open": True})
    ok(phones[0], "rating.give", {"action_id": action, "value": "satisfied"})
    ok(console, "step.advance")
    assert latest_state(console)["session"]["step"] == "closed"
    return action


def test_closed_minutes_keep_their_fingerprint_when_a_later_meeting_amends_the_convention(meeting):
    action = _closed_meeting_adopting_an_article(meeting)
    first = _text(meeting.web.get(f"/console/{meeting.session_id}/minutes.pdf").data)
    flat = first.replace(" ", "")
    assert "新增条款" in flat and "第一条出户遛犬须束犬链。" in flat.replace("\u3000", ""), first
    record = meeting.app.test_client().get(f"/record/session/{meeting.session_id}").get_data(as_text=True)
    assert _fp(first) in record

    # later: the next meeting amends the article, the action is reported done, the convention renamed
    sid, code, console2 = _session(meeting, "第二次议事会", dt.datetime.now(dt.timezone.utc))
    phone = _phone(meeting, code, "赵大爷")
    ok(console2, "step.advance")
    ok(console2, "step.advance")
    _adopt(console2, [phone], "文明养犬（修订）", "出户遛犬须束犬链，及时清理粪便。", "amend", 1)
    assert latest_state(console2)["convention"]["version"] == 2
    r = meeting.web.post(f"/console/actions/{action}/progress", data={"status": "done", "note": "已张贴"})
    assert r.status_code == 302
    meeting.web.post(f"/console/councils/{meeting.council_id}/convention",
                     data={"title": "天坛东路64号院文明公约", "preamble": "新的序言。"})

    again = _text(meeting.web.get(f"/console/{meeting.session_id}/minutes.pdf").data)
    assert again == first, "a closed meeting's minutes print the same text forever"
    assert _fp(again) == _fp(first)
    assert "及时清理粪便" not in again and "已张贴" not in again
    record = meeting.app.test_client().get(f"/record/session/{meeting.session_id}").get_data(as_text=True)
    assert _fp(first) in record
    # the later meeting's own minutes print its amendment
    later = _text(meeting.web.get(f"/console/{sid}/minutes.pdf").data).replace(" ", "")
    assert "第一条修改" in later and "及时清理粪便" in later


def _meeting_with_words(meeting) -> None:
    """A meeting whose documents print translated words: rules, failed conditions, channels, owner kinds."""
    meeting.web.post(f"/console/councils/{meeting.council_id}/households", data={"door": "3-101", "owner": "1"})
    console = meeting.console()
    phones = [meeting.phone("李阿姨", "3-101"), meeting.phone("张师傅")]
    ok(console, "step.advance")
    ok(console, "step.advance")
    _adopt(console, phones, "文明养犬", "出户遛犬须束犬链。", "add")
    p = ok(console, "proposal.create", {"title": "加装电梯"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": p, "rule": "two_thirds_cast"})["poll_id"]
    ok(phones[0], "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.count", {"poll_id": poll, "channel": "hands", "yes": 1, "no": 2, "abstain": 0})
    ok(console, "poll.close", {"poll_id": poll})
    ok(console, "step.advance")
    decision = [q for q in latest_state(console)["polls"] if q["decision"]["adopted"]][0]["decision"]["id"]
    ok(console, "action.create", {"decision_id": decision, "what": "张贴公约", "owner": "志愿者队伍",
                                  "owner_kind": "volunteers", "deadline": "2026-12-01"})


@pytest.mark.parametrize("document", ["minutes", "notice", "convention"])
def test_documents_print_chinese_whatever_the_page_language(meeting, document):
    _meeting_with_words(meeting)
    url = (f"/console/councils/{meeting.council_id}/convention.pdf" if document == "convention"
           else f"/console/{meeting.session_id}/{document}.pdf")
    chinese = _text(meeting.web.get(url).data)
    english = _text(meeting.web.get(url + "?lang=en").data)
    assert meeting.web.get_cookie("lang").value == "en"
    remembered = _text(meeting.web.get(url).data)  # the lang=en cookie alone
    assert english == chinese and remembered == chinese
    assert _fp(english) == _fp(chinese) == _fp(remembered)
    record = (f"/record/convention/{meeting.council_id}" if document == "convention"
              else f"/record/session/{meeting.session_id}")
    assert _fp(chinese) in meeting.app.test_client().get(record + "?lang=en").get_data(as_text=True)
    if document != "convention":
        assert "赞成票达到投票总数的三分之二" in chinese.replace(" ", "")
        assert not re.search(r"votes cast|Volunteer|Show of hands|Phones", chinese), chinese
    if document == "minutes":
        assert "举手" in chinese and "未通过的原因" in chinese
    if document == "notice":
        assert "志愿者" in chinese


def test_every_date_is_the_councils_local_date(meeting, monkeypatch):
    """A meeting held at 01:30 Beijing time prints its own day, never the UTC day before."""
    monkeypatch.setattr("council.services.polls.utcnow", lambda: LATE_EVENING_UTC)
    meeting.web.post(f"/console/councils/{meeting.council_id}/households", data={"door": "3-101", "owner": "1"})
    sid, code, console = _session(meeting, "深夜议事会", LATE_EVENING_UTC)
    phone = _phone(meeting, code, "李阿姨")
    ok(console, "step.advance")
    ok(console, "step.advance")
    _adopt(console, [phone], "文明养犬", "出户遛犬须束犬链。", "add")
    ok(console, "step.advance")
    decision = latest_state(console)["polls"][0]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "张贴养犬公约", "owner": "张师傅",
                                           "deadline": "2026-12-01"})["action_id"]
    meeting.web.post(f"/console/actions/{action}/progress", data={"status": "underway", "note": "已打印"})
    with meeting.app.app_context():
        db = get_db()
        for version in db.query(ConventionVersion):
            version.adopted_at = LATE_EVENING_UTC
        for update in db.query(ActionUpdate):
            update.at = LATE_EVENING_UTC + dt.timedelta(minutes=5)
        for event in db.query(AuditEvent):
            event.at = LATE_EVENING_UTC + dt.timedelta(seconds=3)
        assert db.query(Decision).one().decided_at == LATE_EVENING_UTC
        db.commit()

    minutes = _text(meeting.web.get(f"/console/{sid}/minutes.pdf").data).replace(" ", "")
    assert "2026年11月28日01:30" in minutes and "公示期：2026年11月28日至2026年12月05日" in minutes
    notice = _text(meeting.web.get(f"/console/{sid}/notice.pdf").data).replace(" ", "")
    assert "2026年11月28日" in notice and "11月27日" not in notice
    convention = _text(meeting.web.get(f"/console/councils/{meeting.council_id}/convention.pdf").data)
    convention = convention.replace(" ", "")
    assert "第1版·2026年11月28日表决通过" in convention, convention
    assert "深夜议事会，2026年11月28日表决" in convention and "11月27日" not in convention
    record = meeting.app.test_client().get(f"/record/convention/{meeting.council_id}").get_data(as_text=True)
    assert "2026年11月28日" in record and "11月27日" not in record and "2026-11-27" not in record
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/convention").get_data(as_text=True)
    assert "2026-11-28" in page and "2026-11-27" not in page
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/actions").get_data(as_text=True)
    assert "2026-11-28 01:35" in page and "深夜议事会 2026-11-28" in page and "2026-11-27" not in page
    page = meeting.web.get(f"/console/{sid}/audit").get_data(as_text=True)
    assert "2026-11-28 01:30:03" in page and "2026-11-27" not in page


def test_the_convention_page_creates_nothing_when_read(meeting):
    """Reading a council's convention page begins no convention: a GET commits nothing."""
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/convention").get_data(as_text=True)
    assert "天坛东路64号院院落公约" in page
    with meeting.app.app_context():
        from council.models import Convention
        assert get_db().query(Convention).count() == 0


def test_document_data_is_plain_and_the_fingerprint_covers_it(meeting, app):
    """Builders return plain JSON data (no database objects, no live snapshot); the printed
    fingerprint is the hash of exactly that data."""
    _meeting_with_words(meeting)
    from council import documents
    with app.test_request_context("/?lang=en"):
        db = get_db()
        sid, cid = meeting.session_id, meeting.council_id
        for data, html in ((documents.minutes_data(db, sid), documents.minutes_html(db, sid)),
                           (documents.notice_data(db, sid), documents.notice_html(db, sid)),
                           (documents.convention_data(db, cid), documents.convention_html(db, cid))):
            assert json.loads(json.dumps(data)) == data
            assert documents.fingerprint(data) in html
        minutes = documents.minutes_data(db, meeting.session_id)
    assert "s" not in minutes and "convention" not in minutes, "not the live snapshot"
