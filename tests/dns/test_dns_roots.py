"""`netblame dns --root` on the node trees of each distribution family (tests/data/dns/roots)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.clirun import invoke

from netblame.cli.main import main

ROOTS = Path(__file__).resolve().parents[1] / "data" / "dns" / "roots"
FAMILIES = ["ubuntu-22.04", "ubuntu-24.04", "debian-12", "fedora-40", "raspios-bookworm", "networkd-252-recorded"]
EVIDENCE = {"ubuntu-22.04": "netif/leases/2", "ubuntu-24.04": "netif/leases/2", "networkd-252-recorded": "leases/2",
            "debian-12": "dhclient.ens18.leases", "fedora-40": ".lease", "raspios-bookworm": ".lease"}
FIX = {"ubuntu-22.04": "use-domains: true", "ubuntu-24.04": "use-domains: true",
       "networkd-252-recorded": "use-domains: true", "debian-12": "dns-search home.arpa lab",
       "fedora-40": "ipv4.ignore-auto-dns no", "raspios-bookworm": "ipv4.ignore-auto-dns no"}


def run_dns(*args: str) -> tuple[int, dict[str, object]]:
    result = invoke("dns", *args, "-o", "json")
    assert "Traceback" not in result.output, result.output
    return result.exit_code, json.loads(result.stdout)


def rules(doc: dict[str, object]) -> list[str]:
    return [f["rule"] for f in doc["findings"]]  # type: ignore[index, union-attr]


@pytest.mark.parametrize("family", FAMILIES)
def test_broken_tree_tells_the_story(family: str) -> None:
    code, doc = run_dns("--root", str(ROOTS / f"{family}-broken"))
    assert code == 1
    assert doc["schema"] == "netblame/dns/v1"
    nb201 = [f for f in doc["findings"] if f["rule"] == "NB201"]  # type: ignore[index, union-attr]
    assert len(nb201) == 1
    assert EVIDENCE[family] in nb201[0]["message"]
    assert "home.arpa" in nb201[0]["message"]
    assert FIX[family] in nb201[0]["fix"]
    assert "/etc/resolv.conf" not in nb201[0]["fix"] or family == "debian-12"  # dhclient writes it there
    nb202 = [f for f in doc["findings"] if f["rule"] == "NB202"]  # type: ignore[index, union-attr]
    assert len(nb202) == 1 and "UseDomains=true" in nb202[0]["message"]


@pytest.mark.parametrize("family", FAMILIES)
def test_fixed_tree_is_quiet_on_nb201_and_nb202(family: str) -> None:
    code, doc = run_dns("--root", str(ROOTS / f"{family}-fixed"))
    assert code == 0
    assert "NB201" not in rules(doc) and "NB202" not in rules(doc)
    searched = doc["chain"]["node_search"]  # type: ignore[index]
    assert "lab" in searched and "home.arpa" in searched


def test_chain_shows_each_stage_of_the_recorded_node() -> None:
    _, doc = run_dns("--root", str(ROOTS / "networkd-252-recorded-broken"))
    chain = doc["chain"]
    (iface,) = chain["interfaces"]  # type: ignore[index]
    assert iface["name"] == "eth0"
    assert iface["lease"]["domain_name"] == "home.arpa" and iface["lease"]["search"] == []
    assert iface["backend"]["kind"] == "netplan" and iface["backend"]["use_dhcp_domains"] == "no"
    assert iface["link"]["domains"] == [] and iface["link"]["dns"] == ["10.98.0.1"]
    assert chain["resolv_conf_link"] == "/run/systemd/resolve/stub-resolv.conf"  # type: ignore[index]
    assert chain["resolv_conf"]["nameservers"] == ["127.0.0.53"]  # type: ignore[index]


def test_table_output_shows_the_chain_and_findings() -> None:
    result = invoke("dns", "--root", str(ROOTS / "ubuntu-24.04-broken"))
    assert result.exit_code == 1
    for text in ("interface enp1s0", "/etc/resolv.conf", "symlink to", "kubelet", "pod resolv.conf (ClusterFirst)",
                 "NB201", "NB202"):
        assert text in result.output


def test_kubelet_reading_the_stub(corpus: Path) -> None:
    root = str(ROOTS / "ubuntu-24.04-kubelet-stub")
    code, doc = run_dns("--root", root, "--file", str(corpus / "coredns" / "coredns-configmap.kubeadm.yaml"))
    assert code == 1
    found = {(f["rule"], f["severity"]) for f in doc["findings"]}  # type: ignore[union-attr]
    assert ("NB203", "error") in found and ("NB207", "error") in found
    unknown = next(f for f in doc["findings"] if f["rule"] == "NB203" and f["severity"] == "warning")  # type: ignore
    assert "resolveConf" in unknown["message"] and "resolvConf" in unknown["fix"]
    pods = doc["chain"]["pods"]  # type: ignore[index]
    assert pods["Default"]["nameservers"] == ["127.0.0.53"]
    assert pods["ClusterFirst"]["nameservers"] == ["10.96.0.10"]
    assert pods["ClusterFirst"]["search"][:3] == ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"]
    assert pods["ClusterFirst"]["options"] == ["ndots:5"]


def test_kubelet_reading_the_uplink_file_keeps_coredns_quiet(corpus: Path) -> None:
    _, doc = run_dns("--root", str(ROOTS / "ubuntu-24.04-fixed"),
                     "--file", str(corpus / "coredns" / "coredns-configmap.kubeadm.yaml"))
    assert "NB203" not in rules(doc) and "NB207" not in rules(doc)
    assert doc["chain"]["coredns"][0]["loop_plugin"] is True  # type: ignore[index]


def test_empty_root_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["dns", "--root", str(tmp_path), "-o", "json"])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith(f"netblame: error: {tmp_path}: nothing readable to diagnose")


def test_a_root_with_only_notes_still_reports_them(tmp_path: Path) -> None:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "resolv.conf").write_text("nameserver 10.0.0.1\n")
    code, doc = run_dns("--root", str(tmp_path))
    assert code == 0
    assert not any("/etc/resolv.conf not present" in n["message"] for n in doc["notes"])  # type: ignore[union-attr]


def test_bad_files_are_one_note_each(tmp_path: Path) -> None:
    shutil.copytree(ROOTS / "ubuntu-24.04-broken", tmp_path / "root", symlinks=True)
    root = tmp_path / "root"
    (root / "run/systemd/netif/leases/2").write_text("ADDRESS=10.98.0.51\nLIFETIME=3600\n%%% garbage\n"
                                                     "DOMAINNAME=home.arpa\n")
    (root / "etc/netplan/99-binary.yaml").write_bytes(b"\x00\x01\x02binary")
    (root / "etc/netplan/60-typo.yaml").write_text("network:\n  version: 2\n  ethernets:\n    enp1s0:\n"
                                                   "      dhcp4-overrides:\n        use-domain: true\n")
    code, doc = run_dns("--root", str(root))
    assert code == 1
    notes = [f"{n['at']}: {n['message']}" for n in doc["notes"]]  # type: ignore[union-attr]
    assert any("leases/2:3" in n and "garbage" in n for n in notes)
    assert any("99-binary.yaml" in n and "binary file" in n for n in notes)
    typo = [f for f in doc["findings"] if f["rule"] == "NB202" and "use-domain" in f["message"]]  # type: ignore
    assert typo and typo[0]["location"]["line"] == 6
    assert "NB201" in rules(doc)


def test_probe_on_a_missing_interface_is_a_usage_error() -> None:
    result = invoke("dns", "--root", str(ROOTS / "debian-12-broken"), "--probe", "nbt-dns-none0")
    assert result.exit_code == 2
    assert "no interface 'nbt-dns-none0'" in result.output


def test_check_reads_a_root_and_loose_files(corpus: Path) -> None:
    result = invoke("check", "--root", str(ROOTS / "ubuntu-24.04-kubelet-stub"),
                    str(corpus / "coredns" / "Corefile.kubeadm"), "-o", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {"NB203", "NB207"} <= set(rules(doc))


def test_check_recognises_a_tree_by_content() -> None:
    result = invoke("check", str(ROOTS / "debian-12-broken"), "-o", "json")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {"NB201", "NB202"} <= set(rules(doc))
    assert not doc["errors"]


def test_check_names_what_each_node_file_was_read_as() -> None:
    result = invoke("check", str(ROOTS / "ubuntu-24.04-broken"), "-o", "json")
    kinds = {Path(i["path"]).name: i["kind"] for i in json.loads(result.stdout)["inputs"]}
    assert kinds["resolved.conf"] == "resolved-conf"  # an ini file that also parses as a YAML list
    assert kinds["2"] in ("networkd-lease", "networkd-link-state")
    assert kinds["50-cloud-init.yaml"] == "netplan"
    assert kinds["10-netplan-enp1s0.network"] == "networkd-network"
    assert kinds["config.yaml"] == "kubelet-configuration"
    # the static pod gives the DNS checks the Kubernetes version, and the cluster checks its flags
    assert set(kinds["kube-apiserver.yaml"].split(", ")) == {"kubernetes-version", "control-plane-pod"}


def test_check_on_a_tree_reads_a_linked_resolver_file_once() -> None:
    result = invoke("check", str(ROOTS / "ubuntu-24.04-broken"), "-o", "json")
    assert rules(json.loads(result.stdout)).count("NB202") == 1
