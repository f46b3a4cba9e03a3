"""Courtyard Council (小院议事厅): live residents' deliberation meetings.

Importing the package loads nothing heavy, so that `council serve` can let gevent patch the
standard library before Flask, Socket.IO or a database driver is imported.
"""
from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from council.app import create_app
        return create_app
    raise AttributeError(name)
