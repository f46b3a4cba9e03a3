"""The household roll of a council (住户名册): table, add, remove, CSV import."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from council.db import get_db
from council.domain import DomainError
from council.messages import describe
from council.models import Council
from council.services import Actor, households
from council.web.auth import login_required

bp = Blueprint("households", __name__, url_prefix="/console/councils")
MAX_CSV = 512 * 1024


def _council(council_id: int) -> Council:
    council = get_db().get(Council, council_id)
    if council is None:
        abort(404)
    return council


@bp.get("/<int:council_id>/households")
@login_required
def roll(council_id: int) -> Any:
    council = _council(council_id)
    rows = households.roll(get_db(), council.id)
    owners = [h for h in rows if h.owner]
    return render_template("console/households.html", council=council, rows=rows,
                           owners=len(owners), area=sum((h.area_m2 or 0) for h in owners))


@bp.post("/<int:council_id>/households")
@login_required
def save(council_id: int) -> Any:
    form = request.form
    try:
        households.save_household(get_db(), Actor.facilitator(g.facilitator.id), council_id, form.get("door", ""),
                                  form.get("area", ""), form.get("owner", "") == "1")
    except DomainError as err:
        flash(describe(err), "error")
    return redirect(url_for("households.roll", council_id=council_id))


@bp.post("/<int:council_id>/households/<int:household_id>/delete")
@login_required
def delete(council_id: int, household_id: int) -> Any:
    try:
        households.delete_household(get_db(), Actor.facilitator(g.facilitator.id), household_id)
    except DomainError as err:
        flash(describe(err), "error")
    return redirect(url_for("households.roll", council_id=council_id))


@bp.post("/<int:council_id>/households/import")
@login_required
def import_csv(council_id: int) -> Any:
    upload = request.files.get("file")
    data = upload.read(MAX_CSV + 1) if upload else b""
    try:
        if len(data) > MAX_CSV:
            raise DomainError("csv_too_long", maximum=households.households.MAX_ROWS)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")  # what spreadsheet programs in China save by default
        report = households.import_csv(get_db(), Actor.facilitator(g.facilitator.id), council_id, text)
    except (DomainError, UnicodeDecodeError) as err:
        flash(describe(err) if isinstance(err, DomainError) else describe(DomainError("csv_encoding")), "error")
        return redirect(url_for("households.roll", council_id=council_id))
    flash(describe(DomainError("csv_imported", count=report["imported"])), "ok")
    for e in report["errors"]:
        flash(describe(DomainError("csv_line", line=e["line"], reason=describe(DomainError(e["code"])))), "error")
    return redirect(url_for("households.roll", council_id=council_id))
