"""Pre-moderation: what residents write waits for the facilitator's OK before anyone sees it.

A session may hold new topics and café ideas from phones until the facilitator approves
them (off by default). The facilitator's own entries are approved at once. Approving
publishes an item like a newly raised one; rejecting keeps it from every screen for good.
"""
from __future__ import annotations

from enum import StrEnum

from council.domain.errors import DomainError


class Review(StrEnum):
    PENDING = "pending"  # waiting for the facilitator: only the console and its author see it
    APPROVED = "approved"  # on the wall (the state of every item when pre-moderation is off)
    REJECTED = "rejected"  # never shown; its author is told


def initial(premoderated: bool, by_facilitator: bool) -> Review:
    """A new item waits when the session is pre-moderated and a resident wrote it."""
    return Review.PENDING if premoderated and not by_facilitator else Review.APPROVED


def decide(current: Review | str, approve: bool) -> Review:
    """Approve or reject a waiting item; a decided one stays as it was decided."""
    if Review(current) is not Review.PENDING:
        raise DomainError("not_pending")
    return Review.APPROVED if approve else Review.REJECTED
