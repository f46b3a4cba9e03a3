"""The five-forces overview (五力概况) of a council and every council below it, over a period.

The figures are read as events (council/domain/forces.py `Event`): one query per family of
figures (sessions and people, topics, actions, ratings, convention, ideas, the roll) for every
council of the tree and every period of the trend at once, never a query per council or per
row. The same events make the numbers and the lists behind them, so the two always agree.
docs/five-forces.md defines each figure.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session as Db

from council.localtime import day_start
from council import localtime, policy
from council.domain import DomainError, forces, inbox
from council.domain.actions import ActionStatus
from council.domain.forces import Event, Figures, Period
from council.domain.inbox import IssueState
from council.domain.residents import kept
from council.domain.steps import Step
from council.models import (Action, ActionUpdate, ArticleChange, Council, Decision, Group, Household, Idea,
                            Issue, Participant, Proposal, Rating, Resident, Session, Topic)
from council.models.base import utcnow
from council.services.common import Actor

FORMATS = ("openspace", "cafe")  # the discussion formats the innovation force counts


@dataclass(frozen=True)
class Node:
    """A council of the overview's tree, with how deep it sits below the one asked for."""

    id: int
    name: str
    level: str
    parent_id: int | None
    depth: int


@dataclass(frozen=True)
class Overview:
    """What the overview shows: the tree, the periods (oldest first, the chosen one last), and per
    council its figures and forces in each period (each council with all councils below it), and
    its issue-inbox figures over the chosen period (`issue_figures`)."""

    tree: list[Node]
    periods: list[Period]
    figures: dict[int, list[Figures]]
    forces: dict[int, list[dict[str, float | None]]]
    weights: Mapping[str, Mapping[str, float]]
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def root(self) -> Node:
        return self.tree[0]

    @property
    def period(self) -> Period:
        return self.periods[-1]


def overview(db: Db, actor: Actor, council_id: object, period: Period, settings: Mapping[str, Any],
             zone: ZoneInfo | None = None) -> Overview:
    """The overview of a council the facilitator reaches (else `not_found`)."""
    council = policy.council(db, actor, council_id)
    return compute(db, council.id, period, settings, zone)


def compute(db: Db, council_id: int, period: Period, settings: Mapping[str, Any],
            zone: ZoneInfo | None = None) -> Overview:
    """The overview of a council whose reach the caller has checked."""
    zone = zone or localtime.zone()
    tree = subtree(db, council_id)
    periods = period.series(settings["trend_periods"])
    span = Period(periods[0].start, period.end)
    events = gather(db, [n.id for n in tree], span, zone)
    own: dict[int, list[Event]] = defaultdict(list)
    for e in events:
        own[e.council_id].append(e)
    figures: dict[int, list[Figures]] = {}
    for node in reversed(tree):  # children before their parents
        children = [figures[n.id] for n in tree if n.parent_id == node.id and n.depth > 0]
        figures[node.id] = [forces.roll_up([forces.tally(own[node.id], p)] + [c[i] for c in children])
                            for i, p in enumerate(periods)]
    weights = settings["weights"]
    return Overview(tree, periods, figures,
                    {cid: [forces.forces(f, weights) for f in fs] for cid, fs in figures.items()}, weights,
                    _issues_of_tree(db, tree, period, zone))


def events_behind(db: Db, actor: Actor, council_id: object, figure: str, period: Period,
                  zone: ZoneInfo | None = None) -> tuple[Node, list[Event], dict[int, str]]:
    """The events one number of the overview rests on (a figure, or a group of figures such as
    all ratings), in the council and those below it, oldest first; with the councils' names."""
    council = policy.council(db, actor, council_id)
    wanted = set(forces.GROUPS.get(figure, (figure,)))
    if not wanted <= set(forces.FIGURES) | set(ISSUE_FIGURES):
        raise DomainError("not_found", what="figure")
    tree = subtree(db, council.id)
    families = [family for family, makes in [*FAMILIES, ISSUE_FAMILY] if wanted & makes]
    found = [e for e in gather(db, [n.id for n in tree], period, zone or localtime.zone(), families)
             if e.figure in wanted and (e.day is None or e.day in period)]
    found.sort(key=lambda e: (e.day or dt.date.min, e.when, e.figure, e.key))
    return tree[0], found, {n.id: n.name for n in tree}


