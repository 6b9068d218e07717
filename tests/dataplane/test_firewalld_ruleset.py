"""firewalld's own ruleset, written at test time by Debian's firewalld (nftables back-end, default zone public)
confined to one lab node with its own D-Bus (tests/dataplane/confined.py; tests/data/rulesets/README.md), traced
against the kernel: the node rejects what its zone does not allow (VXLAN's 8472/udp, pods' traffic it forwards)
with ICMP admin-prohibited."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dataplane.confined import CACHE, confined, lab_node
from tests.dataplane.harness import Outcome, Probe, draw, lab_name, run_probes
from tests.dataplane.test_docker_ruleset import chosen, stop_facts
from tests.dataplane.test_kernel_agreement import _report, settled_snapshot

from netblame.dataplane.hooks import REJECT_SEEN

FIREWALLD = CACHE / "firewalld"
PYTHON_PACKAGES = [CACHE / p / "usr/lib/python3/dist-packages" for p in ("python3-firewall", "python3-nftables")]
LAB = lab_name("trfw")
BUS_CONF = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>system</type><listen>unix:path={bus}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/>
<allow receive_sender="*"/></policy></busconfig>
"""


def nft_ruleset(netns: str) -> str:
    return subprocess.run(["ip", "netns", "exec", netns, "nft", "list", "ruleset"], capture_output=True, text=True,
                          check=True).stdout


def _ready(netns: str) -> bool:
    text = nft_ruleset(netns)
    return "table inet firewalld" in text and "filter_FWD_public" in text and "tcp dport 22 accept" in text


def _need_firewalld() -> None:
    if not (FIREWALLD / "usr/sbin/firewalld").exists() or not all(p.exists() for p in PYTHON_PACKAGES):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{FIREWALLD} missing: scripts/test unpacks firewalld, python3-firewall, python3-nftables")
        pytest.skip(f"{FIREWALLD} missing: scripts/test unpacks Debian's firewalld there")
    if not shutil.which("dbus-daemon"):
        missing = pytest.fail if os.environ.get("CI") == "true" else pytest.skip
        missing("dbus-daemon missing: scripts/test installs it")


def run_firewalld(netns: str, scratch: Path) -> None:
    """firewalld with the package's configuration (CleanupOnExit=no, so its ruleset stays after it stops, as the
    service's would while it runs) and a private system bus, until its ruleset is loaded."""
    shutil.copytree(FIREWALLD / "etc/firewalld", scratch / "etc")
    conf = scratch / "etc/firewalld.conf"
    conf.write_text(conf.read_text().replace("CleanupOnExit=yes", "CleanupOnExit=no"))
    bus = scratch / "bus"
    (scratch / "bus.conf").write_text(BUS_CONF.format(bus=bus))
    setup = "\n".join([
        f"export PYTHONPATH={':'.join(str(p) for p in PYTHON_PACKAGES)}",
        f"export DBUS_SYSTEM_BUS_ADDRESS=unix:path={bus}",
        f"dbus-daemon --nofork --config-file={scratch / 'bus.conf'} &",
        f"for i in $(seq 100); do [ -S {bus} ] && break; sleep 0.1; done",
    ])
    command = ["/usr/bin/python3", str(FIREWALLD / "usr/sbin/firewalld"), "--nofork", "--nopid", "--default-config",
               str(FIREWALLD / "usr/lib/firewalld"), "--system-config", str(scratch / "etc"), "--log-target",
               "console"]
    with confined(netns, scratch, [], command, lambda: _ready(netns), setup=setup):
        pass


@pytest.fixture(scope="module")
def firewalld_lab() -> Iterator[tuple[str, str]]:
    """A VXLAN lab whose second node ran firewalld: ``(lab, node's namespace)``."""
    _need_firewalld()
    with lab_node(LAB, "vxlan", 1) as (node, scratch):
        run_firewalld(node, scratch)
        yield LAB, node


@pytest.mark.root
def test_firewalld_ruleset_agrees_with_the_kernel(firewalld_lab: tuple[str, str]) -> None:
    name, node_ns = firewalld_lab
    assert _ready(node_ns)
    snap = settled_snapshot(name, "vxlan")
    root = next(ns for n in snap.nodes for ns in n.namespaces if ns.name == node_ns)
    assert root.netfilter is not None and root.netfilter.nft
    pods = [(ns.name, a.address, any(x.name == node_ns for x in n.namespaces)) for n in snap.nodes
            for ns in n.namespaces if ns.pod and ns.name for a in ns.addresses if a.family == 4 and a.scope == "global"]
    mine = [p for p in pods if p[2]]
    others = [p for p in pods if not p[2]]
    picked = [chosen(others[0][0], "pod elsewhere", mine[0][1], "pod on the firewalld node", 33400),
              chosen(mine[0][0], "pod on the firewalld node", others[-1][1], "pod elsewhere", 33401)]
    outcomes: list[Outcome] = run_probes(snap, picked + draw(snap, random.Random(20261206), 30, filtered=True))
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    assert any("FILTERED" in o.model for o in outcomes)
    # VXLAN's port on the node's own address, from a pod elsewhere: the zone rejects it, and the error the sender's
    # socket gets is the one the model names for the ICMP code (admin-prohibited: EHOSTUNREACH).
    node_ip = next(a.address for a in root.addresses if a.family == 4 and a.scope == "global" and a.dev == "eth0")
    vxlan = chosen(others[0][0], "pod elsewhere", node_ip, "node", 8472)
    first, second = stop_facts(snap, picked[0]), stop_facts(snap, vxlan)
    for facts in (first, second):
        assert facts["where"] == "inet firewalld/filter_IN_public", facts
        assert (facts["verdict"], facts["reject_with"]) == ("reject", "icmp-admin-prohibited"), facts
    assert stop_facts(snap, picked[1])["where"] == "inet firewalld/filter_FWD_public"
    assert "EHOSTUNREACH" in REJECT_SEEN[second["reject_with"]]
    assert sender_errno(vxlan) == "EHOSTUNREACH"


SEND = """
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect((sys.argv[1], int(sys.argv[2])))
s.send(b"x" * 64)
try:
    s.recv(100)
    print("answered")
except OSError as e:
    print(errno.errorcode.get(e.errno, "timeout"))
"""


def sender_errno(p: Probe) -> str:
    """What a connected UDP socket in the probe's source namespace gets back after one datagram."""
    return subprocess.run(["ip", "netns", "exec", p.src_ns, "/usr/bin/python3", "-c", SEND, p.dst, str(p.port)],
                          capture_output=True, text=True, check=True).stdout.strip()
