"""The residents a council has seen across its sessions (痕迹管理), and merging one person's two records."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from council.db import get_db
from council.localtime import local
from council.services import residents
from council.web.auth import actor, carry_out, council_or_404, login_required

bp = Blueprint("residents", __name__, url_prefix="/console/councils")


@bp.get("/<int:council_id>/residents")
@login_required
def known(council_id: int) -> Any:
    council, people = residents.known_to(get_db(), actor(), council_or_404(council_id).id)
    by_id = {p.id: p for p in people}
    # a merge picked in the table is asked once, on this page, before anything changes
    merging = by_id.get(request.args.get("merge", type=int) or 0), by_id.get(request.args.get("into", type=int) or 0)
    return render_template("console/residents.html", council=council, people=people, local=local,
                           merging=merging if all(merging) and merging[0] != merging[1] else None)


@bp.post("/<int:council_id>/residents/merge")
@login_required
def merge(council_id: int) -> Any:
    council_or_404(council_id)
    carry_out(lambda me: residents.merge(get_db(), me, request.form.get("source", type=int),
                                         request.form.get("target", type=int)))
    return redirect(url_for("residents.known", council_id=council_id))


@bp.post("/<int:council_id>/residents/<int:resident_id>/building-head")
@login_required
def building_head(council_id: int, resident_id: int) -> Any:
    """Mark a resident as building head of a building (`building`), or unmark them (`on=0`)."""
    council_or_404(council_id)
    carry_out(lambda me: residents.set_building_head(get_db(), me, resident_id, request.form.get("building", ""),
                                                     on=request.form.get("on", "1") == "1"))
    return redirect(url_for("residents.known", council_id=council_id) + f"#resident-{resident_id}")
