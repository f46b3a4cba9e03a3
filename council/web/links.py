"""Addresses that leave the laptop: what phones scan must reach it over the room's Wi-Fi."""
from flask import current_app, request


def base_url() -> str:
    configured = current_app.config["COUNCIL"].get("public_url")
    return (configured or request.host_url).rstrip("/")


def join_url(code: str) -> str:
    return f"{base_url()}/join/{code}"
