"""Residents' ratings of how an action was carried out (民事民评)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable

from council.domain.errors import DomainError, parse_enum


class Rating(StrEnum):
    SATISFIED = "satisfied"  # 满意
    BASIC = "basic"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意


def parse_rating(value: object) -> Rating:
    return parse_enum(Rating, value, "invalid_rating")


@dataclass(frozen=True)
class RatingSummary:
    satisfied: int
    basic: int
    dissatisfied: int

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.dissatisfied

    @property
    def satisfaction(self) -> float | None:
        """Share of satisfied or basically satisfied ratings, the usual reported figure."""
        return None if not self.total else (self.satisfied + self.basic) / self.total

    def as_dict(self) -> dict[str, object]:
        return {"satisfied": self.satisfied, "basic": self.basic,
                "dissatisfied": self.dissatisfied, "total": self.total,
                "satisfaction": self.satisfaction}


def summarize(ratings: Iterable[Rating]) -> RatingSummary:
    c = Counter(ratings)
    return RatingSummary(c[Rating.SATISFIED], c[Rating.BASIC], c[Rating.DISSATISFIED])


def require_rating_open(rating_open: bool) -> None:
    if not rating_open:
        raise DomainError("rating_closed")
