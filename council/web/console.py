"""The facilitator's pages: dashboard, console, projector, minutes."""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask import Blueprint, current_app, Response, flash, g, jsonify, redirect, render_template, request, url_for

from council import localtime, qr
from council.db import get_db
from council.domain import DomainError
from council.messages import describe
from council.services import Actor, accounts, audit, dashboard as desk, grants, sessions
from council.web.auth import actor, login_required, own_session_or_404
from council.web.links import join_url
from council.words import role_names
from council.web.strings import audit_value, audit_words, client_strings, format_names, level_names, owner_kinds, step_names

bp = Blueprint("console", __name__)


def local_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["COUNCIL"]["timezone"])


@bp.get("/console")
@login_required
def dashboard() -> Any:
    db = get_db()
    branches = grants.tree(db, actor())
    title, held = grants.roles_of(db, actor().id)
    listed = grants.sessions_of(db, actor())
    # the new-session form starts at the council just made, else the one last used
    made = request.args.get("council", "")
    chosen = int(made) if made.isdigit() else sessions.last_council(db, actor())
    # each council's issues not yet handled, and overdue escalations flagged up the tree
    flags = desk.inbox_flags(db, actor(), [b.council.id for b in branches], localtime.today())
    return render_template("console/dashboard.html", branches=branches, councils=[b.council for b in branches],
                           flags=flags,
                           title=title, held={c.id for c, _role in held}, roles=role_names(),
                           sessions=listed, decided=sessions.decided(db, [s.id for s in listed]), chosen=chosen,
                           tz=local_tz(),
                           lockouts=accounts.lockouts(db, g.facilitator),
                           steps=step_names(), levels=level_names(), formats=format_names(),
                           now=dt.datetime.now(local_tz()).strftime("%Y-%m-%dT%H:%M"))


@bp.post("/console/councils")
@login_required
def create_council() -> Any:
    parent = request.form.get("parent_id", "")
    wants_json = request.accept_mimetypes.best == "application/json"  # another client, not the page
    try:
        council = sessions.create_council(get_db(), Actor.facilitator(g.facilitator.id),
                                          request.form.get("name", ""), request.form.get("level", ""),
                                          int(parent) if parent.isdigit() else None)
    except DomainError as err:
        if wants_json:
            raise
        flash(describe(err), "error")
        return redirect(url_for("console.dashboard"))
    if wants_json:
        return jsonify({"ok": True, "council_id": council.reply["council_id"]}), 201
    # The new council's id rides in the redirect, so that a client need not parse the page.
    return redirect(url_for("console.dashboard", council=council.reply["council_id"]))


@bp.post("/console/sessions")
@login_required
def create_session() -> Any:
    form = request.form
    try:
        starts_at = dt.datetime.fromisoformat(form.get("starts_at", "")).replace(tzinfo=local_tz())
        council_id = int(form.get("council_id", ""))
    except ValueError:
        flash(describe(DomainError("invalid_date")), "error")
        return redirect(url_for("console.dashboard"))
    try:
        session = sessions.create_session(get_db(), Actor.facilitator(g.facilitator.id), council_id,
                                          form.get("title", ""), starts_at, place=form.get("place", ""),
                                          format=form.get("format", "plain"),
                                          recorder=form.get("recorder", ""))
    except DomainError as err:
        flash(describe(err), "error")
        return redirect(url_for("console.dashboard"))
    return redirect(url_for("console.session", session_id=session.reply["session_id"]))


@bp.post("/console/<int:session_id>/delete")
@login_required
def delete_session(session_id: int) -> Any:
    """Delete a session without decisions (the dashboard asks first, in the page)."""
    try:
        gone = sessions.delete_session(get_db(), Actor.facilitator(g.facilitator.id), session_id)
    except DomainError as err:
        if err.code == "not_found":
            raise
        flash(describe(err), "error")
        return redirect(url_for("console.dashboard"))
    flash(_("Session deleted: %(title)s", title=gone.reply["title"]), "ok")
    return redirect(url_for("console.dashboard"))


@bp.get("/console/<int:session_id>")
@login_required
def session(session_id: int) -> Any:
    s = own_session_or_404(session_id)
    return render_template("console/session.html", session=s, join_url=join_url(s.join_code),
                           strings=client_strings(), owner_kinds=owner_kinds())


@bp.get("/projector/<int:session_id>")
@login_required
def projector(session_id: int) -> Any:
    s = own_session_or_404(session_id)
    url = join_url(s.join_code)
    return render_template("projector.html", session=s, join_url=url, qr_svg=qr.svg(url),
                           strings=client_strings())


@bp.get("/console/<int:session_id>/audit.csv")
@login_required
def audit_csv(session_id: int) -> Any:
    """The session's audit trail as CSV: every cast, change, entry, open and close."""
    s = own_session_or_404(session_id)
    rows = audit.events(get_db(), Actor.facilitator(g.facilitator.id), s.id)
    return Response(audit.as_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="audit-{s.id}.csv"'})


@bp.get("/console/<int:session_id>/audit")
@login_required
def audit_page(session_id: int) -> Any:
    s = own_session_or_404(session_id)
    rows = audit.events(get_db(), Actor.facilitator(g.facilitator.id), s.id)
    return render_template("console/audit.html", session=s, rows=rows, words=audit_words(), value=audit_value)
