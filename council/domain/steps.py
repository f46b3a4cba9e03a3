"""The five steps of a session (五民工作法) and the legal moves between them."""
from __future__ import annotations

from enum import StrEnum

from council.domain.errors import DomainError


class Step(StrEnum):
    RAISE = "raise"  # 民事民提
    DISCUSS = "discuss"  # 民事民议
    DECIDE = "decide"  # 民事民决
    DO = "do"  # 民事民办
    EVALUATE = "evaluate"  # 民事民评
    CLOSED = "closed"


ORDER: tuple[Step, ...] = tuple(Step)


def next_step(current: Step, *, open_polls: int = 0) -> Step:
    """The step after `current`; a session cannot leave decide with a poll still open. Count
    only the polls without a voting window: a windowed poll stays open after the meeting and
    closes by itself at its deadline, its decision following then."""
    if current is Step.CLOSED:
        raise DomainError("session_closed")
    if current is Step.DECIDE and open_polls:
        raise DomainError("poll_still_open", count=open_polls)
    return ORDER[ORDER.index(current) + 1]


def previous_step(current: Step, *, open_polls: int = 0) -> Step:
    """The step before `current`, for a facilitator who needs to go back."""
    if current is Step.RAISE:
        raise DomainError("no_previous_step")
    if current is Step.DECIDE and open_polls:
        raise DomainError("poll_still_open", count=open_polls)
    return ORDER[ORDER.index(current) - 1]


def require_step(current: Step, *allowed: Step) -> None:
    """Refuse an operation that belongs to another step."""
    if current not in allowed:
        raise DomainError("wrong_step", step=current.value, allowed=[s.value for s in allowed])
