from decimal import Decimal

import pytest

from council.domain import DomainError, voting
from council.domain.rules import Tally
from council.domain.voting import (BallotLine, Channel, Choice, ManualCount, Unit, check_count,
                                   check_counted_channel_allowed, check_may_vote, check_setup, conflict,
                                   count, parse_choice, parse_counted_channel, require_open, voter_key)

D = Decimal


def test_count_sums_heads_and_area_per_channel():
    ballots = [BallotLine(Choice.YES, Channel.PHONE, D("80.5")), BallotLine(Choice.NO, Channel.PHONE, D("60")),
               BallotLine(Choice.YES, Channel.ENTERED, D("70")), BallotLine(Choice.ABSTAIN, Channel.PHONE)]
    manual = [ManualCount(Channel.HANDS, 3, 1, 0), ManualCount(Channel.PAPER, 2, 0, 1)]
    total, channels = count(ballots, manual)
    assert total == Tally(7, 2, 2, D("150.5"), D("60"), D(0))
    assert channels["phone"] == Tally(1, 1, 1, D("80.5"), D("60"), D(0))
    assert channels["entered"].yes == 1 and channels["hands"].cast == 4 and channels["paper"].cast == 3
    assert total.cast == sum(c.cast for c in channels.values())


def test_count_of_nothing_is_zero():
    total, channels = count([])
    assert total.cast == 0 and set(channels) == {"phone", "entered", "hands", "paper", "remote"}


def test_voter_key_per_person_or_household():
    assert voter_key(Unit.PERSON, 7, None) == "p:7"
    assert voter_key(Unit.PERSON, 7, 3) == "p:7"
    assert voter_key(Unit.HOUSEHOLD, 7, 3) == voter_key(Unit.HOUSEHOLD, 8, 3) == "h:3"
    with pytest.raises(DomainError) as err:
        voter_key(Unit.HOUSEHOLD, 7, None)
    assert err.value.code == "no_household"


def test_area_rules_need_households_with_areas():
    check_setup("majority_cast", Unit.PERSON, [])
    with pytest.raises(DomainError) as err:
        check_setup("civil_278_ordinary", Unit.PERSON, [(True, D(80))])
    assert err.value.code == "area_rule_needs_households"
    for roll in ([], [(True, D(80)), (True, None)], [(False, D(80))]):
        with pytest.raises(DomainError) as err:
            check_setup("civil_278_special", Unit.HOUSEHOLD, roll)
        assert err.value.code == "roll_incomplete"
    check_setup("civil_278_special", Unit.HOUSEHOLD, [(True, D(80)), (False, None)])


def test_only_owners_vote_under_article_278_and_only_by_name():
    check_may_vote("majority_cast", owner=False)
    with pytest.raises(DomainError) as err:
        check_may_vote("civil_278_ordinary", owner=False)
    assert err.value.code == "not_owner"
    check_counted_channel_allowed("two_thirds_cast")
    with pytest.raises(DomainError) as err:
        check_counted_channel_allowed("civil_278_ordinary")
    assert err.value.code == "named_votes_only"


def test_channels_conflict_only_when_different():
    assert conflict(Channel.PHONE, Channel.ENTERED)
    assert not conflict(Channel.PHONE, Channel.PHONE)


@pytest.mark.parametrize("raw", ["yes", "no", "abstain"])
def test_parse_choice(raw):
    assert parse_choice(raw).value == raw


@pytest.mark.parametrize("raw", ["YES", "maybe", "", None, 1, ["yes"]])
def test_parse_choice_refuses_anything_else(raw):
    with pytest.raises(DomainError) as err:
        parse_choice(raw)
    assert err.value.code == "invalid_choice"


def test_counts_and_channels_are_checked():
    assert parse_counted_channel("hands") is Channel.HANDS
    for bad in ("phone", "entered", "smoke"):
        with pytest.raises(DomainError):
            parse_counted_channel(bad)
    assert check_count(0, "yes") == 0
    for bad in (-1, 100001, "3", True, 1.5):
        with pytest.raises(DomainError) as err:
            check_count(bad, "yes")
        assert err.value.code == "invalid_count"


def test_only_an_open_poll_takes_ballots():
    require_open("open")
    with pytest.raises(DomainError) as err:
        require_open("closed")
    assert err.value.code == "poll_closed"


def test_a_windowed_poll_takes_votes_until_its_deadline_and_not_at_it():
    import datetime as dt
    from council.domain.errors import DomainError
    from council.domain.voting import PollStatus, is_due, require_open
    end = dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.timezone.utc)
    require_open(PollStatus.OPEN, end, end - dt.timedelta(microseconds=1))
    for late in (end, end + dt.timedelta(seconds=1)):
        with pytest.raises(DomainError) as err:
            require_open(PollStatus.OPEN, end, late)
        assert err.value.code == "poll_closed"
    assert is_due(PollStatus.OPEN, end, end) and not is_due(PollStatus.OPEN, None, end)
    assert not is_due(PollStatus.CLOSED, end, end + dt.timedelta(days=1))



def test_a_poll_opens_before_decide_only_with_a_window_lasting_to_the_meeting_and_never_after():
    import datetime as dt
    from council.domain.steps import Step
    utc = dt.timezone.utc
    starts = dt.datetime(2026, 12, 3, 11, 0, tzinfo=utc)
    voting.check_opening(Step.DECIDE, None, starts)
    voting.check_opening(Step.DECIDE, starts - dt.timedelta(hours=1), starts)  # in the room: any window
    voting.check_opening(Step.RAISE, starts, starts)
    voting.check_opening(Step.DISCUSS, starts + dt.timedelta(days=2), starts)
    for step in (Step.RAISE, Step.DISCUSS):
        with pytest.raises(DomainError) as err:
            voting.check_opening(step, None, starts)
        assert err.value.code == "window_required"
        with pytest.raises(DomainError) as err:
            voting.check_opening(step, starts - dt.timedelta(seconds=1), starts, "2026-12-03 19:00")
        assert err.value.code == "window_before_meeting" and err.value.params["starts"] == "2026-12-03 19:00"
    for step in (Step.DO, Step.EVALUATE, Step.CLOSED):
        with pytest.raises(DomainError) as err:
            voting.check_opening(step, starts, starts)
        assert err.value.code == "wrong_step"


def test_before_the_meeting_a_remote_vote_needs_a_door_on_the_roll():
    from council.domain.steps import Step
    person = voting.Unit.PERSON
    assert voting.remote_voter_key(person, 7, 3, Step.RAISE) == "p:7"
    assert voting.remote_voter_key(person, 7, None, Step.DECIDE) == "p:7"
    assert voting.remote_voter_key(person, 7, None, Step.DO) == "p:7"
    with pytest.raises(DomainError) as err:
        voting.remote_voter_key(person, 7, None, Step.DISCUSS)
    assert err.value.code == "no_household"
