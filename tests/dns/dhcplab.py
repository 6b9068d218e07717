"""Real DHCP servers at the other end of a veth, for the probe tests.

Two network namespaces joined by a veth: the server side (``<name>-s``, 10.98.<n>.1/24) and the
client side (``<name>-c``, device ``eth0``). Servers: dnsmasq (Debian ``dnsmasq-base``) and ISC
dhcpd, run from its extracted Debian package (``isc-dhcp-server``, never installed on the host),
because it is the server here that splits a long option into RFC 3396 instances (dnsmasq refuses
options over 255 bytes). Everything is torn down when the context ends, also after a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]
DEB_CACHE = Path(os.environ.get("NETBLAME_DEB_CACHE", "/var/cache/netblame-tests/debs"))


def need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root: builds network namespaces and runs DHCP servers")


def need_binary(path: str) -> str:
    found = shutil.which(path) or (path if Path(path).is_file() else None)
    if found is None:
        pytest.skip(f"{path} is not installed (scripts/test installs it)")
    return found


def extracted_deb(package: str, binary: str) -> Path:
    """``binary`` from ``package`` as scripts/test unpacks it (``apt-get download`` + ``dpkg -x``)."""
    path = DEB_CACHE / package / binary
    if not path.exists():
        pytest.skip(f"{package} is not unpacked in {DEB_CACHE} (scripts/test downloads and unpacks it)")
    return path


def run(*cmd: str, check: bool = True, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), check=check, capture_output=True, text=True, **kw)


@dataclass
class Link:
    """The two namespaces, the server processes and a scratch directory."""

    name: str
    net: int
    tmp: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def srv(self) -> str:
        return f"{self.name}-s"

    @property
    def cli(self) -> str:
        return f"{self.name}-c"

    @property
    def srv_if(self) -> str:
        """The server end of the veth; created inside the server namespace, so the name is local to it."""
        return "dhcp-srv"

    def ip(self, host: int) -> str:
        return f"10.98.{self.net}.{host}"

    def _spawn(self, cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
        with log.open("wb") as out:
            proc = subprocess.Popen(["ip", "netns", "exec", self.srv, *cmd], stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def wait_for(self, log: Path, text: str, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while text not in log.read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not get ready ({text!r}):\n{log.read_text(errors='replace')}")
            time.sleep(0.05)

    def dnsmasq(self, *options: str) -> Path:
        """Start dnsmasq as a DHCP-only server on the veth (dnsmasq(8): -p 0 turns DNS off); returns its log."""
        log = self.tmp / "dnsmasq.log"
        proc = self._spawn([need_binary("dnsmasq"), "--no-daemon", "--conf-file=/dev/null", "--port=0",
                            f"--interface={self.srv_if}", "--bind-interfaces",
                            f"--dhcp-range={self.ip(50)},{self.ip(60)},1h",
                            f"--dhcp-leasefile={self.tmp / 'dnsmasq.leases'}", "--log-dhcp",
                            "--log-facility=-", *options], log)
        self.wait_for(log, "sockets bound exclusively", proc)
        return log

    def dhcpd(self, config: str) -> Path:
        """Start ISC dhcpd (from its unpacked package) with ``config`` plus a subnet for the veth."""
        binary = extracted_deb("isc-dhcp-server", "usr/sbin/dhcpd")
        conf, leases, log = self.tmp / "dhcpd.conf", self.tmp / "dhcpd.leases", self.tmp / "dhcpd.log"
        conf.write_text(config + f"\nsubnet {self.ip(0)} netmask 255.255.255.0 {{ range {self.ip(50)} "
                        f"{self.ip(60)}; option routers {self.ip(1)}; }}\n")
        leases.touch()
        proc = self._spawn([str(binary), "-4", "-f", "-d", "-cf", str(conf), "-lf", str(leases),
                            "-pf", str(self.tmp / "dhcpd.pid"), self.srv_if], log)
        self.wait_for(log, "Server starting service", proc)
        return log

    def in_client(self, *cmd: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        return run("ip", "netns", "exec", self.cli, *cmd, check=check)

    def netblame(self, *args: str, user: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run the netblame CLI inside the client namespace (as ``user`` when given)."""
        env = {**os.environ, "PYTHONPATH": str(PROJECT / "src")}
        prefix = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] if user else []
        return subprocess.run(["ip", "netns", "exec", self.cli, *prefix, sys.executable, "-m", "netblame", *args],
                              capture_output=True, text=True, env=env, check=False)

    def probe_json(self, *args: str) -> dict[str, Any]:
        done = self.netblame("dns", "probe", "eth0", "-o", "json", *args)
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads(done.stdout)
        return result


@contextmanager
def dhcp_link(name: str, net: int, tmp: Path) -> Iterator[Link]:
    """Build the two namespaces and the veth; tear everything down afterwards.

    The process id goes into the namespace names, so the same test run from two checkouts at once
    does not collide; both veth ends are created inside their namespaces, so their names cannot."""
    need_root()
    link = Link(f"{name}{os.getpid() % 10000}", net, tmp)
    created: list[str] = []  # only these are deleted: a name that already existed is someone else's
    try:
        for ns in (link.srv, link.cli):
            run("ip", "netns", "add", ns)
            created.append(ns)
        run("ip", "link", "add", link.srv_if, "netns", link.srv, "type", "veth", "peer", "name", "eth0",
            "netns", link.cli)
        run("ip", "-n", link.srv, "addr", "add", f"{link.ip(1)}/24", "dev", link.srv_if)
        for ns, dev in ((link.srv, link.srv_if), (link.srv, "lo"), (link.cli, "eth0"), (link.cli, "lo")):
            run("ip", "-n", ns, "link", "set", dev, "up")
        yield link
    finally:
        for proc in link.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for ns in reversed(created):
            run("ip", "netns", "del", ns, check=False)
