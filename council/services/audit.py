"""The audit trail of votes: every cast, change, manual entry, open and close."""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session as Db

from council import localtime
from council.models import AuditEvent, Participant, Session
from council.services.common import Actor, own_session


def record(db: Db, session_id: int, kind: str, actor: str, poll_id: int | None = None,
           **detail: Any) -> None:
    """Add an event to the caller's transaction (it commits with the change it records)."""
    db.add(AuditEvent(**row(session_id, kind, actor, poll_id, **detail)))


def row(session_id: int, kind: str, actor: str, poll_id: int | None = None, **detail: Any) -> dict[str, Any]:
    """An event as a row, for `record_rows`."""
    return {"session_id": session_id, "poll_id": poll_id, "kind": kind, "actor": actor[:60], "detail": detail}


def record_rows(db: Db, rows: list[dict[str, Any]]) -> None:
    """Add many events to the caller's transaction in one statement (a burst of votes)."""
    if rows:
        db.connection().execute(insert(AuditEvent.__table__), rows)


def facilitator_label(session: Session) -> str:
    return f"facilitator:{session.facilitator.name}"


def participant_label(participant: Participant) -> str:
    return participant_name(participant.display_name)


def participant_name(display_name: str) -> str:
    return f"participant:{display_name}"


def events(db: Db, actor: Actor, session_id: int) -> list[dict[str, Any]]:
    """The session's audit trail, oldest first, for its facilitator."""
    own_session(db, actor, session_id)
    rows = db.scalars(select(AuditEvent).where(AuditEvent.session_id == session_id).order_by(AuditEvent.id))
    return [{"id": e.id, "at": e.at.isoformat(), "when": local_time(e.at), "poll_id": e.poll_id, "actor": e.actor,
             "kind": e.kind, "detail": e.detail} for e in rows]


def local_time(moment: dt.datetime) -> str:
    """A moment as the trail shows it: local date and time to the second (2026-11-28 19:05:03)."""
    return localtime.local(moment).strftime("%Y-%m-%d %H:%M:%S")


def as_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "at", "poll_id", "actor", "kind", "detail"])
    for r in rows:
        detail = "; ".join(f"{k}={v}" for k, v in sorted(r["detail"].items()))
        writer.writerow([r["id"], r["at"], r["poll_id"] or "", r["actor"], r["kind"], detail])
    return "\ufeff" + out.getvalue()  # the BOM lets spreadsheet programs read the Chinese
