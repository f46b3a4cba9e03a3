"""Event budgets: no single connection can flood a meeting.

Every Socket.IO event takes its cost (`Event.cost`; a whole state costs `STATE_COST`) from the
sender's budgets before anything else is done: the connection's own and, for a phone, its
participant's, which all of that participant's connections share (a phone opening ten sockets
gets no more). A budget is the `*_event_limit` setting read as a moving window of the `limits`
library: "30 per 10 seconds" lets a burst of 30 through, then what the last 10 seconds leave.
Past it the event is answered `rate_limited` with the seconds to wait, and nothing is done:
a refusal costs the server a counter lookup, not a database transaction.

The connection's window lives in this process's memory: a connection lives in one process.
The participant's lives where the HTTP throttles count (`council.throttle`): Redis when the
message queue is configured, so a participant's connections to several processes share it.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Mapping

from flask import Flask, current_app, request
from flask import session as socket_session
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from council.domain import DomainError

STATE_COST = 5  # a whole state: the most expensive thing a connection can ask for
LIMITS = {"phone": "phone_event_limit", "console": "screen_event_limit", "projector": "screen_event_limit"}


@dataclass(frozen=True)
class Budgets:
    per_connection: MovingWindowRateLimiter
    per_participant: MovingWindowRateLimiter | None  # None: no shared storage (throttles off)
    limits: Mapping[str, tuple[RateLimitItem, ...]]


def init_app(app: Flask, conf: Mapping[str, Any]) -> None:
    throttle = app.extensions.get("council.throttle")
    shared = getattr(throttle, "counter", None)
    enabled = app.config.get("RATELIMIT_ENABLED", True)
    app.extensions["council.budgets"] = Budgets(
        per_connection=MovingWindowRateLimiter(MemoryStorage()),
        per_participant=MovingWindowRateLimiter(shared.storage) if shared is not None else None,
        limits={role: tuple(parse_many(conf[key])) if enabled and conf[key].strip() else ()
                for role, key in LIMITS.items()})


def charge(cost: int) -> None:
    """Take `cost` from the budgets of the connection sending the current event (and of its
    participant), or refuse the event `rate_limited`. A connection that never authenticated
    has no budget to take from: the event handler refuses it anyway."""
    identity = socket_session.get("connection")
    if not identity:
        return
    budgets: Budgets = current_app.extensions["council.budgets"]
    items = budgets.limits[identity["role"]]
    if not items:
        return
    takers: list[tuple[MovingWindowRateLimiter, tuple[str, ...]]] = [
        (budgets.per_connection, ("events", "connection", request.sid))]  # type: ignore[attr-defined]
    if identity["role"] == "phone" and identity.get("actor") and budgets.per_participant is not None:
        takers.append((budgets.per_participant, ("events", "participant", str(identity["actor"][1]))))
    charge_all(takers, items, cost)


def charge_participant(participant_id: int, cost: int) -> None:
    """A phone connecting takes a whole state from its participant's budget of connects (a
    window of its own, so that connecting never eats into what the phone may then do): a
    phone that reconnects in a loop is refused like one that floods events."""
    budgets: Budgets = current_app.extensions["council.budgets"]
    if budgets.per_participant is not None and budgets.limits["phone"]:
        charge_all([(budgets.per_participant, ("connects", "participant", str(participant_id)))],
                   budgets.limits["phone"], cost)


def charge_all(takers: list[tuple[MovingWindowRateLimiter, tuple[str, ...]]], items: tuple[RateLimitItem, ...],
               cost: int) -> None:
    for counter, who in takers:
        for item in items:
            try:
                if counter.hit(item, *who, cost=cost):
                    continue
                stats = counter.get_window_stats(item, *who)
            except StorageError:  # Redis unreachable: the meeting goes on without this budget
                current_app.logger.error("event budget storage unreachable; not counting")
                continue
            raise DomainError("rate_limited", retry_after=max(1, math.ceil(stats.reset_time - time.time())))
