"""Domain error codes in the user's language: one clear sentence each."""
from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext, lazy_gettext as _l, lazy_ngettext, ngettext

from council.domain import DomainError

FIELDS = {
    "text": _l("text"), "name": _l("name"), "title": _l("title"), "place": _l("place"),
    "door": _l("door number"), "door_number": _l("door number"), "what": _l("what will be done"), "owner": _l("owner"),
    "recorder": _l("recorder"), "council_name": _l("council name"), "note": _l("note"),
    "points": _l("key points"), "needs": _l("needs"), "question": _l("question"), "answer": _l("answer"),
    "tag": _l("tag"), "unit": _l("responsible unit"),
    "building": _l("building"),
}

MESSAGES = {
    "wrong_step": _l("That is not possible in the current step."),
    "session_closed": _l("This session has ended."),
    "no_previous_step": _l("This is already the first step."),
    "poll_still_open": _l("Close the open poll first."),
    "text_empty": _l("Please fill in the %(field)s."),
    "text_too_long": _l("The %(field)s may be at most %(maximum)s characters."),
    "invalid_field": _l("Something in the request is not valid. Please try again."),
    "invalid_choice": _l("Please choose yes, no or abstain."),
    "invalid_rating": _l("Please choose one of the ratings."),
    "invalid_status": _l("Unknown action status."),
    "invalid_date": _l("Please give a valid date."),
    "invalid_timer": _l("A countdown runs from 10 seconds to 3 hours."),
    "invalid_level": _l("Unknown council level."),
    "invalid_parent": _l("That parent council is at the wrong level."),
    "invalid_format": _l("Unknown session format."),
    "unknown_rule": _l("Unknown decision rule."),
    "not_found": _l("That item no longer exists."),
    "not_facilitator": _l("Only the session's facilitator can do that."),
    "not_participant": _l("Please join the session first."),
    "not_authenticated": _l("Please join the session first."),
    "unknown_code": _l("No session has that join code. Please check the number."),
    "poll_closed": _l("This poll is closed; the vote was not counted."),
    "no_voting_window": _l("This poll takes votes only in the room: it has no voting window."),
    "window_required": _l("Before the decide step a poll opens only with a voting window: residents vote from afar until its deadline."),
    "window_before_meeting": _l("A poll opened before the meeting stays open at least until the meeting starts (%(starts)s): choose a longer voting window."),
    "poll_already_open": _l("A poll on this proposal is already open."),
    "already_decided": _l("This proposal has already been decided."),
    "step_moved": _l("The session has already moved to another step. Please look again and confirm."),
    "proposal_voted": _l("This proposal has been put to the vote: it can no longer be changed or withdrawn."),
    "action_rated": _l("Residents have rated this action: it can no longer be changed or withdrawn."),
    "action_of_issue": _l("This is an escalated issue: its reply is entered in the inbox, and that marks it done."),
    "session_has_decisions": _l("This session has decisions: it cannot be deleted."),
    "decision_not_adopted": _l("Only an adopted decision gets actions."),
    "rating_closed": _l("Rating of this action is not open."),
    "merge_into_self": _l("A topic cannot be merged into itself."),
    "topic_already_merged": _l("That topic has already been merged."),
    "not_approved": _l("Approve that topic first: only a topic the room has seen takes a merge."),
    "not_pending": _l("That has already been approved or rejected."),
    "not_merged": _l("That topic is not merged into another."),
    "merge_target_merged": _l("The topic it went into has since been merged too. Undo that merge first."),
    "password_too_short": _l("The password must have at least %(minimum)s characters."),
    "name_taken": _l("That name is already taken."),
    "no_such_facilitator": _l("No facilitator has that account name."),
    "already_granted": _l("That facilitator already runs this council."),
    "granted": _l("%(name)s is now %(role)s of this council."),
    "revoked": _l("%(name)s is no longer %(role)s of this council."),
    "invalid_points": _l("The points of a kind of taking part are a whole number from 0 to %(maximum)s."),
    "not_a_community": _l("Points are set on a community's council (or a council with no community above it)."),
    "invalid_period": _l("The period ends before it starts."),
    "not_same_community": _l("Only two records of residents of one community can be merged."),
    "resident_already_merged": _l("That record has already been merged into another."),
    "not_granted": _l("That facilitator was not given this council's role: a council's creator keeps it."),
    "bad_login": _l("Wrong name or password."),
    "login_locked": _l("Too many wrong passwords: logging in is locked. Please wait %(minutes)s minutes and try again."),
    "rate_limited": _l("Too fast: wait a few seconds and try again."),
    "no_join_code": _l("Could not draw a join code. Please try again."),
    "unknown_event": _l("Unknown request."),
    "busy": _l("The server is busy. Please try again."),
    "invalid_unit": _l("Choose one vote per person or per household."),
    "invalid_channel": _l("Counts are entered for a show of hands or for paper ballots."),
    "invalid_count": _l("A count is a whole number from 0 to 100000."),
    "no_household": _l("Your door number is not on this courtyard's household roll. Please ask the facilitator."),
    "not_owner": _l("Only owners vote on this matter (Civil Code article 278)."),
    "area_rule_needs_households": _l("A vote by floor area counts one vote per household."),
    "roll_incomplete": _l("Every owner on the household roll needs a floor area for this rule."),
    "roll_empty": _l("The household roll of this council is empty. Add households first."),
    "named_votes_only": _l("A vote by floor area takes named votes only, not a show of hands or a paper count."),
    "invalid_area": _l("Please give the floor area as a number of square metres."),
    "invalid_owner": _l("Owner: please answer yes or no."),
    "duplicate_door": _l("That door number is already on the roll."),
    "csv_empty": _l("The file has no rows."),
    "csv_too_long": _l("The file has too many rows (at most %(maximum)s)."),
    "csv_no_door_column": _l("The file needs a door number column."),
    "csv_encoding": _l("The file could not be read. Please save it as CSV (UTF-8)."),
    "csv_imported": _l("%(count)s households imported."),
    "csv_line": _l("Line %(line)s: %(reason)s"),
    "invalid_owner_kind": _l("Unknown kind of owner."),
    "invalid_change": _l("Choose to add, amend or repeal an article."),
    "invalid_dot_rules": _l("Dots: 1 to 20 each, and no more on one topic than in all."),
    "dotting_closed": _l("Dot voting is closed."),
    "too_many_dots_on_topic": _l("At most %(maximum)s dots on one topic."),
    "no_dots_left": _l("You have used all %(maximum)s dots. Take one off another topic first."),
    "invalid_agenda": _l("The agenda needs spaces and time slots, each named once."),
    "convener_busy": _l("That convener already leads a group in this time slot."),
    "invalid_tables": _l("Name each table once."),
    "invalid_rounds": _l("A café has 1 to 12 rounds."),
    "invalid_hosts": _l("Each table host is a participant, hosting one table."),
    "no_such_article": _l("The convention has no such article."),
    "too_many_articles": _l("The convention has reached 99 articles."),
    "photo_too_large": _l("The photo is too large (at most 5 MB)."),
    "photo_type": _l("Please choose a JPEG or PNG photo."),
    "too_large": _l("That is too large to send. Please send less at once."),
    "cell_taken": _l("Another topic is in that place. Move that one first."),
    "wrong_format": _l("That belongs to another session format."),
    "dots_placed": _l("Dots have already been placed; the dot rules can no longer change."),
    "invalid_top": _l("Choose from 1 to 50 top ideas."),
    "rounds_not_done": _l("Dot voting opens after the last round has started."),
    "agenda_in_use": _l("Residents have joined groups or written reports; the wall can no longer be rebuilt."),
    "dotting_not_closed": _l("Close dot voting first, so the ranking is final."),
    "not_convener": _l("Only the group's convener or the facilitator writes its report."),
    "too_many_lines": _l("At most %(maximum)s lines."),
    "share_used": _l("You have already added %(maximum)s in this meeting: that is the most one person may add."),
    "cafe_started": _l("The café has started; tables, rounds and hosts can no longer change."),
    "invalid_minutes": _l("A round lasts from 1 to %(maximum)s minutes."),
    "no_more_rounds": _l("That was the last round."),
    "dotting_started": _l("Dot voting has begun; the harvest is closed."),
    "no_participants": _l("Nobody has joined yet."),
    "no_round_running": _l("No round is running yet."),
    "no_seat": _l("You have no seat in this round. Please ask the facilitator."),
    "not_building_head": _l("Only a building head (楼门长) may raise an issue for a household. Ask the facilitator to mark you as one."),
    "invalid_issue_channel": _l("Please say how the issue came in: written, spoken, or at a roaming council."),
    "issue_not_open": _l("That issue has already been answered, carried into a session, escalated or merged."),
    "no_open_session": _l("This council has no session in its raise step. Create the next session first, then carry the issue into it."),
    "deadline_required": _l("An escalation needs a reply deadline."),
    "deadline_past": _l("The reply deadline has already passed. Please choose today or a later day."),
    "no_parent_council": _l("This council has no parent council. Escalate to a named unit instead."),
    # the posting period (公示期) and its objections
    "posting_not_started": _l("The minutes are posted once the meeting has closed; objections are taken then."),
    "posting_over": _l("The posting period ended on %(last)s: objections are no longer taken."),
    "posting_complete": _l("The posting is complete: nothing about it can change any more."),
    "posting_running": _l("The posting period runs until %(last)s: it can be marked complete after that day."),
    # the words follow the count (COUNTED); this entry names the message for a count not given
    "objections_unanswered": lazy_ngettext("%(count)s objection is not answered yet: answer it first.",
                                           "%(count)s objections are not answered yet: answer every objection first.",
                                           2),
    "extend_forward_only": _l("The period can only be extended past its last day, %(last)s."),
}


