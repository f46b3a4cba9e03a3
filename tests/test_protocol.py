"""docs/protocol.md and the server agree: every error code, every route, and what a second
client, written from that page alone, found the server doing differently."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import socketio as socketio_client

from council.messages import FIELDS, MESSAGES
from tests.helpers import client_id, ok, refused

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
CATALOG = ROOT / "council" / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"


def section(title: str) -> str:
    """The text of one `## title` section of the protocol."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, re.S | re.M)
    assert match, f"docs/protocol.md has no section {title!r}"
    return match.group(1)


# --- every error code the server can raise ---------------------------------------------------

def _codes_in(node: ast.expr) -> set[str] | None:
    """The codes an expression can evaluate to, or None when they cannot be read off the source."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _codes_in(node.body), _codes_in(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def raised_codes() -> tuple[set[str], list[str]]:
    """Codes of every `DomainError(code, …)` and `parse_enum(kind, value, code)` in `council/`,
    and the places whose code is not written there (a variable)."""
    codes: set[str] = set()
    unread: list[str] = []
    for path in sorted((ROOT / "council").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # `describe(DomainError("csv_imported", …))` words a page's message; nothing is raised
        worded = {id(n.args[0]) for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and _name(n.func) == "describe" and n.args}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in worded:
                continue
            name = _name(node.func)
            if name == "DomainError" and node.args:
                found = _codes_in(node.args[0])
            elif name == "parse_enum" and len(node.args) == 3:
                found = _codes_in(node.args[2])
            else:
                continue
            if found is None:
                unread.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            else:
                codes |= found
    return codes, unread


def documented_codes() -> set[str]:
    """The codes in the first column of the error table."""
    rows = [line for line in section("Errors").splitlines() if line.startswith("| `")]
    return {code for row in rows for code in re.findall(r"`([a-z_]+)`", row.split("|")[1])}


def test_the_scan_finds_codes_raised_directly_conditionally_and_through_parse_enum():
    codes, _ = raised_codes()
    assert {"wrong_step", "not_facilitator", "not_participant", "invalid_owner_kind", "invalid_change",
            "unknown_rule", "no_such_article"} <= codes
    assert "csv_imported" not in codes  # a message on the page, not an error


def test_every_code_is_read_off_the_source():
    _, unread = raised_codes()
    # parse_enum raises the code its callers name: those are scanned at each call
    assert all(place.startswith("council/domain/errors.py:") for place in unread), unread


def test_every_error_code_the_server_raises_is_in_the_error_table():
    codes, _ = raised_codes()
    missing = sorted(codes - documented_codes())
    assert not missing, f"docs/protocol.md's error table lacks {missing}"


def test_the_error_table_lists_no_code_the_server_never_raises():
    codes, _ = raised_codes()
    stale = sorted(documented_codes() - codes - {"timeout"})
    assert not stale, f"docs/protocol.md lists codes nothing raises: {stale}"


def test_every_error_code_has_a_translated_message():
    from babel.messages.pofile import read_po
    with open(CATALOG, "rb") as fh:
        catalog = read_po(fh)
    codes, _ = raised_codes()
    assert not sorted(codes - set(MESSAGES)), "council/messages.py MESSAGES lacks these codes"
    untranslated = sorted(code for code in codes
                          if not (m := catalog.get(MESSAGES[code]._args[0])) or not m.string or m.fuzzy)
    assert not untranslated, f"no Chinese for {untranslated}"
    for field in ("door", "name", "text"):
        message = catalog.get(FIELDS[field]._args[0])
        assert message and message.string


# --- every HTTP route ------------------------------------------------------------------------

def _shape(path: str) -> str:
    return re.sub(r"<[^>]*>", "<>", path.split("?")[0])


def documented_routes() -> set[tuple[str, str]]:
    routes = set()
    for line in section("HTTP").splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| `") else ""
        match = re.fullmatch(r"`([A-Z, ]+) (/\S*)`", cell)
        if match:
            routes |= {(method.strip(), _shape(match.group(2))) for method in match.group(1).split(",")}
    return routes


def test_every_http_route_is_documented(app):
    served = {(method, _shape(rule.rule)) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert ("GET", "/console/<>") in served
    missing = sorted(served - documented_routes())
    assert not missing, f"docs/protocol.md's HTTP section lacks {missing}"
    stale = sorted(documented_routes() - served)
    assert not stale, f"docs/protocol.md documents routes the server does not have: {stale}"


# --- what a second client found --------------------------------------------------------------

def test_a_refused_connection_gets_the_error_object_over_the_wire(tmp_path):
    """A real python-socketio client against `council serve`: `connect_error` carries
    `{"code", "message", "params"}`, as the JavaScript client's `err.data`."""
    from tests.servers import Server
    server = Server({"COUNCIL_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}", "COUNCIL_SECRET_KEY": "k"},
                    tmp_path / "server.log").start()
    client = socketio_client.Client(reconnection=False)
    errors: list[object] = []
    client.on("connect_error", errors.append)
    try:
        with pytest.raises(socketio_client.exceptions.ConnectionError):
            client.connect(server.url, auth={"role": "phone", "code": "000000", "token": "x" * 32},
                           transports=["websocket"], wait_timeout=10)
    finally:
        client.disconnect()
        server.stop()
    assert len(errors) == 1
    error = errors[0]
    assert isinstance(error, dict) and isinstance(error["data"], dict), error
    assert error["data"]["code"] == "unknown_code" and error["data"]["params"] == {}
    assert error["message"] == error["data"]["message"] and "Error" not in error["message"]


