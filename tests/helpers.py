"""A meeting set up for tests: facilitator, council, session and the clients around it."""
from __future__ import annotations

import copy
import datetime as dt
import json
import time
import uuid
from typing import Any

from council.db import get_db
from council.extensions import socketio
from council.services import Actor, accounts, sessions

PASSWORD = "secret-pass"


class Meeting:
    def __init__(self, app: Any, title: str = "院落环境议事会", format: str = "plain",
                 check_live: bool = False) -> None:
        self.app = app
        self.clients: list[Any] = []
        # When set, every operation made through `ok` or an HTTP helper is followed by a check
        # that each connected page, built from what it received, equals a fresh reload.
        self.check_live = check_live
        with app.app_context():
            db = get_db()
            facilitator = accounts.add_facilitator(db, "王主任", PASSWORD)
            me = Actor.facilitator(facilitator.id)
            street = sessions.create_council(db, me, "前门街道", "subdistrict")
            community = sessions.create_council(db, me, "草厂社区", "community", street.reply["council_id"])
            courtyard = sessions.create_council(db, me, "天坛东路64号院", "courtyard", community.reply["council_id"])
            session = sessions.create_session(db, me, courtyard.reply["council_id"], title,
                                              dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.timezone.utc),
                                              place="活动室", recorder="赵记录", format=format)
            self.facilitator_id, self.session_id, self.code = facilitator.id, session.reply["session_id"], session.reply["join_code"]
            self.council_id = courtyard.reply["council_id"]
        self.web = self.login()

    def login(self, name: str = "王主任", password: str = PASSWORD) -> Any:
        web = self.app.test_client()
        response = web.post("/login", data={"name": name, "password": password})
        assert response.status_code == 302, response.data
        return web

    def console(self) -> Any:
        client = self._connect(flask_test_client=self.web, auth={"role": "console", "session_id": self.session_id})
        client.audience = "console"
        return client

    def projector(self) -> Any:
        client = self._connect(flask_test_client=self.web, auth={"role": "projector", "session_id": self.session_id})
        client.audience = "projector"
        return client

    def join(self, name: str, door: str = "", token: str | None = None) -> dict[str, Any]:
        body = {"name": name, "door": door}
        if token:
            body["token"] = token
        response = self.app.test_client().post(f"/api/join/{self.code}", json=body)
        assert response.status_code == 200, response.json
        self.after_change()
        return response.json

    def post(self, url: str, **kwargs: Any) -> Any:
        """A form posted on the facilitator's pages (an HTTP change), then the live check."""
        response = self.web.post(url, **kwargs)
        self.after_change()
        return response

    def after_change(self) -> None:
        if self.check_live:
            assert_reload_equals_live(self)

    def phone(self, name: str, door: str = "") -> Any:
        joined = self.join(name, door)
        client = self._connect(auth={"role": "phone", "code": self.code, "token": joined["device_token"]})
        client.token = joined["device_token"]
        client.participant_id = joined["participant_id"]
        client.audience = "phone"
        return client

    def _connect(self, **kwargs: Any) -> Any:
        client = socketio.test_client(self.app, **kwargs)
        assert client.is_connected(), "connection refused"
        client.meeting = self
        self.clients.append(client)
        return client

    def disconnect_all(self) -> None:
        for c in self.clients:
            if c.is_connected():
                c.disconnect()


def ok(client: Any, event: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = client.emit(event, payload or {}, callback=True)
    assert reply["ok"], (event, reply)
    view = latest_state(client, wait=0)
    if "me" in reply:  # as the phone page does with an acknowledgement
        view["me"] = reply["me"]
    if "me" in view and event == "ballot.cast":
        view["me"]["ballots"][str(reply["poll_id"])] = reply["choice"]
        view["me"].get("set_by", {}).pop(str(reply["poll_id"]), None)  # this phone's vote now
    if "me" in view and event == "rating.give":
        view["me"]["ratings"][str(reply["action_id"])] = reply["value"]
    meeting = getattr(client, "meeting", None)
    if meeting is not None:
        meeting.after_change()
    return reply


def refused(client: Any, event: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = client.emit(event, payload or {}, callback=True)
    assert reply["ok"] is False, (event, reply)
    return reply["error"]


def client_id() -> str:
    return uuid.uuid4().hex


def latest_state(client: Any, wait: float = 0.15) -> dict[str, Any]:
    """Replay what a client received into the state its page would show."""
    deadline = time.monotonic() + wait
    state: dict[str, Any] = getattr(client, "view", {})
    received: list[dict[str, Any]] = []
    while True:
        batch = client.get_received()
        received += batch
        client.log = getattr(client, "log", []) + batch  # every message, for tests of what was sent
        if time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    for message in received:
        name, args = message["name"], message["args"]
        if name == "state":
            state.clear()
            state.update(args[0])
        elif name == "patch":
            apply(state, args[0])
        elif name == "patches":
            for patch in args[0]:
                apply(state, patch)
        elif name == "me":
            state["me"] = args[0]
    client.view = state
    return state


def apply(state: dict[str, Any], patch: dict[str, Any]) -> None:
    if patch["part"] == "tally":
        for poll in state.get("polls", []):
            if str(poll["id"]) in patch["data"] and poll["status"] == "open":  # as common.js does
                poll.update(patch["data"][str(poll["id"])])
    else:
        state[patch["part"]] = patch["data"]


def heads(tally: dict[str, Any]) -> dict[str, int]:
    """The head counts of a tally, without floor areas."""
    return {k: tally[k] for k in ("yes", "no", "abstain", "cast")}


def assert_reload_equals_live(meeting: Meeting) -> None:
    """Each connected page's state, built from the snapshot and every patch it received, is
    exactly what a reload would show it now (the server's clock aside)."""
    from council.live.broadcast import drain
    from council.services import state
    assert drain(timeout=10), "coalesced batches still pending"  # a loaded machine may be slow to send them
    for client in meeting.clients:
        if not client.is_connected() or not hasattr(client, "audience"):
            continue
        live = copy.deepcopy(latest_state(client, wait=0))
        with meeting.app.app_context():
            reload = state.snapshot(get_db(), meeting.session_id, client.audience,
                                    participant_id=getattr(client, "participant_id", None)
                                    if client.audience == "phone" else None)
        for view in (live, reload):
            view.get("session", {}).pop("server_now", None)
        reload = json.loads(json.dumps(reload))  # as it travels: tuples are lists, keys are text
        if live != reload:
            diff = {k: (live.get(k), reload.get(k)) for k in set(live) | set(reload) if live.get(k) != reload.get(k)}
            raise AssertionError(f"the {client.audience} page differs from a reload: {diff}")
