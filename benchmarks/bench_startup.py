"""Benchmark: start-up of whole `netblame` processes against `python3 -c pass`, side by side in one run.

Three commands run alternately, each as a new process, several rounds; the median wall time of each is
reported with its ratio to the baseline (goals: `netblame --help` within 3x, `netblame check
examples/pi-cluster` within 8x). The check reads its input from files, as a user runs it. The child
processes may write and then read byte-code caches (``PYTHONDONTWRITEBYTECODE`` is dropped for them), as an
installed package has them: otherwise every run would compile netblame's modules again.

    python benchmarks/bench_startup.py [--repeat 15] [--python .venv/bin/python]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"netblame --help": 3.0, "netblame check examples/pi-cluster": 8.0}


def commands(python: str) -> dict[str, list[str]]:
    return {
        "python3 -c pass": [python, "-c", "pass"],
        "netblame --help": [python, "-m", "netblame", "--help"],
        "netblame check examples/pi-cluster": [python, "-m", "netblame", "check", "examples/pi-cluster"],
    }


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT / "src")}


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=child_env())
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    runs = commands(args.python)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for argv in runs.values():  # warm the page cache and .pyc files once
        timed(argv)
    for _ in range(args.repeat):
        for name, argv in runs.items():
            times[name].append(timed(argv))
    base = statistics.median(times["python3 -c pass"])
    print(f"{'command':40} {'median ms':>10} {'ratio':>7}  goal")
    for name, values in times.items():
        median = statistics.median(values)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"within {goal:g}x: {'yes' if median / base <= goal else 'NO'}"
        print(f"{name:40} {median * 1000:10.1f} {median / base:7.2f}  {verdict}")


if __name__ == "__main__":
    main()
