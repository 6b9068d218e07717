"""`netblame lab list`: labs found from state files and namespaces, half torn down ones included, and
every lab subcommand takes the lab's NAME the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lab_oracle import lab_name

from netblame.lab import build
from netblame.lab.state import STATE_DIR

ROOT = Path(__file__).resolve().parents[2]


def netblame(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "netblame", *argv], capture_output=True, text=True, env=env,
                          check=False, timeout=600)


@pytest.mark.root
def test_half_torn_down_labs_are_listed_and_removable() -> None:
    orphan, stale = lab_name("lsa"), lab_name("lsb")
    namespace = f"nb-{orphan}-n1"
    state = STATE_DIR / f"{stale}.json"
    try:
        subprocess.run(["ip", "netns", "add", namespace], check=True)  # namespaces of a crashed up
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        state.write_text("{}")  # a state file left behind, and one netblame cannot read
        done = netblame("lab", "list", "-o", "json")
        assert done.returncode == 0, done.stderr
        labs = {lab["name"]: lab for lab in json.loads(done.stdout)["labs"]}
        assert labs[orphan]["state"] == "no state file" and labs[orphan]["namespaces"] == 1
        assert labs[stale]["state"] == "unreadable state file" and labs[stale]["namespaces"] == 0
        table = netblame("lab", "list").stdout
        assert any(line.split()[:1] == [orphan] and "no state file" in line for line in table.splitlines())
        assert netblame("lab", "down", orphan).returncode == 0
        assert orphan not in {lab["name"] for lab in json.loads(netblame("lab", "list", "-o", "json").stdout)["labs"]}
    finally:
        build.down(orphan)
        state.unlink(missing_ok=True)


@pytest.mark.parametrize("sub", ["up", "down", "status", "fault", "heal"])
def test_every_subcommand_takes_the_lab_name_first(sub: str) -> None:
    usage = netblame("lab", sub, "--help").stdout.splitlines()[0]
    assert usage.startswith(f"Usage: netblame lab {sub} [OPTIONS] ") and ("NAME" in usage.split("[OPTIONS]")[1])


def test_name_given_twice_differently_is_refused() -> None:
    done = netblame("lab", "down", "abc", "--name", "xyz")
    assert done.returncode == 2 and "give the lab's NAME once" in done.stderr
