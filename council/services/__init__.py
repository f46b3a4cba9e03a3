"""One function per operation: load, decide via the domain, commit, return what changed.

Only services commit. Each returns an `Outcome` naming the parts of the session's state
that changed; the live adapter broadcasts those parts after the commit.
"""
from council.services.common import Actor, Outcome

__all__ = ["Actor", "Outcome"]
