"""Local ports for servers the tests start on 127.0.0.1."""

from __future__ import annotations

import socket


def bound_socket() -> socket.socket:
    """A socket already bound to a free port: hand it to the server, so no other process can take the port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def free_ports(count: int) -> list[int]:
    """Ports free right now, for a server started by another process (it binds them itself)."""
    sockets = [bound_socket() for _ in range(count)]
    try:
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]
