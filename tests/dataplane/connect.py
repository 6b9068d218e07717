"""Asking the kernel about a whole connection: real TCP listeners in namespaces, a real ``connect()`` from another.

A connect that completes proves the reply (the SYN-ACK) came back to the client as the answer it waits for: from
the address and port it sent to. A reply that arrives from another address (a NAT that was not reversed on the way
back) is answered with a reset by the client's kernel, and the connect times out, as it does when the reply is
dropped on the way. The listeners never ``accept()`` on their own: :func:`drain` empties their queues after each
probe, so they never fill.
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from tests.dataplane.kernel import enter, in_thread

TIMEOUT = 1.5  # the SYN is retransmitted after 1 s: a reply lost once is lost for good on the lab's paths


class Listeners:
    """Open TCP listeners, one per namespace."""

    def __init__(self) -> None:
        self.socks: list[socket.socket] = []

    def drain(self) -> None:
        """Accept and close every completed connection waiting in a queue."""
        for s in self.socks:
            while True:
                try:
                    conn, _ = s.accept()
                except (BlockingIOError, InterruptedError):
                    break
                conn.close()


@contextmanager
def listeners(namespaces: Sequence[str], port: int) -> Iterator[Listeners]:
    """A TCP listener on ``0.0.0.0:port`` in each of ``namespaces`` for the duration of the block."""
    held = Listeners()

    def open_all() -> None:
        for ns in namespaces:
            enter(ns)
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("0.0.0.0", port))
            s.listen(256)
            s.setblocking(False)
            held.socks.append(s)

    try:
        in_thread(open_all)
        yield held
    finally:
        for s in held.socks:
            s.close()


def tcp_connect(src_ns: str, dst: str, port: int, *, sport: int, bind_addr: str | None = None) -> str | None:
    """Connect from ``src_ns`` (from ``bind_addr`` when given) and source port ``sport``: None when the connection
    completes, else the error (``ETIMEDOUT`` when no usable reply came back)."""

    def work() -> str | None:
        enter(src_ns)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((bind_addr or "0.0.0.0", sport))
            s.connect((dst, port))
            return None
        except TimeoutError:
            return "ETIMEDOUT"
        except OSError as exc:
            return errno.errorcode.get(exc.errno or 0, str(exc))
        finally:
            s.close()

    return in_thread(work)
