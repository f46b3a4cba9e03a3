"""An escalated issue's reply (吹哨报到) comes back to the courtyard: it is an action of the issue's
council, owed by the unit or the parent council by the reply deadline, done when the reply is
entered in the inbox, rated by the residents at the council's next evaluate step and printed with
its rating in that meeting's minutes; the residents who raised and backed it find it in their
record (我的参与).

The clock is moved by patching the council's day (`localtime.today`) and the inbox's `utcnow`:
raised, escalated and answered on days before the real now, the next meeting held now."""
from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from council import localtime
from council.db import get_db
from council.domain import DomainError
from council.domain.actions import ActionStatus, OwnerKind
from council.domain.points import Deed
from council.models import Action, ActionUpdate, Council, Issue, Resident, Session
from council.services import Actor, actions, sessions
from council.services import inbox as service
from council.services.points import Period, counts
from tests.helpers import latest_state, ok, refused

TOKEN_RAISER, TOKEN_BACKER = "r" * 32, "s" * 32
TEXT, REPLY = "三号楼电梯停了一周", "物业已请厂家更换主板，电梯12月恢复运行"
# raised and escalated ten days before the real now, due three days later
START = localtime.today() - dt.timedelta(days=10)
DUE = START + dt.timedelta(days=3)


def _clock(monkeypatch, day: dt.date) -> None:
    """The council's day is `day`; the inbox stamps 10:00 of it (Beijing), 02:00 UTC."""
    monkeypatch.setattr(localtime, "today", lambda: day)
    monkeypatch.setattr(service, "utcnow", lambda: dt.datetime.combine(day, dt.time(2), dt.timezone.utc))


def _raise_and_back(meeting):
    raiser = meeting.app.test_client()
    raiser.set_cookie("council_device", TOKEN_RAISER)
    r = raiser.post(f"/council/{meeting.council_id}/issues", data={"text": TEXT, "door": "3-101", "name": "李阿姨"})
    assert r.status_code == 302
    with meeting.app.app_context():
        issue = get_db().scalar(select(Issue.id).where(Issue.text == TEXT))
    backer = meeting.app.test_client()
    backer.set_cookie("council_device", TOKEN_BACKER)
    assert backer.post(f"/council/{meeting.council_id}/issues/{issue}/support").status_code == 302
    return issue, raiser


def _triage(meeting, issue, **form):
    r = meeting.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data=form, follow_redirects=True)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def _next_session(meeting, title="第二次议事会"):
    with meeting.app.app_context():
        s = sessions.create_session(get_db(), Actor.facilitator(meeting.facilitator_id), meeting.council_id,
                                    title, dt.datetime.now(dt.timezone.utc))
        return s.reply["session_id"], s.reply["join_code"]


def _connect(meeting, session_id, code, token, name):
    from council.extensions import socketio
    console = socketio.test_client(meeting.app, flask_test_client=meeting.web,
                                   auth={"role": "console", "session_id": session_id})
    joined = meeting.app.test_client().post(f"/api/join/{code}", json={"name": name, "door": "3-201",
                                                                        "token": token}).json
    phone = socketio.test_client(meeting.app, auth={"role": "phone", "code": code, "token": joined["device_token"]})
    meeting.clients += [console, phone]
    return console, phone


def _escalation(state):
    found = [a for a in state["actions"] if a["issue"]]
    assert len(found) == 1, state["actions"]
    return found[0]


