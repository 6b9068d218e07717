"""Whether a network interface exists in this network namespace (read-only)."""

from __future__ import annotations

import socket


def interface_exists(name: str) -> bool:
    """True when ``name`` is an interface of the current network namespace."""
    try:
        socket.if_nametoindex(name)
    except (OSError, ValueError):
        return False
    return True
