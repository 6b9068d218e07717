"""Benchmark: start-up of whole `netblame` processes against `python3 -c pass`, side by side in one run.

Three commands run alternately, each as a new process, several rounds (``netblame`` is the console
script, as installed, run by the same interpreter as the baseline); the median wall time of each is
reported with its ratio to the baseline (goals: `netblame --help` within 3x, `netblame check
examples/pi-cluster` within 8x), and beside it the median CPU time (user + system) of the child and its
ratio, which moves less than wall time when other work shares the machine. The check reads its input
from files, as a user runs it. The child processes may write and then read byte-code caches
(``PYTHONDONTWRITEBYTECODE`` is dropped for them), as an installed package has them: otherwise every
run would compile netblame's modules again.

    python benchmarks/bench_startup.py [--repeat 15] [--python .venv/bin/python]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"netblame --help": 3.0, "netblame check examples/pi-cluster": 8.0}


# What pip writes as the ``netblame`` console script (its wrapper for ``netblame.cli.entry:main``), run with
# ``-c`` when the script is not installed beside ``--python``.
CONSOLE_SCRIPT = ("import re, sys; from netblame.cli.entry import main; "
                  "sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0]); sys.exit(main())")


def netblame(python: str) -> list[str]:
    """The ``netblame`` program as a user runs it: the console script installed beside ``python``."""
    script = Path(python).parent / "netblame"
    return [python, str(script)] if script.is_file() else [python, "-c", CONSOLE_SCRIPT]


def commands(python: str) -> dict[str, list[str]]:
    program = netblame(python)
    return {
        "python3 -c pass": [python, "-c", "pass"],
        "netblame --help": [*program, "--help"],
        "netblame check examples/pi-cluster": [*program, "check", "examples/pi-cluster"],
    }


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT / "src")}


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                   env=child_env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    runs = commands(args.python)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for argv in runs.values():  # warm the page cache and .pyc files once
        timed(argv)
    for _ in range(args.repeat):
        for name, argv in runs.items():
            times[name].append(timed(argv))
    base = statistics.median(wall for wall, _ in times["python3 -c pass"])
    cpu_base = statistics.median(cpu for _, cpu in times["python3 -c pass"])
    print(f"{'command':40} {'median ms':>10} {'ratio':>7} {'cpu ms':>8} {'ratio':>7}  goal")
    for name, values in times.items():
        median = statistics.median(wall for wall, _ in values)
        cpu = statistics.median(cpu for _, cpu in values)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"within {goal:g}x: {'yes' if median / base <= goal else 'NO'}"
        print(f"{name:40} {median * 1000:10.1f} {median / base:7.2f} {cpu * 1000:8.1f} {cpu / cpu_base:7.2f}  "
              f"{verdict}")


if __name__ == "__main__":
    main()
