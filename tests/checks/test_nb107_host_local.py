"""NB107's count of addresses host-local keeps, checked against the reference host-local plugin run
exactly as a container runtime runs it (CNI_* environment, JSON config on stdin)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from netblame.plan.address import usable

HOST_LOCAL = Path("/usr/lib/cni/host-local")


def allocations(subnet: str, data_dir: Path) -> int:
    """ADD containers until host-local reports the range exhausted; return how many got an address."""
    config = json.dumps({"cniVersion": "1.0.0", "name": "nb107", "type": "host-local",
                         "ipam": {"type": "host-local", "subnet": subnet, "dataDir": str(data_dir)}})
    for i in range(300):
        env = {**os.environ, "CNI_COMMAND": "ADD", "CNI_CONTAINERID": f"nb107-{i}", "CNI_NETNS": "/proc/self/ns/net",
               "CNI_IFNAME": "eth0", "CNI_PATH": str(HOST_LOCAL.parent)}
        out = subprocess.run([str(HOST_LOCAL)], input=config, env=env, capture_output=True, text=True, check=False)
        result = json.loads(out.stdout)
        if "ips" not in result:
            assert "no IP addresses available in range set" in result["msg"]
            return i
    raise AssertionError("host-local never ran out")


@pytest.mark.skipif(not HOST_LOCAL.exists(), reason="reference CNI plugins not installed (/usr/lib/cni)")
@pytest.mark.parametrize(("subnet", "family", "mask"), [("10.9.0.0/29", 4, 29), ("10.9.0.0/26", 4, 26),
                                                        ("fd00:9::/125", 6, 125)])
def test_usable_matches_host_local(subnet: str, family: int, mask: int, tmp_path: Path) -> None:
    assert allocations(subnet, tmp_path) == usable(family, mask, None)  # type: ignore[arg-type]
