"""Facilitator login: a password account and a session cookie."""
from __future__ import annotations

import functools
from typing import Any, Callable

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, session, url_for

from council.db import get_db
from council.domain import DomainError
from council.messages import describe, error_payload
from council import policy, throttle
from council.extensions import socketio
from council.live.broadcast import publish
from council.models import Council, Facilitator, Session
from council.web.links import local_path
from council.services import Actor, Outcome, accounts

bp = Blueprint("auth", __name__)


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        fid = session.get("facilitator_id")
        facilitator = get_db().get(Facilitator, fid) if isinstance(fid, int) else None
        # A cookie from before the account's last logout or password change opens nothing.
        g.facilitator = facilitator if accounts.holds(facilitator, session.get("facilitator_epoch")) else None
        if g.facilitator is None:
            session.pop("facilitator_id", None)
            session.pop("facilitator_epoch", None)
            if request.path.startswith("/api/"):
                return jsonify(error_payload(DomainError("not_facilitator"))), 403
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)
    return wrapped


def actor() -> Actor:
    """The logged-in facilitator, as services and the policy know them."""
    return Actor.facilitator(g.facilitator.id)


def council_or_404(council_id: int) -> Council:
    """The council, if the policy lets the logged-in facilitator reach it; else no such page."""
    try:
        return policy.council(get_db(), actor(), council_id)
    except DomainError:
        abort(404)


def own_session_or_404(session_id: int) -> Session:
    """The session, if the policy lets the logged-in facilitator run it; else no such page."""
    try:
        return policy.session(get_db(), actor(), session_id)
    except DomainError:
        abort(404)


def carry_out(operation: Callable[[Actor], Outcome]) -> Outcome | None:
    """Run a form's operation as the logged-in facilitator and publish what it changed to
    the live screens; a refusal becomes a flashed message and changes nothing."""
    try:
        outcome = operation(actor())
    except DomainError as err:
        get_db().rollback()
        flash(describe(err), "error")
        return None
    publish(outcome)
    return outcome


def log_in(facilitator: Facilitator) -> None:
    """Start a login: a fresh cookie carrying the account and its current epoch (a logout or
    a password change moves the epoch on and ends it), lasting `login_days`."""
    session.clear()
    session["facilitator_id"] = facilitator.id
    session["facilitator_epoch"] = facilitator.session_epoch
    session.permanent = True


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Log in; a locked account or address is refused before its password is even checked."""
    if request.method == "GET":
        return render_template("login.html", error=None)
    name, db = request.form.get("name", ""), get_db()
    try:
        throttle.check_login(name)
        facilitator = accounts.authenticate(db, name, request.form.get("password", ""))
    except DomainError as err:
        refusal = (throttle.login_failed(db, name) or err) if err.code == "bad_login" else err
        if refusal.code == "login_locked":
            return render_template("login.html", error=describe(refusal)), 429, \
                {"Retry-After": str(refusal.params["retry_after"])}
        return render_template("login.html", error=describe(refusal)), 400
    log_in(facilitator)
    target = request.args.get("next", "")
    return redirect(local_path(target, url_for("console.dashboard")))


@bp.post("/logout")
def logout() -> Any:
    """Log the account out everywhere: every cookie of it stops working, and its open consoles
    and projectors, in every server process, are disconnected."""
    fid, db = session.get("facilitator_id"), get_db()
    if accounts.epoch_holds(db, fid, session.get("facilitator_epoch")):
        accounts.end_sessions(db, fid)
        socketio.close_room(accounts.screens_room(fid))
    session.clear()
    return redirect(url_for("auth.login"))
