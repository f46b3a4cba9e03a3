"""The five-forces overview (五力概况) as plain data, for the console page, the A4 report and the
CSV export alike: the forces of the council asked for and their trend, the forces of the
councils below it, and every figure of every council (each with all councils below it)."""
from __future__ import annotations

import csv
import io
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy.orm import Session as Db

from council.documents import charts, render
from council.domain import forces
from council.domain.forces import Figures, Period
from council.services import overview as service
from council.words import owner_kinds

# The figure tables, as the page and the report show them: (heading, figures).
TABLES = (
    ("attend", ("sessions", "people", "households", "roll", "new_faces")),
    ("deliberate", ("topics", "discussed", "decided", "to_decision_days")),
    ("act", ("actions", "done", "on_time", "to_done_days", "satisfied", "basic", "dissatisfied")),
    ("innovate", ("articles_adopted", "articles_amended", "format_sessions", "ideas")),
    ("owners", tuple(f"owner_{k}" for k in forces.OWNER_KINDS)),
    ("inbox", service.ISSUE_FIGURES),
)


def force_names() -> dict[str, str]:
    return {"deliberation": _("Deliberation (协商力)"), "cultivation": _("Cultivation (培育力)"),
            "action": _("Action (行动力)"), "innovation": _("Innovation (创新力)"),
            "cooperation": _("Cooperation (合作力)")}


def table_names() -> dict[str, str]:
    return {"attend": _("Sessions and attendance"), "deliberate": _("Topics: raised, discussed, decided"),
            "act": _("Actions and ratings"), "innovate": _("Convention and new formats"),
            "owners": _("Who owns the actions (distinct owners, by kind)"),
            "inbox": _("Issues between meetings: raised, answered, escalated")}


def figure_names() -> dict[str, str]:
    kinds = owner_kinds()
    return {"sessions": _("Sessions held"), "people": _("People present"),
            "households": _("Households present"), "roll": _("Households on the roll"),
            "new_faces": _("New faces"), "topics": _("Topics raised"), "discussed": _("Discussed"),
            "decided": _("Decided"), "actions": _("Actions agreed"), "done": _("Done"),
            "on_time": _("Done on time"), "to_decision_days": _("Median days, topic to decision"),
            "to_done_days": _("Median days, decision to done"), "satisfied": _("Satisfied"),
            "basic": _("Basically satisfied"), "dissatisfied": _("Dissatisfied"),
            "articles_adopted": _("Convention articles adopted"),
            "articles_amended": _("Convention articles amended"),
            "format_sessions": _("Open Space and World Café sessions"),
            "ideas": _("Open Space groups and café ideas"),
            **{f"owner_{k}": kinds[k] for k in forces.OWNER_KINDS},
            "ratings": _("Ratings"), "owners": _("Owners of actions"),
            "issues_raised": _("Issues raised"), "issues_answered": _("Issues answered"),
            "issues_escalated": _("Issues escalated"), "issue_answer_days": _("Median days, issue to answer")}


def level_names() -> dict[str, str]:
    return {"subdistrict": _("Subdistrict (街道)"), "community": _("Community (社区)"),
            "courtyard": _("Courtyard or building (楼院)")}


def indicator_names() -> dict[str, str]:
    return {"attendance": _("Households present, share of the roll"),
            "regularity": _("Sessions held, against one a month per council"),
            "discussed_share": _("Topics discussed, share of those raised"),
            "decided_share": _("Topics decided, share of those discussed"),
            "decision_speed": _("Speed from topic to decision"),
            "newcomers": _("New faces, share of the people present"),
            "resident_owners": _("Residents, building heads and volunteer teams owning actions"),
            "done_share": _("Actions done, share of those agreed"),
            "on_time_share": _("Done on time, share of those done"),
            "done_speed": _("Speed from decision to done"),
            "satisfaction": _("Satisfied or basically satisfied, share of ratings"),
            "convention": _("Convention articles adopted or amended"),
            "new_formats": _("Sessions in Open Space or World Café, share of sessions"),
            "ideas": _("Groups and ideas per Open Space or café session"),
            "owner_kinds": _("Kinds of owners taking on actions"),
            "partners": _("Property companies and co-building units owning actions")}


# What each indicator rests on: the figure whose events its number links to.
INDICATOR_EVENTS = {"attendance": "households", "regularity": "sessions", "discussed_share": "discussed",
                    "decided_share": "decided", "decision_speed": "to_decision_days", "newcomers": "new_faces",
                    "resident_owners": "owners", "done_share": "done", "on_time_share": "on_time",
                    "done_speed": "to_done_days", "satisfaction": "ratings", "convention": "articles_adopted",
                    "new_formats": "format_sessions", "ideas": "ideas", "owner_kinds": "owners",
                    "partners": "owners"}


