"""The five-forces overview (五力概况) of a council: the page, its CSV and A4 PDF, and the list of
the events behind any one of its numbers."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request

from council import localtime
from council.db import get_db
from council.documents import overview as report
from council.domain import DomainError, forces
from council.services import overview
from council.web.auth import actor, council_or_404, login_required

bp = Blueprint("overview", __name__, url_prefix="/console/councils")


def _period() -> forces.Period:
    """The period asked for (`from`, `to`), by default the last 90 days in the council's time zone."""
    return forces.parse_period(request.args.get("from"), request.args.get("to"), localtime.today())


def _settings() -> dict[str, Any]:
    return current_app.config["COUNCIL"]["five_forces"]


def _data(council_id: int) -> dict[str, Any]:
    period = _period()  # a bad date is refused (400 invalid_date) before anything is read
    ov = overview.overview(get_db(), actor(), council_or_404(council_id).id, period, _settings())
    data = report.content(ov)
    get_db().rollback()  # a GET commits nothing
    return data


@bp.get("/<int:council_id>/overview")
@login_required
def show(council_id: int) -> Any:
    return render_template("console/overview.html", o=_data(council_id), figure_names=report.figure_names())


@bp.get("/<int:council_id>/overview.csv")
@login_required
def as_csv(council_id: int) -> Any:
    data = _data(council_id)
    name = f"overview-{council_id}-{data['period']['from']}-{data['period']['to']}.csv"
    return Response(report.as_csv(data), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/<int:council_id>/overview.pdf")
@login_required
def as_pdf(council_id: int) -> Any:
    period = _period()
    council = council_or_404(council_id)
    pdf = report.report_pdf(get_db(), council.id, period, _settings(), localtime.today().isoformat())
    name = f"overview-{council.id}-{period.start.isoformat()}-{period.end.isoformat()}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.get("/<int:council_id>/overview/<figure>")
@login_required
def events(council_id: int, figure: str) -> Any:
    """The events one number rests on, as a table with their dates."""
    period = _period()
    try:
        root, found, names = overview.events_behind(get_db(), actor(), council_or_404(council_id).id, figure, period)
    except DomainError as err:
        if err.code == "not_found":
            abort(404)
        raise
    get_db().rollback()
    return render_template("console/overview_events.html", council=root, figure=figure, events=found,
                           names=names, figure_names=report.figure_names(), period=period,
                           period_label=report.period_label(period))
