"""A remote vote is a vote, never presence: a resident who joins a session on its remote-vote
page (`/join/<code>/remote`) and never in the room is not present (`Participant.present`): not in
the console's or projector's count, not in the minutes' or notice's 到会, no points for coming,
not in the overview's attendance or new faces, not a session attended on the residents' page or
in 我的参与, not among "those present" of a poll, not seated at a café, not made to back a
carried issue's topic. The same phone joining in the room is present from then on."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess

from alembic import command
from sqlalchemy import select

from council.db import get_db
from council.documents import certificate
from council.domain.points import Deed
from council.localtime import zone
from council.migrate import alembic_config, upgrade
from council.models import Participant, Resident, Support, Topic
from council.services import Actor, overview, points, residents
from tests.helpers import client_id, latest_state, ok
from tests.test_decision_rules import import_roll

DOORS = ["5-101", "5-102", "5-103", "5-104"]
ROLL = "门牌号,面积,是否业主\n" + "".join(f"{d},80,是\n" for d in DOORS)


def _remote(app, code, name, door, device=None):
    """A browser that joins on the remote page (with the community's device cookie, if any)."""
    web = app.test_client()
    if device:
        web.set_cookie("council_device", device)
    r = web.post(f"/join/{code}/remote/join", data={"name": name, "door": door})
    assert r.status_code == 302, r.data
    web.token = web.get_cookie(f"council_token_{code}").value
    return web


def _pdf_text(web, url) -> str:
    pdf = web.get(url).data
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return "".join(text.split())  # a line may break inside "到会 2 人"


def _poll(state, poll_id):
    return next(p for p in state["polls"] if p["id"] == poll_id)


def _points(app, token) -> dict:
    with app.app_context():
        db = get_db()
        resident = db.scalar(select(Resident).where(Resident.device_token == token))
        return {line.deed: line.count for line in points.points_of(db, resident)[1]}


def test_a_remote_voter_and_a_refused_visitor_are_not_present_and_the_same_phone_in_the_room_is(meeting, app):
    import_roll(meeting, ROLL)
    console, projector = meeting.console(), meeting.projector()
    proposal = ok(console, "proposal.create", {"title": "楼下空地改建为共享菜园"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "unit": "household",
                                     "closes_in_minutes": 3 * 24 * 60})["poll_id"]
    # from home: 周阿姨 votes; 孙女士's door is not on the roll, her vote is refused
    zhou = _remote(app, meeting.code, "周阿姨", "5-101")
    assert zhou.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 302
    sun = _remote(app, meeting.code, "孙女士", "9-909")
    assert sun.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"}).status_code == 400
    # in the room: two phones
    li = meeting.phone("李师傅", "5-102")
    meeting.phone("王阿姨", "5-103")

    state = latest_state(console)
    assert (state["participants"]["count"], state["participants"]["households"]) == (2, 2)
    assert [p["name"] for p in state["participants"]["list"]] == ["李师傅", "王阿姨"]
    assert [p["name"] for p in state["participants"]["remote"]] == ["周阿姨", "孙女士"], "apart, for the console"
    assert latest_state(projector)["participants"] == {"count": 2, "households": 2}, "the projector: those present"
    view = _poll(state, poll)
    assert view["tally"]["cast"] == 1 and view["tally"]["yes"] == 1 and view["channels"]["remote"]["cast"] == 1, \
        "her vote counts"
    assert "到会2人" in _pdf_text(meeting.web, f"/console/{meeting.session_id}/notice.pdf")
    assert "参会人数2人" in _pdf_text(meeting.web, f"/console/{meeting.session_id}/minutes.pdf")
    assert _points(app, zhou.token)[Deed.ATTEND] == 0, "no points for coming: she did not come"
    assert _points(app, li.token)[Deed.ATTEND] == 1

    # 周阿姨 comes to the meeting with the same phone and joins in the room: present from now on
    meeting.join("周阿姨", "5-101", token=zhou.token)
    state = latest_state(console)
    assert state["participants"]["count"] == 3 and [p["name"] for p in state["participants"]["remote"]] == ["孙女士"]
    assert latest_state(projector)["participants"]["count"] == 3
    assert _points(app, zhou.token)[Deed.ATTEND] == 1
    assert "到会3人" in _pdf_text(meeting.web, f"/console/{meeting.session_id}/notice.pdf")
    # the remote page again, later: she stays present, still the same participant with her vote
    again = zhou.post(f"/join/{meeting.code}/remote/join", data={"name": "周阿姨", "door": "5-101"})
    assert again.status_code == 302
    state = latest_state(console)
    assert state["participants"]["count"] == 3 and _poll(state, poll)["tally"]["cast"] == 1
    with app.app_context():
        assert get_db().scalar(select(Participant.remote).where(Participant.device_token == zhou.token)) is False


def test_those_present_of_a_poll_are_the_room_and_never_fewer_than_voted(meeting, app):
    """Majority of those present: a remote voter who did not vote in this poll does not raise the
    bar; one who voted counts among the votes (never fewer present than voted)."""
    import_roll(meeting, ROLL)
    console = meeting.console()
    ok(console, "step.advance")
    ok(console, "step.advance")  # decide
    proposal = ok(console, "proposal.create", {"title": "周末开放活动室"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "rule": "majority_present",
                                     "closes_in_minutes": 600})["poll_id"]
    for name, door in (("周阿姨", "5-101"), ("钱先生", "5-104"), ("路人", "")):
        _remote(app, meeting.code, name, door)  # at home; none of them votes in this poll
    room = [meeting.phone("李师傅", "5-102"), meeting.phone("王阿姨", "5-103")]
    ok(room[0], "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    standing = _poll(latest_state(console), poll)["standing"]
    assert standing["present"] == 2 and standing["needed"] == 2, standing
    ok(room[1], "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    far = _remote(app, meeting.code, "吴姐", "5-104")
    assert far.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"}).status_code == 302
    standing = _poll(latest_state(console), poll)["standing"]
    assert standing["present"] == 3 and standing["passed"], "three votes: never fewer present than voted"


def test_a_remote_voter_attended_no_session_on_the_residents_page_in_her_record_or_the_overview(meeting, app):
    import_roll(meeting, ROLL)
    console = meeting.console()
    proposal = ok(console, "proposal.create", {"title": "增设电动车充电桩"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "closes_in_minutes": 600})["poll_id"]
    zhou = _remote(app, meeting.code, "周阿姨", "5-101")
    assert zhou.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 302
    meeting.phone("李师傅", "5-102")

    mine = json.loads(zhou.get(f"/join/{meeting.code}/me.json").get_data(as_text=True))  # 我的参与
    assert mine["sessions"] == [], "she attended no session"
    assert [p["proposal"] for p in mine["polls"]] == ["增设电动车充电桩"], "her vote is in her record"
    with app.app_context():
        db = get_db()
        _, known = residents.known_to(db, Actor.facilitator(meeting.facilitator_id), meeting.council_id)
        assert {k.name: k.sessions for k in known} == {"周阿姨": 0, "李师傅": 1}, "listed, with no session attended"
        her = db.scalar(select(Resident.id).where(Resident.device_token == zhou.token))
        assert certificate.build(db, her, points.Period())["sessions"] == [], "参与证明: no session attended"
        events = overview.gather(db, [meeting.council_id], points.Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
                                 zone(), families=[overview._sessions_and_people])
        kinds = sorted(e.figure for e in events)
    assert kinds == ["households", "new_faces", "people", "sessions"], "李师傅 alone came, once"


def test_a_backer_who_joins_from_home_backs_the_carried_topic_only_once_in_the_room(meeting, app):
    from tests.test_inbox import TOKEN_B, _issue, _raise
    _raise(meeting)
    issue = _issue(app, "楼道灯坏了")
    backer = app.test_client()
    backer.set_cookie("council_device", TOKEN_B)
    backer.post(f"/council/{meeting.council_id}/issues/{issue}/support")
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"})
    console = meeting.console()
    with app.app_context():
        topic = get_db().scalar(select(Topic.id).where(Topic.text == "楼道灯坏了"))

    def supporters():
        with app.app_context():
            return get_db().scalars(select(Support.participant_id).where(Support.topic_id == topic)).all()
    _remote(app, meeting.code, "邻居", "3-102", device=TOKEN_B)
    assert supporters() == [], "at home: not in the room, not backing the topic there"
    assert next(t for t in latest_state(console)["topics"] if t["id"] == topic)["supports"] == 0
    joined = meeting.join("邻居", "3-102", token=TOKEN_B)
    assert supporters() == [joined["participant_id"]], "in the room: the support she gave from home counts"


def test_a_carried_issue_makes_no_remote_voter_its_author_or_backer(meeting, app):
    from tests.test_inbox import TOKEN_A, _issue, _raise
    _raise(meeting)  # TOKEN_A raises it, then joins the session from home
    _remote(app, meeting.code, "李阿姨", "3-101", device=TOKEN_A)
    issue = _issue(app, "楼道灯坏了")
    meeting.web.post(f"/console/councils/{meeting.council_id}/inbox/{issue}", data={"do": "carry"})
    with app.app_context():
        db = get_db()
        topic = db.scalar(select(Topic).where(Topic.text == "楼道灯坏了"))
        assert topic.author_id is None and db.scalars(select(Support).where(Support.topic_id == topic.id)).all() == []


def test_a_cafe_seats_nobody_who_joined_from_home(cafe, app):
    console = cafe.console()
    phones = [cafe.phone(n) for n in ("李阿姨", "张师傅", "赵大爷")]
    ok(console, "cafe.setup", {"tables": ["青松", "翠竹"], "rounds": [{"minutes": 20, "question": "?"}]})
    ok(console, "cafe.seat")
    far = _remote(app, cafe.code, "远方的人", "")
    seats = latest_state(console)["cafe"]["seats"]["1"]
    with app.app_context():
        far_id = get_db().scalar(select(Participant.id).where(Participant.device_token == far.token))
    assert str(far_id) not in seats and {str(p.participant_id) for p in phones} == set(seats)
    cafe.join("远方的人", "", token=far.token)  # she came after all: seated like any latecomer
    assert str(far_id) in latest_state(console)["cafe"]["seats"]["1"]


def test_migration_0017_keeps_every_participant_present(tmp_path):
    """A populated database of 0016: its participants joined in the room (or were entered), so
    all stay present; a new row is present unless it says otherwise."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0016")
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("""
        INSERT INTO facilitators(id, name, password_hash, created_at, session_epoch) VALUES (1, 'a', 'x', '2026-01-01', '0');
        INSERT INTO councils(id, name, level, parent_id, created_by_id, created_at) VALUES
          (1, '社区', 'community', NULL, 1, '2026-01-01'), (2, '一号院', 'courtyard', 1, 1, '2026-01-01');
        INSERT INTO sessions(id, council_id, facilitator_id, title, place, starts_at, format, step, join_code,
                             recorder, timer_seconds, created_at)
          VALUES (1, 2, 1, '议事会', '活动室', '2026-01-02', 'plain', 'closed', '123456', '', 0, '2026-01-01');
        INSERT INTO participants(id, session_id, display_name, door_number, device_token, joined_at)
          VALUES (1, 1, '李阿姨', '3-101', 'tttttttttttttttttttttttttttttt', '2026-01-02'),
                 (2, 1, '张师傅', '', 'entered-x', '2026-01-02');
    """)
    db.commit()
    db.close()
    upgrade(url)
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT id, display_name, remote FROM participants ORDER BY id").fetchall() == [
        (1, "李阿姨", 0), (2, "张师傅", 0)]
    db.execute("INSERT INTO participants(session_id, display_name, door_number, device_token, joined_at, left) "
               "VALUES (1, '王', '', 'w', '2026-01-02', 0)")
    assert db.execute("SELECT remote FROM participants WHERE display_name = '王'").fetchone() == (0,)
    db.commit()
    db.close()
    command.downgrade(alembic_config(url), "0016")  # and back: the rows stay, without the column
    db = sqlite3.connect(tmp_path / "old.db")
    assert db.execute("SELECT count(*) FROM participants").fetchone() == (3,)
    assert "remote" not in [c[1] for c in db.execute("PRAGMA table_info(participants)")]
    db.close()
