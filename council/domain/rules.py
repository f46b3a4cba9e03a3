"""Decision rules a courtyard actually uses, as pure functions of a tally and an electorate.

Every rule returns the conditions it checked, each with what was reached and what was needed,
so that a failed result can say in words which condition failed. Abstentions count toward
participation, never toward yes. Areas are Decimals (m²): comparisons are exact.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import ceil
from typing import Callable

from council.domain.errors import DomainError

ZERO = Decimal(0)


@dataclass(frozen=True)
class Tally:
    """Votes per option: heads (people or households) and, for household polls, floor area."""

    yes: int = 0
    no: int = 0
    abstain: int = 0
    yes_area: Decimal = ZERO
    no_area: Decimal = ZERO
    abstain_area: Decimal = ZERO

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def cast_area(self) -> Decimal:
        return self.yes_area + self.no_area + self.abstain_area

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.yes + other.yes, self.no + other.no, self.abstain + other.abstain,
                     self.yes_area + other.yes_area, self.no_area + other.no_area,
                     self.abstain_area + other.abstain_area)

    def as_dict(self) -> dict[str, object]:
        return {"yes": self.yes, "no": self.no, "abstain": self.abstain, "cast": self.cast,
                "yes_area": area_text(self.yes_area), "no_area": area_text(self.no_area),
                "abstain_area": area_text(self.abstain_area), "cast_area": area_text(self.cast_area)}


def area_text(area: Decimal) -> str:
    """An area as shown: "0" when there is none (a poll by head), else to the hundredth."""
    return "0" if area == 0 else str(area.quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Electorate:
    """Who could vote: heads and area entitled, and how many are present."""

    eligible: int = 0
    eligible_area: Decimal = ZERO
    present: int = 0


@dataclass(frozen=True)
class Condition:
    """One test of a rule: `actual` reached against `needed` (a count or an area)."""

    key: str
    met: bool
    actual: int | Decimal
    needed: int | Decimal
    of: int | Decimal  # the whole the share is taken of


@dataclass(frozen=True)
class Result:
    rule: str
    passed: bool
    conditions: tuple[Condition, ...]
    needed: int  # yes votes (heads) that would pass the approval condition with this tally
    failed: tuple[Condition, ...] = field(default=())


def _at_least(share: Fraction, whole: int) -> int:
    """The smallest whole number that is at least `share` of `whole`."""
    return ceil(share * whole)


def _more_than(share: Fraction, whole: int) -> int:
    """The smallest whole number that is more than `share` of `whole`."""
    return int(share * whole) + 1


def _area_at_least(share: Fraction, whole: Decimal) -> Decimal:
    return whole * share.numerator / share.denominator


def _approval(key: str, yes: int, whole: int, share: Fraction, strict: bool) -> Condition:
    needed = _more_than(share, whole) if strict else max(1, _at_least(share, whole))
    return Condition(key, whole > 0 and yes >= needed, yes, needed, whole)


def _area(key: str, actual: Decimal, whole: Decimal, share: Fraction, strict: bool) -> Condition:
    needed = _area_at_least(share, whole)
    met = whole > 0 and (actual > needed if strict else actual >= needed)
    return Condition(key, met, actual, needed, whole)


HALF, TWO_THIRDS, THREE_QUARTERS = Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)


def majority_cast(t: Tally, e: Electorate) -> list[Condition]:
    """More than half of the votes cast."""
    return [_approval("yes_of_cast", t.yes, t.cast, HALF, strict=True)]


def majority_present(t: Tally, e: Electorate) -> list[Condition]:
    """More than half of those present (attendance), whether or not they voted."""
    return [_approval("yes_of_present", t.yes, max(e.present, t.cast), HALF, strict=True)]


def two_thirds_cast(t: Tally, e: Electorate) -> list[Condition]:
    """At least two thirds of the votes cast."""
    return [_approval("yes_two_thirds_of_cast", t.yes, t.cast, TWO_THIRDS, strict=False)]


def _participation_278(t: Tally, e: Electorate) -> list[Condition]:
    # Civil Code art. 278: owners with two thirds or more of the area and two thirds or more
    # of the headcount take part in the vote.
    return [_approval("turnout_heads", t.cast, e.eligible, TWO_THIRDS, strict=False),
            _area("turnout_area", t.cast_area, e.eligible_area, TWO_THIRDS, strict=False)]


def civil_278_ordinary(t: Tally, e: Electorate) -> list[Condition]:
    """Art. 278, ordinary matters: more than half of the participating area and owners."""
    return _participation_278(t, e) + [
        _approval("yes_heads_of_participants", t.yes, t.cast, HALF, strict=True),
        _area("yes_area_of_participants", t.yes_area, t.cast_area, HALF, strict=True)]


def civil_278_special(t: Tally, e: Electorate) -> list[Condition]:
    """Art. 278, special matters (repair funds, rebuilding, changing common parts' use):
    three quarters or more of the participating area and owners."""
    return _participation_278(t, e) + [
        _approval("yes_heads_three_quarters", t.yes, t.cast, THREE_QUARTERS, strict=False),
        _area("yes_area_three_quarters", t.yes_area, t.cast_area, THREE_QUARTERS, strict=False)]


RULES: dict[str, Callable[[Tally, Electorate], list[Condition]]] = {
    "majority_cast": majority_cast,
    "majority_present": majority_present,
    "two_thirds_cast": two_thirds_cast,
    "civil_278_ordinary": civil_278_ordinary,
    "civil_278_special": civil_278_special,
}
BY_AREA = frozenset({"civil_278_ordinary", "civil_278_special"})


def takes_counts(rule: str) -> bool:
    """A show-of-hands or paper count carries no floor area: never under a rule by area."""
    return rule not in BY_AREA


def inputs(rule: str) -> dict[str, bool]:
    """What the facilitator may enter for a poll under this rule: a show-of-hands or paper
    count, the attendance (only a rule that counts those present uses it)."""
    return {"counts": takes_counts(rule), "attendance": rule == "majority_present"}


def check_rule(rule: str) -> None:
    if rule not in RULES:
        raise DomainError("unknown_rule", rule=rule)


def decide(tally: Tally, rule: str = "majority_cast", electorate: Electorate = Electorate(),
           quorum: int | None = None) -> Result:
    """Apply a named rule, and an optional quorum (votes cast), to a tally."""
    check_rule(rule)
    conditions = RULES[rule](tally, electorate)
    if quorum:
        conditions.insert(0, Condition("quorum", tally.cast >= quorum, tally.cast, quorum, quorum))
    approval = [c for c in conditions if c.key.startswith("yes") and not c.key.startswith("yes_area")][0]
    failed = tuple(c for c in conditions if not c.met)
    return Result(rule, not failed, tuple(conditions), int(approval.needed), failed)


def check_quorum(value: object) -> int | None:
    """An optional minimum number of votes cast."""
    if value is None or value == 0:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100000:
        raise DomainError("invalid_field", field="quorum")
    return value