def subtree(db: Db, council_id: int) -> list[Node]:
    """The council and every council below it, each followed by those below it (one query)."""
    rows = db.execute(select(Council.id, Council.name, Council.level, Council.parent_id)).all()
    children: dict[int | None, list[Any]] = defaultdict(list)
    by_id = {}
    for row in rows:
        children[row.parent_id].append(row)
        by_id[row.id] = row
    out: list[Node] = []
    todo = [(by_id[council_id], 0)]
    while todo:
        row, depth = todo.pop()
        if any(n.id == row.id for n in out) or depth > 5:  # a loop in the tree cannot hang the page
            continue
        out.append(Node(row.id, row.name, row.level, row.parent_id if depth else None, depth))
        todo.extend((child, depth + 1) for child in sorted(children[row.id], key=lambda r: r.id, reverse=True))
    return out


# ------------------------------------------------------------------ reading the events


@dataclass(frozen=True)
class Window:
    """The councils and the UTC moments a query reads, and the local day of a moment."""

    councils: list[int]
    start: dt.datetime
    end: dt.datetime  # excluded
    zone: ZoneInfo

    def day(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def stamp(self, moment: dt.datetime) -> str:
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")


Family = Callable[[Db, Window], Iterable[Event]]


def gather(db: Db, councils: list[int], span: Period, zone: ZoneInfo,
           families: Iterable[Family] | None = None) -> list[Event]:
    """Every event of these councils in the span (by default of every family)."""
    start, end = day_start(span.start, zone), day_start(span.end + dt.timedelta(days=1), zone)
    window = Window(councils, start, end, zone)
    out: list[Event] = []
    for family in families if families is not None else [f for f, _m in FAMILIES]:
        out.extend(family(db, window))
    return out


def _sessions_and_people(db: Db, w: Window) -> Iterable[Event]:
    """Sessions held, people and households present, new faces, sessions in a new format."""
    sessions = {s.id: s for s in db.execute(
        select(Session.id, Session.council_id, Session.title, Session.starts_at, Session.format, Session.step)
        .where(Session.council_id.in_(w.councils), Session.starts_at >= w.start, Session.starts_at < w.end))}
    present = db.execute(
        select(Participant.id, Participant.session_id, Participant.resident_id, Participant.household_id,
               Participant.display_name, Participant.door_number, Household.door_number.label("roll_door"))
        .join(Session, Participant.session_id == Session.id)
        .outerjoin(Household, Participant.household_id == Household.id)
        .where(Session.council_id.in_(w.councils), Session.starts_at >= w.start, Session.starts_at < w.end,
               Participant.present())).all()
    now = utcnow()
    attended = {p.session_id for p in present}
    held = {sid: s for sid, s in sessions.items()
            if s.starts_at <= now and (sid in attended or Step(s.step) is Step.CLOSED)}
    for s in held.values():
        day, when = w.day(s.starts_at), w.stamp(s.starts_at)
        yield Event("sessions", s.council_id, day, f"session:{s.id}", label=s.title, when=when)
        if s.format in FORMATS:
            yield Event("format_sessions", s.council_id, day, f"session:{s.id}", label=s.title, when=when)
    merged = _merges(db, w)
    for p in present:
        s = held.get(p.session_id)
        if s is None:
            continue
        day, when = w.day(s.starts_at), w.stamp(s.starts_at)
        person = f"resident:{kept(p.resident_id, merged)}" if p.resident_id else f"participant:{p.id}"
        yield Event("people", s.council_id, day, person, label=p.display_name, detail=s.title, when=when)
        if p.household_id is not None:
            yield Event("households", s.council_id, day, f"household:{p.household_id}", label=p.roll_door,
                        detail=s.title, when=when)
    yield from _new_faces(db, w, present, held, merged)


def _merges(db: Db, w: Window) -> dict[int, int | None]:
    """Merged resident records and the ones they went into (few: a facilitator merges by hand)."""
    return dict(db.execute(select(Resident.id, Resident.merged_into_id)
                           .where(Resident.merged_into_id.is_not(None))).all())


def _new_faces(db: Db, w: Window, present: list[Any], held: dict[int, Any],
               merged: dict[int, int | None]) -> Iterable[Event]:
    """Residents whose first participation ever in their community falls in the span: counted in
    the council, and on the day, of that first session."""
    residents = {p.resident_id for p in present if p.resident_id}
    if not residents:
        return
    first: dict[int, dt.datetime] = {}
    seen = select(Participant.resident_id).join(Session, Participant.session_id == Session.id) \
        .where(Session.council_id.in_(w.councils), Session.starts_at >= w.start, Session.starts_at < w.end,
               Participant.resident_id.is_not(None), Participant.present())
    for rid, earliest in db.execute(select(Participant.resident_id, func.min(Session.starts_at))
                                    .join(Session, Participant.session_id == Session.id)
                                    .where(Participant.resident_id.in_(seen), Participant.present())
                                    .group_by(Participant.resident_id)):
        person = kept(rid, merged)
        if earliest is not None and (person not in first or earliest < first[person]):
            first[person] = earliest
    done: set[int] = set()
    for p in sorted((p for p in present if p.session_id in held and p.resident_id),
                    key=lambda p: (held[p.session_id].starts_at, p.id)):
        s, person = held[p.session_id], kept(p.resident_id, merged)
        if person in done or first.get(person) != s.starts_at:
            continue
        done.add(person)
        yield Event("new_faces", s.council_id, w.day(s.starts_at), f"resident:{person}", label=p.display_name,
                    detail=s.title, when=w.stamp(s.starts_at))


def _topics(db: Db, w: Window) -> Iterable[Event]:
    """Topics raised (on the wall), and of those the ones discussed and decided, with the days
    from raising to the first decision."""
    rows = db.execute(
        select(Topic.id, Topic.text, Topic.created_at, Session.council_id, Session.title,
               Proposal.id.label("proposal_id"), Decision.decided_at)
        .join(Session, Topic.session_id == Session.id)
        .outerjoin(Proposal, Proposal.topic_id == Topic.id)
        .outerjoin(Decision, Decision.proposal_id == Proposal.id)
        .where(Session.council_id.in_(w.councils), Topic.on_wall(), Topic.created_at >= w.start,
               Topic.created_at < w.end)).all()
    topics: dict[int, dict[str, Any]] = {}
    for r in rows:
        t = topics.setdefault(r.id, {"row": r, "discussed": False, "decided": None})
        t["discussed"] |= r.proposal_id is not None
        if r.decided_at is not None and (t["decided"] is None or r.decided_at < t["decided"]):
            t["decided"] = r.decided_at
    for tid, t in topics.items():
        r = t["row"]
        day, key, when = w.day(r.created_at), f"topic:{tid}", w.stamp(r.created_at)
        yield Event("topics", r.council_id, day, key, label=r.text, detail=r.title, when=when)
        if t["discussed"]:
            yield Event("discussed", r.council_id, day, key, label=r.text, detail=r.title, when=when)
        if t["decided"] is not None:
            days = forces.days_between(r.created_at, t["decided"])
            yield Event("decided", r.council_id, day, key, label=r.text, detail=r.title, when=when)
            yield Event("to_decision_days", r.council_id, day, key, value=days, label=r.text,
                        detail=str(days), when=when)


def _actions(db: Db, w: Window) -> Iterable[Event]:
    """Actions agreed, and of those the ones done and done on time, with the days from the
    decision to done; their owners by kind."""
    done_at = select(ActionUpdate.action_id, func.max(ActionUpdate.at).label("at")) \
        .where(ActionUpdate.status == ActionStatus.DONE).group_by(ActionUpdate.action_id).subquery()
    council = func.coalesce(Action.council_id, Session.council_id)
    rows = db.execute(
        select(Action.id, Action.what, Action.owner, Action.owner_kind, Action.deadline, Action.status,
               Action.created_at, council.label("council_id"), Decision.decided_at, done_at.c.at.label("done_at"))
        .join(Session, Action.session_id == Session.id)
        .join(Decision, Action.decision_id == Decision.id)  # an escalation (no decision) counts with the issues
        .outerjoin(done_at, done_at.c.action_id == Action.id)
        .where(council.in_(w.councils), Action.created_at >= w.start, Action.created_at < w.end)).all()
    for r in rows:
        day, key, when = w.day(r.created_at), f"action:{r.id}", w.stamp(r.created_at)
        kind = getattr(r.owner_kind, "value", r.owner_kind)
        yield Event("actions", r.council_id, day, key, label=r.what, detail=r.owner, when=when)
        yield Event(f"owner_{kind}", r.council_id, day, f"owner:{kind}:{r.owner.strip()}", label=r.owner,
                    detail=r.what, when=when)
        if ActionStatus(r.status) is not ActionStatus.DONE:
            continue
        finished = r.done_at or r.created_at
        yield Event("done", r.council_id, day, key, label=r.what, detail=w.stamp(finished), when=when)
        if w.day(finished) <= r.deadline:
            yield Event("on_time", r.council_id, day, key, label=r.what,
                        detail=f"{w.stamp(finished)} ≤ {r.deadline.isoformat()}", when=when)
        days = forces.days_between(r.decided_at, finished)
        yield Event("to_done_days", r.council_id, day, key, value=days, label=r.what, detail=str(days), when=when)


def _ratings(db: Db, w: Window) -> Iterable[Event]:
    """Residents' ratings of actions, given in the span, in the action's council (an escalation's
    reply, which has no meeting of its own, included)."""
    council = func.coalesce(Action.council_id, Session.council_id)
    rows = db.execute(select(Rating.id, Rating.value, Rating.rated_at, Action.what, council.label("council_id"))
                      .join(Action, Rating.action_id == Action.id).outerjoin(Session, Action.session_id == Session.id)
                      .where(council.in_(w.councils), Rating.rated_at >= w.start, Rating.rated_at < w.end)).all()
    for r in rows:
        value = getattr(r.value, "value", r.value)
        yield Event(value, r.council_id, w.day(r.rated_at), f"rating:{r.id}", label=r.what, when=w.stamp(r.rated_at))


def _convention(db: Db, w: Window) -> Iterable[Event]:
    """Convention articles adopted (new) and amended (changed or repealed) by an adopted decision."""
    rows = db.execute(select(Decision.id, Decision.decided_at, ArticleChange.kind, ArticleChange.target,
                             Proposal.title, Session.council_id)
                      .join(Proposal, Decision.proposal_id == Proposal.id)
                      .join(ArticleChange, ArticleChange.proposal_id == Proposal.id)
                      .join(Session, Decision.session_id == Session.id)
                      .where(Session.council_id.in_(w.councils), Decision.adopted.is_(True),
                             Decision.decided_at >= w.start, Decision.decided_at < w.end)).all()
    for r in rows:
        figure = "articles_adopted" if r.kind == "add" else "articles_amended"
        yield Event(figure, r.council_id, w.day(r.decided_at), f"decision:{r.id}", label=r.title,
                    when=w.stamp(r.decided_at))


def _ideas(db: Db, w: Window) -> Iterable[Event]:
    """Open Space groups convened and World Café ideas harvested (shown ones)."""
    groups = db.execute(select(Group.id, Topic.text, Session.council_id, Session.starts_at, Session.title)
                        .join(Topic, Group.topic_id == Topic.id).join(Session, Group.session_id == Session.id)
                        .where(Session.council_id.in_(w.councils), Session.starts_at >= w.start,
                               Session.starts_at < w.end)).all()
    for r in groups:
        yield Event("ideas", r.council_id, w.day(r.starts_at), f"group:{r.id}", label=r.text, detail=r.title,
                    when=w.stamp(r.starts_at))
    ideas = db.execute(select(Idea.id, Idea.text, Idea.created_at, Session.council_id, Session.title)
                       .join(Session, Idea.session_id == Session.id)
                       .where(Session.council_id.in_(w.councils), Idea.shown(), Idea.created_at >= w.start,
                              Idea.created_at < w.end)).all()
    for r in ideas:
        yield Event("ideas", r.council_id, w.day(r.created_at), f"idea:{r.id}", label=r.text, detail=r.title,
                    when=w.stamp(r.created_at))


def _roll(db: Db, w: Window) -> Iterable[Event]:
    """The household roll as it is today (it has no history): it counts in every period."""
    for r in db.execute(select(Household.id, Household.council_id, Household.door_number)
                        .where(Household.council_id.in_(w.councils))):
        yield Event("roll", r.council_id, None, f"household:{r.id}", label=r.door_number)


FAMILIES: list[tuple[Family, frozenset[str]]] = [
    (_sessions_and_people, frozenset({"sessions", "format_sessions", "people", "households", "new_faces"})),
    (_topics, frozenset({"topics", "discussed", "decided", "to_decision_days"})),
    (_actions, frozenset({"actions", "done", "on_time", "to_done_days", *forces.GROUPS["owners"]})),
    (_ratings, frozenset(forces.GROUPS["ratings"])),
    (_convention, frozenset({"articles_adopted", "articles_amended"})),
    (_ideas, frozenset({"ideas"})),
    (_roll, frozenset({"roll"})),
]


# ------------------------------------------------------------------ the issue inbox between meetings

# The inbox's figures (docs/five-forces.md, "The issue inbox"): not indicators of any force, shown
# beside them over the chosen period only. Each event's day is the day the figure counts it on.
ISSUE_FIGURES = ("issues_raised", "issues_answered", "issues_escalated", "issue_answer_days")


def _issues(db: Db, w: Window) -> Iterable[Event]:
    """Issues raised on a council's page (on the local day raised), answers given (on the day
    answered, with the days from raising to the answer) and escalations made (on the day
    escalated), in the council the issue was raised in. A duplicate merged into another issue
    counts in none: the issue kept stands for it."""
    def within(column: Any) -> Any:
        return (column >= w.start) & (column < w.end)

    rows = db.execute(
        select(Issue.id, Issue.council_id, Issue.text, Issue.answer, Issue.unit, Issue.reply_due,
               Issue.created_at, Issue.answered_at, Issue.escalated_at, Council.name.label("escalated_to"))
        .outerjoin(Council, Issue.escalated_to_id == Council.id)
        .where(Issue.council_id.in_(w.councils), Issue.state != IssueState.MERGED,
               or_(within(Issue.created_at), within(Issue.answered_at), within(Issue.escalated_at)))).all()

    def inside(moment: dt.datetime | None) -> bool:
        return moment is not None and w.start <= moment < w.end

    for r in rows:
        key = f"issue:{r.id}"
        if inside(r.created_at):
            yield Event("issues_raised", r.council_id, w.day(r.created_at), key, label=r.text,
                        when=w.stamp(r.created_at))
        if inside(r.escalated_at):
            due = r.reply_due.isoformat() if r.reply_due else ""
            yield Event("issues_escalated", r.council_id, w.day(r.escalated_at), key, label=r.text,
                        detail=f"{r.escalated_to or r.unit} · {due}", when=w.stamp(r.escalated_at))
        if inside(r.answered_at):
            days = inbox.days_to_answer(w.day(r.created_at), w.day(r.answered_at))
            yield Event("issues_answered", r.council_id, w.day(r.answered_at), key, label=r.text,
                        detail=r.answer, when=w.stamp(r.answered_at))
            yield Event("issue_answer_days", r.council_id, w.day(r.answered_at), key, value=days, label=r.text,
                        detail=str(days), when=w.stamp(r.answered_at))


ISSUE_FAMILY: tuple[Family, frozenset[str]] = (_issues, frozenset(ISSUE_FIGURES))


def tally_issues(events: Iterable[Event], period: Period) -> dict[str, Any]:
    """The inbox figures of these events in the period, shaped as `services.inbox.figures`:
    issues raised, answered and escalated (distinct issues), and the median days to an answer
    (the domain's `median_days` over the answers of the period; None without any)."""
    keys: dict[str, set[str]] = {f: set() for f in ISSUE_FIGURES}
    days: dict[str, int] = {}
    for e in events:
        if e.figure not in keys or e.day not in period:
            continue
        keys[e.figure].add(e.key)
        if e.figure == "issue_answer_days" and e.value is not None:
            days[e.key] = int(e.value)
    return {"raised": len(keys["issues_raised"]), "answered": len(keys["issues_answered"]),
            "escalated": len(keys["issues_escalated"]), "median_days": inbox.median_days(days.values())}


# which key of `tally_issues` each figure is printed from
ISSUE_NUMBERS = {"issues_raised": "raised", "issues_answered": "answered", "issues_escalated": "escalated",
                 "issue_answer_days": "median_days"}


def issue_figures(db: Db, council_ids: Iterable[int], period: Period, zone: ZoneInfo | None = None) -> dict[str, Any]:
    """`services.inbox.figures` over a period: issues raised in it, answers and escalations made in
    it, the median days to an answer over the answers of the period; over these councils."""
    events = gather(db, sorted(set(council_ids)), period, zone or localtime.zone(), [_issues])
    return tally_issues(events, period)


def _issues_of_tree(db: Db, tree: list[Node], period: Period, zone: ZoneInfo) -> dict[int, dict[str, Any]]:
    """The inbox figures of each council of the tree with every council below it (one query):
    an issue is raised in one council, so counts add up; the median pools all the answers below."""
    events = gather(db, [n.id for n in tree], period, zone, [_issues])
    below: dict[int, set[int]] = {}
    for node in reversed(tree):  # children before their parents
        below[node.id] = {node.id}.union(*(below[n.id] for n in tree if n.parent_id == node.id and n.depth > 0))
    return {n.id: tally_issues([e for e in events if e.council_id in below[n.id]], period) for n in tree}