def test_a_too_long_door_names_the_request_field(meeting):
    r = meeting.app.test_client().post(f"/api/join/{meeting.code}", json={"name": "李", "door": "1" * 21})
    assert r.status_code == 400
    error = r.json["error"]
    assert error["code"] == "text_too_long" and error["params"] == {"field": "door", "maximum": 20}
    assert "门牌号" in error["message"]
    console = meeting.console()
    error = refused(console, "participant.add", {"name": "李", "door": "1" * 21})
    assert error["params"]["field"] == "door" and "门牌号" in error["message"]


@pytest.mark.parametrize("body, field", [
    ({"name": "李", "doorNumber": "3-101"}, "doorNumber"),
    ({"name": "李", "token": 5}, "token"),
    ({"name": "李", "door": "3-101", "role": "console"}, "role"),
])
def test_join_refuses_unknown_and_mistyped_fields(meeting, body, field):
    r = meeting.app.test_client().post(f"/api/join/{meeting.code}", json=body)
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_field"
    assert r.json["error"]["params"] == {"field": field}


def test_took_part_holds_poll_ids_as_integers(meeting):
    console, phone = meeting.console(), meeting.phone("李阿姨")
    ok(console, "step.advance")
    ok(console, "step.advance")
    proposal = ok(console, "proposal.create", {"title": "增设电动车充电桩"})["proposal_id"]
    poll = ok(console, "poll.open", {"proposal_id": proposal, "secret": True})["poll_id"]
    ok(phone, "ballot.cast", {"poll_id": poll, "choice": "yes", "client_id": client_id()})
    ok(console, "poll.close", {"poll_id": poll})
    assert ok(phone, "state.get")["state"]["me"]["took_part"] == [poll]


def test_a_client_without_a_browser_joins_without_a_csrf_token(database_url):
    """The JSON join needs no page first; the forms still need their CSRF token, and a browser
    page of another origin cannot join."""
    from tests.conftest import close_app, make_app
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    with app.app_context():
        code = _session_code(app)
    client = app.test_client()
    r = client.post(f"/api/join/{code}", json={"name": "李阿姨"})
    assert r.status_code == 200 and r.json["participant_id"]
    r = client.post(f"/api/join/{code}", json={"name": "李阿姨"}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 400 and r.json["error"]["params"] == {"field": "origin"}
    r = client.post(f"/api/join/{code}", json={"name": "李阿姨"}, headers={"Origin": "http://localhost"})
    assert r.status_code == 200
    r = client.post(f"/api/join/{code}", data='{"name": "李阿姨"}', content_type="text/plain")
    assert r.status_code == 400  # what a cross-site form could send is not JSON
    assert client.post("/login", data={"name": "x", "password": "y"}).status_code == 400  # CSRF
    close_app(app)


def _session_code(app) -> str:
    import datetime as dt
    from council.db import get_db
    from council.services import Actor, accounts, sessions
    db = get_db()
    me = Actor.facilitator(accounts.add_facilitator(db, "王主任", "secret-pass").id)
    council = sessions.create_council(db, me, "西院", "courtyard")
    return sessions.create_session(db, me, council.reply["council_id"], "西院议事会", dt.datetime.now(dt.timezone.utc)).reply["join_code"]


def test_creating_a_council_tells_its_id(meeting):
    r = meeting.web.post("/console/councils", data={"name": "东院", "level": "courtyard"})
    assert r.status_code == 302
    council_id = int(re.search(r"[?&]council=(\d+)", r.headers["Location"]).group(1))
    r = meeting.web.post("/console/councils", data={"name": "南院", "level": "courtyard"},
                         headers={"Accept": "application/json"})
    assert r.status_code == 201 and r.json == {"ok": True, "council_id": council_id + 1}
    r = meeting.web.post("/console/councils", data={"name": "北院", "level": "castle"},
                         headers={"Accept": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_level"
