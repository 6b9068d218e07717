"""Asking the kernel: send real packets from a namespace and read what every namespace counted.

Everything runs in one short-lived worker thread that enters namespaces with ``setns(2)`` (which
changes only the calling thread), so the test process itself never leaves its namespace. Counters
come from ``/proc/thread-self/net/{dev,snmp,netstat}``, which answer for the thread's namespace.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

CLONE_NEWNET = 0x40000000
IP_MTU_DISCOVER, IP_PMTUDISC_DONT, IP_PMTUDISC_PROBE = 10, 0, 3
T = TypeVar("T")
_libc = ctypes.CDLL(None, use_errno=True)

Counters = dict[str, dict[str, int]]  # namespace -> {"dev:eth0:rx": n, "Udp:NoPorts": n, ...}


def _setns(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err), path)
    finally:
        os.close(fd)


def in_thread(fn: Callable[[], T]) -> T:
    """Run ``fn`` in a fresh thread (free to setns) and return its result or raise its error."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller
            box["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


def enter(name: str) -> None:
    """Move the calling thread into named namespace ``name``."""
    _setns(f"/run/netns/{name}")


def _read(path: str) -> str:
    with open(path, encoding="ascii") as fh:
        return fh.read()


def _pairs(text: str, out: dict[str, int]) -> None:
    lines = text.splitlines()
    for head, vals in zip(lines[::2], lines[1::2], strict=False):
        prefix, _, keys = head.partition(":")
        for k, v in zip(keys.split(), vals.partition(":")[2].split(), strict=False):
            out[f"{prefix}:{k}"] = int(v)


def read_counters() -> dict[str, int]:
    """Per-device packet counters and the IP/UDP/ICMP statistics of the current thread's namespace."""
    out: dict[str, int] = {}
    for line in _read("/proc/thread-self/net/dev").splitlines()[2:]:
        name, _, rest = line.partition(":")
        cols = rest.split()
        out[f"dev:{name.strip()}:rx"] = int(cols[1])
        out[f"dev:{name.strip()}:tx"] = int(cols[9])
    _pairs(_read("/proc/thread-self/net/snmp"), out)
    _pairs(_read("/proc/thread-self/net/netstat"), out)
    return out


def snapshot_counters(namespaces: Sequence[str]) -> Counters:
    """Counters of every namespace (call inside :func:`in_thread`)."""
    result = {}
    for name in namespaces:
        enter(name)
        result[name] = read_counters()
    return result


def _devices(counters: Counters) -> dict[str, dict[str, int]]:
    return {ns: {k: v for k, v in c.items() if k.startswith("dev:")} for ns, c in counters.items()}


def quiet_counters(namespaces: Sequence[str], step: float = 0.02, tries: int = 1500) -> Counters:
    """Counters once no device has moved for ``step`` seconds: packets of an earlier probe (queued behind an
    ARP request, ICMP errors on their way back) must not be counted for the next one."""
    before = snapshot_counters(namespaces)
    for _ in range(tries):
        time.sleep(step)
        again = snapshot_counters(namespaces)
        if _devices(again) == _devices(before):
            return again
        before = again
    return before


def _incomplete(namespace: str) -> bool:
    out = subprocess.run(["ip", "-n", namespace, "-j", "neigh", "show", "nud", "incomplete"], capture_output=True,
                         text=True, check=False).stdout.strip()
    return out not in ("", "[]")


def give_up_neighbours(namespaces: Sequence[str]) -> bool:
    """Make the kernel give up unanswered ARP requests in ``namespaces`` now rather than after its three tries
    (about 3 s): deleting an incomplete entry invalidates it, which reports the queued packets as unreachable
    at once (``neigh_invalidate``), exactly as the timeout would. True if there were any."""
    pending = [ns for ns in namespaces if _incomplete(ns)]
    for ns in pending:
        subprocess.run(["ip", "-n", ns, "neigh", "flush", "nud", "incomplete"], capture_output=True, check=False)
    return bool(pending)


@dataclass
class Observation:
    """What the kernel did with a probe: the sender's error, and per-namespace counter changes."""

    errno: str | None
    sent: int
    deltas: Counters = field(default_factory=dict)

    def crossed(self, threshold: int) -> set[tuple[str, str]]:
        """``(namespace, device)`` whose receive or transmit count grew by at least ``threshold``."""
        out = set()
        for ns, d in self.deltas.items():
            for key, value in d.items():
                if key.startswith("dev:") and value >= threshold:
                    out.add((ns, key.split(":")[1]))
        return out

    def counted(self, key: str, threshold: int) -> list[str]:
        """Namespaces where counter ``key`` grew by at least ``threshold``."""
        return sorted(ns for ns, d in self.deltas.items() if d.get(key, 0) >= threshold)


def conntrack_replies(namespace: str, proto: str, sport: int) -> set[tuple[str, str]]:
    """The reply direction's ``(src, dst)`` of every connection conntrack in ``namespace`` tracks from source
    port ``sport``: where a translated packet really went, and from what address."""
    out = subprocess.run(["ip", "netns", "exec", namespace, "conntrack", "-L", "-p", proto, "--sport", str(sport)],
                         capture_output=True, text=True, check=False).stdout
    found = set()
    for line in out.splitlines():
        fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv and kv.split("=", 1)[0] in
                      ("src", "dst"))  # the last src/dst pair is the reply direction
        if fields:
            found.add((fields["src"], fields["dst"]))
    return found


def probe(namespaces: Sequence[str], src_ns: str, dst: str, *, size: int, df: bool, count: int, port: int,
          settle: float = 0.05, bind_addr: str | None = None, bind_dev: str | None = None,
          sport: int = 0) -> Observation:
    """Send ``count`` UDP datagrams of ``size`` IP bytes from ``src_ns`` to ``dst:port`` (no listener: the
    destination counts them as NoPorts) and return the counter changes in every namespace.

    DF is set with ``IP_PMTUDISC_PROBE``: DF on the wire, but every datagram is sized by the device MTU,
    not by a path MTU learnt from an earlier one, so all ``count`` packets are the model's one packet.
    ``bind_addr`` sends from that source address (the host that owns it, unbound to any device), ``bind_dev``
    from a socket bound to that device (``SO_BINDTODEVICE``, as ``ping -I``), ``sport`` from that port."""

    def work() -> Observation:
        before = quiet_counters(namespaces)
        enter(src_ns)
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        first_err: str | None = None
        sent = 0
        try:
            sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE if df else IP_PMTUDISC_DONT)
            if bind_dev:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, bind_dev.encode())
            if bind_addr or sport:
                sock.bind((bind_addr or "0.0.0.0", sport))
            payload = b"\x00" * max(0, size - 28)
            for _ in range(count):
                try:
                    sock.sendto(payload, (dst, port))
                    sent += 1
                except OSError as exc:
                    first_err = first_err or errno.errorcode.get(exc.errno or 0, str(exc.errno))
        finally:
            sock.close()
        time.sleep(settle)
        after = quiet_counters(namespaces)  # not a fixed wait: a loaded machine forwards late
        # The sender's own namespace too: ARP requests a tunnel device drops move no counter, yet packets wait.
        moved = [ns for ns in namespaces if ns == src_ns or _devices({ns: after[ns]}) != _devices({ns: before[ns]})]
        if give_up_neighbours(moved):
            time.sleep(settle)
            after = quiet_counters(namespaces)
        deltas = {ns: {k: v - before[ns].get(k, 0) for k, v in after[ns].items() if v != before[ns].get(k, 0)}
                  for ns in namespaces}
        return Observation(first_err, sent, deltas)

    return in_thread(work)
