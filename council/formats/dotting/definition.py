"""Dot voting's state part, events and words, which a format that ranks with dots adds to its own."""
from __future__ import annotations

from flask_babel import gettext as _

from council.formats.dotting import services as dots, state
from council.services.parts import Part
from council.services.schema import CONSOLE, PHONE, Event, arg

PARTS = {"dots": Part("dots", state.part)}

EVENTS = {
    "dots.rules": Event(CONSOLE, {"dots": arg(int), "per_topic": arg(int), "top": arg(int, False)},
                        lambda db, c, a: dots.set_rules(db, c.actor, c.session_id, **a)),
    "dots.open": Event(CONSOLE, {"open": arg(bool)}, lambda db, c, a: dots.set_open(db, c.actor, c.session_id, **a)),
    "dot.place": Event(PHONE, {"target_id": arg(int), "count": arg(int)},
                       lambda db, c, a: dots.place(db, c.actor, **a), reply_me=True),
    "dot.enter": Event(CONSOLE, {"participant_id": arg(int), "target_id": arg(int), "count": arg(int)},
                       lambda db, c, a: dots.enter(db, c.actor, c.session_id, **a)),
}

# The scripts of the dot panels, loaded before a format's own on each page: the console's
# controls only where they are used (every byte counts on a phone's first visit).
SCRIPTS = {"console": ("formats/kit.js", "formats/dotting.js", "formats/dotting.console.js"),
           "phone": ("formats/dotting.js",), "projector": ("formats/dotting.js",)}


def strings() -> dict[str, object]:
    """The dot panel's words; {placeholders} are filled in by the page."""
    return {
        "dots": _("Dots"), "dots_n": _("{n} dots"),
        "dots_left": _("You have {left} of {all} dots left, at most {per} on one."),
        "dots_status": {"ready": _("Dot voting has not opened yet."), "open": _("Dot voting is open."),
                        "closed": _("Dot voting is closed.")},
        "open_dots": _("Open dot voting"), "close_dots": _("Close dot voting"),
        "dot_rules": _("Dots per person"), "per_topic": _("At most on one"),
        "enter_dots": _("Dots for a resident without a phone"),
    }
