"""Which offered options a node is set up to use, read from hand-written /etc and /run trees."""

from __future__ import annotations

from pathlib import Path

from netblame.dns.dhcp_use import HostUse
from netblame.dns.dhcp_use import host_use as host_use_of
from netblame.live.dns_tree import read_tree


def host_use(iface: str, root: object) -> HostUse:
    return host_use_of(iface, read_tree(str(root)))


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


NETPLAN = "network:\n  version: 2\n  renderer: networkd\n  ethernets:\n    eth0:\n      dhcp4: true\n"
GENERATED = ("[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=ipv6\n\n"
             "[DHCP]\nRouteMetric=100\nUseMTU=true\n")  # what netplan 0.106 writes for NETPLAN


def test_ubuntu_netplan_without_use_domains(tmp_path: Path) -> None:
    root = tree(tmp_path, {"etc/netplan/50-cloud-init.yaml": NETPLAN,
                           "run/systemd/network/10-netplan-eth0.network": GENERATED})
    use = host_use("eth0", root)
    verdict = {u.code: u.use for u in use.uses}
    assert verdict == {1: "yes", 3: "yes", 6: "yes", 15: "no", 119: "no", 121: "yes"}
    assert "does not even request option 119" in (use.use_of(119) or use.uses[0]).why
    assert use.config is not None and use.config.startswith("netplan")


def test_networkd_dropin_settings_win(tmp_path: Path) -> None:
    root = tree(tmp_path, {
        "etc/systemd/network/20-wired.network": "[Match]\nName=en*\n\n[Network]\nDHCP=yes\n\n[DHCPv4]\nUseDNS=no\n",
        "etc/systemd/network/20-wired.network.d/domains.conf": "[DHCPv4]\nUseDomains=route\nUseRoutes=false\n",
        "lib/systemd/network/80-wifi-adhoc.network": "[Match]\nType=wlan\nWLANInterfaceType=ad-hoc\n\n"
                                                     "[Network]\nLinkLocalAddressing=yes\n",
    })
    use = host_use("enp1s0", root)
    verdict = {u.code: u.use for u in use.uses}
    assert verdict == {1: "yes", 3: "no", 6: "no", 15: "route", 119: "route", 121: "no"}
    assert "domains.conf" in (use.use_of(119) or use.uses[0]).why
    assert "follows UseRoutes" in (use.use_of(3) or use.uses[0]).why


def test_no_configuration_for_the_link(tmp_path: Path) -> None:
    use = host_use("eth0", tree(tmp_path, {"etc/hostname": "node1\n"}))
    assert use.uses == () and use.note is not None and "eth0" in use.note


def test_empty_assignment_in_a_dropin_resets_to_the_default(tmp_path: Path) -> None:
    root = tree(tmp_path, {
        "etc/systemd/network/20-wired.network": "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nUseDNS=no\n",
        "etc/systemd/network/20-wired.network.d/reset.conf": "[DHCPv4]\nUseDNS=\n",
    })
    use = host_use("eth0", root)
    dns = use.use_of(6)
    assert dns is not None and dns.use == "yes" and "not set" in dns.why
