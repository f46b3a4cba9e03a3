"""The addresses phones in the room can reach this laptop on."""
from __future__ import annotations

import ipaddress
import socket

import psutil


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine's network interfaces, private (room Wi-Fi) ones first."""
    found: list[ipaddress.IPv4Address] = []
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family == socket.AF_INET:
                ip = ipaddress.IPv4Address(a.address)
                if not ip.is_loopback and not ip.is_link_local:
                    found.append(ip)
    found.sort(key=lambda ip: (not ip.is_private, str(ip)))
    return [str(ip) for ip in found]


def public_url(host: str, port: int) -> str:
    """The base URL to put in the QR code."""
    if host not in ("0.0.0.0", "::", ""):
        return f"http://{host}:{port}"
    lan = lan_addresses()
    return f"http://{lan[0]}:{port}" if lan else f"http://127.0.0.1:{port}"
