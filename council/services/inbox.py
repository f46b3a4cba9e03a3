"""The issue inbox between meetings: residents raise and support issues on a council's page any
day (by the device token in their browser's cookie), a building head (楼门长) raises one there
for a household, a worker enters written or spoken ones and those of a roaming council; the
facilitator answers, tags, merges, carries an issue into the next session as a topic, or
escalates it with a reply deadline.

Times come in as `now` (UTC) and days as `today` (the council's time zone), so that tests move
the clock by passing them."""
from __future__ import annotations

import datetime as dt
import re
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as Db

from council import policy
from council.domain import DomainError, inbox
from council.domain.days import optional_day
from council.domain.inbox import IssueChannel, IssueState
from council.domain.steps import Step
from council.domain.text import DOOR_MAX, NAME_MAX, clean
from council.models import Council, Issue, IssueSupport, Participant, Resident, Session, Support, Topic
from council.models.base import utcnow
from council.services import residents
from council.services.actions import store_photo
from council.services.common import Actor, Outcome, get
from council.services.topics import TOPIC_STEPS

CHANGED = frozenset({"issues"})
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22,64}$")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def valid_token(token: object) -> str | None:
    return token if isinstance(token, str) and _TOKEN.match(token) else None


def public_council(db: Db, council_id: int) -> Council:
    found = db.get(Council, council_id)
    if found is None:
        raise DomainError("not_found", what="council")
    return found


def device_resident(db: Db, council_id: int, token: object) -> Resident | None:
    """The resident this browser is in the council's community, if it raised or supported before."""
    token = valid_token(token)
    if token is None:
        return None
    home = residents.home_council(db, council_id)
    found = db.scalar(select(Resident).where(Resident.community_id == home, Resident.device_token == token))
    if found is None or found.erased_at is not None:
        return None
    return residents.for_device(db, home, token, found.display_name, found.door_number)


def _resident(db: Db, council_id: int, token: str, name: str, door: str) -> Resident:
    known = device_resident(db, council_id, token)
    home = residents.home_council(db, council_id)
    if known is None:
        return residents.for_device(db, home, token, name, door)
    return residents.for_device(db, home, token, name or known.display_name, door or known.door_number)


def raise_issue(db: Db, council_id: int, token: object, text: object, door: object = "", name: object = "",
                photo: bytes | None = None, uploads: Path | None = None, now: dt.datetime | None = None,
                for_household: bool = False) -> Outcome:
    """A resident raises an issue on the council's page; they support it from the start. A
    building head may raise one for a household instead: the issue is the household's door's,
    raised by them (代提), and backed by them; the name typed, if any, renames nobody."""
    council = public_council(db, council_id)
    token_ = valid_token(token)
    if token_ is None:
        raise DomainError("invalid_field", field="token")
    body = clean(text, field="text", maximum=inbox.ISSUE_MAX)
    door_ = clean(door, field="door", maximum=DOOR_MAX, required=False)
    name_ = clean(name, field="name", maximum=NAME_MAX, required=False)
    if for_household:
        head = device_resident(db, council.id, token_)
        inbox.check_for_household(head.building_head if head is not None else None, door_)
        assert head is not None
        return _record(db, council.id, head, body, door_, photo, uploads, now, IssueChannel.BUILDING_HEAD)
    resident = _resident(db, council.id, token_, name_, door_)
    return _record(db, council.id, resident, body, door_, photo, uploads, now, IssueChannel.PAGE)


def enter_issue(db: Db, actor: Actor, council_id: object, text: object, door: object, name: object = "",
                channel: object = "", photo: bytes | None = None, uploads: Path | None = None,
                now: dt.datetime | None = None) -> Outcome:
    """A worker enters an issue told or handed in at the reception desk (民情接待室) or at a
    roaming council (流动议事厅). A raiser named with a door backs it, as a resident entered by
    hand (the same name and door entered again is the same record); without a name it is the
    door's alone."""
    council = policy.council(db, actor, council_id)
    channel_ = inbox.entered_channel(channel)
    body = clean(text, field="text", maximum=inbox.ISSUE_MAX)
    door_ = clean(door, field="door", maximum=DOOR_MAX)
    name_ = clean(name, field="name", maximum=NAME_MAX, required=False)
    raiser = _entered_raiser(db, council.id, name_, door_) if name_ else None
    return _record(db, council.id, raiser, body, door_, photo, uploads, now, channel_, entered_by=actor.id)


