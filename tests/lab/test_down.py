"""``lab down`` leaves nothing behind: after a full lab, after a crashed ``up``, after stray objects."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lab_oracle import lab_objects

from netblame import lab
from netblame.errors import LabError

pytestmark = pytest.mark.root


def test_down_removes_everything_and_is_idempotent() -> None:
    try:
        lab.up(lab.LabSpec(name="ltd", style="routed"))
        lab.fault("ltd", "rp-filter-strict")  # adds the router namespace and its links
        assert any(o.startswith("nb-ltd-rtr") for o in lab_objects("ltd"))
        assert any(o.startswith("process") and "bird" in o for o in lab_objects("ltd"))
        with pytest.raises(LabError, match="already exists"):
            lab.up(lab.LabSpec(name="ltd"))
    finally:
        removed = lab.down("ltd")
    assert len(removed) == 1 + 3 + 6 + 1  # LAN, nodes, pods, router
    assert lab_objects("ltd") == []
    assert not Path("/var/lib/cni/networks/nb-ltd").exists()  # host-local kept its data in the lab's directory
    assert lab.down("ltd") == []


@pytest.mark.parametrize("moment", ["cni", "bird"])
def test_down_after_up_was_killed_halfway(moment: str) -> None:
    """Kill ``lab up`` (SIGKILL: no cleanup of its own) while pods are attached, or while BGP converges."""
    name = f"ltk{moment[0]}"
    work = lab.STATE_DIR / name
    marker = (work / "ipam") if moment == "cni" else (work / "bird-n3.pid")
    proc = subprocess.Popen([sys.executable, "-m", "netblame", "lab", "up", "--name", name, "--style", "routed",
                             "--pods-per-node", "40"], env={**os.environ, "PYTHONPATH": "src"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.kill()
        proc.wait()
        assert proc.returncode == -9, "up finished before it could be killed"
        assert not lab.load(name).complete
        assert lab_objects(name)
    finally:
        lab.down(name)
    assert lab_objects(name) == []


def test_down_finds_objects_by_name_without_a_state_file() -> None:
    cmds = ["netns add nb-ltq-lan", "netns add nb-ltq-n1",
            "-n nb-ltq-lan link add n1 type veth peer name eth0 netns nb-ltq-n1"]
    sleeper = None
    try:
        for cmd in cmds:
            subprocess.run(["ip", *cmd.split()], check=True)
        sleeper = subprocess.Popen(["ip", "netns", "exec", "nb-ltq-n1", "sleep", "600"])
        assert not lab.STATE_DIR.joinpath("ltq.json").exists()
        assert sorted(lab.down("ltq")) == ["nb-ltq-lan", "nb-ltq-n1"]
        assert sleeper.wait(timeout=5) != 0  # the process holding the namespace was ended
        assert lab_objects("ltq") == []
    finally:
        if sleeper and sleeper.poll() is None:
            sleeper.kill()
        lab.down("ltq")
