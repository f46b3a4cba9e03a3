"""Words shared by pages and printed documents, translated on the server.

Neutral ground: the web pages and the documents both read them, and neither imports the other.
"""
from __future__ import annotations

from flask_babel import gettext as _, pgettext


def rule_names() -> dict[str, str]:
    """How each voting rule reads."""
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


def choice_names() -> dict[str, str]:
    """How each choice of a vote reads ("Yes" of a vote is 赞成; of a yes/no question, 是)."""
    return {"yes": pgettext("vote", "Yes"), "no": pgettext("vote", "No"), "abstain": _("Abstain")}


def unit_names() -> dict[str, str]:
    """Who casts one vote."""
    return {"person": _("One vote per person"), "household": _("One vote per household")}


def yes_no(value: bool) -> str:
    """A yes/no fact in words (is this household an owner, is this poll secret)."""
    return pgettext("boolean", "Yes") if value else pgettext("boolean", "No")


def owner_kinds() -> dict[str, str]:
    """Who can own an action."""
    return {"resident": _("Resident"), "building_head": _("Building head (楼门长)"),
            "volunteers": _("Volunteer team"), "property": _("Property company"),
            "partner": _("Co-building unit (共建单位)"),
            # who owes an escalated issue its reply
            "unit": _("Responsible unit (责任单位)"), "council": _("Parent council (上级议事会)")}


def channel_names() -> dict[str, str]:
    """The ways a vote reaches the tally."""
    return {"phone": _("Phones"), "entered": _("Entered by name"), "hands": _("Show of hands"),
            "paper": _("Paper ballots"), "remote": _("Remote votes")}


def role_names() -> dict[str, str]:
    """What a facilitator is on a council of each level (council/domain/roles.py)."""
    return {"subdistrict_officer": _("Subdistrict officer (街道干部)"),
            "community_secretary": _("Community secretary (社区书记)"),
            "courtyard_facilitator": _("Courtyard facilitator (楼院主持人)")}


def deed_names() -> dict[str, str]:
    """Each kind of taking part that earns participation points (council/domain/points.py)."""
    return {"attend": _("Session attended"), "raise_topic": _("Topic raised"),
            "topic_decided": _("Topic that became a decision"), "convene_group": _("Group convened"),
            "action_on_time": _("Action owned, done on time"), "rate": _("Action rated")}
