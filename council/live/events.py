"""Every client event: who may send it, what its payload holds, which service it calls.

docs/protocol.md describes the same table for people writing other clients.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.live.connection import Connection
from council.services import (Outcome, actions, cafe, convention, dots, openspace, participants, polls, proposals,
                              sessions, topics)

CONSOLE, PHONE = frozenset({"console"}), frozenset({"phone"})


@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = True


@dataclass(frozen=True)
class Event:
    roles: frozenset[str]
    fields: dict[str, Field]
    call: Callable[[Db, Connection, dict[str, Any]], Outcome]
    # A phone's answer carries its whole `me` only where the change reaches beyond the
    # reply itself (a raised topic is also supported); a vote's answer names the ballot.
    reply_me: bool = False


def validate(fields: dict[str, Field], payload: object) -> dict[str, Any]:
    """The payload as keyword arguments, or `invalid_field` for anything malformed."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise DomainError("invalid_field", field="payload")
    for key in payload:
        if key not in fields:
            raise DomainError("invalid_field", field=str(key)[:40])
    args = {}
    for key, spec in fields.items():
        if key not in payload:
            if spec.required:
                raise DomainError("invalid_field", field=key)
            continue
        value = payload[key]
        if isinstance(value, bool) and spec.kind is not bool or not isinstance(value, spec.kind):
            raise DomainError("invalid_field", field=key)
        args[key] = value
    return args


def _f(kind: type, required: bool = True) -> Field:
    return Field(kind, required)


