"""The rules of a meeting: plain Python, no Flask, no SQLAlchemy."""
from council.domain.errors import DomainError

__all__ = ["DomainError"]
