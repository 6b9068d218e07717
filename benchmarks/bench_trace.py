"""Trace latency on a synthetic 5,000-node cluster, side by side with the manual way.

1. A deterministic synthetic cluster (host-gw style, like Flannel's host-gw or kube-router): 5,000
   nodes, each a host namespace with a physical ``eth0`` on one LAN, a ``cni0`` bridge and
   ``--pods`` pod namespaces, and one route per other node's pod range via that node's address
   (4,999 routes per node, ~25 million in all: the Route objects are shared between nodes, as a
   decoder would intern them). Measured: building the snapshot index, the first trace between two
   nodes never touched before (it builds their routing tables), and warm traces.
2. The same question the way a person answers it today, in a real lab (needs root): ``ip -n NS route
   get`` per hop across namespaces, plus the neighbour and FDB look-ups a VXLAN hop needs, each a
   process. Only the commands' machine time is counted, not the reading and thinking in between.

Prints the figures and the ratios. Usage: ``python benchmarks/bench_trace.py [--nodes N] [--pods P]``.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from netblame.dataplane import Dataplane, Disposition, Flow, Tracer
from netblame.model.snapshot import Address, Link, Namespace, Node, PeerRef, Route, Snapshot

POD_NET = ipaddress.ip_network("10.0.0.0/8")
LAN = ipaddress.ip_network("172.20.0.0/16")


def _mac(kind: int, i: int, j: int = 0) -> str:
    return f"02:{kind:02x}:{(i >> 8) & 0xFF:02x}:{i & 0xFF:02x}:{j >> 8 & 0xFF:02x}:{j & 0xFF:02x}"


def synthetic(nodes: int, pods: int) -> Snapshot:
    """A deterministic host-gw cluster: node i owns the i-th /24 of 10.0.0.0/8 and LAN address .i."""
    ranges = list(POD_NET.subnets(new_prefix=24))[:nodes]
    node_ips = [str(LAN.network_address + 10 + i) for i in range(nodes)]
    remote = [Route(family=4, table="main", type="unicast", dst=str(ranges[i]), gateway=node_ips[i], dev="eth0")
              for i in range(nodes)]
    lan_route = Route(family=4, table="main", type="unicast", dst=str(LAN), dev="eth0", scope="link",
                      protocol="kernel")
    lo = Link(ifindex=1, name="lo", kind="loopback", mtu=65536, admin_up=True, oper_state="UNKNOWN")
    sysctls = {"net.ipv4.ip_forward": "1", "net.ipv4.conf.all.rp_filter": "0"}
    out = []
    for i in range(nodes):
        rng = ranges[i]
        gw = str(rng.network_address + 1)
        host_id = f"node{i}"
        links = [lo, Link(ifindex=2, name="eth0", kind="device", mtu=1500, admin_up=True, oper_state="UP",
                          mac=_mac(1, i)),
                 Link(ifindex=3, name="cni0", kind="bridge", mtu=1500, admin_up=True, oper_state="UP",
                      mac=_mac(2, i))]
        spaces = []
        for j in range(pods):
            pid = f"node{i}-p{j}"
            ip = str(rng.network_address + 2 + j)
            links.append(Link(ifindex=10 + j, name=f"veth{j}", kind="veth", mtu=1500, admin_up=True, oper_state="UP",
                              mac=_mac(3, i, j), master="cni0",
                              peer=PeerRef(namespace=pid, ifname="eth0", ifindex=2)))
            spaces.append(Namespace(
                id=pid, role="pod", pod=pid,
                links=(lo, Link(ifindex=2, name="eth0", kind="veth", mtu=1500, admin_up=True, oper_state="UP",
                                mac=_mac(4, i, j), peer=PeerRef(namespace=host_id, ifname=f"veth{j}", ifindex=10 + j))),
                addresses=(Address(dev="eth0", family=4, address=ip, prefixlen=24),),
                routes=(Route(family=4, table="main", type="unicast", dst="0.0.0.0/0", gateway=gw, dev="eth0"),
                        Route(family=4, table="main", type="unicast", dst=str(rng), dev="eth0", scope="link",
                              protocol="kernel"))))
        routes = (lan_route, Route(family=4, table="main", type="unicast", dst=str(rng), dev="cni0", scope="link",
                                   protocol="kernel"), *remote[:i], *remote[i + 1:])
        host = Namespace(id=host_id, role="host", name=host_id, links=tuple(links), sysctls=sysctls, routes=routes,
                         addresses=(Address(dev="eth0", family=4, address=node_ips[i], prefixlen=16),
                                    Address(dev="cni0", family=4, address=gw, prefixlen=24)))
        out.append(Node(name=host_id, namespaces=(host, *spaces), pod_cidrs=(str(rng),)))
    return Snapshot(source="synthetic", nodes=tuple(out))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def bench_model(nodes: int, pods: int, pairs: int) -> float:
    """Returns the warm median trace time in seconds."""
    gc.disable()
    t0 = time.perf_counter()
    snap = synthetic(nodes, pods)
    t1 = time.perf_counter()
    dp = Dataplane(snap)
    tracer = Tracer(dp)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"synthetic cluster: {nodes} nodes, {nodes * pods} pods, {nodes * (nodes + 1)} routes; generated in "
          f"{t1 - t0:.2f} s, indexed in {t2 - t1:.2f} s; peak RSS {rss:.0f} MiB")
    rnd = random.Random(5000)
    flows = []
    for _ in range(pairs):
        a, b = rnd.sample(range(nodes), 2)
        dst = str(POD_NET.network_address + 256 * b + 2 + rnd.randrange(pods))
        flows.append(Flow(start=f"node{a}-p{rnd.randrange(pods)}", dst=dst))
    cold = []
    for flow in flows:
        t = time.perf_counter()
        result = tracer.trace(flow)
        cold.append(time.perf_counter() - t)
        assert result.disposition is Disposition.DELIVERED, result.disposition
    warm = []
    for _ in range(5):
        for flow in flows:
            t = time.perf_counter()
            tracer.trace(flow)
            warm.append(time.perf_counter() - t)
    gc.enable()
    warm_med = statistics.median(warm)
    print(f"first trace between two untouched nodes (builds their {nodes}-route tables): median "
          f"{_ms(statistics.median(cold))}, max {_ms(max(cold))} over {len(cold)} traces")
    print(f"trace after load (tables built): median {_ms(warm_med)}, p95 "
          f"{_ms(sorted(warm)[int(len(warm) * 0.95)])} over {len(warm)} traces (5 hops pod -> node -> node -> pod)")
    return warm_med


MANUAL_CMDS = [
    # What a person types to follow n1-p1 -> n3-p2 through a VXLAN lab, hop by hop.
    "ip -n {p}-n1-p1 route get {dst}",
    "ip -n {p}-n1-p1 neigh show {gw1}",
    "ip -n {p}-n1 route get {dst} from {src} iif cni0",
    "ip -n {p}-n1 neigh show dev flannel.1",
    "bridge -n {p}-n1 fdb show dev flannel.1",
    "ip -n {p}-n1 route get {remote}",
    "ip -n {p}-n3 route get {dst} from {src} iif flannel.1",
    "bridge -n {p}-n3 fdb show br cni0",
    "ip -n {p}-n3-p2 route get {dst}",
]


def bench_manual(rounds: int) -> tuple[float, float] | None:
    """(manual seconds per question, model seconds per question) on the same real lab, or None without root."""
    if os.geteuid() != 0 or shutil.which("ip") is None:
        print("manual baseline: skipped (needs root to build a lab)")
        return None
    from netblame import lab
    from netblame.live.run import collect_snapshot

    name = f"trb{os.getpid() % 0x1000:03x}"
    lab.down(name)
    try:
        state = lab.up(lab.LabSpec(name=name, style="vxlan", nodes=3))
        pods = {p.name: p for p in state.pods}
        src, dst = pods["n1-p1"].ip, pods["n3-p2"].ip
        n1, n3 = state.node("n1"), state.node("n3")
        assert src and dst and n1.pod_cidr and n3.pod_cidr
        gw1 = str(ipaddress.ip_network(n1.pod_cidr).network_address + 1)
        cmds = [c.format(p=f"nb-{name}", dst=dst, src=src, gw1=gw1, remote=n3.uplink_ip).split()
                for c in MANUAL_CMDS]
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            for cmd in cmds:
                subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        snap, _ = collect_snapshot(lab=name)
        tracer = Tracer(Dataplane(snap))
        start = next(ns.id for node in snap.nodes for ns in node.namespaces if ns.pod == "n1-p1")
        flow = Flow(start=start, dst=dst)
        assert tracer.trace(flow).disposition is Disposition.DELIVERED
        model = []
        for _ in range(rounds * 20):
            t = time.perf_counter()
            tracer.trace(flow)
            model.append(time.perf_counter() - t)
        manual, ours = statistics.median(times), statistics.median(model)
        print(f"manual, in the lab: {len(cmds)} commands (ip route get per hop, neighbour and FDB look-ups) "
              f"median {_ms(manual)} per question over {rounds} rounds (machine time only)")
        print(f"netblame trace on the same lab's snapshot: median {_ms(ours)} per question")
        return manual, ours
    finally:
        lab.down(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--pods", type=int, default=4, help="pods per node")
    parser.add_argument("--pairs", type=int, default=200, help="random pod pairs traced")
    parser.add_argument("--rounds", type=int, default=20, help="manual rounds in the lab")
    args = parser.parse_args()
    manual = bench_manual(args.rounds)
    warm = bench_model(args.nodes, args.pods, args.pairs)
    if manual is not None:
        print(f"ratio, same lab: manual / netblame = {manual[0] / manual[1]:.0f}x (goal 100x)")
        print(f"ratio, manual on the 3-node lab / netblame on the {args.nodes}-node cluster = "
              f"{manual[0] / warm:.0f}x")
    print(f"single trace on the {args.nodes}-node cluster after load: {_ms(warm)} (goal < 1 ms)")


if __name__ == "__main__":
    main()
