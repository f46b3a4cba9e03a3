"""The resident's pages: enter a code, join, take part live."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.live.broadcast import publish
from council.messages import describe, error_payload
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


@bp.post("/api/join/<code>")
def join(code: str) -> Any:
    """Join with a display name and optional door number; returns the device token."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error_payload(DomainError("invalid_field", field="payload"))), 400
    outcome = participants.join(get_db(), code, body.get("name"), body.get("door", ""), body.get("token"))
    publish(outcome)
    return jsonify({"ok": True, **outcome.reply})
