"""Voting windows (issue 15, item 3): a poll open for a set time after the meeting takes remote
votes, each household still counts once across channels (the later vote counts), a vote at or
after the deadline is refused, and the poll closes by itself, by whichever server process runs,
a freshly started one too; decide may end while a windowed poll is still open."""
from __future__ import annotations

import datetime as dt
import threading

import pytest

from council.db import get_db
from council.models import Decision, Poll
from council.services import polls
from tests.conftest import close_app, make_app
from tests.helpers import client_id, latest_state, ok, refused
from tests.test_decision_rules import deciding, import_roll, new_poll

DOORS = [f"5-{n:03d}" for n in range(101, 116)]  # fifteen households
ROLL = "门牌号,面积,是否业主\n" + "".join(f"{d},80,是\n" for d in DOORS)


def at(monkeypatch, moment: dt.datetime) -> None:
    """The services' clock, moved."""
    monkeypatch.setattr(polls, "utcnow", lambda: moment)


def remote_vote(app, code, token, poll, choice):
    web = app.test_client()
    web.set_cookie(f"council_token_{code}", token)
    return web.post(f"/join/{code}/remote/{poll}", data={"choice": choice})


def remote_join(app, code, name, door):
    web = app.test_client()
    r = web.post(f"/join/{code}/remote/join", data={"name": name, "door": door})
    assert r.status_code == 302, r.data
    return web


def deadline_of(app, poll_id) -> dt.datetime:
    with app.app_context():
        return get_db().get(Poll, poll_id).closes_at


def test_ten_in_the_room_five_remote_a_household_in_both_counted_once(meeting, app, monkeypatch):
    import_roll(meeting, ROLL)
    console = meeting.console()
    room = [meeting.phone(f"居民{i}", DOORS[i]) for i in range(10)]
    deciding(meeting, console)
    poll = new_poll(console, unit="household", closes_in_minutes=120)
    closes_at = deadline_of(app, poll)
    assert dt.timedelta(minutes=119) < closes_at - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(minutes=120)
    for phone in room:
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    # the meeting ends its decide step while the windowed poll stays open
    assert latest_state(console)["session"]["moves"]["next"]["refused"] is None
    ok(console, "step.advance")
    # four households that were not in the room vote remotely; one that was in the room changes
    # its vote from afar: the later vote counts, once
    for i in range(10, 14):
        web = remote_join(app, meeting.code, f"远方{i}", DOORS[i])
        assert web.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"}).status_code == 302
    r = remote_vote(app, meeting.code, room[0].token, poll, "no")
    assert r.status_code == 302, r.data
    page = remote_vote(app, meeting.code, room[0].token, poll, "no")  # the same again: still one ballot
    assert page.status_code == 302
    view = next(p for p in latest_state(console)["polls"] if p["id"] == poll)
    assert view["status"] == "open" and view["closes_at"] == closes_at.isoformat()
    assert view["tally"]["cast"] == 14
    assert view["channels"]["phone"]["cast"] == 9 and view["channels"]["remote"]["cast"] == 5
    # one second after the deadline: refused in every channel, the remote page and the room's phones
    at(monkeypatch, closes_at + dt.timedelta(seconds=1))
    late = remote_vote(app, meeting.code, room[1].token, poll, "no")
    assert late.status_code == 409 and "closed" in late.get_data(as_text=True).lower() or late.status_code == 409
    with app.app_context():
        assert get_db().get(Poll, poll).status == "closed"  # the refused vote closed it: decision follows
    assert refused(room[2], "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})["code"] \
        == "poll_closed"
    with app.app_context():
        decision = get_db().query(Decision).filter_by(poll_id=poll).one()
        cert = decision.certificate
    assert (decision.yes, decision.no) == (9, 5)
    assert cert["total"]["cast"] == 14
    assert cert["channels"]["phone"]["cast"] == 9 and cert["channels"]["remote"]["cast"] == 5
    state = latest_state(console)
    assert next(p for p in state["polls"] if p["id"] == poll)["decision"] is not None


def test_a_vote_at_the_deadline_is_refused_and_before_it_counts(meeting, app, monkeypatch):
    console = meeting.console()
    phone = meeting.phone("李阿姨")
    deciding(meeting, console)
    poll = new_poll(console, closes_in_minutes=30)
    closes_at = deadline_of(app, poll)
    at(monkeypatch, closes_at - dt.timedelta(seconds=1))
    assert remote_vote(app, meeting.code, phone.token, poll, "yes").status_code == 302
    at(monkeypatch, closes_at)
    r = remote_vote(app, meeting.code, phone.token, poll, "no")
    assert r.status_code == 409
    with app.app_context():
        d = get_db().query(Decision).filter_by(poll_id=poll).one()
    assert (d.yes, d.no) == (1, 0) and d.certificate["channels"]["remote"]["cast"] == 1


def test_a_poll_without_a_window_takes_no_remote_vote_and_holds_decide(meeting, app):
    console = meeting.console()
    phone = meeting.phone("李阿姨")
    deciding(meeting, console)
    poll = new_poll(console)
    r = remote_vote(app, meeting.code, phone.token, poll, "yes")
    assert r.status_code == 400
    assert refused(console, "step.advance")["code"] == "poll_still_open"


@pytest.mark.parametrize("options", [{"closes_in_minutes": 0}, {"closes_in_minutes": 60 * 24 * 31},
                                     {"closes_in_minutes": True}, {"closes_at": "2020-01-01T00:00:00+00:00"},
                                     {"closes_at": "2099-01-01T00:00:00"}, {"closes_at": "tomorrow"},
                                     {"closes_at": "2099-01-01T00:00:00+00:00", "closes_in_minutes": 5}])
def test_a_window_must_end_in_the_next_thirty_days(meeting, options):
    console = meeting.console()
    deciding(meeting, console)
    proposal = ok(console, "proposal.create", {"title": "增设电动车充电桩"})["proposal_id"]
    assert refused(console, "poll.open", {"proposal_id": proposal, **options})["code"] == "invalid_field"


def test_a_freshly_started_server_closes_a_poll_whose_window_ended_while_it_was_down(meeting, app, database_url,
                                                                                      monkeypatch):
    console = meeting.console()
    phones = [meeting.phone(f"居民{i}") for i in range(3)]
    deciding(meeting, console)
    poll = new_poll(console, closes_in_minutes=60)
    for phone in phones:
        ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "step.advance")
    closes_at = deadline_of(app, poll)
    meeting.disconnect_all()
    close_app(app)  # the server stops; the deadline passes while none runs
    at(monkeypatch, closes_at + dt.timedelta(hours=3))
    fresh = make_app(database_url)
    try:
        with fresh.app_context():
            assert get_db().get(Poll, poll).status == "open"
        from council.live import poll_clock
        with fresh.app_context():
            assert poll_clock.close_due() == 1  # what `council serve` runs at start
            assert poll_clock.close_due() == 0  # and again on its timer: nothing more
            d = get_db().query(Decision).filter_by(poll_id=poll).one()
            assert d.adopted and d.yes == 3
    finally:
        close_app(fresh)


