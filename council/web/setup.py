"""First run: the page behind the one-time set-up link that `council serve` prints while no
facilitator account exists (see `council.services.setup`)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext

from council.db import get_db
from council.domain import DomainError
from council.domain.text import NAME_MAX
from council.messages import describe
from council.services import accounts, setup
from council.web.auth import log_in

bp = Blueprint("setup", __name__)


@bp.app_template_global()
def first_run() -> bool:
    """Whether no facilitator account exists yet: the login page then points to the set-up link."""
    return setup.needed(get_db())


@bp.route("/setup/<token>", methods=["GET", "POST"])
def create_account(token: str) -> Any:
    """Create the first facilitator account and log in with it; the link is dead afterwards."""
    db = get_db()
    if not setup.needed(db):  # the link is dead: on to the console, or its login page
        return redirect(url_for("console.dashboard"))
    if not setup.opens(db, token):
        abort(404)
    if request.method == "GET":
        return page(token)
    name, password = request.form.get("name", ""), request.form.get("password", "")
    if password != request.form.get("password_again", ""):
        return page(token, gettext("The two passwords are not the same."), name), 400
    try:
        facilitator = setup.create_first_facilitator(db, token, name, password)
    except DomainError as err:
        if err.code == "not_found":  # used up by another request a moment ago
            return redirect(url_for("console.dashboard"))
        return page(token, describe(err), name), 400
    log_in(facilitator)
    return redirect(url_for("console.dashboard"))


def page(token: str, error: str | None = None, name: str = "") -> Any:
    """The form; the secret in its address is never sent on as a referrer, nor kept in a cache."""
    response = make_response(render_template("setup.html", token=token, error=error, name=name,
                                             name_max=NAME_MAX, minimum=accounts.PASSWORD_MIN))
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
