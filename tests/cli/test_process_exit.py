"""The ``netblame`` process ends itself once the command is done (netblame.cli.entry): its exit code is the
command's, every byte written reaches the reader, exit handlers still run, and a reader that stops early
gets no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120"}


def netblame(*args: str, **kw: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "netblame", *args], cwd=ROOT, env=ENV, capture_output=True,
                          timeout=300, check=False, **kw)  # type: ignore[call-overload, no-any-return]


def test_exit_codes_are_the_commands() -> None:
    assert netblame("--version").returncode == 0
    assert netblame("check", "examples/pi-cluster").returncode == 1, "the example has an error finding"
    bad = netblame("check", "--select", "XX1", "examples/pi-cluster")
    assert bad.returncode == 2 and bad.stderr.decode().splitlines()[-1].startswith("Error: --select: XX1")


def test_all_output_reaches_a_pipe() -> None:
    done = netblame("check", "examples/pi-cluster", "-o", "json")
    through_pipe = subprocess.run(
        f"{sys.executable} -m netblame check examples/pi-cluster -o json | cat", shell=True, cwd=ROOT, env=ENV,
        capture_output=True, timeout=300, check=False)
    assert done.stdout and through_pipe.stdout == done.stdout and done.stdout.rstrip().endswith(b"}")


def test_exit_handlers_still_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = ("import atexit, pathlib, sys; "
            f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes'); "
            "sys.argv = ['netblame', '--version']; "
            "from netblame.cli.entry import main; main()")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ENV, capture_output=True, timeout=300,
                          check=False)
    assert done.returncode == 0 and marker.read_text() == "yes"


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    snap = json.loads((ROOT / "tests/data/fuzz/nb302-base.json").read_text())
    pod = next(ns for node in snap["nodes"] for ns in node["namespaces"] if ns["id"] == "n1-p1")
    pod["addresses"] += [{"dev": "eth0", "family": 4, "address": f"172.16.{i >> 8}.{i & 255}", "prefixlen": 32}
                         for i in range(1, 3000)]  # a table far larger than a pipe's buffer
    (tmp_path / "snap.json").write_text(json.dumps(snap))
    with subprocess.Popen([sys.executable, "-m", "netblame", "check", "--snapshot", str(tmp_path / "snap.json")],
                          cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as reader:
        assert reader.stdout is not None and reader.stderr is not None
        assert reader.stdout.read(100)
        reader.stdout.close()  # as `| head -c 100` does
        err = reader.stderr.read()
        code = reader.wait(timeout=300)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err
    assert code != 0, "the output did not all reach its reader"
