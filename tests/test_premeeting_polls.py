"""Polls opened before the meeting (issue 15, item 3): in raise or discuss a facilitator opens a
poll with a voting window; the households on the roll vote from afar (the meeting notice's QR
code), one that is not on the roll is refused with a reason; when the meeting reaches decide the
poll is simply open in the room, a household that voted from afar and in the room counts once
(the later vote), the step moves are not held by it, and it closes by itself at its deadline.
The clock is moved, never waited for."""
from __future__ import annotations

import datetime as dt

import pytest

from council.db import get_db
from council.models import Decision, Poll
from tests.helpers import client_id, latest_state, ok, refused
from tests.test_decision_rules import import_roll
from tests.test_voting_windows import at, deadline_of, remote_join

DOORS = ["5-101", "5-102", "5-103", "5-104"]
ROLL = "门牌号,面积,是否业主\n" + "".join(f"{d},80,是\n" for d in DOORS)


def _poll(state, poll_id):
    return next(p for p in state["polls"] if p["id"] == poll_id)


def test_a_poll_opened_in_raise_takes_the_roll_remotely_then_the_room_and_counts_each_household_once(
        meeting, app, monkeypatch):
    import_roll(meeting, ROLL)
    console = meeting.console()
    assert latest_state(console)["session"]["step"] == "raise"
    # before the meeting: a proposal to decide, and its poll opens only with a voting window
    proposal = ok(console, "proposal.create", {"title": "楼下空地改建为共享菜园", "text": "由物业平整土地。"})["proposal_id"]
    no_window = refused(console, "poll.open", {"proposal_id": proposal, "unit": "household"})
    assert no_window["code"] == "window_required"
    assert "投票时限" in no_window["message"], no_window  # said in the connection's language: Chinese
    poll = ok(console, "poll.open", {"proposal_id": proposal, "unit": "household",
                                     "closes_in_minutes": 3 * 24 * 60})["poll_id"]
    closes_at = deadline_of(app, poll)
    state = latest_state(console)
    assert state["session"]["step"] == "raise" and _poll(state, poll)["status"] == "open"
    assert state["session"]["moves"]["next"]["refused"] is None  # the window holds no step

    # from afar, before the meeting: two households on the roll vote; 5-101 will come in person too
    early = remote_join(app, meeting.code, "周阿姨", "5-101")
    assert early.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 302
    far = remote_join(app, meeting.code, "钱先生", "5-103")
    assert far.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 302
    # a household not on the roll is refused, with the reason on its page, and nothing is counted
    stranger = remote_join(app, meeting.code, "孙女士", "9-909")
    page = stranger.get(f"/join/{meeting.code}/remote").get_data(as_text=True)
    assert "您的门牌号不在本院住户名册中" in page and 'id="door-fix"' in page
    r = stranger.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"})
    assert r.status_code == 400 and "您的门牌号不在本院住户名册中" in r.get_data(as_text=True)
    nobody = remote_join(app, meeting.code, "无门牌", "")
    assert nobody.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"}).status_code == 400
    view = _poll(latest_state(console), poll)
    assert view["tally"]["cast"] == 2 and view["channels"]["remote"]["cast"] == 2

    # the meeting: raise → discuss → decide, the poll simply open in the room
    ok(console, "step.advance")
    ok(console, "step.advance")
    assert latest_state(console)["session"]["step"] == "decide"
    room_101 = meeting.phone("周阿姨的老伴", "5-101")  # the same household, in person: the later vote counts
    room_102 = meeting.phone("李师傅", "5-102")
    ok(room_101, "ballot.cast", {"poll_id": poll, "choice": "no", "client_id": client_id()})
    ok(room_102, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "ballot.enter", {"poll_id": poll, "choice": "yes", "door_number": "5-104"})
    view = _poll(latest_state(console), poll)
    assert view["tally"]["cast"] == 4, "5-101 voted from afar and in the room: once"
    assert {k: v["cast"] for k, v in view["channels"].items()} == {"remote": 1, "phone": 2, "entered": 1}
    assert (view["tally"]["yes"], view["tally"]["no"], view["tally"]["abstain"]) == (3, 1, 0)
    # decide ends while the window runs; the decision follows at the deadline
    assert latest_state(console)["session"]["moves"]["next"]["refused"] is None
    ok(console, "step.advance")

    # one second after the deadline: refused, saying when the window ended; the poll closed into its decision
    at(monkeypatch, closes_at + dt.timedelta(seconds=1))
    late = far.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"})
    text = late.get_data(as_text=True)
    ended = closes_at.astimezone(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d %H:%M")
    assert late.status_code == 409 and "表决已结束" in text and f"这项投票已于 {ended} 截止" in text
    with app.app_context():
        assert get_db().get(Poll, poll).status == "closed"
        decision = get_db().query(Decision).filter_by(poll_id=poll).one()
    assert (decision.yes, decision.no, decision.abstain) == (3, 1, 0) and decision.adopted
    assert decision.certificate["channels"]["remote"]["cast"] == 1


def test_a_household_off_the_roll_corrects_its_door_and_then_votes(meeting, app):
    import_roll(meeting, ROLL)
    console = meeting.console()
    proposal = ok(console, "proposal.create", {"title": "增设电动车充电桩"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "unit": "household", "closes_in_minutes": 600})["poll_id"]
    web = remote_join(app, meeting.code, "孙女士", "5-1O2")  # a letter O typed for a zero
    assert web.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 400
    assert web.post(f"/join/{meeting.code}/remote/join", data={"name": "孙女士", "door": "5-102"}).status_code == 302
    assert web.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 302
    state = latest_state(console)
    assert _poll(state, poll)["tally"]["cast"] == 1
    # the same participant, corrected; voting from afar, she is not among those present
    assert [p["name"] for p in state["participants"]["remote"]] == ["孙女士"] and state["participants"]["list"] == []


def test_before_the_meeting_a_person_poll_too_takes_only_doors_on_the_roll_and_from_decide_everyone(meeting, app):
    """The meeting notice reaches the households on the roll; a link passed on must not let
    anyone vote ahead of the meeting. In the room (decide on) a person poll is everyone's."""
    import_roll(meeting, ROLL)
    console = meeting.console()
    proposal = ok(console, "proposal.create", {"title": "周末开放活动室"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "unit": "person", "closes_in_minutes": 600})["poll_id"]
    neighbour = remote_join(app, meeting.code, "周阿姨", "5-101")
    assert neighbour.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "yes"}).status_code == 302
    passer_by = remote_join(app, meeting.code, "路人", "")
    page = passer_by.get(f"/join/{meeting.code}/remote").get_data(as_text=True)
    assert 'name="choice"' not in page and "会前远程投票仅限住户名册上的住户" in page
    r = passer_by.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"})
    assert r.status_code == 400
    assert _poll(latest_state(console), poll)["tally"]["cast"] == 1

    ok(console, "step.advance")
    ok(console, "step.advance")  # decide: the meeting itself
    assert passer_by.post(f"/join/{meeting.code}/remote/{poll}", data={"choice": "no"}).status_code == 302
    assert _poll(latest_state(console), poll)["tally"]["cast"] == 2