def test_escalated_overdue_answered_and_rated_at_the_next_evaluate_step(meeting, app, monkeypatch):
    _clock(monkeypatch, START)
    issue, raiser = _raise_and_back(meeting)
    page = _triage(meeting, issue, do="escalate", to="unit", unit="天坛物业公司", due=DUE.isoformat())
    assert "天坛物业公司" in page
    with app.app_context():
        action = get_db().scalar(select(Action).where(Action.issue_id == issue))
        assert (action.council_id, action.what, action.owner, action.owner_kind, action.deadline, action.status) == (
            meeting.council_id, TEXT, "天坛物业公司", OwnerKind.UNIT, DUE, ActionStatus.PLANNED)
        assert action.session_id is None and action.decision_id is None

    # the next meeting of the courtyard reaches its evaluate step while the reply is awaited
    second, code = _next_session(meeting)
    console, phone = _connect(meeting, second, code, TOKEN_BACKER, "孙大姐")
    for _ in range(4):
        ok(console, "step.advance")
    pending = _escalation(latest_state(console))
    assert (pending["carried"], pending["status"], pending["note"], pending["owner"], pending["deadline"]) == (
        True, "planned", "", "天坛物业公司", DUE.isoformat())

    inbox_url = f"/console/councils/{meeting.council_id}/inbox"
    _clock(monkeypatch, DUE)
    assert "overdue-count" not in meeting.web.get(inbox_url).get_data(as_text=True)
    _clock(monkeypatch, DUE + dt.timedelta(days=1))
    assert "overdue-count" in meeting.web.get(inbox_url).get_data(as_text=True), "overdue the day after"

    # the reply comes back three days later: the live evaluate step shows it, done, for rating
    answered = DUE + dt.timedelta(days=3)
    _clock(monkeypatch, answered)
    _triage(meeting, issue, do="answer", answer=REPLY)
    shown = _escalation(latest_state(console))
    assert (shown["status"], shown["note"]) == ("done", REPLY)
    assert _escalation(latest_state(phone))["note"] == REPLY
    with app.app_context():
        update = get_db().scalar(select(ActionUpdate).where(ActionUpdate.action_id == shown["id"]))
        assert (update.status, update.note, localtime.day(update.at)) == (ActionStatus.DONE, REPLY, answered)
    assert "overdue-count" not in meeting.web.get(inbox_url).get_data(as_text=True)
    # the raiser sees it on the council's page
    assert REPLY in raiser.get(f"/council/{meeting.council_id}/issues").get_data(as_text=True)

    # the backer, present, rates it
    ok(console, "rating.open", {"action_id": shown["id"], "open": True})
    ok(phone, "rating.give", {"action_id": shown["id"], "value": "satisfied"})
    assert _escalation(latest_state(console))["ratings"]["satisfied"] == 1
    ok(console, "step.advance")  # closed
    with app.app_context():
        assert get_db().get_one(Session, second).closed_at is not None

    pdf = meeting.web.get(f"/console/{second}/minutes.pdf").data
    # in the order drawn, cell by cell: a cell's text wraps at its width, never into the next cell
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    flat = "".join(text.split())
    carried = flat[flat.index("往期行动"):flat.index("五、评议结果")]
    assert TEXT in carried and "居民反映事项" in carried and "天坛物业公司" in carried and "已完成" in carried
    assert "".join(REPLY.split()) in carried, "the reply is its progress note"
    judged = flat[flat.index("五、评议结果"):]
    assert TEXT + "100100%" in judged, judged

    # judged at that meeting, it does not come back to the one after
    third, _ = _next_session(meeting, "第三次议事会")
    with app.app_context():
        db = get_db()
        assert [a.id for a, _ in actions.evaluated_in(db, db.get_one(Session, third))] == []
        # the backer earned the rating's point; nobody owns an escalation, so nobody earns its action point
        backer = db.scalar(select(Resident.id).where(Resident.device_token == TOKEN_BACKER))
        raiser_id = db.scalar(select(Resident.id).where(Resident.device_token == TOKEN_RAISER))
        got = counts(db, [backer, raiser_id], Period())
        assert got[backer][Deed.RATE] == 1 and got[raiser_id][Deed.RATE] == 0
        assert got[backer][Deed.ACTION_ON_TIME] == got[raiser_id][Deed.ACTION_ON_TIME] == 0


def test_the_backer_and_the_raiser_find_the_issue_and_its_answer_in_their_record(meeting, app, monkeypatch):
    _clock(monkeypatch, START)
    issue, _ = _raise_and_back(meeting)
    _triage(meeting, issue, do="escalate", to="parent", due=DUE.isoformat())
    # a second issue of the backer's, merged away into the first: not listed twice
    other = meeting.app.test_client()
    other.set_cookie("council_device", TOKEN_BACKER)
    other.post(f"/council/{meeting.council_id}/issues", data={"text": "电梯又坏了"})
    with app.app_context():
        dup = get_db().scalar(select(Issue.id).where(Issue.text == "电梯又坏了"))
    _triage(meeting, dup, do="merge", target=str(issue))
    joined = meeting.join("孙大姐", "3-201", token=TOKEN_BACKER)

    web = meeting.app.test_client()
    web.set_cookie(f"council_token_{meeting.code}", joined["device_token"])
    page = web.get(f"/join/{meeting.code}/me").get_data(as_text=True)
    mine = page[page.index("my-issues"):]
    mine = mine[:mine.index("</section>")]
    assert TEXT in mine and "电梯又坏了" not in mine
    assert "我支持的" in mine and "已上报至草厂社区" in mine and DUE.isoformat() in mine

    _clock(monkeypatch, DUE)
    _triage(meeting, issue, do="answer", answer=REPLY)
    record = web.get(f"/join/{meeting.code}/me.json").json
    assert [(i["text"], i["raised"], i["state"], i["answer"], i["escalated_to"]) for i in record["issues"]] == [
        (TEXT, False, "answered", REPLY, "草厂社区")]
    assert REPLY in web.get(f"/join/{meeting.code}/me").get_data(as_text=True)

    raiser = meeting.join("李阿姨", "3-101", token=TOKEN_RAISER)
    web.set_cookie(f"council_token_{meeting.code}", raiser["device_token"])
    record = web.get(f"/join/{meeting.code}/me.json").json
    assert [(i["text"], i["raised"]) for i in record["issues"]] == [(TEXT, True)]
    with app.app_context():
        action = get_db().scalar(select(Action).where(Action.issue_id == issue))
        assert (action.owner, action.owner_kind) == ("草厂社区", OwnerKind.COUNCIL), "the parent council owes it"


