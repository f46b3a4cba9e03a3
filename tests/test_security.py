"""Rules enforced on the server: residents cannot act as facilitators, bad input changes nothing."""
from __future__ import annotations

import pytest

from council.domain import DomainError
from council.extensions import socketio
from council.live.events import EVENTS
from tests.helpers import client_id, latest_state, ok, refused

FACILITATOR_EVENTS = sorted(name for name, e in EVENTS.items() if e.roles == {"console"})
SAMPLE = {"timer.set": {"seconds": 60}, "topic.edit": {"topic_id": 1, "text": "x"},
          "topic.hide": {"topic_id": 1, "hidden": True}, "topic.merge": {"source_id": 1, "target_id": 2},
          "proposal.create": {"title": "x"}, "proposal.edit": {"proposal_id": 1, "title": "x"},
          "proposal.withdraw": {"proposal_id": 1}, "action.withdraw": {"action_id": 1},
          "poll.open": {"proposal_id": 1}, "poll.close": {"poll_id": 1},
          "action.create": {"decision_id": 1, "what": "x", "owner": "y", "deadline": "2026-12-01"},
          "action.update": {"action_id": 1, "status": "done"}, "rating.open": {"action_id": 1, "open": True},
          "participant.add": {"name": "张奶奶"}, "poll.count": {"poll_id": 1, "channel": "hands", "yes": 3, "no": 0,
                                                              "abstain": 0},
          "ballot.enter": {"poll_id": 1, "choice": "yes", "participant_id": 1},
          "poll.attendance": {"poll_id": 1, "present": 20},
          "proposal.article": {"proposal_id": 1, "kind": "add"},
          "dots.rules": {"dots": 3, "per_topic": 2}, "dots.open": {"open": True},
          "dot.enter": {"participant_id": 1, "target_id": 1, "count": 1},
          "agenda.setup": {"spaces": ["东侧桌"], "slots": ["14:00"]}, "agenda.place": {},
          "agenda.move": {"topic_id": 1}, "cafe.setup": {"tables": ["青松"], "rounds": [{"minutes": 5, "question": "?"}]},
          "cafe.host": {"table_id": 1, "participant_id": 1}, "cafe.seat": {}, "cafe.round": {},
          "participant.leave": {"participant_id": 1, "left": True}, "idea.hide": {"idea_id": 1, "hidden": True},
          "topic.unmerge": {"topic_id": 1}, "topic.approve": {"topic_id": 1}, "topic.reject": {"topic_id": 1},
          "session.moderation": {"on": True}, "idea.approve": {"idea_id": 1}, "idea.reject": {"idea_id": 1}}


def test_every_facilitator_event_is_listed():
    assert set(FACILITATOR_EVENTS) == {"step.advance", "step.back", *SAMPLE}


@pytest.mark.parametrize("event", FACILITATOR_EVENTS)
def test_resident_cannot_send_facilitator_event(meeting, event):
    phone = meeting.phone("李阿姨")
    projector = meeting.projector()
    before = latest_state(meeting.console())
    assert refused(phone, event, SAMPLE.get(event, {}))["code"] == "not_facilitator"
    assert refused(projector, event, SAMPLE.get(event, {}))["code"] == "not_facilitator"
    after = ok(meeting.console(), "state.get")["state"]
    assert set(after) == set(before)
    for part in before:
        if part == "session":
            before[part].pop("server_now"), after[part].pop("server_now")
        assert after[part] == before[part]


def test_facilitator_of_another_session_is_refused(meeting, app):
    """Another facilitator, with a council of their own, reaches nothing of this one: not its
    console, not its rows (ids are guessable; another session's ids answer `not_found`)."""
    from council.db import get_db
    from council.services import Actor, accounts, sessions
    import datetime as dt
    with app.app_context():
        other = accounts.add_facilitator(get_db(), "另一位", "password-2")
        with pytest.raises(DomainError):  # not their council
            sessions.create_session(get_db(), Actor.facilitator(other.id), meeting.council_id, "别的会",
                                    dt.datetime.now(dt.timezone.utc))
        theirs = sessions.create_council(get_db(), Actor.facilitator(other.id), "别的院", "courtyard")
        s = sessions.create_session(get_db(), Actor.facilitator(other.id), theirs.reply["council_id"], "别的会",
                                    dt.datetime.now(dt.timezone.utc))
    web = meeting.login("另一位", "password-2")
    client = socketio.test_client(app, flask_test_client=web, auth={"role": "console", "session_id": meeting.session_id})
    assert not client.is_connected()
    mine = socketio.test_client(app, flask_test_client=web, auth={"role": "console", "session_id": s.reply["session_id"]})
    assert mine.is_connected()
    meeting.console()  # the owner's console works
    phone = meeting.phone("李阿姨")
    topic = ok(phone, "topic.raise", {"text": "楼道灯坏了"})["topic_id"]
    assert refused(mine, "topic.hide", {"topic_id": topic, "hidden": True})["code"] == "not_found"
    assert latest_state(meeting.console())["topics"][0]["hidden"] is False
    mine.disconnect()


