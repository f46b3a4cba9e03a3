"""Objections during the posting period (公示期): taken on the public record page while the period
runs and refused after it, answered by the facilitator, blocking the posting's completion while one
is unanswered, and printed in the minutes as "收到异议 N 件，已答复 N 件" with the answers."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from council import localtime
from council.db import get_db
from council.domain import DomainError
from council.models import Objection, Session
from council.services import Actor, posting

# closed at 01:30 on 21 November in Beijing (17:30 UTC the day before): the period is that local day + 7
CLOSED = dt.datetime(2026, 11, 20, 17, 30, tzinfo=dt.timezone.utc)
FIRST, LAST = dt.date(2026, 11, 21), dt.date(2026, 11, 28)


@pytest.fixture()
def closed(meeting, app):
    with app.app_context():
        db = get_db()
        s = db.get_one(Session, meeting.session_id)
        s.closed_at = CLOSED
        db.commit()
    return meeting


def _on(monkeypatch, day: dt.date) -> None:
    monkeypatch.setattr(localtime, "today", lambda: day)


def _count(app) -> int:
    with app.app_context():
        return get_db().query(Objection).count()


def test_the_period_runs_in_local_days_from_the_close(closed, app):
    with app.app_context():
        p = posting.period_of(get_db().get_one(Session, closed.session_id))
    assert (p.first, p.last) == (FIRST, LAST)
    assert p.running(LAST) and not p.running(LAST + dt.timedelta(days=1)) and not p.running(FIRST - dt.timedelta(days=1))


def test_an_objection_on_the_record_page_during_the_period_and_refused_after_it(closed, app, monkeypatch):
    url = f"/record/session/{closed.session_id}"
    client = app.test_client()
    _on(monkeypatch, LAST)
    page = client.get(url).get_data(as_text=True)
    assert 'id="object-form"' in page
    r = client.post(url + "/objections", data={"text": "停车位分配不公平", "door": "3-101"})
    assert r.status_code == 302 and "sent=1" in r.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "停车位分配不公平" in page and "收到异议 1 件，已答复 0 件" in page
    # one day after the last day, in the council's time zone: refused, clearly, and no form
    _on(monkeypatch, LAST + dt.timedelta(days=1))
    r = client.post(url + "/objections", data={"text": "迟到的异议", "door": "3-102"})
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "公示期已于 2026-11-28 结束，不再受理异议。" in page and 'id="object-form"' not in page
    assert _count(app) == 1
    assert 'id="object-form"' not in client.get(url).get_data(as_text=True)


def test_no_objection_before_the_meeting_closed(meeting, app):
    r = app.test_client().post(f"/record/session/{meeting.session_id}/objections", data={"text": "异议", "door": "1"})
    assert r.status_code == 400 and "会议结束后纪要才公示" in r.get_data(as_text=True)
    assert _count(app) == 0


def test_completing_is_blocked_while_an_objection_is_unanswered(closed, app):
    me = Actor.facilitator(closed.facilitator_id)
    with app.app_context():
        db = get_db()
        posting.object_to(db, closed.session_id, "公告栏位置不合适", "5-201", today=LAST)
        oid = posting.enter(db, me, closed.session_id, "书面异议：费用分摊", "6-302", today=LAST).reply["objection_id"]
        after = LAST + dt.timedelta(days=1)
        with pytest.raises(DomainError) as err:
            posting.complete(db, me, closed.session_id, today=LAST)
        assert err.value.code == "posting_running"  # not before the period is over
        posting.answer(db, me, closed.session_id, oid, "按户均分摊，已在会上表决。")
        with pytest.raises(DomainError) as err:
            posting.complete(db, me, closed.session_id, today=after)
        assert (err.value.code, err.value.params) == ("objections_unanswered", {"count": 1})
        first = db.query(Objection).order_by(Objection.id).first()
        posting.answer(db, me, closed.session_id, first.id, "公告栏将移到一单元门口。")
        posting.complete(db, me, closed.session_id, today=after)
        assert db.get_one(Session, closed.session_id).posting_done_at is not None
        for late in (lambda: posting.answer(db, me, closed.session_id, oid, "改"),
                     lambda: posting.extend(db, me, closed.session_id, "2026-12-31")):
            with pytest.raises(DomainError) as err:
                late()
            assert err.value.code == "posting_complete"
        with pytest.raises(DomainError) as err:
            posting.object_to(db, closed.session_id, "还有异议", "1-1", today=LAST)  # within the dates, but complete
        assert err.value.code == "posting_over"


def test_extending_moves_the_last_day_forward_only(closed, app, monkeypatch):
    web = closed.web
    web.post(f"/console/{closed.session_id}/posting/extend", data={"until": "2026-11-27"})
    page = web.get(f"/console/{closed.session_id}/posting").get_data(as_text=True)
    assert "公示期只能延长到 2026-11-28 之后。" in page
    assert web.post(f"/console/{closed.session_id}/posting/extend", data={"until": "2026-12-05"}).status_code == 302
    with app.app_context():
        assert get_db().get_one(Session, closed.session_id).posting_until == dt.date(2026, 12, 5)
    _on(monkeypatch, dt.date(2026, 12, 5))  # past the rule's last day, within the extension
    r = app.test_client().post(f"/record/session/{closed.session_id}/objections", data={"text": "延期内的异议", "door": "2-2"})
    assert r.status_code == 302
    assert "2026年12月05日" in app.test_client().get(f"/record/session/{closed.session_id}").get_data(as_text=True)


def test_the_minutes_print_the_count_and_the_answers(closed, app, tmp_path):
    me = Actor.facilitator(closed.facilitator_id)
    with app.app_context():
        db = get_db()
        a = posting.object_to(db, closed.session_id, "绿化带改停车位要再议", "3-101", today=LAST).reply["objection_id"]
        posting.object_to(db, closed.session_id, "施工时间太早", "4-402", today=LAST)
        posting.answer(db, me, closed.session_id, a, "下次议事会再议，届时通知各户。")
    before = closed.web.get(f"/record/session/{closed.session_id}").get_data(as_text=True)
    r = closed.web.get(f"/console/{closed.session_id}/minutes.pdf")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(r.data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "收到异议2件，已答复1件" in flat
    assert "绿化带改停车位要再议" in flat and "下次议事会再议，届时通知各户。" in flat
    assert "施工时间太早" in flat and "尚未答复" in flat
    assert "收到异议 2 件，已答复 1 件" in before


# ---------------------------------------------------------------- the audit trail


def _trail(app, session_id):
    from council.models import AuditEvent
    with app.app_context():
        return [(e.kind, e.actor, e.detail) for e in get_db().query(AuditEvent)
                .filter(AuditEvent.session_id == session_id).order_by(AuditEvent.id)
                if e.kind.startswith(("objection.", "posting."))]


def test_the_audit_trail_keeps_every_objection_answer_extension_and_completion(meeting, app, monkeypatch):
    phone = meeting.join("李阿姨", "3-101")
    with app.app_context():
        db = get_db()
        db.get_one(Session, meeting.session_id).closed_at = CLOSED
        db.commit()
    sid, me = meeting.session_id, Actor.facilitator(meeting.facilitator_id)
    _on(monkeypatch, LAST)
    stranger = app.test_client()
    assert stranger.post(f"/record/session/{sid}/objections",
                         data={"text": "<b>停车</b>位不公平", "door": "5-502"}).status_code == 302
    with app.app_context():
        db = get_db()
        by_phone = posting.object_to(db, sid, "施工太早", "3-101", phone["device_token"], today=LAST)
        written = posting.enter(db, me, sid, "书面异议：费用", "6-302", today=LAST).reply["objection_id"]
    # refused objections leave no trace: nothing was taken
    _on(monkeypatch, LAST + dt.timedelta(days=1))
    assert stranger.post(f"/record/session/{sid}/objections", data={"text": "迟到", "door": "1"}).status_code == 400
    with app.app_context():
        first, second, third = [o.id for o in get_db().query(Objection).order_by(Objection.id)]
    assert (second, third) == (by_phone.reply["objection_id"], written)
    web = meeting.web
    for oid, answer in ((first, "车位将重新抽签"), (second, "改到八点以后"), (written, "按户均摊"),
                        (written, "按面积分摊")):
        assert web.post(f"/console/{sid}/posting/objections/{oid}/answer", data={"answer": answer}).status_code == 302
    assert web.post(f"/console/{sid}/posting/extend", data={"until": "2026-11-30"}).status_code == 302
    _on(monkeypatch, dt.date(2026, 12, 1))
    assert web.post(f"/console/{sid}/posting/complete").status_code == 302
    trail = _trail(app, sid)
    assert [(kind, actor) for kind, actor, _d in trail] == [
        ("objection.raise", "resident:5-502"), ("objection.raise", "participant:李阿姨"),
        ("objection.enter", "facilitator:王主任"), ("objection.answer", "facilitator:王主任"),
        ("objection.answer", "facilitator:王主任"), ("objection.answer", "facilitator:王主任"),
        ("objection.answer", "facilitator:王主任"), ("posting.extend", "facilitator:王主任"),
        ("posting.complete", "facilitator:王主任")]
    details = [d for _k, _a, d in trail]
    assert details[0] == {"objection": first, "door": "5-502", "text": "<b>停车</b>位不公平"}
    assert details[2] == {"objection": written, "door": "6-302", "text": "书面异议：费用"}
    assert details[5] == {"objection": written, "answer": "按户均摊"}
    assert details[6] == {"objection": written, "answer": "按面积分摊", "previous": "按户均摊"}
    assert details[7] == {"last": "2026-11-28", "until": "2026-11-30"}
    assert details[8] == {"last": "2026-11-30", "received": 3}

    page = web.get(f"/console/{sid}/audit").get_data(as_text=True)
    assert "<b>停车</b>" not in page and "&lt;b&gt;停车&lt;/b&gt;位不公平" in page, "a resident's text is text"
    for words in ("提出异议", "代录书面异议", "答复异议", "延长公示期", "公示完成", "原答复: 按户均摊",
                  "新截止日: 2026-11-30", "收到异议（件）: 3", "门牌号: 6-302", "5-502", "李阿姨"):
        assert words in page, words
    page = web.get(f"/console/{sid}/audit?lang=en").get_data(as_text=True)
    for words in ("Objection raised", "Written objection entered", "Objection answered", "Posting period extended",
                  "Posting marked complete", "previous answer: 按户均摊", "new last day: 2026-11-30"):
        assert words in page, words
    assert "objection.raise" not in page and "posting.complete" not in page


# ---------------------------------------------------------------- one objection, two objections


def test_the_counts_read_right_for_one_and_for_more_in_english_and_chinese(closed, app, monkeypatch):
    from council.messages import describe
    sid, me, web = closed.session_id, Actor.facilitator(closed.facilitator_id), closed.web
    with app.app_context():
        oid = posting.object_to(get_db(), sid, "绿化带", "3-101", today=LAST).reply["objection_id"]
        posting.answer(get_db(), me, sid, oid, "再议")

    def count(url):
        html = web.get(url).get_data(as_text=True)
        return html.split('id="objection-count">', 1)[1].split("<", 1)[0]
    assert count(f"/console/{sid}/posting?lang=en") == "1 objection received, 1 answered"
    assert count(f"/record/session/{sid}?lang=en") == "1 objection received, 1 answered"
    assert count(f"/console/{sid}/posting?lang=zh_CN") == "收到异议 1 件，已答复 1 件"
    with app.app_context():
        posting.object_to(get_db(), sid, "施工", "4-402", today=LAST)
    assert count(f"/console/{sid}/posting?lang=en") == "2 objections received, 1 answered"
    assert count(f"/record/session/{sid}?lang=en") == "2 objections received, 1 answered"
    assert count(f"/console/{sid}/posting?lang=zh_CN") == "收到异议 2 件，已答复 1 件"
    # completing with the one left unanswered: the refusal in the page's language
    _on(monkeypatch, LAST + dt.timedelta(days=1))
    web.get(f"/console/{sid}/posting?lang=en")
    web.post(f"/console/{sid}/posting/complete")
    assert "1 objection is not answered yet: answer it first." in web.get(f"/console/{sid}/posting").get_data(as_text=True)
    for lang, n, words in (("en", 1, "1 objection is not answered yet: answer it first."),
                           ("en", 2, "2 objections are not answered yet: answer every objection first."),
                           ("zh_CN", 1, "还有 1 件异议未答复，请先答复每一件异议。"),
                           ("zh_CN", 2, "还有 2 件异议未答复，请先答复每一件异议。")):
        with app.test_request_context(f"/?lang={lang}"):
            assert describe(DomainError("objections_unanswered", count=n)) == words


def test_the_minutes_print_one_objection_in_chinese_whatever_the_language(closed, app, tmp_path):
    me = Actor.facilitator(closed.facilitator_id)
    with app.app_context():
        oid = posting.object_to(get_db(), closed.session_id, "垃圾桶位置", "3-101", today=LAST).reply["objection_id"]
        posting.answer(get_db(), me, closed.session_id, oid, "已挪走")
    closed.web.get("/console?lang=en")
    path = tmp_path / "minutes.pdf"
    path.write_bytes(closed.web.get(f"/console/{closed.session_id}/minutes.pdf").data)
    flat = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "收到异议1件，已答复1件。" in flat and "objection" not in flat