def _entered_raiser(db: Db, council_id: int, name: str, door: str) -> Resident:
    home = residents.home_council(db, council_id)
    found = db.scalar(select(Resident).where(
        Resident.community_id == home, Resident.device_token.is_(None), Resident.display_name == name,
        Resident.door_number == door, Resident.merged_into_id.is_(None), Resident.erased_at.is_(None))
        .order_by(Resident.id).limit(1))
    return found if found is not None else residents.entered(db, home, name, door)


def _record(db: Db, council_id: int, raiser: Resident | None, body: str, door: str, photo: bytes | None,
            uploads: Path | None, now: dt.datetime | None, channel: IssueChannel,
            entered_by: int | None = None) -> Outcome:
    """Store an issue; its raiser, if known, backs it from the start."""
    issue = Issue(council_id=council_id, resident_id=raiser.id if raiser is not None else None, text=body,
                  door_number=door, photo=store_photo(photo, uploads), created_at=now or utcnow(),
                  channel=channel, entered_by_id=entered_by)
    db.add(issue)
    db.flush()
    if raiser is not None:
        db.add(IssueSupport(issue_id=issue.id, resident_id=raiser.id, created_at=now or utcnow()))
    db.commit()
    return Outcome.of_council(council_id, CHANGED, {"issue_id": issue.id})


def support_issue(db: Db, council_id: int, token: object, issue_id: object, on: bool = True) -> Outcome:
    """Back an issue of the council, or withdraw the backing; backing twice counts once."""
    council = public_council(db, council_id)
    issue = get(db, Issue, issue_id, "issue")
    if issue.council_id != council.id:
        raise DomainError("not_found", what="issue")
    inbox.check_support(issue.state)
    token_ = valid_token(token)
    if token_ is None:
        raise DomainError("invalid_field", field="token")
    resident = _resident(db, council.id, token_, "", "")
    mine = db.scalar(select(IssueSupport).where(IssueSupport.issue_id == issue.id,
                                                IssueSupport.resident_id == resident.id))
    if on and mine is None:
        db.add(IssueSupport(issue_id=issue.id, resident_id=resident.id))
    elif not on and mine is not None:
        db.delete(mine)
    db.commit()
    return Outcome.of_council(council.id, CHANGED, {"issue_id": issue.id, "supported": on})


