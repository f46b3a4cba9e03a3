"""Actions carrying out adopted decisions (民事民办), their progress across meetings, and
the residents' ratings (民事民评)."""
from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session as Db

from council.domain import DomainError, actions, evaluation
from council.domain.steps import Step, require_step
from council.domain.text import ACTION_MAX, NAME_MAX, clean
from council.models import Action, ActionUpdate, Decision, Issue, Participant, Rating, Session
from council.models.base import utcnow
from council import policy
from council.services import audit
from council.services.common import Actor, Outcome, get, own_session, participant_session, upsert

CHANGED = frozenset({"actions"})
NOTE_MAX = 200


def create_action(db: Db, actor: Actor, decision_id: object, what: object, owner: object,
                  deadline: object, owner_kind: object = actions.OwnerKind.RESIDENT,
                  owner_participant_id: object = None) -> Outcome:
    """Attach an action to an adopted decision: what, who, by when. A resident of the room who
    owns it (`owner_participant_id`) finds it in their record and earns its points when done."""
    decision = get(db, Decision, decision_id, "decision")
    session = own_session(db, actor, decision.session_id)
    require_step(Step(session.step), Step.DO)
    actions.require_adopted(decision.adopted)
    kind = actions.parse_owner_kind(owner_kind)
    owner_resident = None
    if owner_participant_id is not None:
        participant = get(db, Participant, owner_participant_id, "participant")
        if participant.session_id != session.id:
            raise DomainError("not_found", what="participant")
        if kind != actions.OwnerKind.RESIDENT:
            raise DomainError("invalid_field", field="owner_participant_id")
        owner_resident = participant.resident_id
    action = Action(session_id=session.id, council_id=session.council_id, decision_id=decision.id,
                    what=clean(what, field="what", maximum=ACTION_MAX),
                    owner=clean(owner, field="owner", maximum=NAME_MAX),
                    owner_kind=kind, owner_resident_id=owner_resident,
                    deadline=actions.parse_deadline(deadline))
    db.add(action)
    db.commit()
    return Outcome(session.id, CHANGED, {"action_id": action.id})


def update_action(db: Db, actor: Actor, session_id: int, action_id: object, **fields: object) -> Outcome:
    """Change an action's status, text, owner or deadline from a session's console."""
    action, session = _council_action(db, actor, session_id, action_id)
    require_step(Step(session.step), Step.DO, Step.EVALUATE)
    _not_an_escalation(action)
    unknown = set(fields) - {"status", "what", "owner", "owner_kind", "deadline"}
    if unknown:
        raise DomainError("invalid_field", field=sorted(unknown)[0])
    if set(fields) - {"status"} and _rated(db, action.id):  # what residents rated stays as they rated it
        raise DomainError("action_rated")
    if "status" in fields:
        status = actions.parse_status(fields["status"])
        if status != action.status:
            db.add(ActionUpdate(action_id=action.id, status=status, note="", by_id=actor.id))
        action.status = status
    if "what" in fields:
        action.what = clean(fields["what"], field="what", maximum=ACTION_MAX)
    if "owner" in fields:
        action.owner = clean(fields["owner"], field="owner", maximum=NAME_MAX)
    if "owner_kind" in fields:
        action.owner_kind = actions.parse_owner_kind(fields["owner_kind"])
    if "deadline" in fields:
        action.deadline = actions.parse_deadline(fields["deadline"])
    db.commit()
    return Outcome(session.id, CHANGED)


def withdraw_action(db: Db, actor: Actor, session_id: int, action_id: object) -> Outcome:
    """Take back an action entered in this session, until residents have rated it; the audit
    trail keeps what it was. An action of an earlier meeting is changed, never withdrawn here."""
    session = own_session(db, actor, session_id)
    action = get(db, Action, action_id, "action")
    if action.session_id != session.id:
        raise DomainError("not_found", what="action")
    require_step(Step(session.step), Step.DO, Step.EVALUATE)
    if _rated(db, action.id):
        raise DomainError("action_rated")
    audit.record(db, session.id, "action.withdraw", audit.facilitator_label(session), action_id=action.id,
                 what=action.what, owner=action.owner)
    db.execute(delete(Action).where(Action.id == action.id))  # its status changes go with it
    db.commit()
    return Outcome(session.id, CHANGED, {"action_id": action.id})


