"""Collecting a node with 110 pod namespaces: netblame against the usual shell loop and raw dumps.

Builds (as root) a node namespace with a bridge and 110 pod namespaces on veths, the kubelet's default
maxPods, all named ``nbt-col-bench<pid>-*``, and removes them afterwards, even on failure. Every method captures the
same data per namespace: devices with details, addresses, routes of every table (IPv4 and IPv6), rules
(both families), neighbours, bridge FDB and the forwarding sysctls.

- shell loop: what people do today, ``ip -n NS -j ...`` per namespace and per object kind, into files;
- raw ``ip -n``: one ``ip -j -d -batch -`` + ``ip -6 rule`` + ``bridge fdb`` + a sysctl ``grep`` per namespace
  (``ip -n``/``ip netns exec``), threaded, output kept as text (no parsing);
- raw ``nsenter``: the same through ``nsenter --net=...``;
- raw setns: netblame's capture (the worker thread enters the namespace, the processes inherit it, sysctls
  read from /proc/sys), no parsing;
- netblame: discovery + capture + parsing into the snapshot structs + veth peer resolution + encoding.

Run: ``sudo python benchmarks/bench_collect.py [--pods 110] [--repeat 3] [--workers 4]``. Prints best-of-N
times, the ratios against the shell loop and the fastest raw dump, and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from netblame.live.discover import discover
from netblame.live.live import (
    BRIDGE_FDB,
    IP_BATCH_INPUT,
    IP_RULE6,
    capture,
    collect_namespaces,
    entered,
    read_sysctls,
)
from netblame.live.snapshot_io import encode_snapshot
from netblame.model.snapshot import Node, Snapshot

SHELL = "shell loop (ip -n per namespace and kind)"
PREFIX = f"nbt-col-bench{os.getpid()}-"
NODE = f"{PREFIX}node"
SYSCTL_GREP = ("cd /proc/sys && grep -H . net/ipv4/ip_forward net/ipv6/conf/all/forwarding net/ipv4/conf/*/rp_filter "
               "net/ipv4/conf/*/accept_local net/ipv4/conf/*/forwarding net/ipv4/conf/*/proxy_arp "
               "net/ipv6/conf/*/forwarding net/ipv6/conf/*/disable_ipv6 2>/dev/null")


def sh(argv: list[str], stdin: str | None = None) -> None:
    done = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")


def build(pods: int) -> list[str]:
    """The node and its pods; returns every namespace name."""
    names = [NODE, *(f"{PREFIX}p{j}" for j in range(1, pods + 1))]
    sh(["ip", "-batch", "-"], "".join(f"netns add {n}\n" for n in names))
    lines = ["link add cni0 type bridge", "link set cni0 up", "addr add 10.99.0.1/16 dev cni0", "link set lo up"]
    for j in range(1, pods + 1):
        lines += [f"link add name vp{j} type veth peer name eth0 netns {PREFIX}p{j}", f"link set vp{j} master cni0 up"]
    sh(["ip", "-n", NODE, "-batch", "-"], "".join(f"{ln}\n" for ln in lines))
    for j in range(1, pods + 1):
        sh(["ip", "-n", f"{PREFIX}p{j}", "-batch", "-"],
           f"link set lo up\naddr add 10.99.{j // 250}.{j % 250 + 2}/16 dev eth0\nlink set eth0 up\n"
           "route add default via 10.99.0.1\n")
    return names


def teardown() -> None:
    for name in os.listdir("/run/netns") if os.path.isdir("/run/netns") else []:
        if name.startswith(PREFIX):
            subprocess.run(["ip", "netns", "del", name], check=False, capture_output=True)


def shell_loop(names: list[str], out: Path) -> None:
    script = f"""
for ns in {' '.join(names)}; do
  d={out}/$ns; mkdir -p $d
  ip -n $ns -j -d link show > $d/link.json
  ip -n $ns -j -d addr show > $d/addr.json
  ip -n $ns -j -d -4 route show table all > $d/route4.json
  ip -n $ns -j -d -6 route show table all > $d/route6.json
  ip -n $ns -j -d -4 rule show > $d/rule4.json
  ip -n $ns -j -d -6 rule show > $d/rule6.json
  ip -n $ns -j -d neigh show > $d/neigh.json
  bridge -n $ns -j -d fdb show > $d/fdb.json
  ip netns exec $ns sh -c '{SYSCTL_GREP}' > $d/sysctl.txt
