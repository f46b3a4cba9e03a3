"""The notice-board copy (公示版): decisions with their counts, actions, the posting period; the
QR codes of the council's issue inbox and, while a poll of the meeting is still open with a
voting window, of its remote vote."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.documents.dates import cn_date, cn_day, posting
from council.documents.meeting_notice import remote_votes
from council.documents.minutes import attendance, plain
from council.links import inbox_path
from council.models import Action, Decision, Poll, Proposal, Session
from council.words import owner_kinds, rule_names


def build(db: Db, session_id: int) -> dict[str, Any]:
    """Everything the notice prints, and nothing else."""
    s = db.get_one(Session, session_id)
    return {"title": s.title, "council": s.council.name, "held": cn_day(s.starts_at), "place": s.place,
            "people": attendance(db, s)["people"], "decided": _decided(db, s), "actions": _actions(db, s),
            "posting": posting(s), "remote": remote_votes(db, s), "inbox": inbox_path(s.council_id)}


def _decided(db: Db, s: Session) -> list[dict[str, Any]]:
    """Each decision: what, under which rule, the counts, adopted or not."""
    rules = rule_names()
    rows = db.execute(select(Decision, Proposal.title, Poll.rule).join(Proposal, Decision.proposal_id == Proposal.id)
                      .join(Poll, Decision.poll_id == Poll.id)
                      .where(Decision.session_id == s.id).order_by(Poll.id)).all()
    return [{"title": title, "rule": rules.get(plain(rule), plain(rule)), "yes": d.yes, "no": d.no,
             "abstain": d.abstain, "adopted": bool(d.adopted)} for d, title, rule in rows]


def _actions(db: Db, s: Session) -> list[dict[str, str]]:
    """The meeting's actions as agreed: what, who, by when."""
    kinds = owner_kinds()
    return [{"what": a.what, "owner": a.owner, "kind": kinds.get(plain(a.owner_kind), ""),
             "deadline": cn_date(a.deadline)}
            for a in db.scalars(select(Action).where(Action.session_id == s.id).order_by(Action.id))]
