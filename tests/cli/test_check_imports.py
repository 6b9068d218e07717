"""``netblame check`` of configuration files loads only what those files need: not the snapshot decoder
(msgspec, the snapshot model), not the node rules, not live collection. A snapshot given as a plain path
is still recognised by content, and then its decoder and the node rules are loaded. Neither the table nor
JSON loads rich (some 75 ms to import; the table has its own small writer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_CONFIG = ("msgspec", "netblame.model.snapshot", "netblame.sources.snapshot", "netblame.live",
                  "netblame.dataplane", "rich", "click")


def check_modules(*args: str) -> tuple[list[str], str]:
    """The modules loaded by ``netblame check ARGS`` run as a new process, and what it printed."""
    code = ("import sys, json, atexit\n"
            "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
            f"sys.argv = ['netblame', 'check', *{list(args)!r}]\n"
            "from netblame.cli.entry import main; main()")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT,
                          env=env)
    return json.loads(done.stderr.splitlines()[-1]), done.stdout


def loaded(modules: list[str], prefix: str) -> bool:
    return any(m == prefix or m.startswith(f"{prefix}.") for m in modules)


def test_config_check_does_not_load_snapshot_or_node_modules() -> None:
    modules, out = check_modules("examples/pi-cluster", "-o", "json")
    assert json.loads(out)["findings"], "the example has findings, so its rules ran"
    assert "netblame.checks.cluster" in modules
    assert [p for p in NOT_FOR_CONFIG if loaded(modules, p)] == []
    assert [m for m in modules if m.startswith("netblame.checks.node.nb")] == []


def test_snapshot_path_still_recognised_by_content() -> None:
    modules, out = check_modules("examples/snapshots/vxlan-two-nodes.json", "-o", "json")
    report = json.loads(out)
    assert report["inputs"] == [{"path": "examples/snapshots/vxlan-two-nodes.json", "kind": "netblame-snapshot",
                                 "status": "read"}]
    assert loaded(modules, "netblame.sources.snapshot")
    assert any(m.startswith("netblame.checks.node.nb") for m in modules)


def test_the_table_loads_no_rich() -> None:
    modules, out = check_modules("examples/pi-cluster")
    assert "NB101" in out and "┏" in out
    assert [p for p in ("rich", "click") if loaded(modules, p)] == []
