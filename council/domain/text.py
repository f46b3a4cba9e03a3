"""Limits on what people type: trimmed, never empty, never oversized, never invisible."""
from __future__ import annotations

import re
import unicodedata

from council.domain.errors import DomainError

TOPIC_MAX = 200
NAME_MAX = 40
DOOR_MAX = 20
PROPOSAL_MAX = 500
ACTION_MAX = 200
TITLE_MAX = 100
PLACE_MAX = 100
LINE_MAX = 200  # one line of a group report, or a harvested idea
LABEL_MAX = 40  # a table, a space, a time slot
# What one resident may put on a meeting's wall, however slowly: enough for anyone who takes
# part in earnest, and a wall that one phone cannot bury.
TOPICS_PER_RESIDENT = 10
IDEAS_PER_RESIDENT = 30


def within_share(already: int, share: int) -> None:
    """One more item from a resident who has put `already` on the wall: refused `share_used`
    once they have their whole share."""
    if already >= share:
        raise DomainError("share_used", maximum=share)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ZWJ = "\u200d"
# Letters that draw nothing: Hangul fillers, the combining grapheme joiner, the blank Braille cell.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u2800")
# What may stand on either side of a kept zero-width joiner: emoji, skin tones, variation selectors.
_EMOJI_SIDE = frozenset(("So", "Sk", "Mn"))


def _invisible(char: str) -> bool:
    """A format character (Cf: zero-width spaces and joiners, bidi marks, embeddings, overrides
    and isolates, soft hyphen, BOM, tag characters…), a lone surrogate, or a blank letter."""
    return char in _BLANK_LETTERS or unicodedata.category(char) in ("Cf", "Cs")


def strip_invisible(text: str) -> str:
    """`text` without invisible and bidi control characters. A zero-width joiner is kept only
    between two emoji, where it joins them into one (👨‍👩‍👧); anywhere else it goes too."""
    kept = [c for c in text if c == ZWJ or not _invisible(c)]
    out: list[str] = []
    for i, c in enumerate(kept):
        if c == ZWJ:
            before = out[-1] if out else ""
            after = kept[i + 1] if i + 1 < len(kept) else ""
            if not (before and after and unicodedata.category(before) in _EMOJI_SIDE
                    and unicodedata.category(after) == "So"):
                continue
        out.append(c)
    return "".join(out)


def _visible(text: str) -> bool:
    """Something shows: more than spaces, combining marks and joiners."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Mn", "Me", "Cf") for c in text)


def clean(value: object, *, field: str, maximum: int, required: bool = True) -> str:
    """Return `value` trimmed and normalised, or raise if empty or too long.

    Control, invisible and bidi control characters are removed first: a name of zero-width
    spaces would show as a blank card, and a right-to-left override would show "101-3" as
    "3-101". Text with nothing visible left is empty."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError("invalid_field", field=field)
    text = strip_invisible(_CONTROL.sub("", unicodedata.normalize("NFC", value))).strip()
    if not _visible(text):
        text = ""
    if not text and required:
        raise DomainError("text_empty", field=field)
    if len(text) > maximum:
        raise DomainError("text_too_long", field=field, maximum=maximum)
    return text
