"""Participation points (活力值): what each kind of taking part is worth in a community, and a
resident's points over a period, counted from what they did (stored rows) on every read.

The rules are the community's own (set in the console); a kind without a rule is worth its
default. Points are never stored: change a rule, erase a topic, and every total follows.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from council.domain.errors import DomainError
from council.domain.households import normalize_door

MAX_POINTS = 100  # for one of a kind: a rule beyond it is a typing slip


class Deed(StrEnum):
    """A kind of taking part that earns points, in the order a meeting goes."""

    ATTEND = "attend"                    # a session attended
    RAISE_TOPIC = "raise_topic"          # a topic raised (and shown to the room)
    TOPIC_DECIDED = "topic_decided"      # a topic of theirs that became an adopted decision
    CONVENE_GROUP = "convene_group"      # an Open Space group convened on their topic
    ACTION_ON_TIME = "action_on_time"    # an action they owned, done by its deadline
    RATE = "rate"                        # an action rated


DEFAULT_RULES: dict[Deed, int] = {Deed.ATTEND: 2, Deed.RAISE_TOPIC: 3, Deed.TOPIC_DECIDED: 5,
                                  Deed.CONVENE_GROUP: 3, Deed.ACTION_ON_TIME: 5, Deed.RATE: 1}


@dataclass(frozen=True)
class Line:
    deed: Deed
    count: int
    each: int

    @property
    def points(self) -> int:
        return self.count * self.each


def rules_with_defaults(stored: Mapping[str, int]) -> dict[Deed, int]:
    """The community's rules, a default for every kind it has not set."""
    return {deed: int(stored.get(deed.value, DEFAULT_RULES[deed])) for deed in Deed}


def parse_rule(deed: object, points: object) -> tuple[Deed, int]:
    """A rule as the console sends it; a kind not known or points outside 0–100 are refused."""
    try:
        kind = Deed(deed)
    except ValueError:
        raise DomainError("invalid_field", field="deed") from None
    if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= MAX_POINTS:
        raise DomainError("invalid_points", maximum=MAX_POINTS)
    return kind, points


def score(counts: Mapping[Deed, int], rules: Mapping[Deed, int]) -> tuple[int, list[Line]]:
    """A resident's points: one line per kind, in the meeting's order, and the total."""
    lines = [Line(deed, counts.get(deed, 0), rules[deed]) for deed in Deed]
    return sum(line.points for line in lines), lines


def building_of(door: str) -> str | None:
    """The building of a door number as the league table groups it: what comes before the first
    dash, folded as the household roll folds doors ("3-101" and "３－２０２" → "3"); None for no
    door or a door without a dash (a house is not a building)."""
    try:
        folded = normalize_door(door)
    except DomainError:
        return None
    return folded.split("-", 1)[0] if "-" in folded else None
