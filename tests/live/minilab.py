"""A small real network built with iproute2 for the collector's tests (root only).

Two "nodes" on a LAN bridge, each with a Flannel-like VXLAN device (static FDB and neighbour entries),
a CNI-style bridge ``cni0`` with one pod on a veth, and one pod namespace that no name points at: it is
only held by a process (``unshare --net sleep``), as a container runtime's pods are. Every name starts
with ``nbt-col-<pid>-`` so the tests can only ever touch their own objects, and two runs at once do not
meet.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

PREFIX = f"nbt-col-{os.getpid()}-"
LAN = f"{PREFIX}lan"
NODES = {  # node namespace -> (uplink ip, pod range gateway, VXLAN MAC)
    f"{PREFIX}n1": ("192.168.77.11", "10.77.1", "0a:77:00:00:00:01"),
    f"{PREFIX}n2": ("192.168.77.12", "10.77.2", "0a:77:00:00:00:02"),
}


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run one command, failing loudly (with its stderr) when it fails."""
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done


def ipn(ns: str, *args: str) -> None:
    sh("ip", "-n", ns, *args)


@dataclass
class MiniLab:
    """What was built, for the tests to compare against."""

    namespaces: list[str] = field(default_factory=list)
    holder: subprocess.Popen[bytes] | None = None

    @property
    def holder_pid(self) -> int:
        assert self.holder is not None
        return self.holder.pid


def _node(ns: str, uplink: str, pods: str, mac: str, index: int) -> None:
    sh("ip", "netns", "add", ns)
    sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
       "net.ipv6.conf.default.disable_ipv6=1", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=2")
    ipn(ns, "link", "set", "lo", "up")
    ipn(LAN, "link", "add", f"n{index}", "type", "veth", "peer", "name", "eth0", "netns", ns)
    ipn(LAN, "link", "set", f"n{index}", "master", "br0", "up")
    ipn(ns, "addr", "add", f"{uplink}/24", "dev", "eth0")
    ipn(ns, "link", "set", "eth0", "up")
    ipn(ns, "link", "add", "flannel.1", "address", mac, "type", "vxlan", "id", "1", "local", uplink, "dev", "eth0",
        "dstport", "8472", "nolearning")
    ipn(ns, "link", "set", "flannel.1", "mtu", "1450", "up")
    ipn(ns, "addr", "add", f"{pods}.0/32", "dev", "flannel.1")
    ipn(ns, "link", "add", "cni0", "type", "bridge")
    ipn(ns, "addr", "add", f"{pods}.1/24", "dev", "cni0")
    ipn(ns, "link", "set", "cni0", "up")
    pod = f"{ns}-p1"
    sh("ip", "netns", "add", pod)
    sh("ip", "netns", "exec", pod, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
       "net.ipv6.conf.default.disable_ipv6=1")
    ipn(ns, "link", "add", "veth-p1", "type", "veth", "peer", "name", "eth0", "netns", pod)
    ipn(ns, "link", "set", "veth-p1", "master", "cni0", "up")
    ipn(pod, "link", "set", "lo", "up")
    ipn(pod, "addr", "add", f"{pods}.2/24", "dev", "eth0")
    ipn(pod, "link", "set", "eth0", "mtu", "1450", "up")  # Flannel hands pods the VXLAN device's MTU
    ipn(pod, "route", "add", "default", "via", f"{pods}.1")


def _peerings() -> None:
    items = list(NODES.items())
    for ns, _ in items:
        for other, (uplink, pods, mac) in items:
            if other == ns:
                continue
            ipn(ns, "route", "add", f"{pods}.0/24", "via", f"{pods}.0", "dev", "flannel.1", "onlink")
            ipn(ns, "neigh", "add", f"{pods}.0", "lladdr", mac, "dev", "flannel.1", "nud", "permanent")
            sh("bridge", "-n", ns, "fdb", "append", mac, "dev", "flannel.1", "dst", uplink)


def _settle() -> None:
    """Wait until every bridge reports UP: its operstate changes once a port forwards, and the tests compare
    collections taken moments apart."""
    bridges = [(LAN, "br0"), *((ns, "cni0") for ns in NODES)]
    for _ in range(3000):  # up to a minute: a bound for a loaded machine, not a speed requirement
        states = [json.loads(sh("ip", "-n", ns, "-j", "link", "show", dev).stdout)[0]["operstate"]
                  for ns, dev in bridges]
        if all(s == "UP" for s in states):
            return
        time.sleep(0.02)
    raise RuntimeError(f"bridges did not come up: {states}")


def teardown(lab: MiniLab | None = None) -> None:
    """Remove every namespace of this run and the holder process (safe to call twice)."""
    if lab is not None and lab.holder is not None and lab.holder.poll() is None:
        os.kill(lab.holder.pid, signal.SIGKILL)
        lab.holder.wait()
    for name in sorted(os.listdir("/run/netns") if os.path.isdir("/run/netns") else []):
        if name.startswith(PREFIX):
            sh("ip", "netns", "del", name, check=False)


@contextmanager
def minilab() -> Iterator[MiniLab]:
    """Build the lab, yield it, and always tear it down."""
    lab = MiniLab()
    teardown()
    try:
        sh("ip", "netns", "add", LAN)
        sh("ip", "netns", "exec", LAN, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
           "net.ipv6.conf.default.disable_ipv6=1")
        ipn(LAN, "link", "add", "br0", "type", "bridge")
        ipn(LAN, "link", "set", "br0", "up")
        for i, (ns, (uplink, pods, mac)) in enumerate(NODES.items(), start=1):
            _node(ns, uplink, pods, mac, i)
        _peerings()
        lab.holder = subprocess.Popen(["unshare", "--net", "sleep", "600"])
        pid = str(lab.holder.pid)
        for _ in range(6000):  # wait until the child really is in its own namespace (a minute at most)
            if os.readlink(f"/proc/{pid}/ns/net") != os.readlink("/proc/self/ns/net"):
                break
            time.sleep(0.01)
        ipn(f"{PREFIX}n1", "link", "add", "veth-u1", "type", "veth", "peer", "name", "eth0", "netns", pid)
        ipn(f"{PREFIX}n1", "link", "set", "veth-u1", "master", "cni0", "up")
        lab.namespaces = [LAN, *NODES, *(f"{ns}-p1" for ns in NODES)]
        _settle()
        yield lab
    finally:
        teardown(lab)
