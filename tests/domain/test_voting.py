import pytest

from council.domain import DomainError
from council.domain.voting import Choice, Tally, count, decide, majority_of_cast, parse_choice, require_open


def test_count_one_choice_per_ballot():
    tally = count([Choice.YES, Choice.NO, Choice.YES, Choice.ABSTAIN, Choice.YES])
    assert tally == Tally(yes=3, no=1, abstain=1)
    assert tally.cast == 5
    assert tally.as_dict() == {"yes": 3, "no": 1, "abstain": 1, "cast": 5}


@pytest.mark.parametrize("yes, no, abstain, adopted, needed", [
    (3, 2, 0, True, 3),  # 3 of 5
    (2, 2, 0, False, 3),  # a tie is not more than half
    (3, 1, 2, False, 4),  # abstentions count as cast: 3 of 6 is not more than half
    (4, 1, 2, True, 4),
    (0, 0, 0, False, 1),  # nobody voted: nothing adopted
    (1, 0, 0, True, 1),
    (0, 0, 3, False, 2),  # abstentions never count toward yes
])
def test_majority_of_votes_cast(yes, no, abstain, adopted, needed):
    result = majority_of_cast(Tally(yes, no, abstain))
    assert (result.adopted, result.needed) == (adopted, needed)


def test_decide_names_the_rule():
    assert decide(Tally(1, 0, 0)).rule == "majority_cast"
    with pytest.raises(DomainError) as err:
        decide(Tally(), "show_of_feet")
    assert err.value.code == "unknown_rule"


@pytest.mark.parametrize("raw", ["yes", "no", "abstain"])
def test_parse_choice(raw):
    assert parse_choice(raw).value == raw


@pytest.mark.parametrize("raw", ["YES", "maybe", "", None, 1, ["yes"]])
def test_parse_choice_refuses_anything_else(raw):
    with pytest.raises(DomainError) as err:
        parse_choice(raw)
    assert err.value.code == "invalid_choice"


def test_only_an_open_poll_takes_ballots():
    require_open("open")
    with pytest.raises(DomainError) as err:
        require_open("closed")
    assert err.value.code == "poll_closed"
