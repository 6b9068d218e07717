"""The findings table against JSON for a report of tens of thousands of findings.

A snapshot (the NB307 documentation example, tests/data/fuzz/nb302-base.json) gets ``--addresses``
extra addresses on pod n1-p1, each of which NB302 reports. Timed: the whole ``netblame check
--snapshot FILE`` process, once as the default table and once with ``-o json``, alternately, several
rounds; printed: the median of each and the table's time as a ratio of JSON's. Rendering the table
with rich's Table laid out every cell (28 s against 2.5 s for 59,740 findings, a ratio of 11); drawn
line by line the ratio stays near 1.

Usage: ``python benchmarks/bench_table.py [--addresses N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def snapshot(addresses: int) -> str:
    snap = json.loads((ROOT / "tests" / "data" / "fuzz" / "nb302-base.json").read_text())
    pod = next(ns for node in snap["nodes"] for ns in node["namespaces"] if ns["id"] == "n1-p1")
    pod["addresses"] += [{"dev": "eth0", "family": 4, "address": f"172.{i >> 16}.{(i >> 8) & 255}.{i & 255}",
                          "prefixlen": 32} for i in range(1, addresses + 1)]
    return json.dumps(snap)


def timed(path: Path, *extra: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "netblame", "check", "--snapshot", str(path), *extra],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 1:
        raise SystemExit(f"unexpected exit {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addresses", type=int, default=60000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "snap.json"
        path.write_text(snapshot(args.addresses))
        table, as_json = [], []
        for _ in range(args.rounds):
            table.append(timed(path))
            as_json.append(timed(path, "-o", "json"))
    t, j = statistics.median(table), statistics.median(as_json)
    print(f"{args.addresses} findings: table {t:.2f} s, json {j:.2f} s, table/json {t / j:.2f}")


if __name__ == "__main__":
    main()
