"""Throttles on logins, join-code guessing and joins: how many tries an account, an address, a
session or a device gets (the `*_limit_*` settings), counted in Flask-Limiter's storage.

The adapters ask here before the operation they guard; a refusal is a `DomainError`
(`rate_limited`, `login_locked`) answered like any other, with HTTP 429."""
from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Any, Mapping

from flask import Flask, current_app, request
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.strategies import RateLimiter
from sqlalchemy.orm import Session as Db

from council.config import THROTTLES
from council.domain import DomainError
from council.extensions import limiter
from council.models import Session
from council.services import accounts, participants

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Throttle:
    """One app's counter and limits. Flask-Limiter keeps only the storage of the app it was
    bound to last; each app keeps its own here, so two apps in one process (tests) never
    count into each other's storage."""
    counter: RateLimiter | None  # None: throttling switched off (RATELIMIT_ENABLED = False)
    limits: Mapping[str, tuple[RateLimitItem, ...]]


def init_app(app: Flask, conf: Mapping[str, Any], prefix: str) -> None:
    """Count in Redis when the message queue is configured, so that every server process of the
    deployment counts together, under keys starting with the deployment's own `prefix` (two
    deployments on one Redis never share a count); else in this process's memory."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", conf["message_queue"] or "memory://")
    # A storage that fails raises `StorageError`, which `_ask` lets through (below).
    options: dict[str, Any] = {"key_prefix": prefix, "wrap_exceptions": True}
    if app.extensions.get("council.redis") is not None:  # the process's one bounded pool (`app._redis`)
        options["connection_pool"] = app.extensions["council.redis"].connection_pool
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", options)
    limiter.init_app(app)
    enabled = app.config["RATELIMIT_ENABLED"]
    # Shortest window first: a burst refused by its 5-second limit is not also charged to the minute.
    limits = {key: tuple(sorted(parse_many(conf[key]), key=lambda item: item.get_expiry()))
              if enabled and conf[key].strip() else () for key in THROTTLES}
    app.extensions["council.throttle"] = Throttle(limiter.limiter if enabled else None, limits)


def address() -> str:
    """The address a request or connection comes from (behind a NAT: the room's one address)."""
    return request.remote_addr or "unknown"


# --- logins -------------------------------------------------------------------------------------

def check_login(name: str) -> None:
    """Refuse `login_locked` while the account or this address is locked, right password or not."""
    for key, who in (("login_limit_account", _account(name)), ("login_limit_address", address())):
        wait = _wait(key, who)
        if wait:
            raise DomainError("login_locked", minutes=_minutes(wait), retry_after=wait)


def login_failed(db: Db, name: str) -> DomainError | None:
    """Count a wrong password for the account and the address. When it was the last try of
    either, the lock starts: it is written to the audit trail and the log, and its error returned."""
    locked = None
    for key, scope, who in (("login_limit_account", "account", _account(name)),
                            ("login_limit_address", "address", address())):
        if _take(key, who) == 0 and locked is None:
            wait = _wait(key, who) or 60
            accounts.record_lockout(db, name, address(), scope, _minutes(wait))
            log.warning("login locked for %s minutes: account %r, address %s, by the %s limit",
                        _minutes(wait), name[:40], address(), scope)
            locked = DomainError("login_locked", minutes=_minutes(wait), retry_after=wait)
    return locked


def _account(name: str) -> str:
    # A digest: any text may be typed as a name, and keys stay short.
    return hashlib.sha256((name or "").strip().encode()).hexdigest()[:24]


# --- join codes and joins -----------------------------------------------------------------------

def session_by_code(db: Db, code: object, token: object = None) -> Session:
    """`participants.session_by_code`, counting each unknown code against the address. Past its
    limit every lookup from the address is refused `rate_limited`, a right code too, so that
    the answer tells a guesser nothing; only a device already in the session (its token) still
    gets through, so that one guesser on a room's Wi-Fi cannot keep the room's phones out."""
    wait = _wait("code_limit_address", address())
    try:
        session = participants.session_by_code(db, code)
    except DomainError as err:
        if wait:
            raise DomainError("rate_limited", retry_after=wait) from None
        if _take("code_limit_address", address()) == 0:
            log.warning("join codes: %s tried too many unknown codes; its lookups are refused", address())
        raise err
    if wait and participants.find_participant(db, session, token) is None:
        raise DomainError("rate_limited", retry_after=wait)
    return session


def check_join(db: Db, session: Session, token: object) -> None:
    """A new participant counts against its address's and its session's join limits; a device
    joining again (renaming itself) only against its own, so that newcomers never starve it."""
    participant = participants.find_participant(db, session, token)
    if participant is not None:
        charges = [("join_limit_device", f"{session.id}:{participant.id}")]
    else:
        charges = [("join_limit_address", address()), ("join_limit_session", str(session.id))]
    for key, who in charges:
        left = _take(key, who)
        if left == 0:
            log.warning("joins: %s used up by %s; further joins are refused for now", key, who)
        if left is None:
            raise DomainError("rate_limited", retry_after=_wait(key, who) or 1)


# --- counting -----------------------------------------------------------------------------------

def _take(key: str, who: str) -> int | None:
    """Count one try of `who` against every limit of the setting `key`: the tries left under
    the tightest limit after this one (0: this was the last), or None when a limit was already
    used up (the try is refused; the limits after that one do not count it)."""
    throttle: Throttle = current_app.extensions["council.throttle"]
    left = []
    for item in throttle.limits[key]:
        if not _ask(throttle.counter, "hit", True, item, key, who):
            return None
        stats = _ask(throttle.counter, "get_window_stats", None, item, key, who)
        left.append(stats.remaining if stats else 1)
    return min(left, default=1)


def _wait(key: str, who: str) -> int:
    """Seconds until `who` may try again under the setting `key`: 0 when it may now."""
    throttle: Throttle = current_app.extensions["council.throttle"]
    wait = 0
    for item in throttle.limits[key]:
        if not _ask(throttle.counter, "test", True, item, key, who):
            stats = _ask(throttle.counter, "get_window_stats", None, item, key, who)
            wait = max(wait, math.ceil(stats.reset_time - time.time()) if stats else 0, 1)
    return wait


def _ask(counter: RateLimiter | None, method: str, otherwise: Any, *args: Any) -> Any:
    """Ask the storage; when it cannot be reached (Redis down), let the request through and say
    so in the log: a meeting goes on without its throttles rather than stop."""
    try:
        return getattr(counter, method)(*args)
    except StorageError as err:
        log.error("throttle storage unreachable, not counting: %s", err)
        return otherwise


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
