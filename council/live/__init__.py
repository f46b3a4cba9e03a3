"""Socket.IO adapter: authenticate the connection, validate, call one service, broadcast."""
from council.live.handlers import register

__all__ = ["register"]
