"""The command line's promises: one table of exit codes that every command uses and --help shows,
flags that make no sense together refused in one line, and the kubectl plugin entry point."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from netblame import exit_codes

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "src" / "netblame" / "cli"


def run(*argv: str, script: str = "netblame", cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("NETBLAME_DEBUG", None)
    code = f"import sys; from netblame.cli.main import {'kubectl_main' if script != 'netblame' else 'main'} as m; m()"
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, cwd=cwd,
                          check=False, timeout=600)


def test_no_command_exits_with_a_bare_number() -> None:
    """Every sys.exit in cli/ names a code from netblame.exit_codes (or passes one computed from them)."""
    for path in CLI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "exit" and node.args:
                where = f"{path.name}:{node.lineno}"
                assert not isinstance(node.args[0], ast.Constant), f"{where}: a bare exit code"


def test_help_lists_every_exit_code() -> None:
    done = run("--help")
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    for code in (exit_codes.OK, exit_codes.FINDINGS, exit_codes.BAD_INPUT, exit_codes.INTERNAL,
                 exit_codes.INTERRUPTED):
        assert f"{code} " in text
    docs = (ROOT / "docs" / "report-schema.md").read_text()
    for code in (0, 1, 2, 3, 130):
        assert f"\n| {code} |" in docs


def _one_usage_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == exit_codes.BAD_INPUT, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith(("Error: ", "netblame: error: "))]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def test_dport_with_icmp_is_refused() -> None:
    line = _one_usage_error(run("trace", "a", "b", "--snapshot", "x.json", "--dport", "53"))
    assert "--dport applies to --proto udp or tcp" in line


def test_probe_timeout_without_probe_is_refused() -> None:
    line = _one_usage_error(run("dns", "--root", "examples", "--probe-timeout", "3"))
    assert "--probe-timeout goes with --probe IFACE" in line


def test_node_mask_past_the_ipv4_width_is_refused(tmp_path: Path) -> None:
    (tmp_path / "kubeadm.yaml").write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                           "networking:\n  podSubnet: 10.244.0.0/16\n")
    line = _one_usage_error(run("check", "kubeadm.yaml", "--node-mask", "40", cwd=tmp_path))
    assert "--node-mask: /40 is longer than the 32 bits of an IPv4 address" in line


def test_kubectl_plugin_entry_point_is_declared_and_runs() -> None:
    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "kubectl-netblame"]
    assert script.value == "netblame.cli.main:kubectl_main"
    done = run("--help", script="kubectl-netblame")
    assert done.returncode == 0 and done.stdout.startswith("Usage: kubectl netblame ")
    done = run("check", "examples/pi-cluster", script="kubectl-netblame")
    assert done.returncode == exit_codes.FINDINGS and "NB101" in done.stdout


def test_the_installed_kubectl_plugin_runs() -> None:
    """What kubectl runs for `kubectl netblame ...`: the executable kubectl-netblame beside python."""
    installed = Path(sys.executable).parent / "kubectl-netblame"
    if not installed.exists():
        pytest.skip("netblame is not installed in this environment (pip install -e . adds kubectl-netblame)")
    done = subprocess.run([str(installed), "explain", "NB101"], capture_output=True, text=True, check=False,
                          timeout=600)
    assert done.returncode == 0 and "NB101" in done.stdout
