"""Addresses that leave the laptop; they are built in `council.links`, shared with documents."""
from council.links import base_url, join_url

__all__ = ["base_url", "join_url"]


def local_path(target: str, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: a redirect never leaves the site
    ("//host" is another site too)."""
    return target if target.startswith("/") and not target.startswith("//") else fallback
