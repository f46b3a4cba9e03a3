"""The resident's pages: enter a code, join, take part live."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.extensions import csrf
from council.live.broadcast import publish
from council.messages import describe
from council.services import participants
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
    try:
        s = participants.session_by_code(get_db(), code)
    except DomainError as err:
        return render_template("phone/home.html", error=describe(err), code=code[:12]), 404
    return render_template("phone/session.html", session=s, strings=client_strings())


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
    outcome = participants.join(get_db(), code, body.get("name"), body.get("door", ""), body.get("token"))
    publish(outcome)
    return jsonify({"ok": True, **outcome.reply})


def _same_origin() -> bool:
    """No Origin header (not a browser), or the browser says the page came from this host."""
    origin = request.headers.get("Origin")
    return origin is None or urlsplit(origin).netloc == request.host
