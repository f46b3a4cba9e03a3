"""Event budgets: no single connection can flood a meeting.

Every Socket.IO event takes its cost (`Event.cost`; a whole state costs `STATE_COST`) from the
sender's budgets before anything else is done: the connection's own and, for a phone, its
participant's, which all of that participant's connections share (a phone opening ten sockets
gets no more). A budget is the `*_event_limit` setting read as a token bucket
(`council.domain.budget`): "30 per 10 seconds" lets a burst of 30 through, then 3 a second.
Past it the event is answered `rate_limited` with the seconds to wait, and nothing is done:
a refusal costs the server a few arithmetic operations, not a database transaction.

The connection's bucket lives in the connection's own Socket.IO session: a connection lives in
one process, and its bucket goes with it. The participant's lives in this app's memory with one
server process; with a message queue (several processes) it is a moving window in Redis
(the `limits` library, where the HTTP throttles count), so that a participant's connections to
several processes share it. (A memory store of `limits` walks every key a hundred times a
second to expire them: with a room of phones that cost more CPU than the votes.)
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

from flask import Flask, current_app
from flask import session as socket_session
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.strategies import MovingWindowRateLimiter

from council.domain import DomainError
from council.domain.budget import Allowance, take

STATE_COST = 5  # a whole state: the most expensive thing a connection can ask for
LIMITS = {"phone": "phone_event_limit", "console": "screen_event_limit", "projector": "screen_event_limit",
          "inbox": "screen_event_limit"}
KEPT_PARTICIPANTS = 20000  # buckets kept in memory before the full ones are dropped (a full one is a new one)


@dataclass
class Budgets:
    allowances: Mapping[str, tuple[Allowance, ...]]
    windows: Mapping[str, tuple[RateLimitItem, ...]]
    shared: MovingWindowRateLimiter | None  # Redis, with a message queue; else None
    participants: dict[tuple[str, int], list[list[float | None]]] = field(default_factory=dict)


def init_app(app: Flask, conf: Mapping[str, Any]) -> None:
    enabled = app.config.get("RATELIMIT_ENABLED", True)
    windows = {role: tuple(parse_many(conf[key])) if enabled and conf[key].strip() else ()
               for role, key in LIMITS.items()}
    throttle = app.extensions.get("council.throttle")
    counter = getattr(throttle, "counter", None)
    shared = MovingWindowRateLimiter(counter.storage) if conf["message_queue"] and counter is not None else None
    app.extensions["council.budgets"] = Budgets(
        allowances={role: tuple(Allowance.of(item.amount, item.get_expiry()) for item in items)
                    for role, items in windows.items()},
        windows=windows, shared=shared)


def charge(cost: int) -> None:
    """Take `cost` from the budgets of the connection sending the current event (and of its
    participant), or refuse the event `rate_limited`. A connection that never authenticated
    has no budget to take from: the event handler refuses it anyway."""
    identity = socket_session.get("connection")
    if not identity:
        return
    budgets: Budgets = current_app.extensions["council.budgets"]
    allowances = budgets.allowances[identity["role"]]
    if not allowances:
        return
    buckets = socket_session.get("budget") or [[None, None] for _ in allowances]
    _take_all(allowances, buckets, cost)
    socket_session["budget"] = buckets
    if identity["role"] == "phone" and identity.get("actor"):
        _charge_participant(budgets, "events", identity["actor"][1], cost)


def charge_participant(participant_id: int, cost: int) -> None:
    """A phone connecting takes a whole state from its participant's budget of connects (a
    bucket of its own, so that connecting never eats into what the phone may then do): a
    phone that reconnects in a loop is refused like one that floods events."""
    budgets: Budgets = current_app.extensions["council.budgets"]
    if budgets.allowances["phone"]:
        _charge_participant(budgets, "connects", participant_id, cost)


def _charge_participant(budgets: Budgets, what: str, participant_id: int, cost: int) -> None:
    if budgets.shared is not None:
        for item in budgets.windows["phone"]:
            who = (what, "participant", str(participant_id))
            try:
                if budgets.shared.hit(item, *who, cost=cost):
                    continue
                stats = budgets.shared.get_window_stats(item, *who)
            except StorageError:  # Redis unreachable: the meeting goes on without this budget
                current_app.logger.error("event budget storage unreachable; not counting")
                continue
            raise DomainError("rate_limited", retry_after=max(1, math.ceil(stats.reset_time - time.time())))
        return
    allowances = budgets.allowances["phone"]
    key = (what, participant_id)
    if key not in budgets.participants and len(budgets.participants) >= KEPT_PARTICIPANTS:
        _forget_full(budgets, allowances)
    buckets = budgets.participants.setdefault(key, [[None, None] for _ in allowances])
    _take_all(allowances, buckets, cost)


def _take_all(allowances: tuple[Allowance, ...], buckets: list[list[float | None]], cost: int) -> None:
    """Take `cost` from every bucket, or from none and refuse."""
    now = time.monotonic()
    results = [take(a, b[0], b[1], cost, now) for a, b in zip(allowances, buckets)]
    wait = max(r[3] for r in results)
    if wait:
        raise DomainError("rate_limited", retry_after=wait)
    for bucket, (_ok, tokens, at, _wait) in zip(buckets, results):
        bucket[0], bucket[1] = tokens, at


def _forget_full(budgets: Budgets, allowances: tuple[Allowance, ...]) -> None:
    now = time.monotonic()
    full = [key for key, buckets in budgets.participants.items()
            if all(take(a, b[0], b[1], a.capacity, now)[0] for a, b in zip(allowances, buckets))]
    for key in full:
        del budgets.participants[key]
