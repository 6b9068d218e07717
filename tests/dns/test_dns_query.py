"""`netblame dns resolve --query` against a real dnsmasq DNS server in a network namespace, with a
wildcard record for `lab` (dnsmasq --address=/lab/...), as home routers often have."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

NS = f"nbt-dns-q{os.getpid() % 10000}"  # unique per run: other checkouts may run the same test
SERVER = "10.97.0.53"
WILDCARD = "10.9.9.9"
REAL = "192.0.2.80"
SRC = Path(__file__).resolve().parents[2] / "src"
KUBELET = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\n"
           "clusterDomain: cluster.local\nresolvConf: /etc/resolv.conf\n")

pytestmark = [
    pytest.mark.root,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root to build a network namespace"),
    pytest.mark.skipif(shutil.which("dnsmasq") is None, reason="dnsmasq is not installed"),
]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def dns_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """dnsmasq answering `www.example.com`, `nas.home.arpa` and anything under `lab` (wildcard)."""
    subprocess.run(["ip", "netns", "del", NS], capture_output=True, check=False)
    log = tmp_path_factory.mktemp("dnsmasq") / "log"
    proc = None
    try:
        _ip("netns", "add", NS)
        _ip("-n", NS, "link", "set", "lo", "up")
        _ip("-n", NS, "addr", "add", f"{SERVER}/32", "dev", "lo")
        with log.open("w") as out:
            proc = subprocess.Popen(
                ["ip", "netns", "exec", NS, "dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
                 "--no-hosts", f"--listen-address={SERVER}", "--bind-interfaces", "--port=53",
                 f"--address=/lab/{WILDCARD}", f"--host-record=www.example.com,{REAL}",
                 "--host-record=nas.home.arpa,192.0.2.10", "--log-queries", "--log-facility=-"],
                stdout=out, stderr=subprocess.STDOUT)
        for _ in range(1200):  # up to two minutes on a loaded machine
            if "started" in log.read_text():
                break
            time.sleep(0.1)
        assert proc.poll() is None, log.read_text()
        yield SERVER
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=120)
        subprocess.run(["ip", "netns", "del", NS], capture_output=True, check=False)


def _root(tmp_path: Path, search: str, first: str = "") -> Path:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc/resolv.conf").write_text(first + f"nameserver {SERVER}\nsearch {search}\n")
    (tmp_path / "var/lib/kubelet").mkdir(parents=True)
    (tmp_path / "var/lib/kubelet/config.yaml").write_text(KUBELET)
    return tmp_path


def _resolve(root: Path, name: str) -> tuple[int, dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(["ip", "netns", "exec", NS, sys.executable, "-m", "netblame", "dns", "resolve", name,
                           "--root", str(root), "--query", "-o", "json"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.stderr == "", done.stderr
    return done.returncode, json.loads(done.stdout)


def _winner(expansion: dict[str, object]) -> tuple[str, list[str]]:
    won = [c for c in expansion["candidates"] if c["wins"]]  # type: ignore[attr-defined]
    assert len(won) == 1
    return won[0]["name"], won[0]["addresses"]


def test_wildcard_search_domain_wins_inside_pods(dns_server: str, tmp_path: Path) -> None:
    code, doc = _resolve(_root(tmp_path, "lab"), "www.example.com")
    node, pod = doc["expansions"]  # type: ignore[misc]
    assert node["ndots"] == 1 and pod["ndots"] == 5
    assert _winner(node) == ("www.example.com.", [REAL])
    assert _winner(pod) == ("www.example.com.lab.", [WILDCARD])
    assert [c["internal"] for c in pod["candidates"][:3]] == [True, True, True]
    assert code == 1
    (finding,) = doc["findings"]  # type: ignore[misc]
    assert finding["rule"] == "NB206" and finding["severity"] == "error"
    assert WILDCARD in finding["message"] and "netblame-" in finding["message"]


def test_search_domain_without_wildcard_is_quiet(dns_server: str, tmp_path: Path) -> None:
    code, doc = _resolve(_root(tmp_path, "home.arpa"), "nas")
    node, pod = doc["expansions"]  # type: ignore[misc]
    assert _winner(node) == ("nas.home.arpa.", ["192.0.2.10"])
    assert _winner(pod) == ("nas.home.arpa.", ["192.0.2.10"])
    assert code == 0 and doc["findings"] == []


def test_a_dead_first_server_moves_on_to_the_next(dns_server: str, tmp_path: Path) -> None:
    code, doc = _resolve(_root(tmp_path, "home.arpa", first="nameserver 127.0.0.9\n"), "nas")
    node = doc["expansions"][0]  # type: ignore[index]
    assert node["servers"] == ["127.0.0.9", SERVER]
    assert _winner(node) == ("nas.home.arpa.", ["192.0.2.10"])
    won = next(c for c in node["candidates"] if c["wins"])
    assert won["server"] == SERVER and code == 0
