"""What a part of a session's state is: its name, who sees it, and how it is built.

Every part declares its audiences here, once. The console sees everything; the projector and
the phones see the public parts, built for them (a part that is `per_audience` is built again
for the public, without console-only fields such as hidden topics or names on secret polls).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable

from sqlalchemy.orm import Session as Db


class Audience(StrEnum):
    CONSOLE = "console"
    PROJECTOR = "projector"
    PHONE = "phone"


EVERYONE = frozenset(Audience)
CONSOLE_ONLY = frozenset({Audience.CONSOLE})

# A builder takes the database, the session row and the audience it builds for.
Builder = Callable[[Db, Any, Audience], Any]


@dataclass(frozen=True)
class Part:
    name: str
    build: Builder
    audiences: frozenset[Audience] = EVERYONE
    # True when the console's version holds more than the public one (built twice);
    # False when everyone who sees the part sees the same data (built once).
    per_audience: bool = False
