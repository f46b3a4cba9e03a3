"""Words the browser scripts show, translated on the server and handed to the page as JSON."""
from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from flask_babel import get_locale, gettext as _, ngettext, pgettext

from council import formats
from council.domain.actions import ActionStatus
from council.domain.convention import STARTING_TEXTS
from council.domain.evaluation import Rating
from council.domain.rules import RULES
from council.domain.voting import Choice, Unit
from council.words import channel_names, choice_names, condition_words, owner_kinds, rule_names, unit_names, yes_no

__all__ = ["channel_names", "condition_words", "owner_kinds", "rule_names"]  # re-exported for pages


def step_names() -> dict[str, str]:
    return {"raise": _("Raise (民事民提)"), "discuss": _("Discuss (民事民议)"), "decide": _("Decide (民事民决)"),
            "do": _("Do (民事民办)"), "evaluate": _("Evaluate (民事民评)"), "closed": _("Closed")}


def level_names() -> dict[str, str]:
    return {"subdistrict": _("Subdistrict (街道)"), "community": _("Community (社区)"),
            "courtyard": _("Courtyard or building (楼院)")}


def audit_words() -> dict[str, str]:
    """The audit trail's event kinds and details, as the facilitator reads them."""
    return {"poll.open": _("Poll opened"), "poll.close": _("Poll closed"), "ballot.cast": _("Vote cast"),
            "ballot.change": _("Vote changed"), "ballot.entered": _("Named vote entered"),
            "count.entered": _("Count entered"), "attendance.set": _("Attendance entered"),
            "poll.took_part": _("Who took part (secret ballot)"),
            "proposal.withdraw": _("Proposal withdrawn"), "action.withdraw": _("Action withdrawn"),
            "proposal_id": _("Proposal"), "action_id": _("Action"), "title": _("Title"),
            "what": _("What will be done"), "owner": pgettext("action", "Owner"), "voters": _("voters"), "names": _("names"),
            "choice": _("choice"), "voter": _("voter"), "channel": _("channel"), "replaced": _("replaced"),
            "passed": _("passed"), "rule": _("rule"), "unit": _("unit"), "secret": _("secret"),
            "quorum": _("quorum"), "present": _("present"), **choice_names(),
            # pre-moderation and merges (their details: which topic or idea, its text, where it went)
            "topic.approve": _("Topic approved"), "topic.reject": _("Topic rejected"),
            "topic.merge": _("Topics merged"), "topic.unmerge": _("Merge undone"),
            "idea.approve": _("Idea approved"), "idea.reject": _("Idea rejected"),
            "moderation.set": _("Pre-moderation switched"), "topic": _("topic"), "idea": _("idea"),
            "text": _("text"), "into": _("merged into"), "into_text": _("text of that topic"),
            "supporters": _("supports moved"), "on": _("on"),
            # the posting period (公示期): objections, answers, extending, completing
            "objection.raise": _("Objection raised"), "objection.enter": _("Written objection entered"),
            "objection.answer": _("Objection answered"), "posting.extend": _("Posting period extended"),
            "posting.complete": _("Posting marked complete"), "objection": _("objection"),
            "door": _("door number"), "answer": _("answer"), "previous": _("previous answer"),
            "last": _("last day until then"), "until": _("new last day"), "received": _("objections received")}


def audit_value(key: str, value: object) -> str:
    """A detail of the audit trail in words: a rule, unit, channel or choice by the name the
    console gives it, a yes/no fact as 是/否, nothing (no quorum, attendance cleared) as a dash."""
    names = {"rule": rule_names, "unit": unit_names, "channel": channel_names, "choice": choice_names,
             "replaced": choice_names}.get(key)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return yes_no(value)
    if names is not None and isinstance(value, str):
        return names().get(value, value)
    return str(value)


def plural_forms(words: Callable[[int], str]) -> dict[str, str]:
    """A count's words by CLDR plural category ("one", "other"), as the browser's Intl.PluralRules
    names them: each category takes the catalog's form for its smallest number."""
    rule, forms = get_locale().plural_form, {}
    for n in range(200):  # the smallest number of every category of every locale is below 200
        tag = rule(n)
        if tag not in forms:
            forms[tag] = words(n)
            if len(forms) == len(rule.tags) + 1:  # `tags` leaves out "other"
                break
    return forms


def counts() -> dict[str, dict[str, str]]:
    """Counts the scripts show ("1 supporter", "2 supporters"; "{n}" is the number)."""
    # ngettext fills %(num)s only: "{n}" stays for the page (common.js `count`)
    return {"supporters": plural_forms(lambda n: ngettext("{n} supporter", "{n} supporters", n)),
            "participants": plural_forms(lambda n: ngettext("{n} participant", "{n} participants", n)),
            "households": plural_forms(lambda n: ngettext("{n} household", "{n} households", n)),
            # joined on the remote-vote page only: they voted, they are not present
            "remote_voters": plural_forms(lambda n: ngettext("{n} person joined from afar", "{n} people joined from afar", n)),
            "votes": plural_forms(lambda n: ngettext("{n} vote", "{n} votes", n)),
            # leaving decide: proposals never put to the vote
            "unvoted": plural_forms(lambda n: ngettext("{n} proposal has not been put to the vote: it stays undecided.",
                                                       "{n} proposals have not been put to the vote: they stay undecided.", n))}


