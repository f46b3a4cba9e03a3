import pytest

from council.domain import DomainError
from council.domain.steps import ORDER, Step, next_step, previous_step, require_step


@pytest.mark.parametrize("current, expected", [
    (Step.RAISE, Step.DISCUSS), (Step.DISCUSS, Step.DECIDE), (Step.DECIDE, Step.DO),
    (Step.DO, Step.EVALUATE), (Step.EVALUATE, Step.CLOSED),
])
def test_every_legal_forward_move(current, expected):
    assert next_step(current) is expected


@pytest.mark.parametrize("current, expected", [
    (Step.DISCUSS, Step.RAISE), (Step.DECIDE, Step.DISCUSS), (Step.DO, Step.DECIDE),
    (Step.EVALUATE, Step.DO), (Step.CLOSED, Step.EVALUATE),
])
def test_every_legal_backward_move(current, expected):
    assert previous_step(current) is expected


def test_closed_session_goes_nowhere_forward():
    with pytest.raises(DomainError) as err:
        next_step(Step.CLOSED)
    assert err.value.code == "session_closed"


def test_raise_has_no_step_before_it():
    with pytest.raises(DomainError) as err:
        previous_step(Step.RAISE)
    assert err.value.code == "no_previous_step"


@pytest.mark.parametrize("move", [next_step, previous_step])
def test_decide_cannot_be_left_with_a_poll_open(move):
    with pytest.raises(DomainError) as err:
        move(Step.DECIDE, open_polls=1)
    assert err.value.code == "poll_still_open"
    assert err.value.params == {"count": 1}


def test_open_polls_only_hold_the_decide_step():
    assert next_step(Step.DO, open_polls=2) is Step.EVALUATE


def test_the_five_steps_in_order():
    assert [s.value for s in ORDER] == ["raise", "discuss", "decide", "do", "evaluate", "closed"]


@pytest.mark.parametrize("step", list(Step))
def test_require_step_accepts_only_the_listed_steps(step):
    if step is Step.RAISE:
        require_step(step, Step.RAISE)
    else:
        with pytest.raises(DomainError) as err:
            require_step(step, Step.RAISE)
        assert err.value.code == "wrong_step"
        assert err.value.params["allowed"] == ["raise"]
