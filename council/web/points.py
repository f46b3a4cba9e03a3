"""A community's participation points (活力值): its rules, its residents' points over a period,
the buildings' league table if it chose one, and each resident's certificate (参与证明)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from council import documents, policy
from council.db import get_db
from council.domain import DomainError
from council.domain.points import Deed, score
from council.models import Resident
from council.services import points
from council.web.auth import actor, carry_out, council_or_404, login_required
from council.words import deed_names

bp = Blueprint("points", __name__, url_prefix="/console/councils")


def _period() -> points.Period:
    try:
        return points.Period.parse(request.args.get("from", ""), request.args.get("to", ""))
    except DomainError:
        return points.Period()  # a mistyped date shows every day, said on the page by empty fields


@bp.get("/<int:council_id>/points")
@login_required
def show(council_id: int) -> Any:
    council_or_404(council_id)
    db = get_db()
    try:
        community = points.community_of(db, actor(), council_id)
    except DomainError:
        abort(404)
    period = _period()
    people = db.scalars(select(Resident).where(Resident.community_id == community.id, Resident.merged_into_id.is_(None),
                                               Resident.erased_at.is_(None))).all()
    rules = points.rules_of(db, community.id)
    done = points.counts(db, [r.id for r in people], period)
    ranked = sorted(((r, score(done[r.id], rules)[0]) for r in people), key=lambda x: (-x[1], x[0].display_name))
    return render_template("console/points.html", council=community, rules=rules, deeds=list(Deed), words=deed_names(),
                           ranked=ranked, league=points.league(db, actor(), community.id, period), period=period)


@bp.post("/<int:council_id>/points")
@login_required
def save(council_id: int) -> Any:
    council_or_404(council_id)
    form = request.form

    def number(deed: Deed) -> object:
        text = form.get(deed.value, "").strip()
        return int(text) if text.isdigit() else text  # not a whole number: refused, in words
    carry_out(lambda me: points.set_rules(get_db(), me, council_id, {d.value: number(d) for d in Deed},
                                          form.get("league") == "1"))
    return redirect(url_for("points.show", council_id=council_id))


@bp.get("/<int:council_id>/residents/<int:resident_id>/certificate.pdf")
@login_required
def certificate(council_id: int, resident_id: int) -> Any:
    council_or_404(council_id)
    try:
        resident = policy.resident(get_db(), actor(), resident_id)
    except DomainError:
        abort(404)
    pdf = documents.certificate_pdf(get_db(), resident.id, _period())
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="certificate-{resident.id}.pdf"'})
