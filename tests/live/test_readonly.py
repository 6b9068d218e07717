"""Collecting never changes the system: a full dump of the lab before and after is identical."""

from __future__ import annotations

import ipaddress
import os
import re
import subprocess
import time

import pytest
from minilab import PREFIX, MiniLab

from netblame.live.run import collect_snapshot

pytestmark = pytest.mark.root

DUMP = (
    "ip -j -d addr show", "ip -j -d -4 route show table all", "ip -j -d -6 route show table all",
    "ip -j -d -4 rule show", "ip -j -d -6 rule show", "ip -j -d neigh show nud all", "ip -j netns list-id",
    "bridge -j -d fdb show", "bridge -j -d link show", "sh -c 'grep -r . /proc/sys/net 2>/dev/null | sort'",
)


def _no_timers(text: str) -> str:
    """Bridge timers count down and neighbour states age (REACHABLE -> STALE -> DELAY ...) by themselves;
    everything else, including which neighbour entries exist and their addresses, must stay put."""
    text = re.sub(r'"[a-z_]+_timer":[0-9.]+', "", text)
    return re.sub(r'"state":\[[^\]]*\]', "", text)


def _stable_dump(paths: dict[str, str]) -> dict[str, str]:
    """A dump taken once the lab has stopped changing on its own (the kernel sends IGMP reports a little
    while after a bridge comes up, which adds multicast neighbour entries)."""
    last = _dump(paths)
    for _ in range(480):  # two minutes at most: a loaded machine may take a while to settle
        time.sleep(0.25)
        now = _dump(paths)
        if now == last:
            return now
        last = now
    raise AssertionError("the lab kept changing on its own; cannot compare")


def _dump(paths: dict[str, str]) -> dict[str, str]:
    """Everything observable in each namespace, plus which namespaces exist."""
    out: dict[str, str] = {"/run/netns": " ".join(sorted(n for n in os.listdir("/run/netns") if n.startswith(PREFIX)))}
    for name, path in paths.items():
        for cmd in DUMP:
            done = subprocess.run(f"nsenter --net={path} {cmd}", shell=True, capture_output=True, text=True,
                                  check=False)
            out[f"{name}: {cmd}"] = _no_timers(done.stdout + done.stderr)
    return out


def _entries(text: str) -> set[str]:
    """Each neighbour entry of a dump (states are already cut out, so the text is compared entry by entry)."""
    return set(re.findall(r"\{[^{}]*\}", text))


def _kernel_own(key: str, before: str, after: str) -> bool:
    """A neighbour table that changed only as the kernel changes it by itself: entries it garbage-collects
    (reading cannot delete one) and multicast or IPv6 link-local entries its own IGMP, MLD and neighbour
    discovery add, a little while after a bridge comes up (224.0.0.22 for IGMPv3 reports). Any other new
    entry (an address something sent to) still counts as a change."""
    if not key.endswith("neigh show nud all"):
        return False
    added = _entries(after) - _entries(before)
    dsts = [re.search(r'"dst":"([^"]*)"', entry) for entry in added]
    addresses = [ipaddress.ip_address(d.group(1)) for d in dsts if d is not None]
    return len(addresses) == len(added) and all(a.is_multicast or a.is_link_local for a in addresses)


def test_collecting_changes_nothing(lab: MiniLab) -> None:
    paths = {ns: f"/run/netns/{ns}" for ns in lab.namespaces}
    paths["unnamed"] = f"/proc/{lab.holder_pid}/ns/net"
    paths["own"] = "/proc/self/ns/net"
    before = _stable_dump(paths)
    held_before = len({os.stat(f"/proc/{p}/ns/net").st_ino for p in os.listdir("/proc") if p.isdigit()
                       and os.path.exists(f"/proc/{p}/ns/net")} - {0})
    snapshot, _ = collect_snapshot(node_name="t")
    assert len(snapshot.nodes[0].namespaces) >= len(paths) - 1
    after = _dump(paths)
    assert after.keys() == before.keys()
    changed = [key for key in before if before[key] != after[key] and not _kernel_own(key, before[key], after[key])]
    assert not changed, [(k, before[k], after[k]) for k in changed]
    assert all(before[k] for k in before if k.endswith("addr show")), "the dump itself must have read something"
    assert held_before > 0
