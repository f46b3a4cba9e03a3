"""Every client event: who may send it, what its payload holds, which service it calls.

docs/protocol.md describes the same table for people writing other clients.
"""
from __future__ import annotations

from council import formats
from council.live import ballot_box
from council.services.schema import CONSOLE, PHONE, TEXT_COST, Event, Field, arg as _f, validate
from council.services import actions, convention, moderation, participants, polls, proposals, sessions, topics

__all__ = ["EVENTS", "Event", "Field", "validate"]

CORE: dict[str, Event] = {
    "step.advance": Event(CONSOLE, {"from": _f(str, False)},
                          lambda db, c, a: sessions.advance_step(db, c.actor, c.session_id, a.get("from"))),
    "step.back": Event(CONSOLE, {}, lambda db, c, a: sessions.step_back(db, c.actor, c.session_id)),
    "timer.set": Event(CONSOLE, {"seconds": _f(int)},
                       lambda db, c, a: sessions.set_timer(db, c.actor, c.session_id, **a)),
    "topic.raise": Event(CONSOLE | PHONE, {"text": _f(str), "participant_id": _f(int, False)},
                         lambda db, c, a: topics.raise_topic(db, c.actor, session_id=c.session_id, **a),
                         reply_me=True, cost=TEXT_COST),
    "topic.support": Event(PHONE, {"topic_id": _f(int), "on": _f(bool)},
                           lambda db, c, a: topics.support_topic(db, c.actor, **a), reply_me=True),
    "topic.edit": Event(CONSOLE, {"topic_id": _f(int), "text": _f(str)},
                        lambda db, c, a: topics.edit_topic(db, c.actor, **a)),
    "topic.hide": Event(CONSOLE, {"topic_id": _f(int), "hidden": _f(bool)},
                        lambda db, c, a: topics.hide_topic(db, c.actor, **a)),
    "topic.merge": Event(CONSOLE, {"source_id": _f(int), "target_id": _f(int)},
                         lambda db, c, a: topics.merge_topics(db, c.actor, **a)),
    "topic.unmerge": Event(CONSOLE, {"topic_id": _f(int)}, lambda db, c, a: topics.unmerge_topic(db, c.actor, **a)),
    "topic.approve": Event(CONSOLE, {"topic_id": _f(int)},
                           lambda db, c, a: moderation.approve_topic(db, c.actor, **a)),
    "topic.reject": Event(CONSOLE, {"topic_id": _f(int)}, lambda db, c, a: moderation.reject_topic(db, c.actor, **a)),
    "session.moderation": Event(CONSOLE, {"on": _f(bool)},
                                lambda db, c, a: moderation.set_premoderation(db, c.actor, c.session_id, **a)),
    "proposal.create": Event(CONSOLE, {"title": _f(str), "text": _f(str, False), "topic_id": _f(int, False),
                                       "article": _f(str, False)},
                             lambda db, c, a: proposals.create_proposal(db, c.actor, c.session_id, **a)),
    "proposal.edit": Event(CONSOLE, {"proposal_id": _f(int), "title": _f(str), "text": _f(str, False)},
                           lambda db, c, a: proposals.edit_proposal(db, c.actor, **a)),
    "proposal.withdraw": Event(CONSOLE, {"proposal_id": _f(int)},
                               lambda db, c, a: proposals.withdraw_proposal(db, c.actor, **a)),
    "proposal.article": Event(CONSOLE, {"proposal_id": _f(int), "kind": _f(str), "target": _f(int, False)},
                              lambda db, c, a: convention.mark_article(db, c.actor, **a)),
    "poll.open": Event(CONSOLE, {"proposal_id": _f(int), "rule": _f(str, False), "unit": _f(str, False),
                                 "secret": _f(bool, False), "quorum": _f(int, False),
                                 # a voting window: remote votes until then, closes by itself
                                 "closes_at": _f(str, False), "closes_in_minutes": _f(int, False)},
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
    # Votes are stored and published in batches, one writer per process (group commit).
    "ballot.cast": Event(PHONE, {"poll_id": _f(int), "choice": _f(str), "client_id": _f(str)},
                         lambda db, c, a: ballot_box.cast(polls.PhoneVote(c.actor, **a)), published=True),
    "action.create": Event(CONSOLE, {"decision_id": _f(int), "what": _f(str), "owner": _f(str),
                                     "deadline": _f(str), "owner_kind": _f(str, False),
                                     "owner_participant_id": _f(int, False)},
                           lambda db, c, a: actions.create_action(db, c.actor, **a)),
    "action.update": Event(CONSOLE, {"action_id": _f(int), "status": _f(str, False), "what": _f(str, False),
                                     "owner": _f(str, False), "owner_kind": _f(str, False),
                                     "deadline": _f(str, False)},
                           lambda db, c, a: actions.update_action(db, c.actor, c.session_id, **a)),
    "action.withdraw": Event(CONSOLE, {"action_id": _f(int)},
                             lambda db, c, a: actions.withdraw_action(db, c.actor, c.session_id, **a)),
    "rating.open": Event(CONSOLE, {"action_id": _f(int), "open": _f(bool)},
                         lambda db, c, a: actions.set_rating_open(db, c.actor, c.session_id, **a)),
    "rating.give": Event(PHONE, {"action_id": _f(int), "value": _f(str)},
                         lambda db, c, a: actions.rate_action(db, c.actor, **a)),
}


def _gather() -> dict[str, Event]:
    """The core events and every format's own, each name once."""
    table = dict(CORE)
    for fmt in formats.all_formats():
        for name, event in fmt.events.items():
            if name in table and table[name] is not event:  # a shared block (dots) is declared once
                raise RuntimeError(f"event {name!r} declared twice (format {fmt.name})")
            table[name] = event
    return table


EVENTS: dict[str, Event] = _gather()