def _unanswered(count: int) -> str:
    # the same words as MESSAGES["objections_unanswered"], written out for the extractor
    return ngettext("%(count)s objection is not answered yet: answer it first.",
                    "%(count)s objections are not answered yet: answer every objection first.", count, count=count)


# Messages whose words follow a number ("1 objection is", "2 objections are"): the parameter
# that holds the number, and the words for it in the current locale's plural form.
COUNTED: dict[str, tuple[str, Callable[[int], str]]] = {"objections_unanswered": ("count", _unanswered)}


def describe(err: DomainError) -> str:
    """The message for a domain error, in the current locale."""
    template = MESSAGES.get(err.code, MESSAGES["invalid_field"])
    params = {k: v for k, v in err.params.items() if isinstance(v, (str, int))}
    if "field" in params:
        params["field"] = str(FIELDS.get(str(params["field"]), params["field"]))
    counted = COUNTED.get(err.code)
    if counted is not None and isinstance(params.get(counted[0]), int):
        return counted[1](int(params[counted[0]]))
    try:
        return str(template) % params if "%(" in str(template) else str(template)
    except (KeyError, ValueError):
        return gettext("Something in the request is not valid. Please try again.")


def error_payload(err: DomainError) -> dict[str, object]:
    """The JSON body of an error, the same over HTTP and Socket.IO."""
    return {"ok": False, "error": {"code": err.code, "message": describe(err),
                                   "params": {k: v for k, v in err.params.items()
                                              if isinstance(v, (str, int, list))}}}
