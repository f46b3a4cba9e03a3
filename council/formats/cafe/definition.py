"""The World Café format as the registry sees it: its parts, events, hooks, panel and words."""
from __future__ import annotations

from flask_babel import gettext as _

from council.domain.steps import Step
from council.formats import Format, register
from council.formats.cafe import minutes, services as cafe, state
from council.formats.dotting import DotTarget, definition as dotting
from council.formats.dotting.models import Dot
from council.services.parts import Part
from council.services.schema import CONSOLE, PHONE, TEXT_COST, Event, arg

EVENTS = {
    **dotting.EVENTS,
    "cafe.setup": Event(CONSOLE, {"tables": arg(list), "rounds": arg(list)},
                        lambda db, c, a: cafe.set_up(db, c.actor, c.session_id, **a)),
    "cafe.host": Event(CONSOLE, {"table_id": arg(int), "participant_id": arg(int, False)},
                       lambda db, c, a: cafe.set_host(db, c.actor, **a)),
    "cafe.seat": Event(CONSOLE, {}, lambda db, c, a: cafe.seat_all(db, c.actor, c.session_id)),
    "cafe.round": Event(CONSOLE, {}, lambda db, c, a: cafe.start_round(db, c.actor, c.session_id)),
    "participant.leave": Event(CONSOLE, {"participant_id": arg(int), "left": arg(bool)},
                               lambda db, c, a: cafe.mark_left(db, c.actor, c.session_id, **a)),
    "idea.add": Event(CONSOLE | PHONE, {"text": arg(str), "table_id": arg(int, False)},
                      lambda db, c, a: cafe.add_idea(db, c.actor, session_id=c.session_id, **a), cost=TEXT_COST,
                      reply_me=True),  # under pre-moderation the author's own list shows it waiting
    "idea.hide": Event(CONSOLE, {"idea_id": arg(int), "hidden": arg(bool)},
                       lambda db, c, a: cafe.hide_idea(db, c.actor, **a)),
    "idea.approve": Event(CONSOLE, {"idea_id": arg(int)}, lambda db, c, a: cafe.approve_idea(db, c.actor, **a)),
    "idea.reject": Event(CONSOLE, {"idea_id": arg(int)}, lambda db, c, a: cafe.reject_idea(db, c.actor, **a)),
}


def label() -> str:
    return _("World Café (世界咖啡馆)")


def strings() -> dict[str, object]:
    """The café panel's words; {placeholders} are filled in by the page."""
    return {
        **dotting.strings(), "title": label(),
        "top_ideas": _("Top ideas that become proposals"),
        "ideas_become": _("The top ideas become candidate proposals when the session moves to decide."),
        "from_idea": _("From the café's harvest"),
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
        "people_n": _("{n} here"),
        "idea_dot_hint": _("Put your dots on the ideas you care most about."),
    }


FORMAT = register(Format(
    name=cafe.NAME, label=label,
    parts={**dotting.PARTS, "cafe": Part("cafe", state.cafe, per_audience=True),
           "ideas": Part("ideas", state.ideas, per_audience=True)},
    events=EVENTS, candidates=cafe.candidates, mine=state.mine,
    minutes=minutes.section, minutes_template="formats/cafe/minutes.html",
    scripts={page: (*dotting.SCRIPTS[page], f"formats/cafe.{page}.js") for page in ("console", "phone", "projector")},
    strings=strings,
    # In discuss the phone shows where to sit and the harvest instead of the step's hint;
    # the console marks who went home, so that the seating plans without them.
    client={"proposals_on_phone": False, "hints": {"discuss": ""}, "mark_left": True},
    # The café dots its harvest, after the rounds.
    dots=DotTarget(Dot.idea_id, (Step.DISCUSS,), cafe.dot_target, cafe.dot_order, cafe.may_open_dots),
    on_join=cafe.seat_newcomer,
))
