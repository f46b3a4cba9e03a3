"""The participation certificate (参与证明) of one resident over a period: the data it prints."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.documents.dates import cn_date, cn_day
from council.localtime import today
from council.models import Council, Participant, Resident, Session
from council.services.points import Period, counts, rules_of
from council.domain.points import score
from council.words import deed_names


def build(db: Db, resident_id: int, period: Period) -> dict[str, Any]:
    resident = db.get_one(Resident, resident_id)
    community = db.get_one(Council, resident.community_id)
    low, high = period.bounds()
    attended = select(Session.starts_at, Session.title, Council.name).join(
        Participant, Participant.session_id == Session.id).join(Council, Council.id == Session.council_id).where(
        Participant.resident_id == resident.id, Participant.present())
    if low:
        attended = attended.where(Session.starts_at >= low)
    if high:
        attended = attended.where(Session.starts_at < high)
    total, lines = score(counts(db, [resident.id], period)[resident.id], rules_of(db, resident.community_id))
    words = deed_names()
    return {
        "name": resident.display_name, "door": resident.door_number, "community": community.name,
        "from": cn_date(period.start) if period.start else "", "to": cn_date(period.end) if period.end else "",
        "sessions": [{"day": cn_day(at), "title": title, "council": council}
                     for at, title, council in db.execute(attended.distinct().order_by(Session.starts_at))],
        "lines": [{"deed": words[line.deed.value], "count": line.count, "each": line.each, "points": line.points}
                  for line in lines],
        "total": total, "issued": cn_date(today()),
    }