def each(kind: type[StrEnum], words: dict[str, str]) -> dict[str, str]:
    """The words of every value of a domain enum, in the enum's order; a value without its
    word is a bug caught at the first page load."""
    return {member.value: words[member.value] for member in kind}


def client_strings() -> dict[str, object]:
    return {
        "convention": _("Convention"), "article": _("Article"),
        "article_kinds": {"none": _("Not an article"), "add": _("New article"), "amend": _("Amends"),
                          "repeal": _("Repeals")},
        "starting_texts": STARTING_TEXTS,
        "owner_kinds": owner_kinds(), "carried": _("From an earlier meeting"),
        "escalated": _("Issue raised by residents, escalated"), "reply": _("Answer"),
        "rules": rule_names(), "conditions": condition_words(), "channels": channel_names(),
        "units": unit_names(),
        "secret_ballot": _("Secret ballot"), "open_ballot": _("Open ballot"), "quorum": _("Quorum"),
        # a voting window (issue 15): remote votes for so many hours after opening, then it closes by itself
        "window_hours": _("Remote voting, hours (0: none)"), "voting_closes": _("Voting closes"), "remote_link": _("Remote voting"),
        "room_votes_at_decide": _("Before the meeting residents vote from afar; hands, paper and entered votes are taken once the meeting reaches decide."),
        "eligible": _("Eligible"), "participation": _("Took part"), "present": _("Present"),
        "passed": _("Passed"), "failed_because": _("Not passed because:"), "for_household": _("You vote for household"),
        "secret_note": _("Secret ballot: once the poll closes, nobody can see who chose what."),
        "secret_counts_later": _("Secret ballot: the counts appear when the poll closes."),
        "took_part": _("You took part."), "conflicts": _("Votes from two channels (the later one counts)"),
        "save": _("Save"), "enter_vote": _("Enter a named vote"), "counts": _("Counts"),
        "attendance": _("Attendance"), "resident": _("Resident"), "door": _("Door number"),
        "replaced": _("replaced"), "roll_call": _("Roll call"),
        "steps": step_names(),
        # why Next step is not possible now, where the facilitator can do something about it
        "move_refused": {"poll_still_open": _("Close the open poll first.")},
        "step_hint": {
            "raise": _("Raise the issues and needs of your courtyard. Support the ones you share."),
            "discuss": _("The room is discussing. Proposals will appear here."),
            "decide": _("Vote on the open proposal."),
            "do": _("Actions are being agreed: what, who, by when."),
            "evaluate": _("Rate how each action was carried out."),
            "closed": _("The session has ended. Thank you for taking part!"),
        },
        # value lists in the domain's order: the pages list them from here, never on their own
        # (as lists: the page's JSON sorts the keys of every object)
        "order": {"choices": [c.value for c in Choice], "ratings": [r.value for r in Rating],
                  "statuses": [a.value for a in ActionStatus], "rules": list(RULES), "units": [u.value for u in Unit]},
        "choices": each(Choice, choice_names()),
        "ratings": each(Rating, {"satisfied": _("Satisfied"), "basic": _("Basically satisfied"),
                                 "dissatisfied": _("Dissatisfied")}),
        "statuses": each(ActionStatus, {"planned": _("Not started"), "underway": _("Underway"), "done": _("Done")}),
        "adopted": _("Adopted"), "rejected": _("Rejected"), "open": _("Open"), "closed": _("Closed"),
        "support": _("Support"), "supported": _("Supported"), "n": counts(),
        "your_vote": _("Your vote"), "vote_saved": _("Your vote is counted."),
        "sending": _("Sending…"), "retrying": _("No answer yet, trying again…"),
        "offline": _("Connection lost. Reconnecting…"), "online": _("Connected"),
        "no_topics": _("No topics yet."), "no_polls": _("No poll is open right now."),
        "no_actions": _("No actions yet."), "needed": _("needed to pass"),
        # the projector: proposals not yet put to the vote, where each came from; the action table's head
        "waiting_vote": _("Waiting to be voted on"), "from_topic": _("From the topic"), "actions": _("Actions"),
        "owner": pgettext("action", "Owner"), "deadline": _("Deadline"), "status": _("Status"),
        "hide": _("Hide"), "show": _("Show"), "edit": _("Edit"), "merge_into": _("Merge into…"),
        "hidden": _("hidden"), "merged": _("merged"), "make_proposal": _("Make proposal"),
        "open_poll": _("Open poll"), "close_poll": _("Close poll"), "add_action": _("Add action"),
        "open_rating": _("Open rating"), "close_rating": _("Close rating"),
        "rating_open": _("Rating open"), "your_rating": _("Your rating"),
        "confirm_close": _("Close this poll now?"), "time_up": _("Time is up"),
        "thanks_topic": _("Thank you, your topic is on the wall."),
        "welcome_back": _("Welcome back, {name}: join with one tap."),
        "error": _("Something went wrong. Please try again."),
        "result": _("Result"), "cast": _("cast"),
        # the phone after the end; the console's inline edits
        "details": _("Details"), "none": _("None."), "ratings_given": _("Ratings"), "cancel": _("Cancel"),
        # the console: what Next step will do ({step}: where it leads), asked once in the page;
        # withdrawing and editing proposals and actions; an action's ratings after the end
        "next_effects": {
            "raising_closes": _("Raising closes: phones can no longer add topics."),
            "discussion_starts": _("Discussion starts: proposals can be written from the topics."),
            "topics_close": _("Topics can no longer be edited, hidden or merged."),
            "voting_starts": _("Voting starts: each proposal can be put to the vote."),
            "candidates": _("The discussion's needs or top ideas become candidate proposals."),
            "voting_ends": _("Voting ends: no more polls can be opened."),
            "actions_start": _("Actions are agreed for the adopted decisions: what, who, by when."),
            "rating_starts": _("Rating starts: open the rating of each action for the residents."),
            "ratings_close": _("Every open rating closes; the ratings given are final."),
            "session_ends": _("The session ends: phones show the results, and the minutes can be printed."),
        },
        "after_next": _("Moving on to {step}:"), "confirm_next": _("Move on"),
        "withdraw": _("Withdraw"), "confirm_withdraw": _("Withdraw it? The audit trail keeps what it was."),
        "what": _("What will be done"), "kind_of_owner": _("Kind of owner"), "ratings_final": _("Final ratings"),
        # the phone: a list kept in place under a finger, a vote kept through a drop-out, who set
        # a vote this phone did not cast ({at}: hours and minutes), why it cannot vote
        "sort_again": _("Sort again, most first"),
        "vote_queued": _("Not sent yet: it goes as soon as the connection is back."),
        "vote_too_late": _("The poll had already closed when your vote could be sent: it was not counted."),
        "set_by": {"other_phone": _("At {at} another phone of your household changed its vote to 「{choice}」."),
                   "facilitator": _("At {at} the facilitator entered this vote: {choice}.")},
        "set_by_secret": {
            "other_phone": _("At {at} another phone of your household voted (secret ballot: the choice is not shown)."),
            "facilitator": _("At {at} the facilitator entered this vote (secret ballot: the choice is not shown).")},
        "cannot_vote": {
            "no_household": _("One vote per household: this phone's door number is not on the household roll, so it "
                              "cannot vote here. Please ask the facilitator."),
            "not_owner": _("Only owners vote on this matter (Civil Code article 278), and your household is not on "
                           "the roll as an owner. Please ask the facilitator.")},
        # pre-moderation and merges, as the author's phone says them ({topic}: the topic's text)
        "mod": {"pending": _("Waiting for the facilitator's approval"),
                "rejected": _("Not approved by the facilitator"),
                "merged_into": _("Your topic was merged into: {topic}"),
                "thanks_pending": _("Thank you. Your topic will be shown once the facilitator approves it."),
                "your_topics": _("Your topics"), "your_ideas": _("Your ideas")},
        # the console's queue and merges
        "mod_console": {"switch": _("Pre-moderation: topics and ideas from phones wait for my approval"),
                        "queue": _("Waiting for approval"), "approve": _("Approve"), "reject": _("Reject"),
                        "none_waiting": _("Nothing is waiting."), "waiting": _("waiting"),
                        "confirm_merge": _("Merge 「{source}」 into 「{target}」?"), "do_merge": _("Merge"),
                        "unmerge": _("Undo merge"), "merged_into": _("merged into 「{target}」"),
                        "idea": _("Idea")},
    }


