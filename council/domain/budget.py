"""A token bucket: how much a sender may do now, refilled at a steady rate.

Plain numbers in and out, so that the caller keeps the bucket wherever it lives (a connection's
own session, a shared store) and the clock is the caller's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Allowance:
    """A bucket's shape: `capacity` tokens at most, refilled at `per_second`."""
    capacity: float
    per_second: float

    @classmethod
    def of(cls, amount: int, seconds: float) -> Allowance:
        """"30 per 10 seconds": a burst of 30, then 3 a second."""
        return cls(float(amount), amount / seconds)


def take(allowance: Allowance, tokens: float | None, at: float | None, cost: float,
         now: float) -> tuple[bool, float, float, int]:
    """Take `cost` from a bucket that held `tokens` at time `at` (None: a new, full bucket).
    Returns whether it was taken, the tokens left, the time they were counted, and the whole
    seconds to wait before `cost` could be taken (0 when taken). A refusal takes nothing."""
    if tokens is None or at is None:
        level = allowance.capacity
    else:
        level = min(allowance.capacity, tokens + max(0.0, now - at) * allowance.per_second)
    if cost <= level:
        return True, level - cost, now, 0
    wait = math.ceil((min(cost, allowance.capacity) - level) / allowance.per_second) if allowance.per_second else 0
    return False, level, now, max(1, wait)
