"""Addresses that leave the laptop: what phones scan must reach it over the room's Wi-Fi."""
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
    return f"{base_url()}/join/{code}"
