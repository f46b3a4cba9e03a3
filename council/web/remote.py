"""Remote voting (issue 15, item 3): a resident votes in a poll opened with a voting window from
wherever they are, until its deadline, on a page that needs no script.

The phone proves who it is by the device token in the session's cookie (`council_token_<code>`,
as 我的参与 does); one that has not joined the session joins here with its name and door (for a
household poll, the door on the roll). A vote here is the same ballot as in the room, in the
remote channel: the later one counts.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from council import throttle
from council.db import get_db
from council.domain import DomainError
from council.live import poll_clock
from council.live.broadcast import publish
from council.localtime import local
from council.messages import describe
from council.models import Participant, Poll
from council.services import inbox, participants, polls
from council.web import inbox as inbox_web
from council.web.strings import client_strings

bp = Blueprint("remote", __name__)

COOKIE_AGE = 365 * 24 * 3600  # as static/js/phone.js keeps it


def _device(code: str) -> str | None:
    """The phone's token for this session: its own cookie once it joined here, else the
    browser's device token of the community (`council_device`, the issue inbox's and the phone
    page's), so that a resident who raised or backed issues joins as that same resident."""
    return request.cookies.get(f"council_token_{code}") or inbox.valid_token(request.cookies.get(inbox_web.COOKIE))


def _voter(code: str) -> tuple[Any, Participant | None]:
    db = get_db()
    token = request.cookies.get(f"council_token_{code}")
    session = throttle.session_by_code(db, code, token)
    return session, participants.find_participant(db, session, token)


def _page(code: str, error: str | None = None, poll_id: int | None = None, status: int = 200) -> Any:
    try:
        session, voter = _voter(code)
    except DomainError as err:
        return render_template("phone/home.html", error=describe(err), code=code[:12]), \
            429 if err.code == "rate_limited" else 404
    session_id = session.id
    get_db().rollback()  # no transaction held (SQLite: the write lock) while the clock closes
    poll_clock.close_due(session_id)  # a window that ended is closed before anyone sees it open
    open_polls = polls.remote_polls(get_db(), voter) if voter is not None else []
    voted = request.args.get("voted", type=int)
    known = inbox.device_resident(get_db(), session.council_id, _device(code)) if voter is None else None
    return render_template("phone/remote.html", code=code, session=session, voter=voter, polls=open_polls, known=known,
                           error=error, error_poll=poll_id, voted=voted, local=local, T=client_strings(),
                           off_roll=describe(DomainError("no_household"))), status


@bp.get("/join/<code>/remote")
def page(code: str) -> Any:
    return _page(code)


@bp.post("/join/<code>/remote/join")
def join(code: str) -> Any:
    db = get_db()
    token = _device(code)
    try:
        throttle.check_join(db, throttle.session_by_code(db, code, token), token)
        outcome = participants.join(db, code, request.form.get("name", ""), request.form.get("door", ""), token,
                                    remote=True)
    except DomainError as err:
        if err.code in ("unknown_code", "rate_limited"):
            raise
        db.rollback()
        return _page(code, error=describe(err), status=409 if err.code == "session_closed" else 400)
    publish(outcome)
    response = redirect(url_for("remote.page", code=code))
    response.set_cookie(f"council_token_{code}", outcome.reply["device_token"], max_age=COOKIE_AGE, path="/",
                        samesite="Lax")
    return response


@bp.post("/join/<code>/remote/<int:poll_id>")
def vote(code: str, poll_id: int) -> Any:
    session, voter = _voter(code)
    if voter is None:
        return _page(code, error=describe(DomainError("not_participant")), status=403)
    try:
        outcome = polls.cast_remote(get_db(), voter, poll_id, request.form.get("choice"))
    except DomainError as err:
        get_db().rollback()
        return _page(code, error=_refusal(err, session.id, poll_id), poll_id=poll_id,
                     status=409 if err.code == "poll_closed" else 400)
    publish(outcome)
    return redirect(url_for("remote.page", code=code, voted=poll_id) + f"#poll-{poll_id}")


def _refusal(err: DomainError, session_id: int, poll_id: int) -> str:
    """Why a vote was refused; a vote after the window also says when the window ended."""
    message = describe(err)
    if err.code == "poll_closed":
        poll = get_db().get(Poll, poll_id)
        if poll is not None and poll.session_id == session_id and poll.closes_at is not None:
            # at its deadline, or earlier when the facilitator closed it by hand
            at = min(poll.closes_at, poll.closed_at or poll.closes_at)
            ended = local(at).strftime("%Y-%m-%d %H:%M")
            message += " " + _("Voting on it ended at %(time)s.", time=ended)
        get_db().rollback()
    return message