def test_an_escalation_is_changed_only_by_its_reply(meeting, app, monkeypatch):
    """Its status moves when the reply is entered in the inbox, never from a session's console or
    the council's actions page: the issue and its action never tell two stories."""
    _clock(monkeypatch, START)
    issue, _ = _raise_and_back(meeting)
    _triage(meeting, issue, do="escalate", to="unit", unit="市政管委", due=DUE.isoformat())
    console = meeting.console()
    for _ in range(4):
        ok(console, "step.advance")
    action = _escalation(latest_state(console))["id"]
    assert refused(console, "action.update", {"action_id": action, "status": "done"})["code"] == "action_of_issue"
    assert refused(console, "action.withdraw", {"action_id": action})["code"] == "not_found"
    me = Actor.facilitator(meeting.facilitator_id)
    with app.app_context():
        with pytest.raises(DomainError) as err:
            actions.report_progress(get_db(), me, action, "done", "修好了")
        assert err.value.code == "action_of_issue"
    page = meeting.web.post(f"/console/actions/{action}/progress", data={"status": "done"}, follow_redirects=True)
    assert "收件箱" in page.get_data(as_text=True)
    with app.app_context():
        assert get_db().get_one(Action, action).status is ActionStatus.PLANNED
    # a rating is opened and given on it like on any action
    ok(console, "rating.open", {"action_id": action, "open": True})


def test_an_issue_answered_directly_owes_nothing_and_a_closed_meeting_keeps_its_list(meeting, app):
    issue, raiser = _raise_and_back(meeting)
    _triage(meeting, issue, do="answer", answer="已转告楼门长")
    console = meeting.console()
    for _ in range(5):
        ok(console, "step.advance")
    with app.app_context():
        assert get_db().scalar(select(func.count()).select_from(Action)) == 0
    # escalated after the meeting closed: not in that meeting's list, nor in its minutes
    raiser.post(f"/council/{meeting.council_id}/issues", data={"text": "楼道堆满杂物"})
    with app.app_context():
        later_issue = get_db().scalar(select(Issue.id).where(Issue.text == "楼道堆满杂物"))
    _triage(meeting, later_issue, do="escalate", to="unit", unit="街道城管科", due=localtime.today().isoformat())
    later, _ = _next_session(meeting)
    with app.app_context():
        db = get_db()
        assert actions.evaluated_in(db, db.get_one(Session, meeting.session_id)) == []
        assert [(a.what, carried) for a, carried in actions.evaluated_in(db, db.get_one(Session, later))] == [
            ("楼道堆满杂物", True)]
    pdf = meeting.web.get(f"/console/{meeting.session_id}/minutes.pdf").data
    assert "楼道堆满杂物" not in subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()


def test_the_database_refuses_an_action_from_nowhere(meeting, app):
    with app.app_context():
        db = get_db()
        db.add(Action(council_id=meeting.council_id, what="x", owner="y", deadline=dt.date(2026, 12, 1)))
        with pytest.raises(IntegrityError):
            db.commit()
        db.rollback()
        assert db.get_one(Council, meeting.council_id).name == "天坛东路64号院"


