"""Benchmark: looking for component command lines in a large YAML file (a `kubectl get nodes -o yaml` dump
of N nodes, which mentions kubelet and k3s thousands of times without holding a command line), as a ratio to
parsing the same text with PyYAML's C loader, the least netblame already spends on it. Both run side by side
in the same process, several times; the median ratio is reported (goal: under 0.25).

    PYTHONPATH=src:benchmarks python benchmarks/bench_flagtext.py [--nodes 2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import yaml
from synthetic import cluster_nodes

from netblame.sources.cmdline import invocations


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    text = yaml.safe_dump(cluster_nodes(args.nodes, pod_range="10.128.0.0/10"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    ratios = []
    for _ in range(args.repeat):
        scan = timed(lambda: invocations(text))
        parse = timed(lambda: yaml.load(text, Loader=loader))
        ratios.append(scan / parse)
    print(f"{args.nodes} nodes, {len(text) // 1024} KiB of YAML: flag scan / YAML parse = "
          f"{statistics.median(ratios):.3f} (median of {args.repeat})")


if __name__ == "__main__":
    main()
