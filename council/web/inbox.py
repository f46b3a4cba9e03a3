"""The issue inbox: a council's permanent public page where residents raise and back issues any
day (its QR code is on the notice-board copy and the convention), and the facilitator's inbox.

A browser is known by its device token, the same one its phone page joins sessions with: the
cookie `council_device` (a new browser gets one at its first visit here; static/js/phone.js
reads and writes it too, so it is not httponly). One token is one resident per community.

Every change is published after its commit (`publish`): an open console inbox of the council,
and of every council above it, hears `inbox` over Socket.IO and fetches its list again
(`?live=1`, the same template without the page around it), so a reload shows what it shows."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from council import localtime
from council.db import get_db
from council.domain import DomainError
from council.domain.actions import PHOTO_MAX
from council.domain.inbox import ENTERED
from council.live.broadcast import publish
from council.messages import describe
from council.services import inbox
from council.web.actions import uploads
from council.web.auth import actor, carry_out, council_or_404, login_required

bp = Blueprint("inbox", __name__)
COOKIE = "council_device"
TRIAGE = ("answer", "tag", "merge", "carry", "escalate")


def _token() -> str | None:
    return inbox.valid_token(request.cookies.get(COOKIE))


def _page(council_id: int, token: str | None, error: str | None = None, status: int = 200,
          form: dict[str, str] | None = None) -> Any:
    try:
        data = inbox.public_page(get_db(), council_id, token)
    except DomainError:
        abort(404)
    response = render_template("inbox/public.html", data=data, error=error, form=form or {},
                               done=request.args.get("raised") == "1", local=localtime.local)
    out = (response, status) if status != 200 else response
    made = make_response(out)
    if token is None or request.cookies.get(COOKIE) != token:
        made.set_cookie(COOKIE, token or inbox.new_token(), max_age=2 * 365 * 86400, httponly=False,
                        samesite="Lax", path="/")
    return made


@bp.get("/council/<int:council_id>/issues")
def public(council_id: int) -> Any:
    return _page(council_id, _token())


@bp.post("/council/<int:council_id>/issues")
def raise_(council_id: int) -> Any:
    token = _token() or inbox.new_token()
    try:
        outcome = inbox.raise_issue(get_db(), council_id, token, request.form.get("text", ""),
                                    request.form.get("door", ""), request.form.get("name", ""), _photo(), uploads(),
                                    for_household=request.form.get("for") == "household")
    except DomainError as err:
        get_db().rollback()
        if err.code == "not_found":
            abort(404)
        return _page(council_id, token, describe(err), 400, dict(request.form))
    publish(outcome)
    response = redirect(url_for("inbox.public", council_id=council_id, raised="1"))
    response.set_cookie(COOKIE, token, max_age=2 * 365 * 86400, httponly=False, samesite="Lax", path="/")
    return response


@bp.post("/council/<int:council_id>/issues/<int:issue_id>/support")
def support(council_id: int, issue_id: int) -> Any:
    token = _token() or inbox.new_token()
    try:
        outcome = inbox.support_issue(get_db(), council_id, token, issue_id, request.form.get("on", "1") == "1")
    except DomainError as err:
        get_db().rollback()
        if err.code == "not_found" and err.params.get("what") == "council":
            abort(404)
        return _page(council_id, token, describe(err), 400)
    publish(outcome)
    response = redirect(url_for("inbox.public", council_id=council_id) + f"#issue-{issue_id}")
    response.set_cookie(COOKIE, token, max_age=2 * 365 * 86400, httponly=False, samesite="Lax", path="/")
    return response


def _photo() -> bytes | None:
    upload = request.files.get("photo")
    return upload.read(PHOTO_MAX + 1) if upload and upload.filename else None


@bp.get("/console/councils/<int:council_id>/inbox")
@login_required
def console_inbox(council_id: int) -> Any:
    return _console(council_id)


def _console(council_id: int, error: str | None = None, form: dict[str, str] | None = None,
             status: int = 200) -> Any:
    """The inbox page; with `?live=1` only its list (what the open page fetches when it hears
    `inbox`), drawn by the same template."""
    council = council_or_404(council_id)
    today = localtime.today()
    data = inbox.inbox_page(get_db(), actor(), council.id, today)
    tomorrow = localtime.day_start(today + dt.timedelta(days=1))
    boot = {"council_id": council.id,  # the page looks again when the day turns: overdue flags move
            "next_day_ms": max(1000, int((tomorrow - dt.datetime.now(dt.timezone.utc)).total_seconds() * 1000))}
    page = render_template("inbox/console.html", data=data, council=council, today=today, boot=boot,
                           merging=request.args.get("merge", type=int), live=request.args.get("live") == "1",
                           channels=ENTERED, entry_error=error, entry=form or {})
    return (page, status) if status != 200 else page


@bp.post("/console/councils/<int:council_id>/inbox/new")
@login_required
def enter(council_id: int) -> Any:
    """A worker enters a written or spoken issue, or one from a roaming council."""
    council = council_or_404(council_id)
    form = request.form
    try:
        outcome = inbox.enter_issue(get_db(), actor(), council.id, form.get("text", ""), form.get("door", ""),
                                    form.get("name", ""), form.get("channel", ""), _photo(), uploads())
    except DomainError as err:
        get_db().rollback()
        return _console(council.id, describe(err), {k: form.get(k, "") for k in ("text", "door", "name", "channel")},
                        400)
    publish(outcome)
    flash(_("The issue is entered: it is in the list below and on the council's page."), "ok")
    return redirect(url_for("inbox.console_inbox", council_id=council.id) + f"#issue-{outcome.reply['issue_id']}")


@bp.post("/console/councils/<int:council_id>/inbox/<int:issue_id>")
@login_required
def triage(council_id: int, issue_id: int) -> Any:
    council = council_or_404(council_id)
    db, form, do = get_db(), request.form, request.form.get("do", "")
    if do not in TRIAGE:
        abort(400)
    operations = {
        "answer": lambda me: inbox.answer_issue(db, me, issue_id, form.get("answer", "")),
        "tag": lambda me: inbox.tag_issue(db, me, issue_id, form.get("tag", "")),
        "merge": lambda me: inbox.merge_issues(db, me, issue_id, form.get("target", type=int)),
        "carry": lambda me: inbox.carry_issue(db, me, issue_id),
        "escalate": lambda me: inbox.escalate_issue(db, me, issue_id, form.get("to") == "parent",
                                                    form.get("unit", ""), form.get("due", ""), localtime.today()),
    }
    done = carry_out(operations[do])
    # done: back at the card; refused: at the message, which is at the top of the page
    anchor = f"#issue-{issue_id}" if done is not None else "#messages"
    return redirect(url_for("inbox.console_inbox", council_id=council.id) + anchor)
