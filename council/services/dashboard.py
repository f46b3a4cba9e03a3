"""What the console's dashboard shows beside each council of the facilitator's tree: its issues
not yet handled, and the overdue escalations counted at it (raised at it or any council below)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain.inbox import IssueState
from council.models import Issue
from council.services import inbox
from council.services.common import Actor


def inbox_flags(db: Db, actor: Actor, council_ids: Iterable[int], today: dt.date) -> dict[int, dict[str, int]]:
    """Per council the facilitator reaches: `overdue`, the escalations past their reply deadline
    raised at it or below (so one overdue courtyard issue flags the courtyard, its community and
    its subdistrict: `inbox.overdue_counts`), and `open`, the issues raised at it that nobody has
    answered, carried, escalated or merged yet. A few queries, whatever the size of the tree."""
    ids = set(council_ids) & policy.reachable_councils(db, actor.id)
    if not ids:
        return {}
    overdue = inbox.overdue_counts(db, ids, today)
    waiting = dict(db.execute(select(Issue.council_id, func.count(Issue.id))
                              .where(Issue.council_id.in_(ids), Issue.state == IssueState.OPEN)
                              .group_by(Issue.council_id)).all())
    return {cid: {"overdue": overdue.get(cid, 0), "open": waiting.get(cid, 0)} for cid in ids}
