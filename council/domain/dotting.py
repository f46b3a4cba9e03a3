"""Dot voting's state in a session (Open Space and World Café alike)."""
from __future__ import annotations

from enum import StrEnum


class Dotting(StrEnum):
    READY = "ready"  # not opened yet: a café still harvests ideas
    OPEN = "open"  # residents place and move their dots
    CLOSED = "closed"  # the ranking is final (it can be reopened)
