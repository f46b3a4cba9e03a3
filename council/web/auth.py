"""Facilitator login: a password account and a session cookie."""
from __future__ import annotations

import functools
from typing import Any, Callable

from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, session, url_for

from council.db import get_db
from council.domain import DomainError
from council.messages import describe, error_payload
from council.models import Council, Facilitator, Session
from council.services import accounts

bp = Blueprint("auth", __name__)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fid = session.get("facilitator_id")
        g.facilitator = get_db().get(Facilitator, fid) if fid else None
        if g.facilitator is None:
            if request.path.startswith("/api/"):
                return jsonify(error_payload(DomainError("not_facilitator"))), 403
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def council_or_404(council_id: int) -> Council:
    """The council, or the page does not exist."""
    council = get_db().get(Council, council_id)
    if council is None:
        abort(404)
    return council


def own_session_or_404(session_id: int) -> Session:
    """The session, if the logged-in facilitator runs it; otherwise the page does not exist."""
    session = get_db().get(Session, session_id)
    if session is None or session.facilitator_id != g.facilitator.id:
        abort(404)
    return session


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    error = None
    if request.method == "POST":
        try:
            facilitator = accounts.authenticate(get_db(), request.form.get("name", ""),
                                                request.form.get("password", ""))
        except DomainError as err:
            error = describe(err)
        else:
            session.clear()
            session["facilitator_id"] = facilitator.id
            session.permanent = True
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//")
                            else url_for("console.dashboard"))
    return render_template("login.html", error=error), 200 if error is None else 400


@bp.post("/logout")
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))