def _not_an_escalation(action: Action) -> None:
    """An escalation's action is done when its reply is entered in the inbox, and only then: its
    issue and its action never tell two stories."""
    if action.issue_id is not None:
        raise DomainError("action_of_issue")


def owe_reply(db: Db, issue: Issue, owner: str, kind: actions.OwnerKind, at: dt.datetime) -> Action:
    """An escalation (吹哨报到) is a reply owed by a unit or the parent council by its deadline: an
    action of the issue's council, with no meeting and no decision, that the council's next
    evaluate step shows and the residents rate like any other. The caller commits."""
    assert issue.reply_due is not None  # the inbox's rules ask for one
    action = Action(council_id=issue.council_id, issue_id=issue.id, what=issue.text, owner=owner,
                    owner_kind=kind, deadline=issue.reply_due, created_at=at)
    db.add(action)
    db.flush()
    return action


def reply_came(db: Db, issue: Issue, by_id: int, at: dt.datetime) -> int | None:
    """The escalation's reply came back: its action is done, the reply its dated update, so the
    evaluate step, the minutes and the council's record show it. The caller commits."""
    action = db.scalar(select(Action).where(Action.issue_id == issue.id))
    if action is None:
        return None
    action.status = actions.ActionStatus.DONE
    db.add(ActionUpdate(action_id=action.id, status=actions.ActionStatus.DONE, note=issue.answer, at=at,
                        by_id=by_id))
    return action.id


def _rated(db: Db, action_id: int) -> bool:
    return db.scalar(select(Rating.id).where(Rating.action_id == action_id).limit(1)) is not None


def store_photo(photo: bytes | None, uploads: Path | None) -> str | None:
    """A JPEG or PNG of at most 5 MB kept under a random name in the uploads folder (served at
    /uploads/<name>); None without a photo."""
    if not photo:
        return None
    kind = actions.photo_kind(photo)
    if uploads is None:
        raise DomainError("photo_type")
    uploads.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind}"
    (uploads / name).write_bytes(photo)
    return name


def report_progress(db: Db, actor: Actor, action_id: object, status: object, note: object = "",
                    photo: bytes | None = None, uploads: Path | None = None) -> Outcome:
    """A dated progress report between meetings, with a short note and perhaps a photo."""
    action = get(db, Action, action_id, "action")
    policy.council(db, actor, action.council_id)
    _not_an_escalation(action)
    status_ = actions.parse_status(status)
    text = clean(note, field="note", maximum=NOTE_MAX, required=False)
    name = store_photo(photo, uploads)
    update = ActionUpdate(action_id=action.id, status=status_, note=text, photo=name, by_id=actor.id)
    action.status = status_
    db.add(update)
    db.commit()
    return Outcome.of_council(action.council_id, CHANGED, {"action_id": action.id, "update_id": update.id})


def set_rating_open(db: Db, actor: Actor, session_id: int, action_id: object, open: object = True) -> Outcome:
    """Open (or close) residents' rating of one action in this session's evaluate step."""
    action, session = _council_action(db, actor, session_id, action_id)
    require_step(Step(session.step), Step.EVALUATE)
    if not isinstance(open, bool):
        raise DomainError("invalid_field", field="open")
    action.rating_open = open
    db.commit()
    return Outcome(session.id, CHANGED)


