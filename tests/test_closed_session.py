"""After the end: what a phone shows of a closed session, to a participant and a latecomer alike."""
from __future__ import annotations

import json
import re

from tests.helpers import Meeting, assert_reload_equals_live, client_id, latest_state, ok, refused


def _closed_session(meeting: Meeting):
    """A short session run to its end, a countdown left running; the phone that took part."""
    console, li = meeting.console(), meeting.phone("李阿姨", "3-101")
    ok(console, "step.advance")
    bins = ok(console, "proposal.create", {"title": "增设分类垃圾桶"})["proposal_id"]
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": bins})["poll_id"]
    ok(li, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    ok(console, "step.advance")
    decision = latest_state(console)["polls"][0]["decision"]["id"]
    action = ok(console, "action.create", {"decision_id": decision, "what": "东门增设两组分类桶", "owner": "物业公司",
                                           "deadline": "2026-12-15"})["action_id"]
    ok(console, "step.advance")
    ok(console, "rating.open", {"action_id": action, "open": True})
    ok(li, "rating.give", {"action_id": action, "value": "basic"})
    ok(console, "timer.set", {"seconds": 300})
    ok(console, "step.advance")
    return console, li


def _boot(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="boot">(.*?)</script>', page, re.S).group(1))


def test_a_latecomer_lands_on_what_the_closed_session_decided(meeting, client):
    open_page = client.get(f"/join/{meeting.code}").get_data(as_text=True)
    assert 'id="join-form"' in open_page and _boot(open_page)["closed"] is None
    console, li = _closed_session(meeting)

    page = client.get(f"/join/{meeting.code}").get_data(as_text=True)  # no device token: a latecomer
    assert 'id="join-form"' not in page, "a closed session takes no one in: no form to fill in vain"
    assert f'href="/record/session/{meeting.session_id}"' in page
    closed = _boot(page)["closed"]
    assert closed["session"]["step"] == "closed" and "me" not in closed
    assert closed["session"]["timer_ends_at"] is None, "no countdown, no 时间到, after the end"
    assert closed["polls"][0]["certificate"]["passed"] is True
    assert closed["proposals"][0]["title"] == "增设分类垃圾桶"
    action = closed["actions"][0]
    assert (action["owner"], action["deadline"], action["ratings"]["basic"]) == ("物业公司", "2026-12-15", 1)
    assert "ballots" not in closed and "list" not in closed["participants"], "the phones' view, not the console's"

    # What the latecomer's page draws from is what the phone that was there has, live.
    assert_reload_equals_live(meeting)
    live = {k: v for k, v in latest_state(li, wait=0).items() if k != "me"}
    for view in (live, closed):
        view["session"].pop("server_now")
    assert live == closed

    r = client.post(f"/api/join/{meeting.code}", json={"name": "晚到的"})
    assert r.status_code == 400 and r.json["error"]["code"] == "session_closed"
    assert refused(console, "participant.add", {"name": "王奶奶"})["code"] == "session_closed"
    assert client.get(f"/record/session/{meeting.session_id}").status_code == 200

    ok(console, "step.back")  # closed by a slip of the finger: the door opens again
    page = client.get(f"/join/{meeting.code}").get_data(as_text=True)
    assert 'id="join-form"' in page and _boot(page)["closed"] is None
