"""The test's own oracle: pings from inside pod namespaces (``ip netns exec ... ping``) and a search for
anything a lab left behind, with plain subprocesses and /proc rather than through the code under test."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

from netblame import lab
from netblame.lab.state import LabState

Pair = tuple[str, str]
RUN = f"{os.getpid() % 0x1000:03x}"


def lab_name(base: str) -> str:
    """``base`` made unique to this test run, so runs of the suite from several checkouts on one machine
    never build (or tear down) each other's labs."""
    return f"{base}{RUN}"


def ping(namespace: str, ip: str, *, size: int | None = None, dont_fragment: bool = False) -> bool:
    argv = ["ip", "netns", "exec", namespace, "ping", "-n", "-q", "-c1", "-W1"]
    if size is not None:
        argv += ["-s", str(size)]
    if dont_fragment:
        argv += ["-M", "do"]
    return subprocess.run([*argv, ip], capture_output=True, check=False).returncode == 0


def first_pods(state: LabState) -> dict[str, lab.PodState]:
    out: dict[str, lab.PodState] = {}
    for pod in state.pods:
        if pod.ip is not None:
            out.setdefault(pod.node, pod)
    return out


def broken_pairs(state: LabState) -> set[Pair]:
    """Ordered node pairs whose first pods cannot ping each other (all pairs probed in parallel)."""
    pods = first_pods(state)
    pairs = [(a, b) for a in pods for b in pods if a != b]

    def probe(pair: Pair) -> bool:
        ip = pods[pair[1]].ip
        assert ip is not None
        return ping(pods[pair[0]].namespace, ip)

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(probe, pairs))
    return {pair for pair, ok in zip(pairs, results, strict=True) if not ok}


def lab_objects(name: str) -> list[str]:
    """Every trace a lab can leave: namespaces, state, work files, processes naming its directory."""
    found = [ns for ns in os.listdir("/run/netns") if ns.startswith(f"nb-{name}-")] if os.path.isdir(
        "/run/netns") else []
    found += [str(p) for p in (lab.STATE_DIR / f"{name}.json", lab.STATE_DIR / name) if p.exists()]
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as fh:
                    cmdline = fh.read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if f"{lab.STATE_DIR}/{name}/" in cmdline:
                found.append(f"process {pid}: {cmdline.strip()}")
    return found