def rate_action(db: Db, actor: Actor, action_id: object, value: object) -> Outcome:
    """A resident's rating; rating again replaces the earlier one."""
    participant, session = participant_session(db, actor)
    require_step(Step(session.step), Step.EVALUATE)
    rating = evaluation.parse_rating(value)
    action = get(db, Action, action_id, "action")
    if action.id not in {a.id for a, _ in evaluated_in(db, session)}:
        raise DomainError("not_found", what="action")
    evaluation.require_rating_open(action.rating_open)
    upsert(db, Rating, {"action_id": action.id, "participant_id": participant.id},
           {"value": rating, "rated_at": utcnow(), "session_id": session.id})
    db.commit()
    return Outcome(session.id, CHANGED, {"action_id": action.id, "value": rating.value})


def evaluated_in(db: Db, session: Session) -> list[tuple[Action, bool]]:
    """The actions a session shows: its own, then those carried over from earlier meetings of
    its council and its escalations (with True)."""
    own = list(db.scalars(select(Action).where(Action.session_id == session.id).order_by(Action.id)))
    judged = judged_elsewhere(db, session)
    carried = [a for a in earlier_actions(db, session)
               if actions.carries_over(actions.ActionStatus(a.status), a.id in judged)]
    return [(a, False) for a in own] + [(a, True) for a in carried]


def earlier_actions(db: Db, session: Session) -> list[Action]:
    """What a session may carry over: the actions of its council's earlier meetings, and the
    council's escalations made before the session closed (a closed meeting's list stays put)."""
    meetings = (select(Action.id).join(Session, Action.session_id == Session.id)
                .where(Action.council_id == session.council_id, Action.session_id != session.id,
                       Session.created_at < session.created_at))
    escalations = select(Action.id).where(Action.council_id == session.council_id, Action.issue_id.is_not(None))
    if session.closed_at is not None:
        escalations = escalations.where(Action.created_at <= session.closed_at)
    return list(db.scalars(select(Action).where(Action.id.in_(meetings.union(escalations))).order_by(Action.id)))


def judged_elsewhere(db: Db, session: Session, cutoff: dt.datetime | None = None) -> set[int]:
    """The council's actions rated at a meeting other than this one and than their own (an
    escalation has none of its own), by the cutoff if one is given."""
    query = (select(Rating.action_id).join(Action)
             .where(Action.council_id == session.council_id, Rating.session_id != session.id,
                    or_(Action.session_id.is_(None), Rating.session_id != Action.session_id)))
    if cutoff is not None:
        query = query.where(Rating.rated_at <= cutoff)
    return set(db.scalars(query))


def origins(db: Db, listed: list[Action]) -> dict[int, str]:
    """Where each action came from: its meeting's title; an escalation's is told by `issue_id`."""
    titles = dict(db.execute(select(Session.id, Session.title)
                             .where(Session.id.in_({a.session_id for a in listed if a.session_id}))).all())
    return {a.id: titles.get(a.session_id, "") if a.session_id else "" for a in listed}


def council_actions(db: Db, council_id: int, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    """A council's actions filed as open, overdue and done, each with its updates and ratings."""
    out: dict[str, list[dict[str, Any]]] = {"open": [], "overdue": [], "done": []}
    rows = db.execute(select(Action, Session.title, Session.starts_at).join(Session, Action.session_id == Session.id)
                      .where(Action.council_id == council_id).order_by(Action.deadline, Action.id)).all()
    for action, title, starts in rows:
        ratings = [evaluation.Rating(v) for v in db.scalars(select(Rating.value).where(Rating.action_id == action.id))]
        updates = db.scalars(select(ActionUpdate).where(ActionUpdate.action_id == action.id)
                             .order_by(ActionUpdate.at)).all()
        standing = actions.standing(actions.ActionStatus(action.status), action.deadline, today)
        out[standing].append({"action": action, "session": title, "session_date": starts,
                              "ratings": evaluation.summarize(ratings).as_dict(), "updates": updates})
    return out


def _council_action(db: Db, actor: Actor, session_id: int, action_id: object) -> tuple[Action, Session]:
    """An action of the session's council, handled from that session's console."""
    session = own_session(db, actor, session_id)
    action = get(db, Action, action_id, "action")
    if action.council_id != session.council_id:
        raise DomainError("not_found", what="action")
    return action, session
