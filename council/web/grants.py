"""Roles on a council: who holds it, giving its role to another facilitator, taking it back."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.messages import describe
from council.services import grants
from council.web.auth import actor, council_or_404, login_required
from council.words import role_names

bp = Blueprint("grants", __name__, url_prefix="/console/councils")


@bp.get("/<int:council_id>/facilitators")
@login_required
def show(council_id: int) -> Any:
    council, holders = grants.holders(get_db(), actor(), council_or_404(council_id).id)
    return render_template("console/grants.html", council=council, holders=holders, roles=role_names())


@bp.post("/<int:council_id>/facilitators")
@login_required
def add(council_id: int) -> Any:
    return _change(council_id, grants.grant, "granted")


@bp.post("/<int:council_id>/facilitators/revoke")
@login_required
def revoke(council_id: int) -> Any:
    return _change(council_id, grants.revoke, "revoked")


def _change(council_id: int, operation: Any, done: str) -> Any:
    council_or_404(council_id)
    name = request.form.get("name", "")
    try:
        outcome = operation(get_db(), actor(), council_id, name)
    except DomainError as err:
        flash(describe(err), "error")
    else:
        flash(describe(DomainError(done, name=name.strip(), role=role_names()[outcome.reply["role"]])), "ok")
    return redirect(url_for("grants.show", council_id=council_id))