EVENTS: dict[str, Event] = {
    "step.advance": Event(CONSOLE, {}, lambda db, c, a: sessions.advance_step(db, c.actor, c.session_id)),
    "step.back": Event(CONSOLE, {}, lambda db, c, a: sessions.step_back(db, c.actor, c.session_id)),
    "timer.set": Event(CONSOLE, {"seconds": _f(int)},
                       lambda db, c, a: sessions.set_timer(db, c.actor, c.session_id, **a)),
    "topic.raise": Event(CONSOLE | PHONE, {"text": _f(str), "participant_id": _f(int, False)},
                         lambda db, c, a: topics.raise_topic(db, c.actor, session_id=c.session_id, **a),
                         reply_me=True),
    "topic.support": Event(PHONE, {"topic_id": _f(int), "on": _f(bool)},
                           lambda db, c, a: topics.support_topic(db, c.actor, **a), reply_me=True),
    "topic.edit": Event(CONSOLE, {"topic_id": _f(int), "text": _f(str)},
                        lambda db, c, a: topics.edit_topic(db, c.actor, **a)),
    "topic.hide": Event(CONSOLE, {"topic_id": _f(int), "hidden": _f(bool)},
                        lambda db, c, a: topics.hide_topic(db, c.actor, **a)),
    "topic.merge": Event(CONSOLE, {"source_id": _f(int), "target_id": _f(int)},
                         lambda db, c, a: topics.merge_topics(db, c.actor, **a)),
    "proposal.create": Event(CONSOLE, {"title": _f(str), "text": _f(str, False), "topic_id": _f(int, False)},
                             lambda db, c, a: proposals.create_proposal(db, c.actor, c.session_id, **a)),
    "proposal.edit": Event(CONSOLE, {"proposal_id": _f(int), "title": _f(str), "text": _f(str, False)},
                           lambda db, c, a: proposals.edit_proposal(db, c.actor, **a)),
    "proposal.article": Event(CONSOLE, {"proposal_id": _f(int), "kind": _f(str), "target": _f(int, False)},
                              lambda db, c, a: convention.mark_article(db, c.actor, **a)),
    "poll.open": Event(CONSOLE, {"proposal_id": _f(int), "rule": _f(str, False), "unit": _f(str, False),
                                 "secret": _f(bool, False), "quorum": _f(int, False)},
                       lambda db, c, a: polls.open_poll(db, c.actor, **a)),
    "poll.count": Event(CONSOLE, {"poll_id": _f(int), "channel": _f(str), "yes": _f(int), "no": _f(int),
                                  "abstain": _f(int)}, lambda db, c, a: polls.set_count(db, c.actor, **a)),
    "poll.attendance": Event(CONSOLE, {"poll_id": _f(int), "present": _f(int)},
                             lambda db, c, a: polls.set_attendance(db, c.actor, **a)),
    "ballot.enter": Event(CONSOLE, {"poll_id": _f(int), "choice": _f(str), "participant_id": _f(int, False),
                                    "door_number": _f(str, False)},
                          lambda db, c, a: polls.enter_vote(db, c.actor, **a)),
    "participant.add": Event(CONSOLE, {"name": _f(str), "door": _f(str, False)},
                             lambda db, c, a: participants.add_participant(db, c.actor, c.session_id, a["name"],
                                                                           a.get("door", ""))),
    "poll.close": Event(CONSOLE, {"poll_id": _f(int)}, lambda db, c, a: polls.close_poll(db, c.actor, **a)),
    "ballot.cast": Event(PHONE, {"poll_id": _f(int), "choice": _f(str), "client_id": _f(str)},
                         lambda db, c, a: polls.cast_vote(db, c.actor, **a)),
    "action.create": Event(CONSOLE, {"decision_id": _f(int), "what": _f(str), "owner": _f(str),
                                     "deadline": _f(str), "owner_kind": _f(str, False)},
                           lambda db, c, a: actions.create_action(db, c.actor, **a)),
    "action.update": Event(CONSOLE, {"action_id": _f(int), "status": _f(str, False), "what": _f(str, False),
                                     "owner": _f(str, False), "owner_kind": _f(str, False),
                                     "deadline": _f(str, False)},
                           lambda db, c, a: actions.update_action(db, c.actor, c.session_id, **a)),
    "rating.open": Event(CONSOLE, {"action_id": _f(int), "open": _f(bool)},
                         lambda db, c, a: actions.set_rating_open(db, c.actor, c.session_id, **a)),
    "rating.give": Event(PHONE, {"action_id": _f(int), "value": _f(str)},
                         lambda db, c, a: actions.rate_action(db, c.actor, **a)),
    # Open Space and World Café
    "dots.rules": Event(CONSOLE, {"dots": _f(int), "per_topic": _f(int), "top": _f(int, False)},
                        lambda db, c, a: dots.set_rules(db, c.actor, c.session_id, **a)),
    "dots.open": Event(CONSOLE, {"open": _f(bool)}, lambda db, c, a: dots.set_open(db, c.actor, c.session_id, **a)),
    "dot.place": Event(PHONE, {"target_id": _f(int), "count": _f(int)},
                       lambda db, c, a: dots.place(db, c.actor, **a), reply_me=True),
    "dot.enter": Event(CONSOLE, {"participant_id": _f(int), "target_id": _f(int), "count": _f(int)},
                       lambda db, c, a: dots.enter(db, c.actor, c.session_id, **a)),
    "agenda.setup": Event(CONSOLE, {"spaces": _f(list), "slots": _f(list)},
                          lambda db, c, a: openspace.set_wall(db, c.actor, c.session_id, **a)),
    "agenda.place": Event(CONSOLE, {}, lambda db, c, a: openspace.place_topics(db, c.actor, c.session_id)),
    "agenda.move": Event(CONSOLE, {"topic_id": _f(int), "space_id": _f(int, False), "slot_id": _f(int, False)},
                         lambda db, c, a: openspace.move_topic(db, c.actor, c.session_id, **a)),
    "group.join": Event(PHONE, {"group_id": _f(int)}, lambda db, c, a: openspace.join_group(db, c.actor, **a),
                        reply_me=True),
    "report.save": Event(CONSOLE | PHONE, {"group_id": _f(int), "points": _f(list), "needs": _f(list)},
                         lambda db, c, a: openspace.save_report(db, c.actor, **a)),
    "cafe.setup": Event(CONSOLE, {"tables": _f(list), "rounds": _f(list)},
                        lambda db, c, a: cafe.set_up(db, c.actor, c.session_id, **a)),
    "cafe.host": Event(CONSOLE, {"table_id": _f(int), "participant_id": _f(int, False)},
                       lambda db, c, a: cafe.set_host(db, c.actor, **a)),
    "cafe.seat": Event(CONSOLE, {}, lambda db, c, a: cafe.seat_all(db, c.actor, c.session_id)),
    "cafe.round": Event(CONSOLE, {}, lambda db, c, a: cafe.start_round(db, c.actor, c.session_id)),
    "participant.leave": Event(CONSOLE, {"participant_id": _f(int), "left": _f(bool)},
                               lambda db, c, a: cafe.mark_left(db, c.actor, c.session_id, **a)),
    "idea.add": Event(CONSOLE | PHONE, {"text": _f(str), "table_id": _f(int, False)},
                      lambda db, c, a: cafe.add_idea(db, c.actor, session_id=c.session_id, **a)),
    "idea.hide": Event(CONSOLE, {"idea_id": _f(int), "hidden": _f(bool)},
                       lambda db, c, a: cafe.hide_idea(db, c.actor, **a)),
}
