"""The posting period (公示期) on the web: residents object on the public record page, and the
facilitator's page for a session's posting (objections, answers, extending, marking complete)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.localtime import local
from council.messages import describe
from council.models import Session
from council.services import posting
from council.web.auth import carry_out, login_required, own_session_or_404

bp = Blueprint("posting", __name__)


def device_token(session: Session) -> str | None:
    """The device token a phone that joined this meeting keeps in its cookie, if any."""
    return request.cookies.get(f"council_token_{session.join_code}")


@bp.post("/record/session/<int:session_id>/objections")
def object_to(session_id: int) -> Any:
    """A resident's objection from the public record page; a refusal shows on the page, the text kept."""
    from council.web.documents import session_record
    db = get_db()
    session = db.get(Session, session_id)
    if session is None:
        return session_record(session_id)  # answers 404
    try:
        posting.object_to(db, session_id, request.form.get("text"), request.form.get("door"), device_token(session))
    except DomainError as err:
        db.rollback()
        return session_record(session_id, form=request.form, refusal=describe(err)), 400
    return redirect(url_for("documents.session_record", session_id=session_id, sent=1, _anchor="objections"))


@bp.get("/console/<int:session_id>/posting")
@login_required
def show(session_id: int) -> Any:
    session = own_session_or_404(session_id)
    view = posting.view(get_db(), session)
    return render_template("console/posting.html", s=session, p=view, local=local,
                           completing=request.args.get("complete") == "1",
                           editing=request.args.get("edit", type=int))


def _back(session_id: int) -> Any:
    return redirect(url_for("posting.show", session_id=session_id))


@bp.post("/console/<int:session_id>/posting/objections")
@login_required
def enter(session_id: int) -> Any:
    own_session_or_404(session_id)
    carry_out(lambda me: posting.enter(get_db(), me, session_id, request.form.get("text"), request.form.get("door")))
    return _back(session_id)


@bp.post("/console/<int:session_id>/posting/objections/<int:objection_id>/answer")
@login_required
def answer(session_id: int, objection_id: int) -> Any:
    own_session_or_404(session_id)
    carry_out(lambda me: posting.answer(get_db(), me, session_id, objection_id, request.form.get("answer")))
    return _back(session_id)


@bp.post("/console/<int:session_id>/posting/extend")
@login_required
def extend(session_id: int) -> Any:
    own_session_or_404(session_id)
    carry_out(lambda me: posting.extend(get_db(), me, session_id, request.form.get("until", "")))
    return _back(session_id)


@bp.post("/console/<int:session_id>/posting/complete")
@login_required
def complete(session_id: int) -> Any:
    own_session_or_404(session_id)
    carry_out(lambda me: posting.complete(get_db(), me, session_id))
    return _back(session_id)
