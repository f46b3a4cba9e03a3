"""The issue inbox between meetings: the rules without a database, then a resident's page and
the facilitator's triage with the clock moved by passing `today`/`now`."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from council.db import get_db
from council.domain import DomainError, inbox
from council.domain.inbox import IssueState
from council.models import Council, Issue, IssueSupport, Participant, Resident, Support, Topic
from council.services import Actor
from council.services import inbox as service

DAY = dt.date(2026, 12, 1)
S = IssueState


# ---------------------------------------------------------------- rules, no database

def test_an_escalation_is_overdue_from_the_day_after_its_deadline():
    assert not inbox.overdue(S.ESCALATED, DAY, DAY)
    assert inbox.overdue(S.ESCALATED, DAY, DAY + dt.timedelta(days=1))
    assert not inbox.overdue(S.ANSWERED, DAY, DAY + dt.timedelta(days=9)), "a reply came back: not overdue"
    assert not inbox.overdue(S.OPEN, None, DAY)


def test_an_escalation_needs_a_deadline_not_past_and_somewhere_to_go():
    def go(**kw):
        args = {"to_parent": True, "has_parent": True, "unit": "", "due": DAY, "today": DAY} | kw
        return inbox.check_escalate(S.OPEN, **args)
    assert go() is S.ESCALATED
    for kw, code in (({"due": None}, "deadline_required"), ({"today": DAY + dt.timedelta(days=1)}, "deadline_past"),
                     ({"has_parent": False}, "no_parent_council"), ({"to_parent": False}, "text_empty")):
        with pytest.raises(DomainError) as err:
            go(**kw)
        assert err.value.code == code
    assert go(to_parent=False, unit="物业公司") is S.ESCALATED
    with pytest.raises(DomainError) as err:
        inbox.check_escalate(S.ANSWERED, to_parent=True, has_parent=True, unit="", due=DAY, today=DAY)
    assert err.value.code == "issue_not_open"


def test_moves_from_each_state():
    assert inbox.check_answer(S.OPEN) is S.ANSWERED
    assert inbox.check_answer(S.ESCALATED) is S.ANSWERED, "the reply of an escalation"
    for state in (S.ANSWERED, S.CARRIED, S.MERGED):
        with pytest.raises(DomainError):
            inbox.check_answer(state)
    with pytest.raises(DomainError) as err:
        inbox.check_carry(S.OPEN, session_found=False)
    assert err.value.code == "no_open_session"
    assert inbox.check_carry(S.OPEN, True) is S.CARRIED
    with pytest.raises(DomainError) as err:
        inbox.check_merge(1, 1, S.OPEN, S.OPEN, True)
    assert err.value.code == "merge_into_self"
    with pytest.raises(DomainError):
        inbox.check_merge(1, 2, S.OPEN, S.OPEN, same_council=False)
    assert inbox.check_merge(1, 2, S.OPEN, S.ESCALATED, True) is S.MERGED
    assert inbox.median_days([]) is None and inbox.median_days([1, 3, 10]) == 3


# ---------------------------------------------------------------- the pages and services

TOKEN_A, TOKEN_B = "a" * 32, "b" * 32


def _raise(meeting, text="楼道灯坏了", token=TOKEN_A, door="3-101"):
    web = meeting.app.test_client()
    web.set_cookie("council_device", token)
    r = web.post(f"/council/{meeting.council_id}/issues", data={"text": text, "door": door})
    assert r.status_code == 302, r.get_data(as_text=True)
    return web


def _issue(app, text):
    with app.app_context():
        return get_db().scalar(select(Issue.id).where(Issue.text == text))


def test_raised_on_the_page_it_is_in_the_inbox_and_supported_once(meeting, app):
    web = _raise(meeting)
    page = web.get(f"/council/{meeting.council_id}/issues").get_data(as_text=True)
    assert "楼道灯坏了" in page
    issue = _issue(app, "楼道灯坏了")
    other = meeting.app.test_client()
    other.get(f"/council/{meeting.council_id}/issues")  # a new browser gets a token
    assert other.get_cookie("council_device") is not None
    for _ in range(2):
        assert other.post(f"/council/{meeting.council_id}/issues/{issue}/support").status_code == 302
    inbox_page = meeting.web.get(f"/console/councils/{meeting.council_id}/inbox").get_data(as_text=True)
    assert "楼道灯坏了" in inbox_page and "3-101" in inbox_page
    with app.app_context():
        assert get_db().scalar(select(func.count()).select_from(IssueSupport)
                               .where(IssueSupport.issue_id == issue)) == 2, "the raiser and one more, once each"


def test_an_empty_issue_is_refused_on_the_page(meeting):
    web = meeting.app.test_client()
    r = web.post(f"/council/{meeting.council_id}/issues", data={"text": "  "})
    assert r.status_code == 400 and "role=\"alert\"" in r.get_data(as_text=True)


def test_escalated_it_is_overdue_one_day_after_the_deadline_up_the_tree(meeting, app):
    _raise(meeting)
    issue = _issue(app, "楼道灯坏了")
    me = Actor.facilitator(meeting.facilitator_id)
    with app.app_context():
        db = get_db()
        with pytest.raises(DomainError) as err:
            service.escalate_issue(db, me, issue, True, "", "", today=DAY)
        assert err.value.code == "deadline_required"
        db.rollback()
        service.escalate_issue(db, me, issue, True, "", "2026-12-10", today=DAY)
        community = db.get_one(Council, meeting.council_id).parent_id
        street = db.get_one(Council, community).parent_id
        for today, late in ((dt.date(2026, 12, 10), 0), (dt.date(2026, 12, 11), 1)):
            assert service.inbox_page(db, me, meeting.council_id, today)["overdue_below"] == late
            assert service.overdue_counts(db, {meeting.council_id, community, street}, today) == (
                {meeting.council_id: 1, community: 1, street: 1} if late else {})
        seen = service.inbox_page(db, me, community, dt.date(2026, 12, 11))
        assert [i["overdue"] for i in seen["issues"]] == [True], "the parent council's inbox has it, flagged"
        service.answer_issue(db, me, issue, "物业已换灯", now=dt.datetime(2026, 12, 12, 2, tzinfo=dt.timezone.utc))
        assert service.inbox_page(db, me, community, dt.date(2026, 12, 13))["overdue_below"] == 0
        assert service.figures(db, {meeting.council_id}) == {"raised": 1, "answered": 1, "escalated": 1,
                                                              "median_days": pytest.approx(
                                                                  (dt.date(2026, 12, 12) - _today_raised(db, issue)).days)}


def _today_raised(db, issue_id):
    from council.localtime import day
    return day(db.get_one(Issue, issue_id).created_at)


def test_the_answer_shows_to_everyone_on_the_page(meeting, app):
    web = _raise(meeting)
    issue = _issue(app, "楼道灯坏了")
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "answer",
                                                                                        "answer": "明天换灯"})
    assert r.status_code == 302
    assert "明天换灯" in web.get(f"/council/{meeting.council_id}/issues").get_data(as_text=True)
    assert "明天换灯" in meeting.app.test_client().get(f"/council/{meeting.council_id}/issues").get_data(as_text=True)


def test_carried_it_is_a_topic_of_the_next_session_keeping_its_supporters_in_the_room(meeting, app):
    """The raiser's phone (the same device token) is in the session: she is the topic's author and
    her backing its support. The neighbour who backed it from home is not made present: no
    participant, no turnout, no attendance point for someone who did not come."""
    web = _raise(meeting)
    issue = _issue(app, "楼道灯坏了")
    other = meeting.app.test_client()
    other.set_cookie("council_device", TOKEN_B)
    other.post(f"/council/{meeting.council_id}/issues/{issue}/support")
    raiser = web.get_cookie("council_device").value
    joined = meeting.join("李阿姨", "3-101", token=raiser)
    with app.app_context():
        before = get_db().scalar(select(func.count()).select_from(Participant))
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"})
    assert r.status_code == 302
    with app.app_context():
        db = get_db()
        topic = db.scalar(select(Topic).where(Topic.text == "楼道灯坏了"))
        assert topic is not None and topic.session_id == meeting.session_id
        assert topic.author_id == joined["participant_id"]  # one resident: her inbox issue, her phone
        supports = db.scalars(select(Support.participant_id).where(Support.topic_id == topic.id)).all()
        assert supports == [joined["participant_id"]]
        assert db.scalar(select(func.count()).select_from(Participant)) == before  # nobody made present
        assert db.get_one(Issue, issue).state is S.CARRIED


def test_carrying_without_a_session_in_its_raise_step_is_refused_with_a_message(meeting, app):
    _raise(meeting)
    issue = _issue(app, "楼道灯坏了")
    console = meeting.console()
    console.emit("step.advance", {})
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"},
                         follow_redirects=True)
    assert "没有处于" in r.get_data(as_text=True) or "no session in its raise step" in r.get_data(as_text=True)
    with app.app_context():
        assert get_db().get_one(Issue, issue).state is S.OPEN


def test_a_duplicate_merged_brings_its_supporters(meeting, app):
    _raise(meeting)
    _raise(meeting, "楼道的灯不亮", token=TOKEN_B, door="3-102")
    a, b = _issue(app, "楼道灯坏了"), _issue(app, "楼道的灯不亮")
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/inbox?merge={b}").get_data(as_text=True)
    assert 'name="target"' in page
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{b}", data={"do": "merge", "target": str(a)})
    with app.app_context():
        db = get_db()
        assert db.get_one(Issue, b).state is S.MERGED
        assert db.scalar(select(func.count()).select_from(IssueSupport).where(IssueSupport.issue_id == a)) == 2
    assert "楼道的灯不亮" not in meeting.app.test_client().get(
        f"/council/{meeting.council_id}/issues").get_data(as_text=True)


# ---------------------------------------------------------------- a worker's entry

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _counts(app):
    from council.models import Resident
    with app.app_context():
        db = get_db()
        return tuple(db.scalar(select(func.count()).select_from(m)) for m in (Issue, IssueSupport, Resident))


@pytest.mark.parametrize("form, message", [
    ({"text": "灯坏了", "door": "3-101"}, "请选择诉求来源"),
    ({"text": "灯坏了", "door": "3-101", "channel": "email"}, "请选择诉求来源"),
    ({"text": "  ", "door": "3-101", "channel": "spoken"}, "请填写内容"),
    ({"text": "灯坏了", "door": "", "channel": "spoken"}, "请填写门牌号"),
    ({"text": "灯" * 201, "door": "3-101", "channel": "spoken"}, "200"),
    ({"text": "灯坏了", "door": "3-101", "channel": "spoken", "name": "名" * 41}, "40"),
])
def test_a_bad_entry_is_refused_with_its_message_and_changes_nothing(meeting, app, form, message):
    before = _counts(app)
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/new", data=form)
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'role="alert"' in page and message in page, page[:2000]
    assert form["text"][:20] in page, "what was typed is still in the form"
    assert _counts(app) == before


def test_a_bad_photo_on_an_entry_changes_nothing(meeting, app):
    import io
    before = _counts(app)
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/new", data={
        "text": "灯坏了", "door": "3-101", "name": "张大爷", "channel": "written",
        "photo": (io.BytesIO(b"not an image"), "x.png")}, content_type="multipart/form-data")
    assert r.status_code == 400 and "请选择 JPEG 或 PNG 照片" in r.get_data(as_text=True)
    assert _counts(app) == before


def test_a_worker_enters_spoken_and_written_issues_which_show_like_any(meeting, app):
    import io
    from council.domain.inbox import IssueChannel
    from council.models import Resident
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/new", data={
        "text": "5号楼前的路灯不亮", "door": "5-202", "name": "张大爷", "channel": "spoken",
        "photo": (io.BytesIO(PNG), "lamp.png")}, content_type="multipart/form-data")
    assert r.status_code == 302
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/new", data={
        "text": "流动议事厅：车棚漏雨", "door": "6-101", "channel": "roaming"})
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/new", data={
        "text": "来信：楼道堆物", "door": "5-202", "name": "张大爷", "channel": "written"})
    with app.app_context():
        db = get_db()
        spoken, roaming, written = (db.scalar(select(Issue).where(Issue.text == t))
                                    for t in ("5号楼前的路灯不亮", "流动议事厅：车棚漏雨", "来信：楼道堆物"))
        assert (spoken.channel, roaming.channel, written.channel) == (
            IssueChannel.SPOKEN, IssueChannel.ROAMING, IssueChannel.WRITTEN)
        assert spoken.entered_by_id == meeting.facilitator_id and spoken.photo
        raiser = db.get_one(Resident, spoken.resident_id)
        assert (raiser.display_name, raiser.door_number, raiser.device_token) == ("张大爷", "5-202", None)
        assert written.resident_id == raiser.id, "the same name and door entered again: the same resident"
        assert db.scalars(select(IssueSupport.resident_id).where(IssueSupport.issue_id == spoken.id)).all() == [raiser.id]
        assert roaming.resident_id is None and db.scalar(select(func.count()).select_from(IssueSupport).where(
            IssueSupport.issue_id == roaming.id)) == 0, "nobody named: nobody backs it"
    inbox_page = meeting.web.get(f"/console/councils/{meeting.council_id}/inbox").get_data(as_text=True)
    assert "诉求已录入" in inbox_page
    assert "工作人员录入：口头" in inbox_page and "工作人员录入：流动议事厅" in inbox_page and "张大爷" in inbox_page
    public = meeting.app.test_client().get(f"/council/{meeting.council_id}/issues").get_data(as_text=True)
    assert "5号楼前的路灯不亮" in public and "民情接待室口头反映" in public and "流动议事厅上反映" in public
    neighbour = meeting.app.test_client()
    neighbour.set_cookie("council_device", TOKEN_B)
    assert neighbour.post(f"/council/{meeting.council_id}/issues/{roaming.id}/support").status_code == 302


def test_a_worker_enters_only_in_a_council_they_reach(meeting, app):
    from council.services import accounts, sessions
    with app.app_context():
        other = accounts.add_facilitator(get_db(), "另一位", "password-2")
        sessions.create_council(get_db(), Actor.facilitator(other.id), "别的院", "courtyard")
    before = _counts(app)
    r = meeting.login("另一位", "password-2").post(f"/console/councils/{meeting.council_id}/inbox/new", data={
        "text": "灯坏了", "door": "3-101", "channel": "spoken"})
    assert r.status_code == 404 and _counts(app) == before


# ---------------------------------------------------------------- a building head raises for a household

TOKEN_HEAD = "h" * 32


def _building_head(meeting, app, building="3号楼"):
    joined = meeting.join("张楼长", "3-301", token=TOKEN_HEAD)
    with app.app_context():
        rid = get_db().get_one(Participant, joined["participant_id"]).resident_id
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/residents/{rid}/building-head",
                         data={"building": building})
    assert r.status_code == 302
    return rid


def test_the_facilitator_marks_and_unmarks_a_building_head_on_the_residents_page(meeting, app):
    from council.models import Resident
    rid = _building_head(meeting, app)
    with app.app_context():
        assert get_db().get_one(Resident, rid).building_head == "3号楼"
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/residents").get_data(as_text=True)
    assert "3号楼楼门长" in page and "取消楼门长" in page
    r = meeting.web.post(f"/console/councils/{meeting.council_id}/residents/{rid}/building-head",
                         data={"building": " "}, follow_redirects=True)
    assert "请填写楼栋" in r.get_data(as_text=True)
    meeting.web.post(f"/console/councils/{meeting.council_id}/residents/{rid}/building-head", data={"on": "0"})
    with app.app_context():
        assert get_db().get_one(Resident, rid).building_head is None
    assert "设为楼门长" in meeting.web.get(f"/console/councils/{meeting.council_id}/residents").get_data(as_text=True)


def test_a_building_head_raises_for_a_household_and_nobody_else_can(meeting, app):
    from council.domain.inbox import IssueChannel
    rid = _building_head(meeting, app)
    head = meeting.app.test_client()
    head.set_cookie("council_device", TOKEN_HEAD)
    assert "为住户代提" in head.get(f"/council/{meeting.council_id}/issues").get_data(as_text=True)
    url = f"/council/{meeting.council_id}/issues"
    r = head.post(url, data={"for": "household", "text": "王奶奶家的暖气不热", "door": ""})
    assert r.status_code == 400 and "请填写门牌号" in r.get_data(as_text=True)
    r = head.post(url, data={"for": "household", "text": "王奶奶家的暖气不热", "door": "3-502"})
    assert r.status_code == 302
    with app.app_context():
        issue = get_db().scalar(select(Issue).where(Issue.text == "王奶奶家的暖气不热"))
        assert (issue.door_number, issue.channel, issue.resident_id) == ("3-502", IssueChannel.BUILDING_HEAD, rid)
        from council.models import Resident
        assert get_db().get_one(Resident, rid).door_number == "3-301", "the household's door is not hers"
    for page in (head.get(url), meeting.app.test_client().get(url),
                 meeting.web.get(f"/console/councils/{meeting.council_id}/inbox")):
        text = page.get_data(as_text=True)
        assert "由楼门长张楼长代提" in text and "3-502" in text

    before = _counts(app)
    for token in (TOKEN_B, None):  # a resident who is not a building head, and a new browser
        someone = meeting.app.test_client()
        if token:
            someone.set_cookie("council_device", token)
        assert "为住户代提" not in someone.get(url).get_data(as_text=True)
        r = someone.post(url, data={"for": "household", "text": "替别人提", "door": "3-502"})
        assert r.status_code == 400 and "只有楼门长可以为住户代提" in r.get_data(as_text=True)
    assert _counts(app)[:2] == before[:2], "no issue, no support"
    meeting.web.post(f"/console/councils/{meeting.council_id}/residents/{rid}/building-head", data={"on": "0"})
    r = head.post(url, data={"for": "household", "text": "又一件", "door": "3-502"})
    assert r.status_code == 400, "unmarked: no longer"


# ---------------------------------------------------------------- backers who come to the session later

def test_a_backer_of_a_carried_issue_who_joins_later_supports_its_topic_once(meeting, app):
    from tests.helpers import assert_reload_equals_live, latest_state, ok
    _raise(meeting)  # TOKEN_A raises it from home
    issue = _issue(app, "楼道灯坏了")
    other = meeting.app.test_client()
    other.set_cookie("council_device", TOKEN_B)
    other.post(f"/council/{meeting.council_id}/issues/{issue}/support")
    console = meeting.console()
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"})
    with app.app_context():
        topic = get_db().scalar(select(Topic.id).where(Topic.text == "楼道灯坏了"))

    def supporters():
        with app.app_context():
            return sorted(get_db().scalars(select(Support.participant_id).where(Support.topic_id == topic)).all())
    assert supporters() == [], "nobody made present at the carry"
    b = meeting.join("邻居", "3-102", token=TOKEN_B)
    assert supporters() == [b["participant_id"]]
    assert_reload_equals_live(meeting)  # the console shows the new support like a reload
    assert next(t for t in latest_state(console)["topics"] if t["id"] == topic)["supports"] == 1
    meeting.join("邻居老李", "3-102", token=TOKEN_B)  # the same phone again, renamed
    assert supporters() == [b["participant_id"]], "counted once"
    stranger = meeting.join("路人", "9-999")
    assert stranger["participant_id"] not in supporters()
    a = meeting.join("李阿姨", "3-101", token=TOKEN_A)
    assert supporters() == sorted([a["participant_id"], b["participant_id"]])

    phone = meeting._connect(auth={"role": "phone", "code": meeting.code, "token": TOKEN_B})
    ok(phone, "topic.support", {"topic_id": topic, "on": False})
    meeting.join("邻居老李", "3-102", token=TOKEN_B)
    assert supporters() == [a["participant_id"]], "a support withdrawn in the room is not given back at a rejoin"


def test_a_backer_joining_after_the_raise_step_adds_nothing(meeting, app):
    _raise(meeting)
    issue = _issue(app, "楼道灯坏了")
    other = meeting.app.test_client()
    other.set_cookie("council_device", TOKEN_B)
    other.post(f"/council/{meeting.council_id}/issues/{issue}/support")
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"})
    console = meeting.console()
    for _ in range(2):  # raise → discuss → decide: topics take no support any more
        assert console.emit("step.advance", {}, callback=True)["ok"]
    meeting.join("邻居", "3-102", token=TOKEN_B)
    with app.app_context():
        assert get_db().scalar(select(func.count()).select_from(Support)) == 0


def test_migration_0016_keeps_every_issue_as_raised_on_the_page(tmp_path):
    """A populated database of 0015: its issues came in on the page, its residents head no
    building; the new channel is checked by the database."""
    import sqlite3
    from council.migrate import upgrade
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0015")
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("""
        INSERT INTO facilitators(id, name, password_hash, created_at, session_epoch) VALUES (1, 'a', 'x', '2026-01-01', '0');
        INSERT INTO councils(id, name, level, parent_id, created_by_id, created_at) VALUES
          (1, '社区', 'community', NULL, 1, '2026-01-01'), (2, '一号院', 'courtyard', 1, 1, '2026-01-01');
        INSERT INTO residents(id, community_id, display_name, door_number, device_token, created_at)
          VALUES (1, 1, '李阿姨', '3-101', 'tttttttttttttttttttttttttttttt', '2026-01-01');
        INSERT INTO issues(id, council_id, resident_id, text, door_number, tag, state, answer, unit, created_at)
          VALUES (1, 2, 1, '楼道灯坏了', '3-101', '', 'open', '', '', '2026-01-02'),
                 (2, 2, NULL, '车棚漏雨', '', '照明', 'answered', '已修', '', '2026-01-03');
        INSERT INTO issue_supports(issue_id, resident_id, created_at) VALUES (1, 1, '2026-01-02');
    """)
    db.commit()
    db.close()
    upgrade(url)
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT id, text, state, channel, entered_by_id FROM issues ORDER BY id").fetchall() == [
        (1, "楼道灯坏了", "open", "page", None), (2, "车棚漏雨", "answered", "page", None)]
    assert db.execute("SELECT count(*) FROM issue_supports").fetchone() == (1,)
    assert db.execute("SELECT building_head FROM residents").fetchall() == [(None,)]
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("UPDATE issues SET channel = 'email' WHERE id = 1")
    db.close()


def test_a_resident_of_the_inbox_who_joins_from_the_remote_page_is_the_same_resident(meeting):
    """The remote page (the notice's QR code) joins with the browser's device token of the
    community: the resident who raised an issue is the one who joins, her name and door known."""
    web = _raise(meeting, text="车棚顶漏雨", door="3-101")
    with meeting.app.app_context():
        raiser = get_db().scalar(select(Issue.resident_id).where(Issue.text == "车棚顶漏雨"))
    with meeting.app.app_context():
        get_db().execute(update(Resident).where(Resident.id == raiser).values(display_name="陈师傅"))
        get_db().commit()
    form = web.get(f"/join/{meeting.code}/remote").get_data(as_text=True)
    assert 'value="陈师傅"' in form and 'value="3-101"' in form
    assert web.post(f"/join/{meeting.code}/remote/join", data={"name": "陈师傅", "door": "3-101"}).status_code == 302
    with meeting.app.app_context():
        joined = get_db().scalars(select(Participant.resident_id).where(
            Participant.session_id == meeting.session_id)).all()
    assert raiser in joined


def test_a_refused_triage_lands_at_its_message_not_at_the_card(meeting):
    """The message is at the top of the page: a refusal that jumped to the card's anchor left it
    out of sight, and the facilitator saw nothing happen."""
    _raise(meeting, text="小区门口积水")
    issue = _issue(meeting.app, "小区门口积水")
    url = f"/console/councils/{meeting.council_id}/inbox/{issue}"
    r = meeting.web.post(url, data={"do": "escalate", "to": "unit", "unit": "物业公司", "due": ""})
    assert r.status_code == 302 and r.headers["Location"].endswith("#messages")
    page = meeting.web.get(f"/console/councils/{meeting.council_id}/inbox").get_data(as_text=True)
    assert '<div id="messages"><p class="error" role="alert">' in page
    r = meeting.web.post(url, data={"do": "tag", "tag": "排水"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"#issue-{issue}")
