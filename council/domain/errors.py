"""Errors a meeting rule raises when a move is not allowed."""
from enum import Enum
from typing import TypeVar


class DomainError(Exception):
    """An illegal move; `code` is stable for clients, `params` fill the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"


E = TypeVar("E", bound=Enum)


def parse_enum(kind: type[E], value: object, code: str) -> E:
    """A member of `kind` from a client's value, or the domain error `code`."""
    try:
        return kind(value)
    except ValueError:
        raise DomainError(code) from None
