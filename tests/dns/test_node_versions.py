"""The node's own systemd version (dpkg's status database) and distribution (os-release), read from a
tree, and NB202's `[Network] UseDomains=` judged by it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from netblame.checks import run_rules
from netblame.dns.chain import systemd_major as major
from netblame.live.dns_tree import read_tree
from netblame.sources.packages import os_release_name, systemd_version

NETWORK = "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\nUseDomains=yes\n"


@pytest.mark.skipif(shutil.which("dpkg-query") is None or not Path("/var/lib/dpkg/status").is_file(),
                    reason="needs a Debian package database")
def test_systemd_version_matches_dpkg_query() -> None:
    run = subprocess.run(["dpkg-query", "-W", "-f=${Status} ${Version}", "systemd"], capture_output=True, text=True,
                         check=False)
    found = systemd_version(Path("/var/lib/dpkg/status").read_text(errors="replace"), "status")
    if run.returncode != 0 or not run.stdout.startswith("install ok installed"):
        assert found is None
    else:
        assert found is not None and found.value == run.stdout.split()[-1]


def test_version_and_release_name() -> None:
    text = ("Package: systemd-sysv\nStatus: install ok installed\nVersion: 255.4-1\n\n"
            "Package: systemd\nStatus: deinstall ok config-files\nVersion: 249.11\n\n")
    assert systemd_version(text, "status") is None  # removed, only its configuration left
    found = systemd_version(text + "Package: systemd\nStatus: install ok installed\nVersion: 1:255.4-1ubuntu8\n",
                            "status")
    assert found is not None and (found.value, found.origin.line) == ("1:255.4-1ubuntu8", 11)
    assert major(found.value) == 255
    name = os_release_name('PRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nID=ubuntu\n', "os-release")
    assert name is not None and (name.value, name.origin.line) == ("Ubuntu 24.04.1 LTS", 1)


def _tree(root: Path, status: str | None) -> Path:
    (root / "etc/systemd/network").mkdir(parents=True)
    (root / "etc/systemd/network/10-eth0.network").write_text(NETWORK)
    (root / "etc/os-release").write_text('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
                                         "VERSION_ID=\"12\"\nID=debian\n")
    if status is not None:
        (root / "var/lib/dpkg").mkdir(parents=True)
        (root / "var/lib/dpkg/status").write_text(
            f"Package: systemd\nStatus: install ok installed\nVersion: {status}\n")
    return root


def _nb202(root: Path) -> list[tuple[str, str]]:
    findings = run_rules([read_tree(str(root))]).findings
    return [(f.severity.label, f.message) for f in findings if f.rule == "NB202"]


def test_network_section_judged_by_the_node_version(tmp_path: Path) -> None:
    ((severity, message),) = _nb202(_tree(tmp_path / "old", "252.22-1~deb12u1"))
    assert severity == "warning" and "this node's systemd is 252.22-1~deb12u1" in message
    assert "var/lib/dpkg/status:3" in message
    assert _nb202(_tree(tmp_path / "new", "256.5-2")) == []


def test_network_section_without_a_version_says_what_it_assumes(tmp_path: Path) -> None:
    ((severity, message),) = _nb202(_tree(tmp_path / "unknown", None))
    assert severity == "info"
    assert "systemd version was not found (the node runs Debian GNU/Linux 12 (bookworm))" in message
    assert "systemd 252 (Debian 12) is assumed" in message
