"""Printed documents: Jinja templates rendered to A4 PDF by WeasyPrint, offline only.

Each document is built from plain data; its fingerprint is a hash of that data, printed
beside the QR code and shown on the online record, so a reader can tell whether a posted copy
is current. The same data always gives the same text.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council import qr
from council.models import Household, Session
from council.services import convention, state
from council.web.strings import channel_names, client_strings, condition_words, owner_kinds, rule_names


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Documents load nothing: no file, no network; everything is in the HTML."""
    raise ValueError(f"documents may not load {url[:80]!r}")


def _offline_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        # WeasyPrint asks its fetcher object for every URL: refusing is skipping, not failing.
        def fetch(self, url: str, headers: Any = None) -> Any:
            return refuse_fetch(url)

    return OfflineFetcher(allowed_protocols=())


def fingerprint(data: dict[str, Any]) -> str:
    """Twelve hex digits of a hash of the document's content, in three groups."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:12]
    return f"{digest[:4]}-{digest[4:8]}-{digest[8:]}"


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["COUNCIL"]["timezone"])


def _base_url() -> str:
    from council.web.links import base_url
    return base_url()


def _posting(session: Session) -> tuple[dt.date, dt.date]:
    # From the day the meeting closed (or was held): the same on every print of the same record.
    day = (session.closed_at or session.starts_at).astimezone(_tz()).date()
    return day, day + dt.timedelta(days=current_app.config["COUNCIL"]["posting_days"])


def minutes_data(db: Db, session_id: int) -> dict[str, Any]:
    """Everything the minutes show, as plain data."""
    session = db.get_one(Session, session_id)
    s = state.snapshot(db, session_id, "console")
    s["session"].pop("server_now", None)
    s["participants"].pop("list", None)
    proposals = {p["id"]: p for p in s["proposals"]}
    posting_from, posting_to = _posting(session)
    return {
        "s": s, "starts": dt.datetime.fromisoformat(s["session"]["starts_at"]).astimezone(_tz()).isoformat(),
        "proposals": {str(k): v for k, v in proposals.items()},
        "decisions": {str(p["decision"]["id"]): proposals[p["proposal_id"]] for p in s["polls"] if p["decision"]},
        "topics": [t for t in s["topics"] if not t["hidden"] and not t["merged_into"]],
        "posting_from": posting_from.isoformat(), "posting_to": posting_to.isoformat(),
        **_format_data(s),
    }


def _format_data(s: dict[str, Any]) -> dict[str, Any]:
    """An Open Space's agenda wall and reports, or a café's questions and harvest, each with
    the dot ranking, in the shape the minutes print them."""
    fmt = s["session"]["format"]
    for key in ("seats", "names", "left"):
        s["cafe"].pop(key, None)
    if fmt == "openspace":
        topics = {t["id"]: t for t in s["topics"]}
        wall = s["agenda"]
        cells = {f'{g["space_id"]}:{g["slot_id"]}': g for g in wall.get("groups", [])}
        ranked = [{"text": topics[r["id"]]["text"], "by": topics[r["id"]]["author"] or "", "dots": r["dots"]}
                  for r in s["dots"].get("ranking", []) if r["dots"]]
        return {"wall": wall, "cells": cells, "ranked": ranked}
    if fmt == "cafe":
        s["ideas"] = [i for i in s["ideas"] if not i["hidden"]]
        tables = {t["id"]: t["name"] for t in s["cafe"]["tables"]}
        ideas = {i["id"]: i for i in s["ideas"]}
        ranked = [{"text": ideas[r["id"]]["text"], "by": tables.get(ideas[r["id"]]["table_id"], ""), "dots": r["dots"]}
                  for r in s["dots"].get("ranking", []) if r["dots"] and r["id"] in ideas]
        return {"tables": {str(k): v for k, v in tables.items()}, "ranked": ranked}
    return {}


def notice_data(db: Db, session_id: int) -> dict[str, Any]:
    """The notice-board copy: decisions with tallies, actions, the posting period."""
    m = minutes_data(db, session_id)
    s = m["s"]
    decided = [{"title": m["proposals"][str(p["proposal_id"])]["title"], "adopted": p["decision"]["adopted"],
                "rule": p["rule"], "total": p["certificate"]["total"]} for p in s["polls"] if p["decision"]]
    own = [a for a in s["actions"] if not a["carried"]]
    return {"title": s["session"]["title"], "council": s["session"]["council"], "starts": m["starts"],
            "place": s["session"]["place"], "participants": s["participants"], "decided": decided,
            "actions": [{k: a[k] for k in ("what", "owner", "owner_kind", "deadline")} for a in own],
            "posting_from": m["posting_from"], "posting_to": m["posting_to"]}


def convention_data(db: Db, council_id: int, number: int | None = None) -> dict[str, Any]:
    """A version of the convention, with the households that sign it."""
    view = convention.view(db, council_id, number)
    doors = list(db.scalars(select(Household.door_number).where(Household.council_id == council_id)
                            .order_by(Household.door_number)))
    view.pop("versions", None)
    view.pop("latest", None)
    return {**view, "doors": doors}


def _render(template: str, data: dict[str, Any], record_path: str) -> str:
    url = _base_url() + record_path
    conf = current_app.config["COUNCIL"]
    return render_template(template, **data, fp=fingerprint(data), record_url=url, qr_svg=qr.svg(url),
                           font=conf["pdf_font"], T=client_strings(), rules=rule_names(),
                           conditions=condition_words(), channels=channel_names(), kinds=owner_kinds(),
                           fromiso=dt.datetime.fromisoformat, dateiso=dt.date.fromisoformat)


def minutes_html(db: Db, session_id: int) -> str:
    return _render("documents/minutes.html", minutes_data(db, session_id), f"/record/session/{session_id}")


def notice_html(db: Db, session_id: int) -> str:
    return _render("documents/notice.html", notice_data(db, session_id), f"/record/session/{session_id}")


def convention_html(db: Db, council_id: int, number: int | None = None) -> str:
    data = convention_data(db, council_id, number)
    version = f"?v={data['version']}" if data["version"] else ""
    return _render("documents/convention.html", data, f"/record/convention/{council_id}{version}")


def _write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: the live server starts without loading Pango
    return HTML(string=html, url_fetcher=_offline_fetcher(), base_url=None).write_pdf()


def html_to_pdf(html: str) -> bytes:
    """Render off the event loop under gevent, so a PDF never stalls the live session."""
    try:
        from gevent import get_hub, monkey
    except ImportError:
        return _write_pdf(html)
    if not monkey.is_module_patched("socket"):
        return _write_pdf(html)
    import weasyprint  # noqa: F401  first import looks libraries up with a subprocess: not in a thread
    return get_hub().threadpool.apply(_write_pdf, (html,))


def minutes_pdf(db: Db, session_id: int) -> bytes:
    """The session's minutes (会议纪要) as an A4 PDF."""
    return html_to_pdf(minutes_html(db, session_id))


def notice_pdf(db: Db, session_id: int) -> bytes:
    """The notice-board copy (公示版): one or two pages in large type."""
    return html_to_pdf(notice_html(db, session_id))


def convention_pdf(db: Db, council_id: int, number: int | None = None) -> bytes:
    """The courtyard convention (院落公约) with a signature table by household."""
    return html_to_pdf(convention_html(db, council_id, number))