done
"""
    sh(["bash", "-c", script])


def _raw(prefix: Callable[[str], list[str]], sysctl: Callable[[str], list[str]]) -> Callable[[str], int]:
    def one(ns: str) -> int:
        size = 0
        for argv, stdin in ((["ip", "-j", "-d", "-batch", "-"], IP_BATCH_INPUT), (list(IP_RULE6), None),
                            (list(BRIDGE_FDB), None)):
            done = subprocess.run([*prefix(ns), *argv], input=stdin, capture_output=True, text=True, check=True)
            size += len(done.stdout)
        return size + len(subprocess.run(sysctl(ns), capture_output=True, text=True, check=False).stdout)
    return one


def raw_ip_n(ns: str) -> int:
    size = 0
    for argv, stdin in ((["ip", "-n", ns, "-j", "-d", "-batch", "-"], IP_BATCH_INPUT),
                        ([IP_RULE6[0], "-n", ns, *IP_RULE6[1:]], None), ([BRIDGE_FDB[0], "-n", ns, *BRIDGE_FDB[1:]],
                                                                          None),
                        (["ip", "netns", "exec", ns, "sh", "-c", SYSCTL_GREP], None)):
        size += len(subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False).stdout)
    return size


raw_nsenter = _raw(lambda ns: ["nsenter", f"--net=/run/netns/{ns}"],
                   lambda ns: ["nsenter", f"--net=/run/netns/{ns}", "sh", "-c", SYSCTL_GREP])


def sysctls_in(path: str) -> dict[str, str]:
    with entered(path):
        return read_sysctls(["lo", "eth0"])


def threaded(fn: Callable[[str], object], names: list[str], workers: int) -> None:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(fn, names))


def best_of_rounds(methods: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """Best time of each method over ``rounds`` rounds, every round running every method once, so that load
    from elsewhere on the machine hits all methods alike."""
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(rounds):
        for name, fn in methods.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(t) for name, t in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pods", type=int, default=110)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root (builds network namespaces)", file=sys.stderr)
        return 2
    teardown()
    try:
        t0 = time.perf_counter()
        names = build(args.pods)
        print(f"built {len(names)} namespaces ({args.pods} pods) in {time.perf_counter() - t0:.2f} s; "
              f"{os.cpu_count()} CPUs, best of {args.repeat}")
        refs = {r.name: r for r in discover().namespaces if r.name in set(names)}

        def netblame() -> bytes:
            namespaces, _ = collect_namespaces(only=lambda ref: bool(ref.name and ref.name.startswith(PREFIX)),
                                               workers=args.workers)
            return encode_snapshot(Snapshot(source="live", nodes=(Node(name="bench", namespaces=tuple(namespaces)),)))

        tmp = tempfile.mkdtemp(prefix="nbt-col-bench-")
        methods: dict[str, Callable[[], object]] = {SHELL: lambda: shell_loop(names, Path(tmp))}
        for workers in sorted({1, args.workers}):
            methods[f"raw ip -n batch, {workers} threads"] = lambda w=workers: threaded(raw_ip_n, names, w)
            methods[f"raw nsenter batch, {workers} threads"] = lambda w=workers: threaded(raw_nsenter, names, w)
        for workers in sorted({1, 2, args.workers, 8}):
            methods[f"raw setns thread, {workers} threads"] = lambda w=workers: threaded(
                lambda n: capture(refs[n]), names, w)
        methods["sysctls only: ip netns exec sh -c grep, 4 threads"] = lambda: threaded(
            lambda n: subprocess.run(["ip", "netns", "exec", n, "sh", "-c", SYSCTL_GREP], capture_output=True,
                                     check=False), names, 4)
        methods["sysctls only: setns thread reads /proc/sys, 4 threads"] = lambda: threaded(
            lambda n: sysctls_in(refs[n].path), names, 4)
        ours_name = f"netblame collect ({args.workers} threads, parsed + encoded)"
        methods[ours_name] = netblame
        results = best_of_rounds(methods, args.repeat)
        shutil.rmtree(tmp, ignore_errors=True)
        raw = {k: v for k, v in results.items() if k.startswith("raw")}
        tracemalloc.start()
        size = len(netblame())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        shell, ours = results[SHELL], results[ours_name]
        fastest_name = min(raw, key=lambda k: raw[k])
        print(f"{'method':58} {'time':>9} {'vs netblame':>12}")
        for name, seconds in results.items():
            print(f"{name:58} {seconds * 1000:7.0f} ms {seconds / ours:11.2f}x")
        print(f"\nnetblame is {shell / ours:.1f}x faster than the shell loop (goal >= 5x)")
        print(f"netblame takes {ours / raw[fastest_name]:.2f}x the fastest raw dump, {fastest_name} "
              f"(goal <= 1.5x)")
        print(f"snapshot {size / 1e6:.2f} MB; peak Python heap during collection {peak / 2**20:.1f} MiB; "
              f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    finally:
        teardown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
