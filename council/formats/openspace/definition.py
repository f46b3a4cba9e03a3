"""The Open Space format as the registry sees it: its parts, events, hooks, panel and words."""
from __future__ import annotations

from flask_babel import gettext as _

from council.domain.steps import Step
from council.formats import Format, register
from council.formats.dotting import DotTarget, definition as dotting
from council.formats.dotting.models import Dot
from council.formats.openspace import minutes, services as openspace, state
from council.services.parts import Part
from council.services.schema import CONSOLE, PHONE, TEXT_COST, Event, arg

EVENTS = {
    **dotting.EVENTS,
    "agenda.setup": Event(CONSOLE, {"spaces": arg(list), "slots": arg(list)},
                          lambda db, c, a: openspace.set_wall(db, c.actor, c.session_id, **a)),
    "agenda.place": Event(CONSOLE, {}, lambda db, c, a: openspace.place_topics(db, c.actor, c.session_id)),
    "agenda.move": Event(CONSOLE, {"topic_id": arg(int), "space_id": arg(int, False), "slot_id": arg(int, False)},
                         lambda db, c, a: openspace.move_topic(db, c.actor, c.session_id, **a)),
    "group.join": Event(PHONE, {"group_id": arg(int)}, lambda db, c, a: openspace.join_group(db, c.actor, **a),
                        reply_me=True),
    "report.save": Event(CONSOLE | PHONE, {"group_id": arg(int), "points": arg(list), "needs": arg(list)},
                         lambda db, c, a: openspace.save_report(db, c.actor, **a), cost=TEXT_COST),
}


def label() -> str:
    return _("Open Space (开放空间)")


def strings() -> dict[str, object]:
    """The Open Space panel's words; {placeholders} are filled in by the page."""
    return {
        **dotting.strings(), "title": label(),
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
        "from_need": _("From a group's needs"),
        "topics_hint": _("Propose a topic you care about: you will convene its group."),
        "dot_hint": _("Put your dots on the topics you care most about."),
    }


FORMAT = register(Format(
    name=openspace.NAME, label=label,
    parts={**dotting.PARTS, "agenda": Part("agenda", state.agenda)},
    events=EVENTS, candidates=openspace.candidates, mine=state.mine,
    minutes=minutes.section, minutes_template="formats/openspace/minutes.html",
    scripts={page: (*dotting.SCRIPTS[page], f"formats/openspace.{page}.js") for page in ("console", "phone", "projector")},
    strings=strings,
    # The marketplace: topics show with their dots in the panel, the hint says who convenes;
    # in discuss the groups' panel speaks for itself.
    client={"topics_on_phone": False, "proposals_on_phone": False, "hints": {"raise": "topics_hint", "discuss": ""}},
    # Dots go up in the marketplace, before the groups meet.
    dots=DotTarget(Dot.topic_id, (Step.RAISE, Step.DISCUSS), openspace.dot_target, openspace.dot_order),
    topic_gone=openspace.topic_gone, topic_parts=frozenset({"dots", "agenda"}),
))
