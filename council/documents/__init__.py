"""Printed documents: minutes, notice copy, meeting notice and convention, each built from its
own plain data.

Each builder (`minutes`, `notice`, `meeting_notice`, `convention`) reads the database and
returns the data its template prints; `render` turns that into HTML and an A4 PDF. The data is gathered and the
transaction ended before WeasyPrint runs.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session as Db

from council.documents import certificate, convention, meeting_notice, minutes, notice, render
from council.documents.pdf import refuse_fetch
from council.documents.pdf import write_pdf as _write_pdf
from council.documents.render import fingerprint, html_to_pdf
from council.links import convention_record_path, session_record_path

__all__ = [
    "_write_pdf",
    "certificate_pdf",
    "convention_data",
    "convention_html",
    "convention_pdf",
    "fingerprint",
    "html_to_pdf",
    "meeting_notice_data",
    "meeting_notice_html",
    "meeting_notice_pdf",
    "minutes_data",
    "minutes_html",
    "minutes_pdf",
    "notice_data",
    "notice_html",
    "notice_pdf",
    "refuse_fetch",
]


def minutes_data(db: Db, session_id: int) -> dict[str, Any]:
    """What the minutes print, as plain data."""
    return render.data(db, minutes.build, session_id)


def notice_data(db: Db, session_id: int) -> dict[str, Any]:
    """What the notice copy prints, as plain data."""
    return render.data(db, notice.build, session_id)


def meeting_notice_data(db: Db, session_id: int) -> dict[str, Any]:
    """What the meeting notice prints, as plain data."""
    return render.data(db, meeting_notice.build, session_id)


def convention_data(db: Db, council_id: int, number: int | None = None) -> dict[str, Any]:
    """What a version of the convention prints, as plain data."""
    return render.data(db, convention.build, council_id, number)


def minutes_html(db: Db, session_id: int) -> str:
    """The minutes as HTML."""
    content = render.gather(db, minutes.build, session_id)
    return render.html("documents/minutes.html", content, session_record_path(session_id))


def notice_html(db: Db, session_id: int) -> str:
    """The notice copy as HTML."""
    content = render.gather(db, notice.build, session_id)
    return render.html("documents/notice.html", content, session_record_path(session_id))


def meeting_notice_html(db: Db, session_id: int) -> str:
    """The meeting notice as HTML; its QR code in the corner leads to the meeting's record."""
    content = render.gather(db, meeting_notice.build, session_id)
    return render.html("documents/meeting_notice.html", content, session_record_path(session_id))


def convention_html(db: Db, council_id: int, number: int | None = None) -> str:
    """A version of the convention as HTML."""
    content = render.gather(db, convention.build, council_id, number)
    return render.html("documents/convention.html", content, convention_record_path(council_id, content["version"]))


def minutes_pdf(db: Db, session_id: int) -> bytes:
    """The session's minutes (会议纪要) as an A4 PDF."""
    return html_to_pdf(minutes_html(db, session_id))


def notice_pdf(db: Db, session_id: int) -> bytes:
    """The notice-board copy (公示版): one or two pages in large type."""
    return html_to_pdf(notice_html(db, session_id))


def meeting_notice_pdf(db: Db, session_id: int) -> bytes:
    """The meeting notice (会议通知), posted before the meeting: one A4 page in large type."""
    return html_to_pdf(meeting_notice_html(db, session_id))


def convention_pdf(db: Db, council_id: int, number: int | None = None) -> bytes:
    """The courtyard convention (院落公约) with a signature table by household."""
    return html_to_pdf(convention_html(db, council_id, number))


def certificate_pdf(db: Db, resident_id: int, period: Any) -> bytes:
    """A resident's participation certificate (参与证明) for a period, as an A4 PDF."""
    content = render.gather(db, certificate.build, resident_id, period)
    return html_to_pdf(render.personal_html("documents/certificate.html", content))