def test_migration_0015_keeps_actions_and_ratings_and_owes_the_waiting_reply(tmp_path):
    """A 0014 database with a decided action, its progress and rating, an issue escalated to the
    parent council and waiting, one to a unit already answered: after 0015 all of it is kept (a
    rebuilt table cascades nothing away), the waiting escalation owes its reply as an action;
    back down, the escalation's action goes and the rest stays."""
    from alembic import command
    from council.migrate import alembic_config, upgrade
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0014")
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("""
        INSERT INTO facilitators(name, password_hash, created_at) VALUES ('a', 'x', '2026-01-01');
        INSERT INTO councils(name, level, created_by_id, created_at) VALUES ('草厂社区', 'community', 1, '2026-01-01');
        INSERT INTO councils(name, level, parent_id, created_by_id, created_at)
            VALUES ('64号院', 'courtyard', 1, 1, '2026-01-01');
        INSERT INTO sessions(council_id, facilitator_id, title, place, starts_at, format, step, join_code, recorder,
                             timer_seconds, created_at) VALUES (2, 1, 't', '', '2026-01-01', 'plain', 'evaluate',
                             '123456', '', 0, '2026-01-01');
        INSERT INTO participants(session_id, display_name, door_number, device_token, joined_at)
            VALUES (1, 'p', '', 'tok', '2026-01-01');
        INSERT INTO proposals(session_id, title, text, created_at) VALUES (1, 'p', '', '2026-01-01');
        INSERT INTO polls(session_id, proposal_id, rule, status, opened_at)
            VALUES (1, 1, 'majority_cast', 'closed', '2026-01-01');
        INSERT INTO decisions(session_id, poll_id, proposal_id, adopted, yes, no, abstain, decided_at)
            VALUES (1, 1, 1, 1, 1, 0, 0, '2026-01-01');
        INSERT INTO actions(session_id, council_id, decision_id, what, owner, owner_kind, deadline, status,
                            rating_open, created_at)
            VALUES (1, 2, 1, '清理楼道', '张师傅', 'building_head', '2026-02-01', 'done', 0, '2026-01-01');
        INSERT INTO action_updates(action_id, at, status, note, by_id) VALUES (1, '2026-01-02', 'done', '清完了', 1);
        INSERT INTO ratings(action_id, participant_id, session_id, value, rated_at)
            VALUES (1, 1, 1, 'satisfied', '2026-01-03');
        INSERT INTO issues(council_id, text, door_number, tag, state, answer, escalated_to_id, unit, reply_due,
                           escalated_at, created_at)
            VALUES (2, '电梯坏了', '', '', 'escalated', '', 1, '', '2026-02-10', '2026-02-01', '2026-01-30');
        INSERT INTO issues(council_id, text, door_number, tag, state, answer, answered_at, unit, reply_due,
                           escalated_at, created_at)
            VALUES (2, '路灯不亮', '', '', 'answered', '已修', '2026-02-05', '供电所', '2026-02-10',
                    '2026-02-01', '2026-01-30');
    """)
    db.commit()
    db.close()
    upgrade(url)
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT id, session_id, decision_id, issue_id, what, owner, owner_kind, status FROM actions"
                      " ORDER BY id").fetchall() == [
        (1, 1, 1, None, "清理楼道", "张师傅", "building_head", "done"),
        (2, None, None, 1, "电梯坏了", "草厂社区", "council", "planned")]
    assert db.execute("SELECT deadline, council_id FROM actions WHERE id = 2").fetchone() == ("2026-02-10", 2)
    assert db.execute("SELECT action_id, note FROM action_updates").fetchall() == [(1, "清完了")]
    assert db.execute("SELECT action_id, value FROM ratings").fetchall() == [(1, "satisfied")]
    with pytest.raises(sqlite3.IntegrityError):  # from a decision or from an issue, never neither
        db.execute("INSERT INTO actions(council_id, what, owner, owner_kind, deadline, status, rating_open, created_at)"
                   " VALUES (2, 'x', 'y', 'unit', '2026-03-01', 'planned', 0, '2026-03-01')")
    with pytest.raises(sqlite3.IntegrityError):  # one reply owed per escalation
        db.execute("INSERT INTO actions(council_id, issue_id, what, owner, owner_kind, deadline, status, rating_open,"
                   " created_at) VALUES (2, 1, 'x', 'y', 'unit', '2026-03-01', 'planned', 0, '2026-03-01')")
    db.close()
    command.downgrade(alembic_config(url), "0014")
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT id, what FROM actions").fetchall() == [(1, "清理楼道")]
    assert db.execute("SELECT count(*) FROM ratings").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM action_updates").fetchone() == (1,)
    db.close()
