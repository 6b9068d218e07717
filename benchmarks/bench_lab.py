"""``lab up`` / ``lab down``: netblame's batched build against one ``ip``/``bridge`` process per command.

Both runs build the same lab (3 nodes, vxlan style, CNI bridge) with the same commands; the baseline
runs every iproute2 command as its own process, as a shell script would, while netblame sends each
namespace's commands through one ``ip -batch``/``bridge -batch``. The CNI plugins run once per pod in
both (that is how CNI works), so the ratio shows what batching buys on top of them.

Run as root: ``sudo python benchmarks/bench_lab.py [--pods 2,110] [--repeat 3]``. Lab name ``ltbench``;
it is torn down after every run, even on failure.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from netblame import lab
from netblame.lab import _run

NAME = "ltbench"


def _ip_one_by_one(namespace: str | None, lines: Iterable[str], *, force: bool = False) -> None:
    for line in lines:
        argv = ["ip"] + (["-n", namespace] if namespace else []) + line.split()
        _run.run(argv, check=not force)


def _bridge_one_by_one(namespace: str, lines: Iterable[str], *, force: bool = False) -> None:
    for line in lines:
        _run.run(["bridge", "-n", namespace, *line.split()], check=not force)


@contextmanager
def per_command() -> Iterator[None]:
    saved = _run.ip_batch, _run.bridge_batch
    _run.ip_batch, _run.bridge_batch = _ip_one_by_one, _bridge_one_by_one
    try:
        yield
    finally:
        _run.ip_batch, _run.bridge_batch = saved


def once(pods: int, baseline: bool) -> tuple[float, float]:
    """Seconds for up and for down."""
    spec = lab.LabSpec(name=NAME, pods_per_node=pods)
    with per_command() if baseline else nullcontext():
        start = time.perf_counter()
        try:
            lab.up(spec)
            up = time.perf_counter() - start
        finally:
            start = time.perf_counter()
            lab.down(NAME)
            down = time.perf_counter() - start
    return up, down


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", default="2,110", help="pods per node, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_lab: needs root (it builds network namespaces)")
    lab.down(NAME)
    print(f"{'pods/node':>9} {'netblame up':>12} {'per-command up':>15} {'ratio':>6} "
          f"{'netblame down':>14} {'per-command down':>17} {'ratio':>6}")
    for pods in (int(p) for p in args.pods.split(",")):
        best: dict[bool, tuple[float, float]] = {}
        for _ in range(args.repeat):
            for baseline in (False, True):  # side by side, alternating
                up, down = once(pods, baseline)
                old = best.get(baseline, (float("inf"), float("inf")))
                best[baseline] = (min(old[0], up), min(old[1], down))
        (nb_up, nb_down), (pc_up, pc_down) = best[False], best[True]
        print(f"{pods:>9} {nb_up:>11.2f}s {pc_up:>14.2f}s {pc_up / nb_up:>5.1f}x "
              f"{nb_down:>13.2f}s {pc_down:>16.2f}s {pc_down / nb_down:>5.1f}x")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"best of {args.repeat}; peak memory of this process {peak:.0f} MiB")


if __name__ == "__main__":
    main()