@pytest.mark.parametrize("steps", [0, 1])  # raise, discuss
def test_before_decide_a_poll_opens_only_with_a_window_and_the_steps_move_around_it(meeting, app, steps):
    console = meeting.console()
    for _ in range(steps):
        ok(console, "step.advance")
    first = ok(console, "proposal.create", {"title": "楼道装灯"})["proposal_id"]
    assert refused(console, "poll.open", {"proposal_id": first})["code"] == "window_required"
    poll = ok(console, "poll.open", {"proposal_id": first, "closes_in_minutes": 90})["poll_id"]
    assert refused(console, "proposal.edit", {"proposal_id": first, "title": "改"})["code"] == "proposal_voted"
    # back and forth through decide: a windowed poll holds no move
    if steps:
        ok(console, "step.back")
    ok(console, "step.advance")
    ok(console, "step.advance")
    ok(console, "step.back")
    ok(console, "step.advance")
    assert latest_state(console)["session"]["step"] == "decide"
    # a poll without a window, opened in decide, still holds it
    second = ok(console, "proposal.create", {"title": "车棚"})["proposal_id"]
    plain = ok(console, "poll.open", {"proposal_id": second})["poll_id"]
    assert refused(console, "step.advance")["code"] == "poll_still_open"
    ok(console, "poll.close", {"poll_id": plain})
    ok(console, "step.advance")
    assert refused(console, "proposal.create", {"title": "晾衣架"})["code"] == "wrong_step"
    assert _poll(latest_state(console), poll)["status"] == "open"


def test_no_poll_opens_after_decide(meeting):
    console = meeting.console()
    ok(console, "step.advance")
    ok(console, "step.advance")
    proposal = ok(console, "proposal.create", {"title": "楼道装灯"})["proposal_id"]
    ok(console, "step.advance")  # do
    assert refused(console, "poll.open", {"proposal_id": proposal, "closes_in_minutes": 60})["code"] == "wrong_step"


def test_a_poll_opened_before_the_meeting_stays_open_at_least_until_the_meeting_starts(meeting, app):
    """The meeting notice says "or vote at the meeting": a window ending before the meeting
    starts is refused, saying when the meeting starts in the council's time zone."""
    from council.models import Session
    from council.models.base import utcnow
    with app.app_context():
        s = get_db().get_one(Session, meeting.session_id)
        s.starts_at = utcnow().replace(microsecond=0) + dt.timedelta(days=3)
        get_db().commit()
        starts = s.starts_at
    console = meeting.console()
    proposal = ok(console, "proposal.create", {"title": "更换单元门禁"})["proposal_id"]
    short = refused(console, "poll.open", {"proposal_id": proposal, "closes_in_minutes": 2 * 24 * 60})
    assert short["code"] == "window_before_meeting"
    from council.localtime import local
    with app.app_context():
        assert local(starts).strftime("%Y-%m-%d %H:%M") in short["message"] and "会议开始" in short["message"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "closes_in_minutes": 4 * 24 * 60})["poll_id"]
    assert deadline_of(app, poll) >= starts


def test_before_decide_the_room_channels_wait_for_the_meeting(meeting, app):
    """Hands, paper and entered votes are the room's: refused in raise and discuss, taken in decide."""
    console = meeting.console()
    proposal = ok(console, "proposal.create", {"title": "楼顶加装晾衣架"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "closes_in_minutes": 600})["poll_id"]
    meeting.phone("李阿姨", "3-101")
    state = latest_state(console)
    person = state["participants"]["list"][0]["id"]
    for event, payload in (("ballot.enter", {"poll_id": poll, "choice": "yes", "participant_id": person}),
                           ("poll.count", {"poll_id": poll, "channel": "hands", "yes": 3, "no": 0, "abstain": 0})):
        assert refused(console, event, payload)["code"] == "wrong_step"
    assert _poll(latest_state(console), poll)["tally"]["cast"] == 0
    ok(console, "step.advance")
    ok(console, "step.advance")
    ok(console, "ballot.enter", {"poll_id": poll, "choice": "yes", "participant_id": person})
    assert _poll(latest_state(console), poll)["tally"]["cast"] == 1