def test_a_fresh_server_closes_it_when_a_screen_connects(meeting, app, database_url, monkeypatch):
    from council.extensions import socketio
    console = meeting.console()
    phone = meeting.phone("李阿姨")
    deciding(meeting, console)
    poll = new_poll(console, closes_in_minutes=60)
    ok(phone, "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})
    closes_at = deadline_of(app, poll)
    meeting.disconnect_all()
    close_app(app)
    at(monkeypatch, closes_at + dt.timedelta(minutes=1))
    fresh = make_app(database_url)
    try:
        again = socketio.test_client(fresh, auth={"role": "phone", "code": meeting.code, "token": phone.token})
        view = next(p for p in latest_state(again)["polls"] if p["id"] == poll)
        assert view["status"] == "closed" and view["decision"] == {"id": view["decision"]["id"], "adopted": False}
        again.disconnect()
    finally:
        close_app(fresh)


def test_two_processes_closing_the_same_poll_make_one_decision(meeting, app, database_url, monkeypatch):
    """Two server processes (each its own engine) both found the poll due; both close it at once:
    one decision, and the other moves on without an error."""
    from sqlalchemy.orm import sessionmaker
    from council.db import make_engine
    console = meeting.console()
    phone = meeting.phone("李阿姨")
    deciding(meeting, console)
    poll = new_poll(console, closes_in_minutes=10)
    ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    now = deadline_of(app, poll) + dt.timedelta(seconds=5)
    at(monkeypatch, now)
    engines = [make_engine(database_url) for _ in range(2)]
    start, closed, errors = threading.Barrier(2), [], []

    def process(engine) -> None:
        db = sessionmaker(engine, expire_on_commit=False)()
        try:
            with app.app_context():
                due = polls.due_polls(db, now)
                db.rollback()
                assert due == [poll]
                start.wait()  # both found it due before either closes it
                closed.extend(o for o in (polls.close_if_due(db, pid, now) for pid in due) if o is not None)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=process, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    for e in engines:
        e.dispose()
    assert not errors, errors
    assert len(closed) == 1
    with app.app_context():
        assert get_db().query(Decision).filter_by(poll_id=poll).count() == 1
