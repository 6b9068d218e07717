"""The network side of a hand-off test, built with plain iproute2 and FRR rather than through the code under
test: FRR's zebra and bgpd started by hand in a lab's router namespace (own config, pid and socket directory,
run as the packaged ``frr`` user, which is in the ``frrvty`` group FRR requires), and a host namespace
behind the router."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

FRR = Path("/usr/lib/frr")
HOST_NET = ("198.51.100.1", "198.51.100.2", 24)  # TEST-NET-2 (RFC 5737): router side, host side


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, check=check)


@contextmanager
def frr_bgpd(namespace: str, config: str) -> Iterator[Path]:
    """zebra + bgpd with ``config`` in ``namespace``; stopped (by their pids) on exit."""
    if not (FRR / "bgpd").exists():
        pytest.skip("FRR is not installed (scripts/test installs Debian's frr)")
    work = Path(tempfile.mkdtemp(prefix="nbfrr-"))
    (work / "bgpd.conf").write_text(config)
    (work / "zebra.conf").write_text("")
    shutil.chown(work, "frr", "frr")
    for f in work.iterdir():
        shutil.chown(f, "frr", "frr")
    common = ["-z", str(work / "zserv.api"), "--vty_socket", str(work), "-u", "frr", "-g", "frr", "-d"]
    try:
        sh("ip", "netns", "exec", namespace, str(FRR / "zebra"), "-f", str(work / "zebra.conf"),
           "-i", str(work / "zebra.pid"), *common)
        _wait_for(work / "zserv.api")
        sh("ip", "netns", "exec", namespace, str(FRR / "bgpd"), "-f", str(work / "bgpd.conf"),
           "-i", str(work / "bgpd.pid"), *common)
        yield work
    finally:
        for name in ("bgpd.pid", "zebra.pid"):
            pidfile = work / name
            if pidfile.exists():
                with suppress(ProcessLookupError, ValueError):
                    os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        time.sleep(0.5)
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def bird(namespace: str, config: str) -> Iterator[Path]:
    """BIRD 2 with ``config`` in ``namespace`` (own control socket and pid file); stopped by its pid on exit."""
    work = Path(tempfile.mkdtemp(prefix="nbbird-"))
    (work / "bird.conf").write_text(config)
    try:
        sh("ip", "netns", "exec", namespace, "bird", "-c", str(work / "bird.conf"), "-s", str(work / "bird.ctl"),
           "-P", str(work / "bird.pid"))
        yield work
    finally:
        pidfile = work / "bird.pid"
        if pidfile.exists():
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pidfile.read_text().strip()), signal.SIGTERM)
        time.sleep(0.3)
        shutil.rmtree(work, ignore_errors=True)


def bird_established(work: Path, count: int, timeout: float = 30.0) -> list[str]:
    """The BGP protocols BIRD reports Established (polled until ``count`` are, or the timeout)."""
    deadline = time.monotonic() + timeout
    up: list[str] = []
    while time.monotonic() < deadline:
        out = sh("birdc", "-s", str(work / "bird.ctl"), "show", "protocols", check=False).stdout
        up = [line.split()[0] for line in out.splitlines() if " BGP " in line and "Established" in line]
        if len(up) >= count:
            break
        time.sleep(0.3)
    return up


def _wait_for(path: Path, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def established(work: Path, peers: set[str], timeout: float = 30.0) -> dict[str, int]:
    """Peer address -> prefixes received, for the sessions of ``peers`` that are Established (polled until all
    are, or the timeout), read from ``show bgp ipv4 unicast summary json``."""
    deadline = time.monotonic() + timeout
    up: dict[str, int] = {}
    while time.monotonic() < deadline:
        out = sh("vtysh", "--vty_socket", str(work), "-c", "show bgp ipv4 unicast summary json", check=False).stdout
        try:
            table = json.loads(out).get("peers", {})
        except ValueError:
            table = {}
        up = {ip: int(p.get("pfxRcd", 0)) for ip, p in table.items() if p.get("state") == "Established"}
        if peers <= set(up):
            break
        time.sleep(0.3)
    return up


@contextmanager
def host_behind(router_ns: str, name: str) -> Iterator[str]:
    """A namespace ``name`` on its own subnet behind the router, default route via the router."""
    rtr_ip, host_ip, plen = HOST_NET
    sh("ip", "netns", "add", name)
    try:
        sh("ip", "-n", router_ns, "link", "add", "hst", "type", "veth", "peer", "name", "eth0", "netns", name)
        sh("ip", "-n", router_ns, "addr", "add", f"{rtr_ip}/{plen}", "dev", "hst")
        sh("ip", "-n", router_ns, "link", "set", "hst", "up")
        sh("ip", "-n", name, "addr", "add", f"{host_ip}/{plen}", "dev", "eth0")
        sh("ip", "-n", name, "link", "set", "eth0", "up")
        sh("ip", "-n", name, "link", "set", "lo", "up")
        sh("ip", "-n", name, "route", "add", "default", "via", rtr_ip)
        yield name
    finally:
        sh("ip", "netns", "del", name, check=False)


def kernel_routes(namespace: str, proto: str) -> set[str]:
    out = sh("ip", "-4", "-n", namespace, "route", "show", "proto", proto).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def wait_routes(namespace: str, proto: str, want: set[str], timeout: float = 30.0) -> set[str]:
    """Until the router's kernel table holds every route of ``want`` with protocol ``proto``; what it holds."""
    deadline = time.monotonic() + timeout
    have: set[str] = set()
    while time.monotonic() < deadline:
        have = kernel_routes(namespace, proto)
        if want <= have:
            break
        time.sleep(0.3)
    return have
