"""Each decision rule, at and around its thresholds."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from council.domain import DomainError
from council.domain.rules import Electorate, Tally, check_quorum, decide

D = Decimal


def failed(result):
    return [c.key for c in result.failed]


@pytest.mark.parametrize("yes, no, abstain, passed, needed", [
    (3, 2, 0, True, 3), (2, 2, 0, False, 3), (3, 1, 2, False, 4), (4, 1, 2, True, 4),
    (0, 0, 0, False, 1), (1, 0, 0, True, 1), (0, 0, 3, False, 2),
])
def test_more_than_half_of_votes_cast(yes, no, abstain, passed, needed):
    r = decide(Tally(yes, no, abstain), "majority_cast")
    assert (r.passed, r.needed) == (passed, needed)


def test_more_than_half_of_those_present():
    present = Electorate(present=20)
    assert decide(Tally(10, 2, 0), "majority_present", present).passed is False  # 10 of 20 is not more than half
    r = decide(Tally(11, 0, 0), "majority_present", present)
    assert r.passed and r.needed == 11
    assert failed(decide(Tally(8, 1, 1), "majority_present", present)) == ["yes_of_present"]
    # attendance lower than the votes cast cannot make a poll easier to pass
    assert decide(Tally(3, 3, 0), "majority_present", Electorate(present=2)).passed is False


@pytest.mark.parametrize("yes, cast, passed", [(2, 3, True), (4, 6, True), (3, 5, False), (7, 10, True),
                                               (6, 10, False), (0, 0, False)])
def test_two_thirds_of_votes_cast(yes, cast, passed):
    assert decide(Tally(yes, cast - yes, 0), "two_thirds_cast").passed is passed


def test_abstentions_count_as_cast_never_as_yes():
    assert decide(Tally(2, 0, 1), "two_thirds_cast").passed
    assert not decide(Tally(2, 0, 2), "two_thirds_cast").passed


ROLL = Electorate(eligible=9, eligible_area=D("900"))


def test_278_ordinary_passes_with_turnout_and_majority_of_both():
    t = Tally(4, 2, 0, D("420"), D("180"), D(0))  # 6 of 9 owners, 600 of 900 m²
    assert decide(t, "civil_278_ordinary", ROLL).passed


def test_278_needs_two_thirds_turnout_by_heads_and_by_area():
    few_heads = Tally(4, 1, 0, D("600"), D("100"), D(0))  # 5 of 9 owners take part
    assert failed(decide(few_heads, "civil_278_ordinary", ROLL)) == ["turnout_heads"]
    little_area = Tally(5, 1, 0, D("400"), D("100"), D(0))  # 500 of 900 m²
    assert failed(decide(little_area, "civil_278_ordinary", ROLL)) == ["turnout_area"]
    exactly = Tally(5, 1, 0, D("500"), D("100"), D(0))  # 6 of 9 and 600 of 900: two thirds exactly
    assert decide(exactly, "civil_278_ordinary", ROLL).passed


def test_278_ordinary_approval_is_more_than_half_of_participants_both_ways():
    half_area = Tally(4, 2, 0, D("300"), D("300"), D(0))
    assert failed(decide(half_area, "civil_278_ordinary", ROLL)) == ["yes_area_of_participants"]
    half_heads = Tally(3, 3, 0, D("400"), D("200"), D(0))
    assert failed(decide(half_heads, "civil_278_ordinary", ROLL)) == ["yes_heads_of_participants"]
    abstaining = Tally(3, 1, 2, D("400"), D("100"), D("100"))  # abstainers take part, never approve
    assert failed(decide(abstaining, "civil_278_ordinary", ROLL)) == ["yes_heads_of_participants"]


def test_278_special_needs_three_quarters_of_both():
    t = Tally(6, 2, 0, D("600"), D("200"), D(0))  # 6 of 8 heads, 600 of 800 m²: exactly three quarters
    assert decide(t, "civil_278_special", ROLL).passed
    t = Tally(6, 2, 0, D("599.99"), D("200.01"), D(0))
    assert failed(decide(t, "civil_278_special", ROLL)) == ["yes_area_three_quarters"]
    t = Tally(5, 2, 0, D("700"), D("100"), D(0))
    assert failed(decide(t, "civil_278_special", ROLL)) == ["yes_heads_three_quarters"]


def test_quorum_is_checked_first_and_named():
    r = decide(Tally(3, 0, 0), "majority_cast", quorum=5)
    assert not r.passed and failed(r) == ["quorum"]
    assert decide(Tally(3, 2, 0), "majority_cast", quorum=5).passed
    assert check_quorum(None) is None and check_quorum(0) is None and check_quorum(12) == 12
    for bad in (-1, "5", True, 10**6):
        with pytest.raises(DomainError):
            check_quorum(bad)


def test_unknown_rule():
    with pytest.raises(DomainError) as err:
        decide(Tally(), "show_of_feet")
    assert err.value.code == "unknown_rule"


counts = st.integers(min_value=0, max_value=200)


@given(counts, counts, counts)
def test_majority_rules_agree_with_arithmetic(yes, no, abstain):
    t = Tally(yes, no, abstain)
    assert decide(t, "majority_cast").passed == (2 * yes > t.cast)
    assert decide(t, "two_thirds_cast").passed == (t.cast > 0 and 3 * yes >= 2 * t.cast)
    assert decide(t, "majority_cast").passed is (yes >= decide(t, "majority_cast").needed and t.cast > 0)


@given(counts, counts, counts)
def test_more_abstentions_never_help(yes, no, abstain):
    for rule in ("majority_cast", "two_thirds_cast", "majority_present"):
        before = decide(Tally(yes, no, abstain), rule, Electorate(present=yes + no + abstain)).passed
        after = decide(Tally(yes, no, abstain + 1), rule, Electorate(present=yes + no + abstain + 1)).passed
        assert not (after and not before)
