"""Benchmark: `netblame check` on a 5,000-node `kubectl get nodes -o json` dump plus a cluster config,
as a ratio to merely parsing the same JSON with orjson (the fastest parser netblame uses). Both run
side by side in the same process, several times; the median ratio is reported (goal: under 3x).

It also shows that overlap detection over node podCIDRs and addresses grows about linearly with the
node count (1,000 vs 5,000 nodes), where comparing every pair would grow 25-fold.

    PYTHONPATH=src:benchmarks python benchmarks/bench_check_nodes.py [--nodes 5000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson
from synthetic import cluster_nodes

from netblame.api.check import check
from netblame.ipmath import IPNetwork, overlapping_pairs
from netblame.model.cidr import parse_cidr
from netblame.model.origin import Origin

KUBEADM = """apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.128.0.0/10
  serviceSubnet: 10.96.0.0/12
"""
FLANNEL = '{"Network": "10.128.0.0/10", "Backend": {"Type": "vxlan"}}\n'


def write_cluster(directory: Path, nodes: int) -> Path:
    """A nodes dump (real kubectl format), a kubeadm config and a Flannel net-conf in ``directory``."""
    dump = directory / "nodes.json"
    dump.write_bytes(orjson.dumps(cluster_nodes(nodes, pod_range="10.128.0.0/10"), option=orjson.OPT_INDENT_2))
    (directory / "kubeadm.yaml").write_text(KUBEADM)
    (directory / "net-conf.json").write_text(FLANNEL)
    return dump


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def paused_gc(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run with the cyclic garbage collector paused, as ``check`` runs."""
    def run() -> object:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()
    return run


def check_vs_parse(directory: Path, dump: Path, repeat: int) -> None:
    report = check([str(directory)])
    assert not report.errors and not report.findings, (report.errors, [f.message for f in report.findings])
    parse = lambda: orjson.loads(dump.read_bytes())  # noqa: E731
    runs: dict[str, list[float]] = {"parse": [], "parse, GC paused": [], "check": []}
    for _ in range(repeat):
        runs["parse"].append(timed(parse))
        runs["parse, GC paused"].append(timed(paused_gc(parse)))
        runs["check"].append(timed(lambda: check([str(directory)])))
    ratios = [c / p for c, p in zip(runs["check"], runs["parse"], strict=True)]
    strict = [c / p for c, p in zip(runs["check"], runs["parse, GC paused"], strict=True)]
    print(f"nodes dump: {dump.stat().st_size / 1e6:.1f} MB (+ kubeadm config, Flannel net-conf); "
          f"{repeat} runs side by side, median times")
    print(f"  orjson.loads(file)                      {statistics.median(runs['parse']) * 1000:8.1f} ms")
    print(f"  orjson.loads(file), GC paused           {statistics.median(runs['parse, GC paused']) * 1000:8.1f} ms")
    print(f"  netblame.api.check.check([dir])             {statistics.median(runs['check']) * 1000:8.1f} ms")
    print(f"  ratio check / parse:           median {statistics.median(ratios):.2f}x "
          f"(min {min(ratios):.2f}x, max {max(ratios):.2f}x; goal < 3x)")
    print(f"  ratio check / parse GC paused: median {statistics.median(strict):.2f}x "
          f"(min {min(strict):.2f}x, max {max(strict):.2f}x)")


def overlap_scaling(repeat: int) -> None:
    origin = Origin(file="nodes.json")
    inputs: dict[int, list[tuple[str, IPNetwork]]] = {}
    for count in (1000, 5000, 10000):
        data = cluster_nodes(count, pod_range="10.128.0.0/9")
        items: list[tuple[str, IPNetwork]] = []
        for item in data["items"]:
            name = item["metadata"]["name"]
            items.append((name, parse_cidr(item["spec"]["podCIDR"], origin).network))
            address = item["status"]["addresses"][0]["address"]
            items.append((name, parse_cidr(f"{address}/32", origin).network))
        inputs[count] = items
    del data
    # Sizes take turns, and each keeps its best run: the cost of the algorithm, not of whatever else
    # the machine was doing at the time.
    times = dict.fromkeys(inputs, float("inf"))
    for _ in range(repeat * 3):
        for count, items in inputs.items():
            times[count] = min(times[count], timed(paused_gc(lambda items=items: overlapping_pairs(items))))
    print("overlap detection over node podCIDRs and addresses (sort + sweep), best of runs:")
    for count, seconds in times.items():
        print(f"  {count:>6,} nodes {seconds * 1000:7.2f} ms  ({seconds / count * 1e6:.2f} us per node)")
    print(f"  growth 1,000 -> 5,000 nodes: {times[5000] / times[1000]:.1f}x for 5x the nodes "
          "(comparing all pairs would be 25x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nb-bench-") as tmp:
        directory = Path(tmp)
        dump = write_cluster(directory, args.nodes)
        check_vs_parse(directory, dump, args.repeat)
    overlap_scaling(args.repeat)


if __name__ == "__main__":
    main()
