"""Residents across meetings: a phone is the same resident in every session of its community,
the facilitator merges one person's two records, and existing participants are brought onto
residents by migration 0011."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from council.db import get_db
from council.domain import DomainError
from council.domain.residents import check_merge, home_of, kept
from council.models import Council, Participant, Resident
from council.services import Actor, accounts, participants, residents, sessions
from tests.helpers import Meeting, ok

PASSWORD = "password-123"
TOKEN = "phone-of-li-ayi-0123456789abcdef"


# ------------------------------------------------------------------ the rules, without a database

def test_the_home_is_the_nearest_community_else_the_council_itself():
    assert home_of([(3, "courtyard"), (2, "community"), (1, "subdistrict")]) == 2
    assert home_of([(2, "community"), (1, "subdistrict")]) == 2
    assert home_of([(1, "subdistrict")]) == 1
    assert home_of([(7, "courtyard")]) == 7  # a courtyard set up on its own


def test_merges_end_at_the_record_kept():
    assert kept(1, {1: 2, 2: 3, 3: None}) == 3
    assert kept(4, {}) == 4
    assert kept(1, {1: 2, 2: 1}) in (1, 2)  # a loop (a bug) stops instead of hanging


@pytest.mark.parametrize("args, code", [
    ((1, 1, True, False, False), "merge_into_self"),
    ((1, 2, False, False, False), "not_same_community"),
    ((1, 2, True, True, False), "resident_already_merged"),
    ((1, 2, True, False, True), "resident_already_merged"),
])
def test_merges_refused(args, code):
    source, target, same, sm, tm = args
    with pytest.raises(DomainError) as err:
        check_merge(source, target, same_home=same, source_merged=sm, target_merged=tm)
    assert err.value.code == code


# ------------------------------------------------------------------ across sessions

def _second_session(app, meeting, level_of_council="courtyard"):
    """Another session in a second courtyard of the same community (or a council elsewhere)."""
    with app.app_context():
        db = get_db()
        me = Actor.facilitator(meeting.facilitator_id)
        community = db.get_one(Council, meeting.council_id).parent_id
        if level_of_council == "courtyard":
            council = sessions.create_council(db, me, "草厂三条12号院", "courtyard", community).reply["council_id"]
        else:
            council = sessions.create_council(db, me, "别的社区", "community").reply["council_id"]
        made = sessions.create_session(db, me, council, "第二次议事会", dt.datetime.now(dt.timezone.utc))
        return council, made.reply["session_id"]


def _code(app, session_id):
    from council.models import Session
    with app.app_context():
        return get_db().get_one(Session, session_id).join_code


def test_one_phone_is_one_resident_across_the_community(app, meeting):
    _, other = _second_session(app, meeting)
    _, elsewhere = _second_session(app, meeting, "community")
    with app.app_context():
        db = get_db()
        first = participants.join(db, meeting.code, "李阿姨", "3-101", TOKEN).reply
        second = participants.join(db, _code(app, other), "李阿姨（三号楼）", "3-101", TOKEN).reply
        third = participants.join(db, _code(app, elsewhere), "李阿姨", "", TOKEN).reply
        ps = {p.id: p for p in db.scalars(select(Participant))}
        a, b, c = (ps[r["participant_id"]] for r in (first, second, third))
        assert a.resident_id == b.resident_id, "the same phone in two courtyards of one community"
        assert c.resident_id != a.resident_id, "another community keeps its own record"
        resident = db.get_one(Resident, a.resident_id)
        assert resident.display_name == "李阿姨（三号楼）" and resident.device_token == TOKEN  # as last called
        community = db.get_one(Council, meeting.council_id).parent_id
        assert resident.community_id == community
        # joining again with a new name keeps the resident
        participants.join(db, meeting.code, "李秀英", "3-101", TOKEN)
        assert db.get_one(Resident, a.resident_id).display_name == "李秀英"
        assert db.scalar(select(func.count()).select_from(Resident).where(Resident.device_token == TOKEN)) == 2


def test_an_entered_elder_is_merged_into_her_phone_record(app, meeting):
    console = meeting.console()
    entered = ok(console, "participant.add", {"name": "张大妈", "door": "5-202"})
    with app.app_context():
        db = get_db()
        phone = participants.join(db, meeting.code, "张大妈", "", TOKEN).reply
        ps = {p.id: p for p in db.scalars(select(Participant))}
        by_hand, by_phone = ps[entered["participant_id"]].resident_id, ps[phone["participant_id"]].resident_id
        assert by_hand != by_phone and db.get_one(Resident, by_hand).device_token is None
        me = Actor.facilitator(meeting.facilitator_id)
        council, people = residents.known_to(db, me, meeting.council_id)
        assert {p.id for p in people} == {by_hand, by_phone}
        residents.merge(db, me, by_hand, by_phone)
        assert {p.resident_id for p in db.scalars(select(Participant))} == {by_phone}
        kept_one = db.get_one(Resident, by_phone)
        assert kept_one.door_number == "5-202"  # the entered door fills the phone record's blank
        _, people = residents.known_to(db, me, meeting.council_id)
        assert [(p.id, p.sessions) for p in people] == [(by_phone, 1)]
        with pytest.raises(DomainError) as err:
            residents.merge(db, me, by_hand, by_phone)
        assert err.value.code == "resident_already_merged"
        # another facilitator does not reach these residents
        other = Actor.facilitator(accounts.add_facilitator(db, "赵主任", PASSWORD).id)
        with pytest.raises(DomainError) as err:
            residents.merge(db, other, by_phone, by_hand)
        assert err.value.code == "not_found"
    console.disconnect()


def test_the_residents_page_asks_once_then_merges(app, meeting):
    web = meeting.web
    console = meeting.console()
    entered = ok(console, "participant.add", {"name": "王大爷", "door": "1-101"})
    with app.app_context():
        phone = participants.join(get_db(), meeting.code, "王大爷", "1-101", TOKEN).reply
        ps = {p.id: p.resident_id for p in get_db().scalars(select(Participant))}
    source, target = ps[entered["participant_id"]], ps[phone["participant_id"]]
    page = web.get(f"/console/councils/{meeting.council_id}/residents").get_data(as_text=True)
    assert "王大爷" in page and "主持人代录" in page and "手机" in page
    ask = web.get(f"/console/councils/{meeting.council_id}/residents?merge={source}&into={target}")
    assert "合并这两条记录" in ask.get_data(as_text=True)
    with app.app_context():  # asking changed nothing
        assert get_db().get_one(Resident, source).merged_into_id is None
    done = web.post(f"/console/councils/{meeting.council_id}/residents/merge",
                    data={"source": source, "target": target}, follow_redirects=True)
    assert done.status_code == 200
    with app.app_context():
        assert get_db().get_one(Resident, source).merged_into_id == target
    refused = web.post(f"/console/councils/{meeting.council_id}/residents/merge",
                       data={"source": source, "target": source}, follow_redirects=True)
    assert "不能" in refused.get_data(as_text=True) or "已" in refused.get_data(as_text=True)
    console.disconnect()


def test_migration_0011_brings_participants_onto_residents(tmp_path):
    """A populated database before 0011: one phone in two courtyards of a community becomes one
    resident, the same token in another community another, an entered elder one of her own."""
    import sqlite3
    from council.migrate import upgrade
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0010")
    db = sqlite3.connect(tmp_path / "old.db")
    db.executescript("""
        INSERT INTO facilitators(name, password_hash, created_at, session_epoch) VALUES ('a', 'x', '2026-01-01', '0');
        INSERT INTO councils(id, name, level, parent_id, created_by_id, created_at) VALUES
          (1, '街道', 'subdistrict', NULL, 1, '2026-01-01'), (2, '社区', 'community', 1, 1, '2026-01-01'),
          (3, '一号院', 'courtyard', 2, 1, '2026-01-01'), (4, '二号院', 'courtyard', 2, 1, '2026-01-01'),
          (5, '别的社区', 'community', 1, 1, '2026-01-01');
    """)
    for sid, council in ((1, 3), (2, 4), (3, 5)):
        db.execute("INSERT INTO sessions(id, council_id, facilitator_id, title, place, starts_at, format, step, "
                   "join_code, recorder, timer_seconds, created_at, premoderation) "
                   "VALUES (?, ?, 1, 't', '', '2026-01-01', 'plain', 'raise', ?, '', 0, '2026-01-01', 0)",
                   (sid, council, f"12345{sid}"))
    rows = [(1, 1, "李阿姨", "3-101", TOKEN, None, "2026-01-01 10:00:00"),
            (2, 2, "李秀英", "3-101", TOKEN, None, "2026-02-01 10:00:00"),
            (3, 3, "李阿姨", "", TOKEN, None, "2026-03-01 10:00:00"),
            (4, 1, "张大妈", "5-202", "entered-abcdefghijklmnopqrstuvwx", 1, "2026-01-01 10:05:00")]
    db.executemany("INSERT INTO participants(id, session_id, display_name, door_number, device_token, added_by_id, "
                   "joined_at, left) VALUES (?, ?, ?, ?, ?, ?, ?, 0)", rows)
    db.commit()
    db.close()
    upgrade(url)
    db = sqlite3.connect(tmp_path / "old.db")
    of = dict(db.execute("SELECT id, resident_id FROM participants"))
    assert of[1] == of[2] and of[3] != of[1] and of[4] not in (of[1], of[3])
    assert None not in of.values()
    kept_row = db.execute("SELECT community_id, display_name, device_token FROM residents WHERE id = ?",
                          (of[1],)).fetchone()
    assert kept_row == (2, "李秀英", TOKEN)  # named as they last called themselves
    assert db.execute("SELECT community_id, device_token FROM residents WHERE id = ?", (of[4],)).fetchone() == (2, None)
    assert db.execute("SELECT community_id FROM residents WHERE id = ?", (of[3],)).fetchone() == (5,)
    db.close()


def test_a_meeting_helper_phone_is_a_resident(app):
    meeting = Meeting(app)
    phone = meeting.phone("路人甲")
    with app.app_context():
        assert get_db().scalar(select(func.count()).select_from(Participant)
                               .where(Participant.resident_id.is_(None))) == 0
    phone.disconnect()
