"""Printed documents and the online record that their QR codes point to."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from council import documents
from council.db import get_db
from council.domain import DomainError
from council.live import poll_clock
from council.models import Council, Session
from council.services import convention, posting
from council.web.auth import council_or_404, login_required, own_session_or_404

bp = Blueprint("documents", __name__)


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/console/<int:session_id>/minutes.pdf")
@login_required
def minutes(session_id: int) -> Any:
    return _pdf(documents.minutes_pdf(get_db(), own_session_or_404(session_id).id), f"minutes-{session_id}.pdf")


def _windows_closed(session_id: int) -> None:
    """A voting window that has ended is closed (into its decision) before a document prints
    it as still open; nothing stays locked meanwhile."""
    get_db().rollback()
    poll_clock.close_due(session_id)


@bp.get("/console/<int:session_id>/notice.pdf")
@login_required
def notice(session_id: int) -> Any:
    session_id = own_session_or_404(session_id).id
    _windows_closed(session_id)
    return _pdf(documents.notice_pdf(get_db(), session_id), f"notice-{session_id}.pdf")


@bp.get("/console/<int:session_id>/meeting-notice.pdf")
@login_required
def meeting_notice(session_id: int) -> Any:
    """The meeting notice (会议通知), posted before the meeting: time, place, what it will
    decide, the QR codes of the polls open for remote votes and of the issue inbox."""
    session_id = own_session_or_404(session_id).id
    _windows_closed(session_id)
    return _pdf(documents.meeting_notice_pdf(get_db(), session_id), f"meeting-notice-{session_id}.pdf")


@bp.get("/console/councils/<int:council_id>/convention.pdf")
@login_required
def convention_pdf(council_id: int) -> Any:
    council_or_404(council_id)
    try:
        pdf = documents.convention_pdf(get_db(), council_id, request.args.get("v", type=int))
    except DomainError:
        abort(404)
    return _pdf(pdf, f"convention-{council_id}.pdf")


@bp.get("/record/session/<int:session_id>")
def session_record(session_id: int, form: Any = None, refusal: str | None = None) -> Any:
    """The public record of a meeting: what the posted copies show, with their fingerprints, and
    the objections of the posting period with their answers (a form while the period runs)."""
    session = get_db().get(Session, session_id)
    if session is None:
        abort(404)
    notice = documents.notice_data(get_db(), session_id)
    return render_template("record/session.html", n=notice,
                           fingerprints={"minutes": documents.fingerprint(documents.minutes_data(get_db(), session_id)),
                                         "notice": documents.fingerprint(notice),
                                         "meeting_notice": documents.fingerprint(
                                             documents.meeting_notice_data(get_db(), session_id))},
                           session_id=session_id, posting=posting.view(get_db(), session), form=form or {}, refusal=refusal,
                           sent=request.args.get("sent") == "1" and refusal is None)


@bp.get("/record/convention/<int:council_id>")
def convention_record(council_id: int) -> Any:
    """A version of a convention as posted, with its fingerprint; old versions stay readable.
    Public, like the notice board it stands for: no login."""
    if get_db().get(Council, council_id) is None:
        abort(404)
    try:
        data = documents.convention_data(get_db(), council_id, request.args.get("v", type=int))
    except DomainError:
        abort(404)
    versions = convention.view(get_db(), council_id)["versions"]
    return render_template("record/convention.html", c=data, versions=versions, fp=documents.fingerprint(data))
