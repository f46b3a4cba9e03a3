"""A household's vote never flips on a phone without a word (issue 13, item 9): each phone's
`me` says who set the household's vote (another phone of it, the facilitator) and when, never a
secret choice it did not make; a phone that cannot vote in a household poll knows before a tap."""
from __future__ import annotations

import datetime as dt
import re

from council.localtime import local
from tests.helpers import Meeting, client_id, latest_state, ok, refused
from tests.test_decision_rules import deciding, import_roll, new_poll


def cast(phone, poll, choice):
    return ok(phone, "ballot.cast", {"poll_id": poll, "choice": choice, "client_id": client_id()})


def me(phone):
    return latest_state(phone)["me"]


def test_another_phone_of_the_household_changed_the_vote_and_when(meeting):
    import_roll(meeting)
    console = meeting.console()
    grandpa, grandma = meeting.phone("张大爷", "3-101"), meeting.phone("张大妈", "3-101")
    deciding(meeting, console)
    poll = new_poll(console, unit="household")
    cast(grandpa, poll, "yes")
    assert me(grandpa)["set_by"] == {}, "his own vote needs no explanation"
    before = dt.datetime.now(dt.timezone.utc)
    cast(grandma, poll, "no")
    seen = me(grandpa)
    assert seen["ballots"] == {str(poll): "no"}
    assert seen["set_by"][str(poll)]["by"] == "other_phone"
    at = seen["set_by"][str(poll)]["at"]
    assert re.fullmatch(r"\d\d:\d\d", at)
    # the council's clock (Asia/Shanghai by default), not UTC
    assert at in {local(before).strftime("%H:%M"), local(before + dt.timedelta(minutes=1)).strftime("%H:%M")}
    assert me(grandma)["set_by"] == {}, "the phone that voted is told nothing new"
    cast(grandpa, poll, "yes")  # he changes it back: his phone no longer says someone else did
    with meeting.app.app_context():
        from council.db import get_db
        from council.services import state
        again = state.me(get_db(), grandpa.participant_id)
    assert again["set_by"] == {} and again["ballots"] == {str(poll): "yes"}
    assert me(grandma)["set_by"][str(poll)]["by"] == "other_phone"


def test_the_facilitator_entering_the_household_vote_is_said(meeting):
    import_roll(meeting)
    console = meeting.console()
    grandpa = meeting.phone("张大爷", "3-101")
    deciding(meeting, console)
    poll = new_poll(console, unit="household")
    cast(grandpa, poll, "yes")
    ok(console, "ballot.enter", {"poll_id": poll, "door_number": "3-101", "choice": "abstain"})
    seen = me(grandpa)
    assert seen["ballots"] == {str(poll): "abstain"}
    assert seen["set_by"][str(poll)]["by"] == "facilitator"


def test_a_vote_entered_for_a_resident_reaches_her_phone(meeting):
    console = meeting.console()
    li = meeting.phone("李阿姨", "3-101")
    deciding(meeting, console)
    poll = new_poll(console)
    ok(console, "ballot.enter", {"poll_id": poll, "participant_id": li.participant_id, "choice": "yes"})
    seen = me(li)  # pushed to her phone, not only found at the next reload
    assert seen["ballots"] == {str(poll): "yes"} and seen["set_by"][str(poll)]["by"] == "facilitator"


def test_a_secret_household_vote_says_who_and_when_but_never_the_choice(meeting):
    import_roll(meeting)
    console = meeting.console()
    grandpa, grandma = meeting.phone("张大爷", "3-101"), meeting.phone("张大妈", "3-101")
    deciding(meeting, console)
    poll = new_poll(console, unit="household", secret=True)
    cast(grandpa, poll, "yes")
    cast(grandma, poll, "no")
    seen = me(grandpa)
    assert str(poll) not in seen["ballots"], "another phone's secret choice is not shown"
    assert seen["set_by"][str(poll)]["by"] == "other_phone"
    assert "no" not in str(seen["set_by"])
    assert me(grandma)["ballots"] == {str(poll): "no"}, "her own choice, while the poll is open"
    ok(console, "ballot.enter", {"poll_id": poll, "door_number": "3-101", "choice": "yes"})
    for phone in (grandpa, grandma):
        seen = me(phone)
        assert str(poll) not in seen["ballots"] and seen["set_by"][str(poll)]["by"] == "facilitator"
    ok(console, "poll.close", {"poll_id": poll})
    with meeting.app.app_context():
        from council.db import get_db
        from council.services import state
        for phone in (grandpa, grandma):
            after = state.me(get_db(), phone.participant_id)
            assert str(poll) not in after["ballots"] and str(poll) not in after["set_by"], "nothing links them after close"
            assert poll in after["took_part"]


def test_a_phone_without_a_household_knows_before_tapping(meeting):
    import_roll(meeting)
    console = meeting.console()
    visitor, tenant = meeting.phone("访客", ""), meeting.phone("租户", "3-201")  # no door; not an owner
    owner = meeting.phone("业主", "3-102")
    deciding(meeting, console)
    household = new_poll(console, "修缮楼道", unit="household")
    article_278 = new_poll(console, "加装电梯", unit="household", rule="civil_278_special")
    polls = {p["id"]: p for p in latest_state(visitor)["polls"]}
    assert polls[household]["owners_only"] is False and polls[article_278]["owners_only"] is True
    assert me(visitor)["household"] is None and me(visitor)["owner"] is None
    assert me(tenant)["household"] == "3-201" and me(tenant)["owner"] is False
    assert me(owner)["owner"] is True
    # what the phone says before the tap is what the server answers after one
    assert refused(visitor, "ballot.cast", {"poll_id": household, "choice": "yes", "client_id": client_id()})["code"] \
        == "no_household"
    assert refused(tenant, "ballot.cast", {"poll_id": article_278, "choice": "yes", "client_id": client_id()})["code"] \
        == "not_owner"


def test_reload_equals_live_with_household_notices(app):
    meeting = Meeting(app, check_live=True)
    try:
        import_roll(meeting)
        console = meeting.console()
        grandpa, grandma = meeting.phone("张大爷", "3-101"), meeting.phone("张大妈", "3-101")
        deciding(meeting, console)
        poll = new_poll(console, unit="household")
        cast(grandpa, poll, "yes")
        cast(grandma, poll, "no")
        ok(console, "ballot.enter", {"poll_id": poll, "door_number": "3-101", "choice": "abstain"})
        cast(grandpa, poll, "yes")
        secret = new_poll(console, "另一项", unit="household", secret=True)
        cast(grandma, secret, "no")
        cast(grandpa, secret, "yes")
    finally:
        meeting.disconnect_all()
