"""Words the browser scripts show, translated on the server and handed to the page as JSON."""
from __future__ import annotations

from flask_babel import gettext as _

from council.domain.convention import STARTING_TEXTS


def step_names() -> dict[str, str]:
    return {"raise": _("Raise (民事民提)"), "discuss": _("Discuss (民事民议)"), "decide": _("Decide (民事民决)"),
            "do": _("Do (民事民办)"), "evaluate": _("Evaluate (民事民评)"), "closed": _("Closed")}


def level_names() -> dict[str, str]:
    return {"subdistrict": _("Subdistrict (街道)"), "community": _("Community (社区)"),
            "courtyard": _("Courtyard or building (楼院)")}


def rule_names() -> dict[str, str]:
    return {"majority_cast": _("More than half of the votes cast"),
            "majority_present": _("More than half of those present"),
            "two_thirds_cast": _("Two thirds of the votes cast"),
            "civil_278_ordinary": _("Civil Code art. 278, ordinary matter (more than half of area and owners)"),
            "civil_278_special": _("Civil Code art. 278, special matter (three quarters of area and owners)")}


def condition_words() -> dict[str, str]:
    """How each condition of a rule reads; {actual}, {needed} and {of} are filled in."""
    return {
        "quorum": _("{actual} voted; the quorum is {needed}."),
        "yes_of_cast": _("{actual} yes; more than half of the {of} votes cast is needed, that is {needed}."),
        "yes_of_present": _("{actual} yes; more than half of the {of} present is needed, that is {needed}."),
        "yes_two_thirds_of_cast": _("{actual} yes; two thirds of the {of} votes cast are needed, that is {needed}."),
        "turnout_heads": _("{actual} owners took part; two thirds of all {of} owners must, that is {needed}."),
        "turnout_area": _("{actual} m² took part; two thirds of all {of} m² must, that is {needed} m²."),
        "yes_heads_of_participants": _("{actual} owners agree; more than half of the {of} taking part is needed."),
        "yes_area_of_participants": _("{actual} m² agree; more than half of the {of} m² taking part is needed."),
        "yes_heads_three_quarters": _("{actual} owners agree; three quarters of the {of} taking part are needed, "
                                      "that is {needed}."),
        "yes_area_three_quarters": _("{actual} m² agree; three quarters of the {of} m² taking part are needed, "
                                     "that is {needed} m²."),
    }


def owner_kinds() -> dict[str, str]:
    return {"resident": _("Resident"), "building_head": _("Building head (楼门长)"),
            "volunteers": _("Volunteer team"), "property": _("Property company"),
            "partner": _("Co-building unit (共建单位)")}


def channel_names() -> dict[str, str]:
    return {"phone": _("Phones"), "entered": _("Entered by name"), "hands": _("Show of hands"),
            "paper": _("Paper ballots")}


def audit_words() -> dict[str, str]:
    """The audit trail's event kinds and details, as the facilitator reads them."""
    return {"poll.open": _("Poll opened"), "poll.close": _("Poll closed"), "ballot.cast": _("Vote cast"),
            "ballot.change": _("Vote changed"), "ballot.entered": _("Named vote entered"),
            "count.entered": _("Count entered"), "attendance.set": _("Attendance entered"),
            "choice": _("choice"), "voter": _("voter"), "channel": _("channel"), "replaced": _("replaced"),
            "passed": _("passed"), "rule": _("rule"), "unit": _("unit"), "secret": _("secret"),
            "quorum": _("quorum"), "present": _("present"), "yes": _("Yes"), "no": _("No"),
            "abstain": _("Abstain")}


