"""Addresses that leave the laptop: what phones scan must reach it over the room's Wi-Fi."""
from __future__ import annotations

from flask import current_app, has_request_context, request


def base_url() -> str:
    """The configured public URL, else the address this request came to, else the LAN address."""
    conf = current_app.config["COUNCIL"]
    if conf.get("public_url"):
        return conf["public_url"].rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    from council.netinfo import public_url
    return public_url(conf["host"], conf["port"])


def join_url(code: str) -> str:
    """Where a phone joins a session."""
    return f"{base_url()}/join/{code}"


def inbox_path(council_id: int) -> str:
    """A council's permanent issue inbox, where residents raise an issue any day (its QR code is
    printed on the notice-board copy, the convention and the meeting notice)."""
    return f"/council/{council_id}/issues"


def remote_path(code: str, poll_id: int | None = None) -> str:
    """Where a resident votes from afar in a session's windowed polls (one poll's card with its id)."""
    return f"/join/{code}/remote" + (f"#poll-{poll_id}" if poll_id else "")


def session_record_path(session_id: int) -> str:
    """The public record of a meeting, which its minutes and notice point to."""
    return f"/record/session/{session_id}"


def convention_record_path(council_id: int, version: int | None = None) -> str:
    """The public record of one version of a convention (the latest without a version)."""
    return f"/record/convention/{council_id}" + (f"?v={version}" if version else "")


def record_url(path: str) -> str:
    """A record path as the full address a QR code carries."""
    return base_url() + path