def test_connections_without_credentials_are_refused(meeting, app):
    for auth in (None, {}, {"role": "console", "session_id": meeting.session_id}, {"role": "admin"},
                 {"role": "phone", "code": meeting.code, "token": "forged-token-forged-token"},
                 {"role": "phone", "code": "000000", "token": "x" * 32}):
        client = socketio.test_client(app, auth=auth)
        assert not client.is_connected(), auth


@pytest.mark.parametrize("payload, code", [
    ("not an object", "invalid_field"), (["a"], "invalid_field"), ({}, "invalid_field"),
    ({"text": 5}, "invalid_field"), ({"text": "ok", "extra": 1}, "invalid_field"),
    ({"text": ""}, "text_empty"), ({"text": "   "}, "text_empty"), ({"text": "长" * 201}, "text_too_long"),
])
def test_malformed_or_bad_topic_changes_nothing(meeting, payload, code):
    phone = meeting.phone("李阿姨")
    error = refused(phone, "topic.raise", payload)
    assert error["code"] == code and error["message"]
    assert ok(phone, "state.get")["state"]["topics"] == []


def test_bad_votes_are_refused_and_change_nothing(meeting):
    console, phone = meeting.console(), meeting.phone("李阿姨")
    ok(console, "step.advance")
    ok(console, "step.advance")
    poll = ok(console, "poll.open", {"proposal_id": ok(console, "proposal.create", {"title": "装车棚"})["proposal_id"]})["poll_id"]
    cases = [({"poll_id": poll, "choice": "maybe", "client_id": client_id()}, "invalid_choice"),
             ({"poll_id": poll, "choice": "yes", "client_id": "short"}, "invalid_field"),
             ({"poll_id": "1", "choice": "yes", "client_id": client_id()}, "invalid_field"),
             ({"poll_id": True, "choice": "yes", "client_id": client_id()}, "invalid_field"),
             ({"poll_id": 999, "choice": "yes", "client_id": client_id()}, "not_found")]
    for payload, code in cases:
        assert refused(phone, "ballot.cast", payload)["code"] == code, payload
    assert refused(console, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})["code"] == "not_participant"
    assert ok(console, "state.get")["state"]["polls"][0]["tally"]["cast"] == 0


def test_unknown_event_gets_a_clear_error(meeting):
    phone = meeting.phone("李阿姨")
    error = refused(phone, "session.delete", {})
    assert error["code"] == "unknown_event" and error["message"] == "无法识别的请求。"


def test_errors_are_translated_for_english_phones(meeting, app):
    joined = meeting.join("Li")
    web = app.test_client()
    web.set_cookie("lang", "en")
    phone = socketio.test_client(app, flask_test_client=web, auth={"role": "phone", "code": meeting.code,
                                                                    "token": joined["device_token"]})
    assert refused(phone, "topic.raise", {"text": ""})["message"] == "Please fill in the text."
    phone.disconnect()


def test_resident_cannot_touch_another_sessions_rows(meeting, app):
    """Ids are guessable: a phone of one session cannot support a topic of another."""
    import datetime as dt
    from council.db import get_db
    from council.services import Actor, sessions
    with app.app_context():
        other = sessions.create_session(get_db(), Actor.facilitator(meeting.facilitator_id), meeting.council_id,
                                        "另一场", dt.datetime.now(dt.timezone.utc))
        other_code = other.reply["join_code"]
    phone = meeting.phone("李阿姨")
    topic = ok(phone, "topic.raise", {"text": "本场议题"})["topic_id"]
    body = app.test_client().post(f"/api/join/{other_code}", json={"name": "外人"}).json
    stranger = socketio.test_client(app, auth={"role": "phone", "code": other_code, "token": body["device_token"]})
    assert refused(stranger, "topic.support", {"topic_id": topic, "on": True})["code"] == "not_found"
    stranger.disconnect()
