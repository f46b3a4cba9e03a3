"""What a format's discussion hands to the decide step: Open Space needs, the café's top ideas."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from council.domain import openspace
from council.models import Group, Idea, Proposal, ReportLine, Session, Slot, Space
from council.services import dots


def draw(db: Db, session: Session) -> int:
    """Add the candidate proposals not drawn yet (a unique key draws each once); the caller
    commits. Returns how many were added."""
    if session.format == "openspace":
        added = [Proposal(session_id=session.id, topic_id=topic_id, title=text, need_id=need_id)
                 for need_id, text, topic_id in db.execute(
                     select(ReportLine.id, ReportLine.text, Group.topic_id).join(Group)
                     .join(Slot, Group.slot_id == Slot.id).join(Space, Group.space_id == Space.id)
                     .where(Group.session_id == session.id, ReportLine.kind == "need",
                            ReportLine.id.not_in(_drawn(Proposal.need_id, session)))
                     .order_by(Slot.position, Space.position, ReportLine.position))]
    elif session.format == "cafe":
        chosen = openspace.top(dots.ranked(db, session), session.top_ideas)
        drawn = set(db.scalars(_drawn(Proposal.idea_id, session)))
        texts = dict(db.execute(select(Idea.id, Idea.text).where(Idea.id.in_(chosen))).all())
        added = [Proposal(session_id=session.id, title=texts[i], idea_id=i) for i in chosen if i not in drawn]
    else:
        return 0
    db.add_all(added)
    return len(added)


def _drawn(column, session: Session):  # type: ignore[no-untyped-def]
    return select(column).where(Proposal.session_id == session.id, column.is_not(None))
