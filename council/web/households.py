"""The household roll of a council (住户名册): table, add, remove, CSV import."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.domain.households import MAX_CSV_BYTES
from council.messages import describe
from council.services import households
from council.web.auth import carry_out, council_or_404, login_required

bp = Blueprint("households", __name__, url_prefix="/console/councils")

@bp.get("/<int:council_id>/households")
@login_required
def roll(council_id: int) -> Any:
    council = council_or_404(council_id)
    rows = households.roll(get_db(), council.id)
    return render_template("console/households.html", council=council, rows=rows, **households.roll_totals(rows))


@bp.post("/<int:council_id>/households")
@login_required
def save(council_id: int) -> Any:
    council_or_404(council_id)
    form = request.form
    carry_out(lambda me: households.save_household(get_db(), me, council_id, form.get("door", ""),
                                                   form.get("area", ""), form.get("owner", "") == "1"))
    return redirect(url_for("households.roll", council_id=council_id))


@bp.post("/<int:council_id>/households/<int:household_id>/delete")
@login_required
def delete(council_id: int, household_id: int) -> Any:
    council_or_404(council_id)
    carry_out(lambda me: households.delete_household(get_db(), me, household_id))
    return redirect(url_for("households.roll", council_id=council_id))


@bp.post("/<int:council_id>/households/import")
@login_required
def import_csv(council_id: int) -> Any:
    council_or_404(council_id)
    upload = request.files.get("file")
    data = upload.read(MAX_CSV_BYTES + 1) if upload else b""
    outcome = carry_out(lambda me: households.import_csv(get_db(), me, council_id, data))
    if outcome is None:
        return redirect(url_for("households.roll", council_id=council_id))
    report = outcome.reply
    flash(describe(DomainError("csv_imported", count=report["imported"])), "ok")
    for e in report["errors"]:
        flash(describe(DomainError("csv_line", line=e["line"], reason=describe(DomainError(e["code"])))), "error")
    return redirect(url_for("households.roll", council_id=council_id))
