"""The resident's pages: enter a code, join, take part live."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from council import throttle
from council.db import get_db
from council.domain import DomainError
from council.domain.steps import Step
from council.extensions import csrf
from council.live.broadcast import publish
from council.messages import describe
from council.services import participants, residents, state
from council.web.strings import client_strings

bp = Blueprint("phone", __name__)


@bp.get("/")
def home() -> Any:
    code = request.args.get("code", "").strip()
    if code:
        return redirect(url_for("phone.session", code=code))
    return render_template("phone/home.html")


@bp.get("/join/<code>")
def session(code: str) -> Any:
    # A phone that joined before carries its device token in a cookie (static/js/phone.js):
    # it reloads the page even from an address refused for guessing codes.
    token = request.cookies.get(f"council_token_{code}")
    try:
        s = throttle.session_by_code(get_db(), code, token)
    except DomainError as err:
        page = render_template("phone/home.html", error=describe(err), code=code[:12])
        if err.code == "rate_limited":
            return page, 429, {"Retry-After": str(err.params["retry_after"])}
        return page, 404
    # A closed session: whoever opens it, latecomer or not, lands on what it decided (the
    # phones' own state, drawn by the same script as live), never on a join form.
    closed = state.snapshot(get_db(), s.id, "phone") if s.step == Step.CLOSED else None
    return render_template("phone/session.html", session=s, strings=client_strings(), closed=closed,
                           home=residents.home_council(get_db(), s.council_id))


JOIN_FIELDS = ("name", "door", "token")


@bp.post("/api/join/<code>")
@csrf.exempt
def join(code: str) -> Any:
    """Join with a display name and optional door number; returns the device token.

    No CSRF token: the join carries no cookie and no other standing authority (the device token
    travels in the body), and it takes JSON only, which a cross-site form cannot send and a
    cross-site script cannot send without a CORS preflight this server never grants. A browser
    that names another origin is refused all the same. A mini-program needs no page first.
    """
    if not _same_origin():
        raise DomainError("invalid_field", field="origin")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes: not a join's body
        body = None
    if not isinstance(body, dict):
        raise DomainError("invalid_field", field="payload")
    unknown = sorted(set(body) - set(JOIN_FIELDS))
    if unknown:
        raise DomainError("invalid_field", field=unknown[0])
    if body.get("token") is not None and not isinstance(body["token"], str):
        raise DomainError("invalid_field", field="token")
    db = get_db()
    throttle.check_join(db, throttle.session_by_code(db, code, body.get("token")), body.get("token"))
    outcome = participants.join(db, code, body.get("name"), body.get("door", ""), body.get("token"))
    publish(outcome)
    return jsonify({"ok": True, **outcome.reply})


def _same_origin() -> bool:
    """No Origin header (not a browser), or the browser says the page came from this host."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host
