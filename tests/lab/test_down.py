"""``lab down`` leaves nothing behind: after a full lab, after a crashed ``up``, after stray objects."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lab_oracle import lab_name, lab_objects

from netblame import lab
from netblame.errors import LabError

pytestmark = pytest.mark.root


def test_down_removes_everything_and_is_idempotent() -> None:
    name = lab_name("ltd")
    try:
        lab.up(lab.LabSpec(name=name, style="routed"))
        lab.fault(name, "rp-filter-strict")  # adds the router namespace and its links
        assert any(o == f"nb-{name}-rtr" for o in lab_objects(name))
        assert any(o.startswith("process") and "bird" in o for o in lab_objects(name))
        with pytest.raises(LabError, match="already exists"):
            lab.up(lab.LabSpec(name=name))
    finally:
        removed = lab.down(name)
    assert len(removed) == 1 + 3 + 6 + 1  # LAN, nodes, pods, router
    assert lab_objects(name) == []
    assert not Path(f"/var/lib/cni/networks/nb-{name}").exists()  # host-local kept its data in the lab's directory
    assert lab.down(name) == []


@pytest.mark.parametrize("moment", ["cni", "bird"])
def test_down_after_up_was_killed_halfway(moment: str) -> None:
    """Kill ``lab up`` (SIGKILL: no cleanup of its own) while pods are attached, or while BGP converges."""
    name = lab_name(f"ltk{moment[0]}")
    work = lab.STATE_DIR / name
    marker = (work / "ipam") if moment == "cni" else (work / "bird-n3.pid")
    pods = "40" if moment == "cni" else "2"
    proc = subprocess.Popen([sys.executable, "-m", "netblame", "lab", "up", "--name", name, "--style", "routed",
                             "--pods-per-node", pods], env={**os.environ, "PYTHONPATH": "src"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.kill()
        proc.wait()
        assert proc.returncode == -9, "up finished before it could be killed"
        assert not lab.load(name).complete
        with pytest.raises(LabError, match="not built completely"):
            lab.fault(name, "missing-route")
        left = lab_objects(name)
        assert left
        if moment == "bird":
            assert any(o.startswith("process") and "bird" in o for o in left)  # BIRD outlived its parent
    finally:
        lab.down(name)
    assert lab_objects(name) == []


def test_down_finds_objects_by_name_without_a_state_file() -> None:
    name = lab_name("ltq")
    lan, node = f"nb-{name}-lan", f"nb-{name}-n1"
    cmds = [f"netns add {lan}", f"netns add {node}", f"-n {lan} link add n1 type veth peer name eth0 netns {node}"]
    sleeper = None
    try:
        for cmd in cmds:
            subprocess.run(["ip", *cmd.split()], check=True)
        sleeper = subprocess.Popen(["ip", "netns", "exec", node, "sleep", "600"])
        assert not lab.STATE_DIR.joinpath(f"{name}.json").exists()
        assert sorted(lab.down(name)) == [lan, node]
        assert sleeper.wait(timeout=120) != 0  # the process holding the namespace was ended
        assert lab_objects(name) == []
    finally:
        if sleeper and sleeper.poll() is None:
            sleeper.kill()
        lab.down(name)


def test_failed_up_removes_what_it_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CNI plugin that is not there: up fails with one line and leaves nothing behind."""
    from netblame.lab import cni

    monkeypatch.setattr(cni, "CNI_PATH", tmp_path)
    name = lab_name("ltf")
    try:
        with pytest.raises(LabError, match=f"CNI plugin {tmp_path}/loopback not found") as info:
            lab.up(lab.LabSpec(name=name))
        assert "\n" not in str(info.value)
        assert lab_objects(name) == []
    finally:
        lab.down(name)
