"""Dot voting's rules: how many dots, where they may go, how they rank. Plain Python."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from council.domain.errors import DomainError

DEFAULT_DOTS = 3  # dots per participant
DEFAULT_PER_TOPIC = 2  # dots one participant may put on one topic


@dataclass(frozen=True)
class DotRules:
    dots: int = DEFAULT_DOTS
    per_topic: int = DEFAULT_PER_TOPIC

    def __post_init__(self) -> None:
        if not 1 <= self.dots <= 20 or not 1 <= self.per_topic <= self.dots:
            raise DomainError("invalid_dot_rules")


def place_dots(mine: Mapping[int, int], topic_id: int, count: object, rules: DotRules, open_: bool) -> dict[int, int]:
    """A participant's dots after setting `count` dots on one topic (moving dots is setting
    fewer here and more there); refused once dotting is closed or past the limits."""
    if not open_:
        raise DomainError("dotting_closed")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise DomainError("invalid_count", field="count")
    if count > rules.per_topic:
        raise DomainError("too_many_dots_on_topic", maximum=rules.per_topic)
    after = {t: n for t, n in mine.items() if t != topic_id and n}
    if count:
        after[topic_id] = count
    if sum(after.values()) > rules.dots:
        raise DomainError("no_dots_left", maximum=rules.dots)
    return after


def ranking(dots: Mapping[int, int], order: Sequence[int]) -> list[tuple[int, int]]:
    """Topics by dots, most first; ties keep the order topics were proposed in."""
    position = {t: i for i, t in enumerate(order)}
    return sorted(((t, dots.get(t, 0)) for t in order), key=lambda x: (-x[1], position[x[0]]))


def top(ranked: Sequence[tuple[int, int]], n: int) -> list[int]:
    """The first `n` of a ranking that have at least one dot, and any tied with the last of
    them: a tie at the cut is not settled by who happened to write first."""
    dotted = [(t, d) for t, d in ranked if d > 0]
    if n <= 0 or not dotted:
        return []
    if len(dotted) <= n:
        return [t for t, _ in dotted]
    cut = dotted[n - 1][1]
    return [t for t, d in dotted if d >= cut]
