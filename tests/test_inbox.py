"""The issue inbox between meetings: the rules without a database, then a resident's page and
the facilitator's triage with the clock moved by passing `today`/`now`."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from council.db import get_db
from council.domain import DomainError, inbox
from council.domain.inbox import IssueState
from council.models import Council, Issue, IssueSupport, Participant, Support, Topic
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
