"""Words the browser scripts show, translated on the server and handed to the page as JSON."""
from __future__ import annotations

from flask_babel import gettext as _


def step_names() -> dict[str, str]:
    return {"raise": _("Raise (民事民提)"), "discuss": _("Discuss (民事民议)"), "decide": _("Decide (民事民决)"),
            "do": _("Do (民事民办)"), "evaluate": _("Evaluate (民事民评)"), "closed": _("Closed")}


def level_names() -> dict[str, str]:
    return {"subdistrict": _("Subdistrict (街道)"), "community": _("Community (社区)"),
            "courtyard": _("Courtyard or building (楼院)")}


def client_strings() -> dict[str, object]:
    return {
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
    }
