"""Content recognition shared by ``netblame check`` (sources) and ``netblame dns`` (a node's tree):
one text or YAML document in, a ``DnsSetup`` fragment out (or None when it is not a DNS input)."""

from __future__ import annotations

from typing import Any

from netblame.dns import backends, corefile, kubelet, netplan, networkd, packages, resolvconf
from netblame.dns.ini import looks_like_ini, parse_ini
from netblame.model.dns import DnsSetup, Note
from netblame.model.origin import Origin, Sourced
from netblame.sources._yaml import LineDict


def recognise_text(text: str, display: str, *, node_path: str | None = None,
                   ifindex: int | None = None) -> tuple[str, DnsSetup] | None:
    """A non-YAML input: resolv.conf, ini files, lease and link files, ifupdown, kubelet flags, Corefile."""
    if networkd.is_link_state(text):
        link, notes = networkd.parse_link_state(text, display, ifindex)
        return "networkd-link-state", DnsSetup(links=(link,), notes=tuple(notes))
    if networkd.is_lease(text):
        lease, notes = networkd.parse_lease(text, display, ifindex)
        return "networkd-lease", DnsSetup(leases=(lease,), notes=tuple(notes))
    if networkd.is_dhclient_lease(text):
        found = networkd.parse_dhclient_lease(text, display)
        return "dhclient-lease", DnsSetup(leases=(found,) if found else ())
    if packages.looks_like_dpkg_status(text):
        return "dpkg-status", DnsSetup(systemd_version=packages.systemd_version(text, display))
    if packages.looks_like_os_release(text):
        return "os-release", DnsSetup(os_release=packages.os_release_name(text, display))
    if looks_like_ini(text):
        return _ini(text, display)
    if resolvconf.looks_like_resolv_conf(text):
        return "resolv-conf", DnsSetup(resolv_files=(resolvconf.parse_resolv_conf(text, display, node_path),))
    if kubelet.is_kubelet_flags(text):
        return "kubelet-flags", DnsSetup(kubelet=(kubelet.parse_kubelet_flags(text, display),))
    if backends.is_ifupdown(text):
        return "ifupdown-interfaces", DnsSetup(ifupdown=tuple(backends.parse_ifupdown(text, display)))
    if corefile.looks_like_corefile(text):
        return "coredns-corefile", DnsSetup(corefiles=(corefile.parse_corefile(text, display),))
    return None


def _ini(text: str, display: str) -> tuple[str, DnsSetup] | None:
    ini = parse_ini(text, display)
    if backends.is_nm_keyfile(ini):
        return "networkmanager-keyfile", DnsSetup(nm_connections=(backends.parse_nm_keyfile(ini, display),),
                                                  notes=ini.notes)
    if "Resolve" in ini.sections:
        unit = networkd.build_unit("resolved", display, ini)
        return "resolved-conf", DnsSetup(units=(unit,), notes=ini.notes)
    if networkd.is_network_unit(ini):
        return "networkd-network", DnsSetup(units=(networkd.build_unit("network", display, ini),), notes=ini.notes)
    return None


def recognise_data(data: Any, display: str, line: int = 1) -> tuple[str, DnsSetup] | None:
    """A YAML/JSON document: netplan, KubeletConfiguration, a CoreDNS ConfigMap, kubeadm's kubernetesVersion."""
    if netplan.is_netplan(data):
        interfaces, unknown = netplan.parse_netplan(data, display)
        return "netplan", DnsSetup(netplan=tuple(interfaces), netplan_unknown=tuple(unknown))
    if kubelet.is_kubelet_configuration(data):
        return "kubelet-configuration", DnsSetup(kubelet=(kubelet.parse_kubelet_configuration(data, display, line),))
    if corefile.is_coredns_configmap(data):
        return "coredns-configmap", DnsSetup(corefiles=(corefile.parse_coredns_configmap(data, display),))
    version = kubernetes_version(data, display, line)
    if version is not None:
        return "kubernetes-version", DnsSetup(kubernetes_version=version)
    return None


def kubernetes_version(data: Any, display: str, line: int) -> Sourced[str] | None:
    """``kubernetesVersion`` of a kubeadm ClusterConfiguration, or the image tag of a kube-apiserver pod."""
    if not isinstance(data, dict):
        return None
    if data.get("kind") == "ClusterConfiguration" and data.get("kubernetesVersion"):
        where = data.line_of("kubernetesVersion") if isinstance(data, LineDict) else line
        return Sourced(str(data["kubernetesVersion"]), Origin(file=display, line=where))
    spec = data.get("spec")
    if data.get("kind") == "Pod" and isinstance(spec, dict):
        containers = spec.get("containers")
        for container in containers if isinstance(containers, list) else ():
            image = str(container.get("image", "")) if isinstance(container, dict) else ""
            if "kube-apiserver:" in image:
                return Sourced(image.rsplit(":", 1)[1], Origin(file=display, line=line, object="kube-apiserver image"))
    return None


def note(message: str, display: str, line: int | None = None) -> DnsSetup:
    """A fragment holding one note."""
    return DnsSetup(notes=(Note(message, Origin(file=display, line=line)),))
