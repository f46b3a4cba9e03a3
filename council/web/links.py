"""Addresses that leave the laptop; they are built in `council.links`, shared with documents."""
from council.links import base_url, join_url

__all__ = ["base_url", "join_url"]
