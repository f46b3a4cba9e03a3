"""A council's co-facilitators: who runs it, and giving it to another facilitator."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.messages import describe
from council.services import grants
from council.web.auth import actor, council_or_404, login_required

bp = Blueprint("grants", __name__, url_prefix="/console/councils")


@bp.get("/<int:council_id>/facilitators")
@login_required
def show(council_id: int) -> Any:
    council, people = grants.facilitators_of(get_db(), actor(), council_or_404(council_id).id)
    return render_template("console/grants.html", council=council, people=people)


@bp.post("/<int:council_id>/facilitators")
@login_required
def add(council_id: int) -> Any:
    council_or_404(council_id)
    try:
        grants.grant(get_db(), actor(), council_id, request.form.get("name", ""))
    except DomainError as err:
        flash(describe(err), "error")
    else:
        flash(describe(DomainError("granted", name=request.form.get("name", "").strip())), "ok")
    return redirect(url_for("grants.show", council_id=council_id))
