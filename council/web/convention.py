"""The courtyard convention on the console: the current articles, every version, the title."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.services import convention
from council.web.auth import carry_out, council_or_404, login_required

bp = Blueprint("convention", __name__, url_prefix="/console/councils")


@bp.get("/<int:council_id>/convention")
@login_required
def show(council_id: int) -> Any:
    council = council_or_404(council_id)
    try:
        view = convention.opened(get_db(), council.id, request.args.get("v", type=int))
    except DomainError:
        abort(404)
    return render_template("console/convention.html", council=council, c=view)


@bp.post("/<int:council_id>/convention")
@login_required
def edit(council_id: int) -> Any:
    council_or_404(council_id)
    carry_out(lambda me: convention.edit(get_db(), me, council_id, request.form.get("title", ""),
                                         request.form.get("preamble", "")))
    return redirect(url_for("convention.show", council_id=council_id))
