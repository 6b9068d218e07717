"""Node DNS inputs, one :class:`~netblame.sources.Source` per format, recognised by content:
resolv.conf, systemd-networkd and systemd-resolved files, netplan, leases, NetworkManager keyfiles,
ifupdown, kubelet (configuration and flags), CoreDNS (Corefile and ConfigMap), the Kubernetes
version a node runs, and the node's systemd version and distribution (dpkg status, os-release).

``netblame check`` and the reading of a node's tree (:mod:`netblame.live.dns_tree`) both go through
these sources. A YAML/JSON document is recognised by its data; any other file (an ini file may parse
as a YAML list) by its text, and only its first document, so a file gets one DNS kind. Each content
test is cheap; the one parse it needs (the ini dialect) is shared with ``read``, so a file is parsed
once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Literal

from netblame._record import Record, record
from netblame.errors import InputError
from netblame.model.dns import DnsSetup, merge_dns
from netblame.model.origin import Origin, Sourced
from netblame.sources import corefile, kubelet, netplan, networkd, nm_ifupdown, packages, resolvconf
from netblame.sources._base import Document
from netblame.sources._yaml import LineDict
from netblame.sources.ini import IniFile, looks_like_ini, parse_ini
from netblame.sources.loader import parse_documents


@lru_cache(maxsize=16)
def _ini(text: str, path: str) -> IniFile:
    """The ini parse of a file, shared by the content test and the read of the source that takes it."""
    return parse_ini(text, path)


def _ini_kind(text: str, path: str) -> str | None:
    ini = _ini(text, path)
    if nm_ifupdown.is_nm_keyfile(ini):
        return "networkmanager-keyfile"
    if "Resolve" in ini.sections:
        return "resolved-conf"
    if networkd.is_network_unit(ini):
        return "networkd-network"
    return None


# The content tests of the plain-text DNS formats, most specific first (an ini file is told apart by its
# sections, in _ini_kind).
_TEXT_KINDS: tuple[tuple[Callable[[str], bool], str], ...] = (
    (networkd.is_link_state, "networkd-link-state"),
    (networkd.is_lease, "networkd-lease"),
    (networkd.is_dhclient_lease, "dhclient-lease"),
    (packages.looks_like_dpkg_status, "dpkg-status"),
    (packages.looks_like_os_release, "os-release"),
)
_LATE_TEXT_KINDS: tuple[tuple[Callable[[str], bool], str], ...] = (
    (resolvconf.looks_like_resolv_conf, "resolv-conf"),
    (kubelet.is_kubelet_flags, "kubelet-flags"),
    (nm_ifupdown.is_ifupdown, "ifupdown-interfaces"),
    (corefile.looks_like_corefile, "coredns-corefile"),
)


def _text_kind(text: str, path: str) -> str | None:
    """The DNS kind of a file that is not recognised by its data, by the first content test that holds."""
    early = next((kind for test, kind in _TEXT_KINDS if test(text)), None)
    if early is not None:
        return early
    if looks_like_ini(text):
        return _ini_kind(text, path)
    return next((kind for test, kind in _LATE_TEXT_KINDS if test(text)), None)


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


@record
class DataSource(Record):
    """A DNS format that is a YAML/JSON document, recognised by its data."""

    kind: str
    test: Callable[[Any], bool]
    parse: Callable[[Document], DnsSetup]

    def accepts(self, doc: Document) -> bool:
        return isinstance(doc.data, (dict, list)) and self.test(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        return [self.parse(doc)]


def _netplan(doc: Document) -> DnsSetup:
    interfaces, unknown = netplan.parse_netplan(doc.data, doc.path)
    return DnsSetup(netplan=tuple(interfaces), netplan_unknown=tuple(unknown))


def _has_version(data: Any) -> bool:
    return kubernetes_version(data, "", 1) is not None


def _version(doc: Document) -> DnsSetup:
    return DnsSetup(kubernetes_version=kubernetes_version(doc.data, doc.path, doc.line))


DATA_SOURCES = (
    DataSource("netplan", netplan.is_netplan, _netplan),
    DataSource("kubelet-configuration", kubelet.is_kubelet_configuration,
               lambda doc: DnsSetup(kubelet=(kubelet.parse_kubelet_configuration(doc.data, doc.path, doc.line),))),
    DataSource("coredns-configmap", corefile.is_coredns_configmap,
               lambda doc: DnsSetup(corefiles=(corefile.parse_coredns_configmap(doc.data, doc.path),))),
    DataSource("kubernetes-version", _has_version, _version),
)


def _by_data(doc: Document) -> bool:
    """True when a data source takes ``doc``, or it is JSON (which is never one of the text formats)."""
    return isinstance(doc.data, (dict, list)) and (doc.json or any(s.accepts(doc) for s in DATA_SOURCES))


@record
class TextSource(Record):
    """A DNS format that is plain text (resolv.conf, an ini file, a lease, kubelet flags, a Corefile)."""

    kind: str
    parse: Callable[[str, str], DnsSetup]

    def accepts(self, doc: Document) -> bool:
        return doc.index == 0 and not _by_data(doc) and _text_kind(doc.text, doc.path) == self.kind

    def read(self, doc: Document) -> Sequence[object]:
        return [self.parse(doc.text, doc.path)]


def _link_state(text: str, path: str) -> DnsSetup:
    link, notes = networkd.parse_link_state(text, path, None)
    return DnsSetup(links=(link,), notes=tuple(notes))


def _lease(text: str, path: str) -> DnsSetup:
    lease, notes = networkd.parse_lease(text, path, None)
    return DnsSetup(leases=(lease,), notes=tuple(notes))


def _dhclient(text: str, path: str) -> DnsSetup:
    found = networkd.parse_dhclient_lease(text, path)
    return DnsSetup(leases=(found,) if found else ())


def _keyfile(text: str, path: str) -> DnsSetup:
    ini = _ini(text, path)
    return DnsSetup(nm_connections=(nm_ifupdown.parse_nm_keyfile(ini, path),), notes=ini.notes)


def _unit(kind: Literal["network", "resolved"]) -> Callable[[str, str], DnsSetup]:
    def parse(text: str, path: str) -> DnsSetup:
        ini = _ini(text, path)
        return DnsSetup(units=(networkd.build_unit(kind, path, ini),), notes=ini.notes)
    return parse


TEXT_SOURCES = (
    TextSource("resolv-conf", lambda t, p: DnsSetup(resolv_files=(resolvconf.parse_resolv_conf(t, p),))),
    TextSource("networkd-network", _unit("network")),
    TextSource("resolved-conf", _unit("resolved")),
    TextSource("networkmanager-keyfile", _keyfile),
    TextSource("networkd-lease", _lease),
    TextSource("networkd-link-state", _link_state),
    TextSource("dhclient-lease", _dhclient),
    TextSource("ifupdown-interfaces", lambda t, p: DnsSetup(ifupdown=tuple(nm_ifupdown.parse_ifupdown(t, p)))),
    TextSource("kubelet-flags", lambda t, p: DnsSetup(kubelet=(kubelet.parse_kubelet_flags(t, p),))),
    TextSource("coredns-corefile", lambda t, p: DnsSetup(corefiles=(corefile.parse_corefile(t, p),))),
    TextSource("dpkg-status", lambda t, p: DnsSetup(systemd_version=packages.systemd_version(t, p))),
    TextSource("os-release", lambda t, p: DnsSetup(os_release=packages.os_release_name(t, p))),
)

SOURCES: tuple[TextSource | DataSource, ...] = (*TEXT_SOURCES, *DATA_SOURCES)


def read_dns(docs: Sequence[Document]) -> tuple[str, DnsSetup] | None:
    """The DNS kind of a file's documents and what they say (the fragments of every document that one
    of :data:`SOURCES` takes, merged), or None when no document is a DNS input."""
    kinds: list[str] = []
    parts: list[DnsSetup] = []
    for doc in docs:
        for source in SOURCES:
            if source.accepts(doc):
                kinds.append(source.kind)
                parts.extend(f for f in source.read(doc) if isinstance(f, DnsSetup))
                break
    if not parts:
        return None
    return kinds[0], merge_dns(parts)


def documents(text: str, path: str) -> tuple[list[Document], InputError | None]:
    """``text`` split into documents for :func:`read_dns`; text that is neither YAML nor JSON (an ini file
    starting with ``[``) is one document without data, returned with the parse error."""
    try:
        return parse_documents(text, path), None
    except InputError as exc:
        return [Document(path=path, text=text, data=None)], exc
