"""The token bucket behind every connection's event budget."""
from council.domain.budget import Allowance, take

THIRTY_PER_TEN = Allowance.of(30, 10)


def test_a_new_bucket_is_full_and_a_burst_drains_it():
    tokens, at = None, None
    taken = 0
    for _ in range(40):
        ok, tokens, at, wait = take(THIRTY_PER_TEN, tokens, at, 1, now=100.0)
        taken += ok
    assert taken == 30 and tokens == 0


def test_it_refills_at_its_rate_and_never_past_its_capacity():
    ok, tokens, at, _ = take(THIRTY_PER_TEN, 0.0, 100.0, 3, now=101.0)  # one second: 3 back
    assert ok and tokens == 0
    ok, tokens, at, _ = take(THIRTY_PER_TEN, 0.0, 100.0, 1, now=1000.0)
    assert ok and tokens == 29  # a long quiet spell fills it to 30, not more


def test_a_refusal_takes_nothing_and_says_how_long_to_wait():
    ok, tokens, at, wait = take(THIRTY_PER_TEN, 1.0, 100.0, 5, now=100.0)
    assert not ok and tokens == 1.0 and wait == 2  # 4 more tokens at 3 a second: 2 whole seconds
    ok, *_ = take(THIRTY_PER_TEN, 1.0, 100.0, 5, now=102.0)
    assert ok


def test_a_cost_larger_than_the_bucket_waits_for_a_full_one():
    ok, _, _, wait = take(Allowance.of(3, 10), 0.0, 0.0, 5, now=0.0)
    assert not ok and wait == 10
