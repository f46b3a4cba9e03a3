"""Ballots, tallies and the rule that turns a tally into a decision."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import Enum
from typing import Iterable

from council.domain.errors import DomainError, parse_enum


class Choice(str, Enum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


def parse_choice(value: object) -> Choice:
    """A choice from a client, or a domain error for anything else."""
    return parse_enum(Choice, value, "invalid_choice")


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    def as_dict(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "cast": self.cast}


def count(choices: Iterable[Choice]) -> Tally:
    """Count one choice per ballot."""
    c = Counter(choices)
    return Tally(yes=c[Choice.YES], no=c[Choice.NO], abstain=c[Choice.ABSTAIN])


@dataclass(frozen=True)
class Result:
    adopted: bool
    rule: str
    needed: int  # yes votes needed to pass
    tally: Tally


def majority_of_cast(tally: Tally) -> Result:
    """Adopted when yes is more than half of all votes cast; abstentions count as cast."""
    needed = tally.cast // 2 + 1
    return Result(adopted=tally.cast > 0 and tally.yes >= needed, rule="majority_cast",
                  needed=needed, tally=tally)


RULES = {"majority_cast": majority_of_cast}


def decide(tally: Tally, rule: str = "majority_cast") -> Result:
    """Apply a named decision rule to a tally."""
    try:
        return RULES[rule](tally)
    except KeyError:
        raise DomainError("unknown_rule", rule=rule) from None


def require_open(status: str) -> None:
    """Ballots go only into an open poll."""
    if status != "open":
        raise DomainError("poll_closed")
