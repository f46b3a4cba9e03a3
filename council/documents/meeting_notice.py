"""The meeting notice (会议通知): posted before a meeting, it says when and where the meeting is,
what it will decide, and how to vote from afar on what is already open for a vote (a poll opened
before the meeting with a voting window, issue 15); and where to raise an issue any day.

`remote_votes` is shared with the notice-board copy, which carries the same QR codes while a
windowed poll of the meeting is still open after it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council import localtime
from council.documents.dates import cn_date, cn_minute
from council.documents.minutes import plain
from council.domain.voting import PollStatus
from council.links import inbox_path, remote_path
from council.models import Decision, Poll, Proposal, Session
from council.words import rule_names, unit_names

WEEKDAYS = "一二三四五六日"


def build(db: Db, session_id: int) -> dict[str, Any]:
    """Everything the meeting notice prints, and nothing else."""
    s = db.get_one(Session, session_id)
    return {"title": s.title, "council": s.council.name, "when": when(s), "place": s.place,
            "proposals": _proposals(db, s), "remote": remote_votes(db, s), "inbox": inbox_path(s.council_id)}


def when(s: Session) -> str:
    """The meeting's day, weekday and time, on the meeting room's clock: 2026年05月20日（星期三）19:30."""
    start = localtime.local(s.starts_at)
    return f"{cn_date(start.date())}（星期{WEEKDAYS[start.weekday()]}）{start:%H:%M}"


def remote_votes(db: Db, s: Session) -> list[dict[str, Any]]:
    """The session's polls open with a voting window: what is voted on, by whom, until when (the
    configured time zone), and the path of its card on the remote page (the QR code)."""
    rules, units = rule_names(), unit_names()
    rows = db.execute(select(Poll, Proposal.title).join(Proposal, Proposal.id == Poll.proposal_id)
                      .where(Poll.session_id == s.id, Poll.status == PollStatus.OPEN, Poll.closes_at.is_not(None))
                      .order_by(Poll.id)).all()
    return [{"title": title, "rule": rules.get(plain(p.rule), plain(p.rule)), "unit": plain(p.unit),
             "unit_name": units.get(plain(p.unit), ""), "closes": cn_minute(p.closes_at),
             "path": remote_path(s.join_code, p.id)} for p, title in rows]


def _proposals(db: Db, s: Session) -> list[dict[str, Any]]:
    """The proposals the meeting will decide, each with how it is voted on: open from afar until
    a deadline, to be voted in the room, or already decided (a window that ended before)."""
    open_until = dict(db.execute(select(Poll.proposal_id, Poll.closes_at).where(
        Poll.session_id == s.id, Poll.status == PollStatus.OPEN)).all())
    decided = dict(db.execute(select(Decision.proposal_id, Decision.adopted).where(Decision.session_id == s.id)).all())
    out = []
    for p in db.scalars(select(Proposal).where(Proposal.session_id == s.id).order_by(Proposal.id)):
        if p.id in decided:
            vote = "adopted" if decided[p.id] else "rejected"
        elif open_until.get(p.id) is not None:
            vote = "remote"
        else:
            vote = "room"
        out.append({"title": p.title, "text": p.text, "vote": vote,
                    "closes": cn_minute(open_until[p.id]) if vote == "remote" else ""})
    return out