def shown(f: Figures, figure: str) -> str:
    """A figure as printed: a count, or a median of days to a tenth; — for no median."""
    return number(f.number(figure))


def number(value: float | int | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def issue_numbers(figures: dict[str, Any]) -> dict[str, str]:
    """A council's inbox figures (`service.tally_issues`) as printed, by figure."""
    return {figure: number(figures[key]) for figure, key in service.ISSUE_NUMBERS.items()}


def period_label(p: Period) -> str:
    return f"{p.start.isoformat()} — {p.end.isoformat()}"


def build(db: Db, council_id: int, period: Period, settings: dict[str, Any], font: str) -> dict[str, Any]:
    """What the report prints, computed for a council whose reach the caller checked."""
    return content(service.compute(db, council_id, period, settings), font)


def content(ov: service.Overview, font: str = charts.FONT) -> dict[str, Any]:
    """The overview as plain data: names, numbers and the charts' SVG, nothing of the database."""
    fnames, names = force_names(), figure_names()
    root, now = ov.root, -1
    series = ov.forces[root.id]
    rows = [{"id": n.id, "name": n.name, "level": n.level, "depth": n.depth,
             "figures": {**{f: shown(ov.figures[n.id][now], f) for f in forces.FIGURES},
                         **issue_numbers(ov.issues[n.id])},
             "forces": {k: charts.number(v) for k, v in ov.forces[n.id][now].items()}} for n in ov.tree]
    charted = [n for n in ov.tree if n.depth <= 1]
    labels = [p.start.isoformat() for p in ov.periods[:-1]] + [ov.period.end.isoformat()]
    indicator_values = forces.indicators(ov.figures[root.id][now])
    inames = indicator_names()
    return {
        "council": root.name, "council_id": root.id, "level": root.level,
        "period": {"from": ov.period.start.isoformat(), "to": ov.period.end.isoformat(), "days": ov.period.days,
                   "label": period_label(ov.period)},
        "periods": [period_label(p) for p in ov.periods],
        "forces": [{"key": k, "name": fnames[k], "value": charts.number(series[now][k]),
                    "series": [charts.number(s[k]) for s in series],
                    "direction": forces.trend([s[k] for s in series]),
                    "indicators": [{"key": i, "name": inames[i], "weight": w,
                                    "value": charts.number(indicator_values[i]), "events": INDICATOR_EVENTS[i]}
                                   for i, w in ov.weights[k].items()],
                    "trend_svg": str(charts.trend(k, fnames[k], [s[k] for s in series], labels, font, heading=False)),
                    "trend_titled_svg": str(charts.trend(k, fnames[k], [s[k] for s in series], labels, font)),
                    "bars_svg": str(charts.bars(k, fnames[k],
                                                [(n.name, n.depth, ov.forces[n.id][now][k]) for n in charted],
                                                f"fill-{k}", font))}
                   for k in forces.FORCES],
        "tables": [{"key": key, "name": table_names()[key], "figures": [{"key": f, "name": names[f]} for f in figs]}
                   for key, figs in TABLES],
        "rows": rows,
    }


def as_csv(data: dict[str, Any]) -> str:
    """One row per council: its figures and forces over the period (UTF-8 with a BOM)."""
    names, fnames = figure_names(), force_names()
    out = io.StringIO()
    writer = csv.writer(out)
    figures = [f for _key, figs in TABLES for f in figs]
    levels = level_names()
    writer.writerow([_("Council"), _("Level"), _("From"), _("To")] + [names[f] for f in figures]
                    + [fnames[k] for k in forces.FORCES])
    for row in data["rows"]:
        writer.writerow([row["name"], levels.get(row["level"], ""), data["period"]["from"], data["period"]["to"]]
                        + [row["figures"][f] for f in figures] + [row["forces"][k] for k in forces.FORCES])
    return "\ufeff" + out.getvalue()  # the BOM lets spreadsheet programs read the Chinese


def report_html(db: Db, council_id: int, period: Period, settings: dict[str, Any], printed: str) -> str:
    """The A4 report as HTML, in Chinese like every printed document; the transaction is ended
    before it renders."""
    font = current_app.config["COUNCIL"]["pdf_font"]
    data = render.gather(db, build, council_id, period, settings, font)
    with render.chinese():
        return render_template("documents/overview.html", **data, printed=printed,
                               font=font)


def report_pdf(db: Db, council_id: int, period: Period, settings: dict[str, Any], printed: str) -> bytes:
    """The overview as an A4 PDF report (五力概况报告)."""
    return render.html_to_pdf(report_html(db, council_id, period, settings, printed))
