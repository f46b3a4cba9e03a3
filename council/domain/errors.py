"""Errors a meeting rule raises when a move is not allowed."""


class DomainError(Exception):
    """An illegal move; `code` is stable for clients, `params` fill the message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"