# What only the console shows. The phone's and the projector's pages leave these out: every
# byte of a phone's first visit is waited for on a meeting room's Wi-Fi.
CONSOLE_ONLY = frozenset({
    "convention", "article", "article_kinds", "starting_texts", "owner_kinds", "conflicts", "enter_vote", "counts",
    "attendance", "resident", "replaced", "roll_call", "move_refused", "hide", "show", "edit", "merge_into",
    "hidden", "merged", "make_proposal", "open_poll", "close_poll", "add_action", "open_rating", "close_rating",
    "confirm_close", "cast", "mod_console", "window_hours", "voting_closes", "remote_link", "room_votes_at_decide"})


def page_strings(strings: dict[str, object], page: str) -> dict[str, object]:
    """The client strings a page's scripts use: the console has them all."""
    return strings if page == "console" else {k: v for k, v in strings.items() if k not in CONSOLE_ONLY}


def format_names() -> dict[str, str]:
    """Each registered format's name for menus, in the registry's order."""
    return {fmt.name: fmt.label() for fmt in formats.all_formats()}


def format_strings(session: object) -> dict[str, object]:
    """The words of the session's format panel, handed to the page's scripts as `T.f`."""
    fmt = formats.get(getattr(session, "format"))
    return fmt.strings() if fmt.strings else {}
