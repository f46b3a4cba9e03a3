"""Dot voting, shared by the formats that rank with dots: Open Space dots topics in the
marketplace, the café dots its harvested ideas.

A format that ranks with dots declares a `DotTarget` (what it dots on, in which steps) as its
`Format.dots`, adds `definition.PARTS` and `definition.EVENTS`; the dot services ask the
session's format for its target instead of testing the format's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from council.domain.steps import Step

if TYPE_CHECKING:
    from sqlalchemy.orm import Session as Db


@dataclass(frozen=True)
class DotTarget:
    """What a format's dots rank, and when."""

    # The `Dot` column that names the target (`Dot.topic_id`, `Dot.idea_id`).
    column: Any
    # The steps in which the dot rules are set and dots placed.
    steps: tuple[Step, ...]
    # The id of a target that may get dots now, or the domain error `not_found`.
    live: Callable[["Db", Any, object], int]
    # The ids of every live target of a session, in the order they came (ties keep it).
    order: Callable[["Db", Any], list[int]]
    # Refuses (raises a domain error) when dotting may not open yet; None: it always may.
    may_open: Callable[["Db", Any], None] | None = None