def _supporters(db: Db, issue_ids: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {i: [] for i in issue_ids}
    for iid, rid in db.execute(select(IssueSupport.issue_id, IssueSupport.resident_id)
                               .where(IssueSupport.issue_id.in_(issue_ids)).order_by(IssueSupport.id)):
        out[iid].append(rid)
    return out


def public_page(db: Db, council_id: int, token: object) -> dict[str, Any]:
    """What the council's page shows: its issues still open, escalated or answered, newest first,
    with their support and whether this browser backs them."""
    council = public_council(db, council_id)
    me = device_resident(db, council.id, token)
    issues = list(db.scalars(select(Issue).where(Issue.council_id == council.id,
                                                 Issue.state.in_(inbox.VISIBLE))
                             .order_by(Issue.created_at.desc(), Issue.id.desc())))
    backers = _supporters(db, [i.id for i in issues])
    heads = _proxies(db, issues)
    return {"council": council, "me": me, "issues": [
        {"id": i.id, "text": i.text, "door": i.door_number, "photo": i.photo, "state": i.state.value,
         "answer": i.answer, "answered_at": i.answered_at, "supports": len(backers[i.id]),
         "supported": me is not None and me.id in backers[i.id], "mine": me is not None and i.resident_id == me.id,
         "supportable": i.state in inbox.SUPPORTABLE, "channel": i.channel.value, "proxy": heads.get(i.id)}
        for i in issues]}


def _proxies(db: Db, issues: list[Issue]) -> dict[int, str]:
    """The building head's name on each issue they raised for a household ("" once erased)."""
    ids = {i.resident_id for i in issues if i.channel is IssueChannel.BUILDING_HEAD and i.resident_id}
    names = {r.id: ("" if r.erased_at is not None else r.display_name)
             for r in db.scalars(select(Resident).where(Resident.id.in_(ids)))} if ids else {}
    return {i.id: names.get(i.resident_id, "") for i in issues
            if i.channel is IssueChannel.BUILDING_HEAD and i.resident_id}


# ---------------------------------------------------------------- the facilitator's triage


def _issue(db: Db, actor: Actor, issue_id: object) -> Issue:
    """An issue of a council the facilitator reaches, or escalated to one."""
    issue = get(db, Issue, issue_id, "issue")
    reached = policy.reachable_councils(db, actor.id) if actor.kind == "facilitator" else set()
    if actor.kind != "facilitator":
        raise DomainError("not_facilitator")
    if issue.council_id not in reached and issue.escalated_to_id not in reached:
        raise DomainError("not_found", what="issue")
    return issue


def inbox_page(db: Db, actor: Actor, council_id: object, today: dt.date) -> dict[str, Any]:
    """The council's inbox: its issues and those escalated to it, each with who raised it, its
    supporters and age; and the overdue escalations of this council and every council below."""
    council = policy.council(db, actor, council_id)
    below = policy.councils_below(db, council.id)
    issues = list(db.scalars(select(Issue).where(
        (Issue.council_id == council.id) | (Issue.escalated_to_id == council.id))
        .order_by(Issue.created_at.desc(), Issue.id.desc())))
    backers = _supporters(db, [i.id for i in issues])
    people = {r.id: r for r in db.scalars(select(Resident).where(
        Resident.id.in_({i.resident_id for i in issues if i.resident_id})))}
    names = {c.id: c.name for c in db.scalars(select(Council).where(Council.id.in_(
        {i.council_id for i in issues} | {i.escalated_to_id for i in issues if i.escalated_to_id})))}
    heads = _proxies(db, issues)
    rows = []
    for i in issues:
        by = people.get(i.resident_id) if i.resident_id else None
        rows.append({"id": i.id, "text": i.text, "door": i.door_number, "photo": i.photo, "tag": i.tag,
                     "state": i.state.value, "answer": i.answer, "unit": i.unit, "reply_due": i.reply_due,
                     "escalated_to": names.get(i.escalated_to_id) if i.escalated_to_id else None,
                     "from": names.get(i.council_id) if i.council_id != council.id else None,
                     "raised_by": (by.display_name if by and by.erased_at is None else ""),
                     "supports": len(backers[i.id]), "age": (today - _day(i.created_at)).days,
                     "overdue": inbox.overdue(i.state, i.reply_due, today), "channel": i.channel.value,
                     "proxy": heads.get(i.id)})
    overdue = [i for i in db.scalars(select(Issue).where(Issue.state == IssueState.ESCALATED,
                                                         Issue.council_id.in_(below)))
               if inbox.overdue(i.state, i.reply_due, today)]
    return {"council": council, "issues": rows, "overdue_below": len(overdue),
            "open_sessions": _carry_target(db, council.id) is not None}


def overdue_counts(db: Db, council_ids: set[int], today: dt.date) -> dict[int, int]:
    """Overdue escalations raised at each council or any council below it (the dashboard tree);
    overdue by the domain's one rule (`inbox.overdue`)."""
    rows = db.execute(select(Issue.council_id, Issue.state, Issue.reply_due)
                      .where(Issue.state == IssueState.ESCALATED)).all()
    late = [cid for cid, state, due in rows if inbox.overdue(state, due, today)]
    if not late:
        return {}
    parents = dict(db.execute(select(Council.id, Council.parent_id)).all())
    counts: dict[int, int] = {}
    for cid in late:
        for at in policy.councils_above(db, cid, parents):
            if at in council_ids:
                counts[at] = counts.get(at, 0) + 1
    return counts


def _day(moment: dt.datetime) -> dt.date:
    from council.localtime import day
    return day(moment)


def answer_issue(db: Db, actor: Actor, issue_id: object, text: object, now: dt.datetime | None = None) -> Outcome:
    """The answer shows on the council's page to everyone, and so to who raised and backed it. An
    escalation's reply also finishes its action: the council's next evaluate step rates it."""
    from council.services.actions import reply_came
    issue = _issue(db, actor, issue_id)
    escalated = issue.state is IssueState.ESCALATED
    issue.state = inbox.check_answer(issue.state)
    issue.answer = clean(text, field="answer", maximum=inbox.ANSWER_MAX)
    issue.answered_at = now or utcnow()
    action_id = reply_came(db, issue, actor.id, issue.answered_at) if escalated else None
    db.commit()
    return Outcome.of_council(issue.council_id, CHANGED | ({"actions"} if action_id else set()),
                              {"issue_id": issue.id, "action_id": action_id})


def tag_issue(db: Db, actor: Actor, issue_id: object, tag: object) -> Outcome:
    issue = _issue(db, actor, issue_id)
    issue.tag = clean(tag, field="tag", maximum=inbox.TAG_MAX, required=False)
    db.commit()
    return Outcome.of_council(issue.council_id, CHANGED, {"issue_id": issue.id})


def merge_issues(db: Db, actor: Actor, source_id: object, target_id: object) -> Outcome:
    """A duplicate goes into another issue of the same council; its backers back that one."""
    source, target = _issue(db, actor, source_id), _issue(db, actor, target_id)
    source.state = inbox.check_merge(source.id, target.id, source.state, target.state,
                                     same_council=source.council_id == target.council_id)
    source.merged_into_id = target.id
    have = set(db.scalars(select(IssueSupport.resident_id).where(IssueSupport.issue_id == target.id)))
    for rid in db.scalars(select(IssueSupport.resident_id).where(IssueSupport.issue_id == source.id)):
        if rid not in have:
            db.add(IssueSupport(issue_id=target.id, resident_id=rid))
    db.commit()
    return Outcome.of_council(source.council_id, CHANGED, {"issue_id": target.id})


def _carry_target(db: Db, council_id: int) -> Session | None:
    """The council's next session still in its raise step: the earliest such."""
    return db.scalar(select(Session).where(Session.council_id == council_id, Session.closed_at.is_(None),
                                           Session.step == Step.RAISE)
                     .order_by(Session.starts_at, Session.id).limit(1))


def carry_issue(db: Db, actor: Actor, issue_id: object) -> Outcome:
    """The issue becomes a topic in the raise step of the council's next session. Its backers who
    are in that session (they joined with the same device) support the topic at once; nobody is
    made present who did not come, so no turnout, attendance or point counts a backer at home."""
    issue = _issue(db, actor, issue_id)
    policy.council(db, actor, issue.council_id)  # carried into its own council's session only
    session = _carry_target(db, issue.council_id)
    issue.state = inbox.check_carry(issue.state, session is not None)
    assert session is not None
    backers = _supporters(db, [issue.id])[issue.id]
    present = dict(db.execute(select(Participant.resident_id, func.min(Participant.id))
                              .where(Participant.session_id == session.id, Participant.resident_id.in_(backers),
                                     Participant.present())
                              .group_by(Participant.resident_id)).all()) if backers else {}
    author = present.get(issue.resident_id) if issue.resident_id else None
    topic = Topic(session_id=session.id, author_id=author, text=issue.text)
    db.add(topic)
    db.flush()
    db.add_all(Support(topic_id=topic.id, participant_id=p) for p in dict.fromkeys(present.values()))
    issue.topic_id = topic.id
    db.commit()
    return Outcome(session.id, frozenset({"topics", "issues"}), {"issue_id": issue.id, "topic_id": topic.id,
                   "session_id": session.id, "backers": len(backers), "present": len(present)}, council_id=None)


def escalate_issue(db: Db, actor: Actor, issue_id: object, to_parent: bool, unit: object, due: object,
                   today: dt.date, now: dt.datetime | None = None) -> Outcome:
    """To the parent council or a named unit (物业, 共建单位, a department), with a reply deadline.
    The reply owed is an action of the issue's council, owned by that council or unit."""
    from council.domain.actions import OwnerKind
    from council.services.actions import owe_reply
    issue = _issue(db, actor, issue_id)
    council = policy.council(db, actor, issue.council_id)
    unit_ = clean(unit, field="unit", maximum=inbox.UNIT_MAX, required=False)
    issue.state = inbox.check_escalate(issue.state, to_parent=to_parent, has_parent=council.parent_id is not None,
                                       unit=unit_, due=optional_day(due), today=today)
    issue.reply_due = optional_day(due)
    issue.escalated_to_id = council.parent_id if to_parent else None
    issue.unit = "" if to_parent else unit_
    issue.escalated_at = now or utcnow()
    parent = db.get_one(Council, council.parent_id) if to_parent and council.parent_id else None
    action = owe_reply(db, issue, parent.name if parent else unit_,
                       OwnerKind.COUNCIL if parent else OwnerKind.UNIT, issue.escalated_at)
    db.commit()
    return Outcome.of_council(issue.council_id, CHANGED | {"actions"}, {"issue_id": issue.id,
                                                                        "action_id": action.id})


def back_carried_topics(db: Db, participant: Participant, session: Session) -> bool:
    """A resident who backed an issue carried into this session, joining it later, supports the
    issue's topic from their first join on (and the topic it was merged into, as a merge would
    have brought them): the support they gave from home counts once they are in the room. Only
    while topics take support; flushed, not committed (the join commits). Whether any was added."""
    if participant.resident_id is None or session.step not in TOPIC_STEPS:
        return False
    me = {participant.resident_id} | set(db.scalars(select(Resident.id).where(
        Resident.merged_into_id == participant.resident_id)))
    carried = list(db.scalars(select(Topic).join(Issue, Issue.topic_id == Topic.id)
                              .join(IssueSupport, IssueSupport.issue_id == Issue.id)
                              .where(Topic.session_id == session.id, IssueSupport.resident_id.in_(me))
                              .distinct()))
    have = set(db.scalars(select(Support.topic_id).where(Support.participant_id == participant.id)))
    for topic in carried:
        for target, via in ((topic.id, None), (topic.merged_into_id, topic.id)):
            if target is not None and target not in have:
                db.add(Support(topic_id=target, participant_id=participant.id, via_topic_id=via))
                have.add(target)
    db.flush()
    return bool(carried)


def figures(db: Db, council_ids: set[int]) -> dict[str, Any]:
    """Issues raised, answered, escalated, and the median days to an answer, over these councils."""
    rows = db.execute(select(Issue.state, Issue.created_at, Issue.answered_at, Issue.escalated_at)
                      .where(Issue.council_id.in_(council_ids), Issue.state != IssueState.MERGED)).all()
    days = [inbox.days_to_answer(_day(c), _day(a)) for s, c, a, _e in rows if a is not None]
    return {"raised": len(rows), "answered": sum(1 for r in rows if r[2] is not None),
            "escalated": sum(1 for r in rows if r[3] is not None), "median_days": inbox.median_days(days)}


__all__ = ["raise_issue", "enter_issue", "back_carried_topics", "support_issue", "public_page", "inbox_page", "answer_issue", "tag_issue",
           "merge_issues", "carry_issue", "escalate_issue", "overdue_counts", "figures", "new_token",
           "device_resident"]
