"""A meeting set up for tests: facilitator, council, session and the clients around it."""
from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from council.db import get_db
from council.extensions import socketio
from council.services import Actor, accounts, sessions

PASSWORD = "secret-pass"


class Meeting:
    def __init__(self, app: Any, title: str = "院落环境议事会", format: str = "plain") -> None:
        self.app = app
        self.clients: list[Any] = []
        with app.app_context():
            db = get_db()
            facilitator = accounts.add_facilitator(db, "王主任", PASSWORD)
            me = Actor.facilitator(facilitator.id)
            street = sessions.create_council(db, me, "前门街道", "subdistrict")
            community = sessions.create_council(db, me, "草厂社区", "community", street.id)
            courtyard = sessions.create_council(db, me, "天坛东路64号院", "courtyard", community.id)
            session = sessions.create_session(db, me, courtyard.id, title,
                                              dt.datetime(2026, 11, 24, 19, 0, tzinfo=dt.timezone.utc),
                                              place="活动室", recorder="赵记录", format=format)
            self.facilitator_id, self.session_id, self.code = facilitator.id, session.id, session.join_code
            self.council_id = courtyard.id
        self.web = self.login()

    def login(self, name: str = "王主任", password: str = PASSWORD) -> Any:
        web = self.app.test_client()
        response = web.post("/login", data={"name": name, "password": password})
        assert response.status_code == 302, response.data
        return web

    def console(self) -> Any:
        return self._connect(flask_test_client=self.web, auth={"role": "console", "session_id": self.session_id})

    def projector(self) -> Any:
        return self._connect(flask_test_client=self.web, auth={"role": "projector", "session_id": self.session_id})

    def join(self, name: str, door: str = "", token: str | None = None) -> dict[str, Any]:
        body = {"name": name, "door": door}
        if token:
            body["token"] = token
        response = self.app.test_client().post(f"/api/join/{self.code}", json=body)
        assert response.status_code == 200, response.json
        return response.json

    def phone(self, name: str, door: str = "") -> Any:
        joined = self.join(name, door)
        client = self._connect(auth={"role": "phone", "code": self.code, "token": joined["device_token"]})
        client.token = joined["device_token"]
        client.participant_id = joined["participant_id"]
        return client

    def _connect(self, **kwargs: Any) -> Any:
        client = socketio.test_client(self.app, **kwargs)
        assert client.is_connected(), "connection refused"
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
    if "me" in view and event == "rating.give":
        view["me"]["ratings"][str(reply["action_id"])] = reply["value"]
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
        received += client.get_received()
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
            if str(poll["id"]) in patch["data"] and poll["status"] == "open":
                poll.update(patch["data"][str(poll["id"])])
    else:
        state[patch["part"]] = patch["data"]


def heads(tally: dict[str, Any]) -> dict[str, int]:
    """The head counts of a tally, without floor areas."""
    return {k: tally[k] for k in ("yes", "no", "abstain", "cast")}
