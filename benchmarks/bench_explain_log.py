"""Benchmark: `netblame explain --file LOG` on a log of 200,000 lines (1 in 100 a known error line, the
rest ordinary lines), as a ratio to a baseline process that only reads the same file line by line.
Both are whole processes started side by side, several times; the median ratio is reported.

    PYTHONPATH=src:benchmarks python benchmarks/bench_explain_log.py [--lines 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWN = (ROOT / "tests/data/logs/kcm-flannel.log").read_text().splitlines()
ORDINARY = "I1204 11:18:35.156105       1 kube.go:378] Starting kube subnet manager for node pi-{n}"
BASELINE = "import sys\nn = 0\nfor line in open(sys.argv[1], encoding='utf-8'):\n    n += 1\nprint(n)\n"


def write_log(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(lines):
            out.write((KNOWN[n // 100 % len(KNOWN)] if n % 100 == 0 else ORDINARY.format(n=n)) + "\n")


def timed(argv: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "big.log"
        write_log(log, args.lines)
        ratios = []
        for _ in range(args.repeat):
            base = timed([sys.executable, "-c", BASELINE, str(log)])
            explain = timed([sys.executable, "-m", "netblame", "explain", "--file", str(log), "-o", "json"])
            ratios.append(explain / base)
    print(f"explain --file, {args.lines} lines: median {statistics.median(ratios):.1f}x the time of a process "
          f"that only reads the file (runs: {', '.join(f'{r:.1f}' for r in ratios)})")


if __name__ == "__main__":
    main()
