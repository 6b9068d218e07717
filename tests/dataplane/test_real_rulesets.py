"""Real rulesets, as Debian's ufw and nftables packages ship them (tests/data/rulesets/README.md): they parse,
and three of them, loaded into a lab's nodes, are traced against the kernel."""

from __future__ import annotations

import os
import random
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.dataplane.harness import Outcome, draw, lab_name, run_probes
from tests.dataplane.test_kernel_agreement import _report, settled_snapshot

from netblame import lab
from netblame.dataplane.netfilter.iptables_save import parse_iptables_save
from netblame.dataplane.netfilter.nft_json import parse_nft_json

CACHE = Path(os.environ.get("NETBLAME_DEB_CACHE", "/var/cache/netblame-tests/debs"))
UFW = CACHE / "ufw"
EXAMPLES = CACHE / "nftables" / "usr/share/doc/nftables/examples"
LAB = lab_name("trrs")


def _need(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} missing: scripts/test unpacks the ufw and nftables packages there")


def test_every_ufw_rules_file_parses() -> None:
    _need(UFW)
    files = sorted(UFW.glob("usr/share/ufw/**/*.rules"))
    assert len(files) >= 8
    for f in files:
        tables = parse_iptables_save(f.read_text(), "iptables", 6 if "6" in f.name else 4, str(f))
        assert tables and all(t.chains for t in tables), f


def nft_json(namespace: str, path: Path) -> str | None:
    """Load ``path`` with ``nft -f`` (from its directory, for includes) and list the ruleset as JSON; None
    when this kernel refuses it (a missing module)."""
    loaded = subprocess.run(["ip", "netns", "exec", namespace, "nft", "-f", path.name], cwd=path.parent,
                            capture_output=True, text=True, check=False)
    if loaded.returncode != 0:
        return None
    out = subprocess.run(["ip", "netns", "exec", namespace, "nft", "-j", "list", "ruleset"], capture_output=True,
                         text=True, check=True).stdout
    subprocess.run(["ip", "netns", "exec", namespace, "nft", "flush", "ruleset"], check=True)
    return out


@pytest.mark.root
def test_nftables_examples_parse(scratch: str) -> None:
    _need(EXAMPLES)
    parsed = 0
    for f in sorted(EXAMPLES.glob("*.nft")):
        text = nft_json(scratch, f)
        if text is None:
            continue
        parse_nft_json(text, str(f))
        parsed += 1
    assert parsed >= 10


def _ufw_text() -> str:
    """ufw's before.rules and user.rules as ufw enables them: its framework's jumps from the built-in chains,
    the chains it declares for logging, and the policies of /etc/default/ufw."""
    policy = dict(line.split("=", 1) for line in (UFW / "etc/default/ufw").read_text().splitlines()
                  if line.startswith("DEFAULT_") and "=" in line)
    before = (UFW / "usr/share/ufw/iptables/before.rules").read_text()
    user = (UFW / "usr/share/ufw/iptables/user.rules").read_text()
    head = (f"*filter\n:INPUT {policy['DEFAULT_INPUT_POLICY'].strip(chr(34))} [0:0]\n"
            f":FORWARD {policy['DEFAULT_FORWARD_POLICY'].strip(chr(34))} [0:0]\n"
            f":OUTPUT {policy['DEFAULT_OUTPUT_POLICY'].strip(chr(34))} [0:0]\n"
            ":ufw-logging-deny - [0:0]\n:ufw-before-input - [0:0]\n:ufw-before-output - [0:0]\n"
            ":ufw-before-forward - [0:0]\n:ufw-user-input - [0:0]\n:ufw-user-output - [0:0]\n"
            ":ufw-user-forward - [0:0]\nCOMMIT\n")
    hooks = ("*filter\n-A INPUT -j ufw-before-input\n-A INPUT -j ufw-user-input\n"
             "-A OUTPUT -j ufw-before-output\n-A OUTPUT -j ufw-user-output\n"
             "-A FORWARD -j ufw-before-forward\n-A FORWARD -j ufw-user-forward\nCOMMIT\n")
    return head + before + user + hooks


@pytest.fixture(scope="module")
def loaded_lab() -> Iterator[str]:
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    _need(UFW)
    _need(EXAMPLES)
    lab.down(LAB)
    try:
        state = lab.up(lab.LabSpec(name=LAB, style="host-routes"))
        n1, n2, n3 = (n.namespace for n in state.nodes[:3])
        subprocess.run(["ip", "netns", "exec", n1, "iptables-restore", "--noflush"], input=_ufw_text(), text=True,
                       check=True, capture_output=True)
        for ns, name in ((n2, "workstation.nft"), (n3, "all-in-one.nft")):
            subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", name], cwd=EXAMPLES, check=True,
                           capture_output=True)
        yield LAB
    finally:
        lab.down(LAB)


@pytest.mark.root
def test_real_rulesets_agree_with_the_kernel(loaded_lab: str) -> None:
    snap = settled_snapshot(loaded_lab, "host-routes")
    assert sum(1 for node in snap.nodes for ns in node.namespaces if ns.netfilter and
               (ns.netfilter.nft or ns.netfilter.iptables)) == 3
    outcomes: list[Outcome] = run_probes(snap, draw(snap, random.Random(20261206), 40, filtered=True))
    bad = _report(outcomes)
    assert not bad, f"model and kernel disagree:\n{bad}"
    assert any("FILTERED" in o.model for o in outcomes)
