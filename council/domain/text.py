"""Limits on what people type: trimmed, never empty, never oversized."""
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

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(value: object, *, field: str, maximum: int, required: bool = True) -> str:
    """Return `value` trimmed and normalised, or raise if empty or too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError("invalid_field", field=field)
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    if not text and required:
        raise DomainError("text_empty", field=field)
    if len(text) > maximum:
        raise DomainError("text_too_long", field=field, maximum=maximum)
    return text
