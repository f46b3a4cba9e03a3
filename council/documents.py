"""Printed documents: Jinja templates rendered to A4 PDF by WeasyPrint, offline only."""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from sqlalchemy.orm import Session as Db

from council.services import state
from council.web.strings import channel_names, client_strings, condition_words, rule_names


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Documents load nothing: no file, no network; everything is in the HTML."""
    raise ValueError(f"documents may not load {url[:80]!r}")


def minutes_data(db: Db, session_id: int) -> dict[str, Any]:
    """Everything the minutes show, as plain data."""
    conf = current_app.config["COUNCIL"]
    tz = ZoneInfo(conf["timezone"])
    s = state.snapshot(db, session_id, "console")
    starts = dt.datetime.fromisoformat(s["session"]["starts_at"]).astimezone(tz)
    proposals = {p["id"]: p for p in s["proposals"]}
    decisions = {p["decision"]["id"]: proposals[p["proposal_id"]] for p in s["polls"] if p["decision"]}
    posted = dt.datetime.now(tz).date()
    return {
        "s": s, "starts": starts, "proposals": proposals, "decisions": decisions,
        "topics": [t for t in s["topics"] if not t["hidden"] and not t["merged_into"]],
        "posting_from": posted, "posting_to": posted + dt.timedelta(days=conf["posting_days"]),
        "T": client_strings(), "rules": rule_names(), "conditions": condition_words(),
        "channels": channel_names(),
    }


def _write_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: the live server starts without loading Pango
    return HTML(string=html, url_fetcher=refuse_fetch, base_url=None).write_pdf()


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


def minutes_html(db: Db, session_id: int) -> str:
    return render_template("documents/minutes.html", **minutes_data(db, session_id),
                           font=current_app.config["COUNCIL"]["pdf_font"])


def minutes_pdf(db: Db, session_id: int) -> bytes:
    """The session's minutes (会议纪要) as an A4 PDF."""
    return html_to_pdf(minutes_html(db, session_id))
