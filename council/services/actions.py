"""Actions carrying out adopted decisions (民事民办) and their ratings (民事民评)."""
from __future__ import annotations

from sqlalchemy.orm import Session as Db

from council.domain import DomainError, actions, evaluation
from council.domain.steps import Step, require_step
from council.domain.text import ACTION_MAX, NAME_MAX, clean
from council.models import Action, Decision, Rating
from council.models.base import utcnow
from council.services.common import Actor, Outcome, get, own_session, participant_session, same_session, upsert

CHANGED = frozenset({"actions"})


def create_action(db: Db, actor: Actor, decision_id: object, what: object, owner: object,
                  deadline: object) -> Outcome:
    """Attach an action to an adopted decision: what, who, by when."""
    decision = get(db, Decision, decision_id, "decision")
    session = own_session(db, actor, decision.session_id)
    require_step(Step(session.step), Step.DO)
    actions.require_adopted(decision.adopted)
    action = Action(session_id=session.id, decision_id=decision.id,
                    what=clean(what, field="what", maximum=ACTION_MAX),
                    owner=clean(owner, field="owner", maximum=NAME_MAX),
                    deadline=actions.parse_deadline(deadline))
    db.add(action)
    db.commit()
    return Outcome(session.id, CHANGED, {"action_id": action.id})


def update_action(db: Db, actor: Actor, action_id: object, **fields: object) -> Outcome:
    """Change an action's status, text, owner or deadline."""
    action, session = _facilitator_action(db, actor, action_id)
    require_step(Step(session.step), Step.DO, Step.EVALUATE)
    unknown = set(fields) - {"status", "what", "owner", "deadline"}
    if unknown:
        raise DomainError("invalid_field", field=sorted(unknown)[0])
    if "status" in fields:
        action.status = actions.parse_status(fields["status"]).value
    if "what" in fields:
        action.what = clean(fields["what"], field="what", maximum=ACTION_MAX)
    if "owner" in fields:
        action.owner = clean(fields["owner"], field="owner", maximum=NAME_MAX)
    if "deadline" in fields:
        action.deadline = actions.parse_deadline(fields["deadline"])
    db.commit()
    return Outcome(session.id, CHANGED)


def set_rating_open(db: Db, actor: Actor, action_id: object, open: object = True) -> Outcome:
    """Open (or close) residents' rating of one action, in evaluate."""
    action, session = _facilitator_action(db, actor, action_id)
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
    same_session(action.session_id, session, "action")
    evaluation.require_rating_open(action.rating_open)
    upsert(db, Rating, {"action_id": action.id, "participant_id": participant.id},
           {"value": rating.value, "rated_at": utcnow()})
    db.commit()
    return Outcome(session.id, CHANGED, {"action_id": action.id, "value": rating.value})


def _facilitator_action(db: Db, actor: Actor, action_id: object) -> tuple[Action, object]:
    action = get(db, Action, action_id, "action")
    return action, own_session(db, actor, action.session_id)
