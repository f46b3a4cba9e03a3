"""What a client event is: who may send it, what its payload holds, which service it calls.

Kept below the Socket.IO adapter (`council.live.events` gathers the table) so that a format
package can declare its own events without importing the adapter.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.orm import Session as Db

from council.domain import DomainError
from council.services.common import Outcome

CONSOLE, PHONE = frozenset({"console"}), frozenset({"phone"})
TEXT_COST = 3  # the budget an event takes that puts participant text on the screens


@dataclass(frozen=True)
class Field:
    kind: type
    required: bool = True


@dataclass(frozen=True)
class Event:
    roles: frozenset[str]
    fields: dict[str, Field]
    call: Callable[[Db, Any, dict[str, Any]], Outcome]
    # A phone's answer carries its whole `me` only where the change reaches beyond the
    # reply itself (a raised topic is also supported); a vote's answer names the ballot.
    reply_me: bool = False
    # What the event takes from its sender's budget (`council.live.budget`): text put on the
    # wall for everyone costs more than a tap.
    cost: int = 1
    # The call commits and publishes by itself, together with others (a vote through the
    # process's ballot box): the adapter must not publish its outcome again.
    published: bool = False


def validate(fields: dict[str, Field], payload: object) -> dict[str, Any]:
    """The payload as keyword arguments, or `invalid_field` for anything malformed."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict):
        raise DomainError("invalid_field", field="payload")
    for key in payload:
        if key not in fields:
            raise DomainError("invalid_field", field=str(key)[:40])
    args = {}
    for key, spec in fields.items():
        if key not in payload:
            if spec.required:
                raise DomainError("invalid_field", field=key)
            continue
        value = payload[key]
        if isinstance(value, bool) and spec.kind is not bool or not isinstance(value, spec.kind):
            raise DomainError("invalid_field", field=key)
        args[key] = value
    return args


def arg(kind: type, required: bool = True) -> Field:
    """A payload field of this type, required unless said otherwise."""
    return Field(kind, required)