def client_strings() -> dict[str, object]:
    return {
        "convention": _("Convention"), "article": _("Article"),
        "article_kinds": {"none": _("Not an article"), "add": _("New article"), "amend": _("Amends"),
                          "repeal": _("Repeals")},
        "starting_texts": STARTING_TEXTS,
        "owner_kinds": owner_kinds(), "carried": _("From an earlier meeting"),
        "rules": rule_names(), "conditions": condition_words(), "channels": channel_names(),
        "units": {"person": _("One vote per person"), "household": _("One vote per household")},
        "secret_ballot": _("Secret ballot"), "open_ballot": _("Open ballot"), "quorum": _("Quorum"),
        "eligible": _("Eligible"), "participation": _("Took part"), "present": _("Present"),
        "passed": _("Passed"), "failed_because": _("Not passed because:"), "for_household": _("You vote for household"),
        "secret_note": _("Secret ballot: once the poll closes, nobody can see who chose what."),
        "took_part": _("You took part."), "conflicts": _("Votes from two channels (the later one counts)"),
        "save": _("Save"), "enter_vote": _("Enter a named vote"), "counts": _("Counts"),
        "attendance": _("Attendance"), "resident": _("Resident"), "door": _("Door number"),
        "replaced": _("replaced"), "roll_call": _("Roll call"),
        "steps": step_names(),
        "step_hint": {
            "raise": _("Raise the issues and needs of your courtyard. Support the ones you share."),
            "discuss": _("The room is discussing. Proposals will appear here."),
            "decide": _("Vote on the open proposal."),
            "do": _("Actions are being agreed: what, who, by when."),
            "evaluate": _("Rate how each action was carried out."),
            "closed": _("The session has ended. Thank you for taking part!"),
        },
        "choices": {"yes": _("Yes"), "no": _("No"), "abstain": _("Abstain")},
        "ratings": {"satisfied": _("Satisfied"), "basic": _("Basically satisfied"),
                    "dissatisfied": _("Dissatisfied")},
        "statuses": {"planned": _("Not started"), "underway": _("Underway"), "done": _("Done")},
        "adopted": _("Adopted"), "rejected": _("Rejected"), "open": _("Open"), "closed": _("Closed"),
        "support": _("Support"), "supported": _("Supported"), "supporters": _("supporters"),
        "participants": _("participants"), "households": _("households"), "votes": _("votes"),
        "your_vote": _("Your vote"), "vote_saved": _("Your vote is counted."),
        "sending": _("Sending…"), "retrying": _("No answer yet, trying again…"),
        "offline": _("Connection lost. Reconnecting…"), "online": _("Connected"),
        "no_topics": _("No topics yet."), "no_polls": _("No poll is open right now."),
        "no_actions": _("No actions yet."), "needed": _("needed to pass"),
        "owner": _("Owner"), "deadline": _("Deadline"), "status": _("Status"),
        "hide": _("Hide"), "show": _("Show"), "edit": _("Edit"), "merge_into": _("Merge into…"),
        "hidden": _("hidden"), "merged": _("merged"), "make_proposal": _("Make proposal"),
        "open_poll": _("Open poll"), "close_poll": _("Close poll"), "add_action": _("Add action"),
        "open_rating": _("Open rating"), "close_rating": _("Close rating"),
        "rating_open": _("Rating open"), "your_rating": _("Your rating"),
        "confirm_close": _("Close this poll now?"), "time_up": _("Time is up"),
        "thanks_topic": _("Thank you, your topic is on the wall."),
        "error": _("Something went wrong. Please try again."),
        "result": _("Result"), "cast": _("cast"),
        "f": format_strings(),
    }


def format_names() -> dict[str, str]:
    return {"plain": _("Plain round"), "openspace": _("Open Space (开放空间)"), "cafe": _("World Café (世界咖啡馆)")}


def format_strings() -> dict[str, object]:
    """Open Space and World Café words; {placeholders} are filled in by the page."""
    return {
        "formats": format_names(),
        "dots": _("Dots"), "dots_n": _("{n} dots"),
        "dots_left": _("You have {left} of {all} dots left, at most {per} on one."),
        "dots_status": {"ready": _("Dot voting has not opened yet."), "open": _("Dot voting is open."),
                        "closed": _("Dot voting is closed.")},
        "open_dots": _("Open dot voting"), "close_dots": _("Close dot voting"),
        "dot_rules": _("Dots per person"), "per_topic": _("At most on one"),
        "top_ideas": _("Top ideas that become proposals"), "enter_dots": _("Dots for a resident without a phone"),
        "agenda": _("Agenda wall"),
        "spaces": _("Spaces, one per line"), "slots": _("Time slots, one per line"),
        "save_wall": _("Save spaces and slots"), "place_by_dots": _("Place topics by dots"),
        "move_to": _("Move to…"), "off_wall": _("Take off the wall"), "not_placed": _("Not on the wall yet"),
        "convener": _("Convener"), "no_convener": _("Convener: none (facilitator's topic)"),
        "people_n": _("{n} here"), "join_group": _("Go to this group"), "in_group": _("You are in this group"),
        "groups": _("Groups"), "groups_hint": _("Choose a group. You may move to another at any time."),
        "report": _("Report"), "key_points": _("Key points, one per line"),
        "needs": _("Concrete needs, one per line"), "save_report": _("Save report"),
        "report_saved": _("The report is saved."),
        "needs_become": _("The needs become candidate proposals when the session moves to decide."),
        "ideas_become": _("The top ideas become candidate proposals when the session moves to decide."),
        "from_need": _("From a group's needs"), "from_idea": _("From the café's harvest"),
        "tables": _("Tables, one per line"),
        "rounds": _("Rounds, one per line: minutes | question"), "save_setup": _("Save tables and rounds"),
        "host": _("Host"), "no_host": _("(no host)"), "seat": _("Plan the seating"),
        "next_round": _("Start the next round"), "round_of": _("Round {n} of {of}"),
        "go_to": _("Round {n} · Please go to table 「{table}」 · Question: {question}"),
        "first_at": _("Round 1 will be at table 「{table}」."),
        "wait_round": _("The facilitator will start the first round soon."),
        "harvest": _("Harvest"), "add_idea": _("Add idea"), "idea_placeholder": _("An idea from your table"),
        "gallery": _("Harvest gallery"), "no_ideas": _("No ideas yet."), "table": _("Table"),
        "went_home": _("Went home"), "came_back": _("Came back"), "left": _("left"),
        "no_seat": _("No seat yet"), "seating": _("Seating"), "minutes": _("min"),
        "topics_hint": _("Propose a topic you care about: you will convene its group."),
        "dot_hint": _("Put your dots on the topics you care most about."),
        "idea_dot_hint": _("Put your dots on the ideas you care most about."),
    }
