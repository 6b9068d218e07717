"""Node DNS files go through the one recognition path, and each is parsed once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from netblame.live.dns_tree import read_tree
from netblame.sources import builtin_sources, ini, load_paths, netplan
from netblame.sources import dns as dns_sources

NETPLAN = "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n"
NETWORK = "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n"


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    calls: list[int] = []
    real: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_check_parses_a_netplan_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "50-cloud-init.yaml").write_text(NETPLAN)
    calls = counting(monkeypatch, netplan, "parse_netplan")
    loaded = load_paths([str(tmp_path)], builtin_sources())
    assert [i.kind for i in loaded.inputs] == ["netplan"]
    assert len(calls) == 1


def test_check_parses_a_networkd_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "10-eth0.network").write_text(NETWORK)
    dns_sources._ini.cache_clear()
    calls = counting(monkeypatch, dns_sources, "parse_ini")
    loaded = load_paths([str(tmp_path)], builtin_sources())
    assert [i.kind for i in loaded.inputs] == ["networkd-network"]
    assert len(calls) == 1


def test_a_node_tree_reads_netplan_through_the_same_sources(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "etc/netplan").mkdir(parents=True)
    (tmp_path / "etc/netplan/50-cloud-init.yaml").write_text(NETPLAN)
    calls = counting(monkeypatch, netplan, "parse_netplan")
    setup = read_tree(str(tmp_path))
    assert [i.name for i in setup.netplan] == ["eth0"]
    assert len(calls) == 1


def test_every_dns_kind_has_one_source() -> None:
    kinds = [s.kind for s in dns_sources.SOURCES]
    assert len(kinds) == len(set(kinds)) == 16  # with dpkg-status and os-release
    assert ini.parse_ini is dns_sources.parse_ini
