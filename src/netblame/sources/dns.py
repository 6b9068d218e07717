"""Node DNS inputs for ``netblame check``, recognised by content (resolv.conf, systemd-networkd and
systemd-resolved files, netplan, leases, NetworkManager keyfiles, ifupdown, kubelet, CoreDNS).

One source per format, so the report names what each file was read as; recognition itself lives in
:mod:`netblame.dns.recognise` and is shared with ``netblame dns``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from netblame.dns.recognise import recognise_data, recognise_text
from netblame.model.dns import DnsSetup
from netblame.sources._base import Document

TEXT_KINDS = ("resolv-conf", "networkd-network", "resolved-conf", "networkmanager-keyfile", "networkd-lease",
              "networkd-link-state", "dhclient-lease", "ifupdown-interfaces", "kubelet-flags", "coredns-corefile",
              "dpkg-status", "os-release")
DATA_KINDS = ("netplan", "kubelet-configuration", "coredns-configmap", "kubernetes-version")


@lru_cache(maxsize=16)
def _text(text: str, path: str) -> tuple[str, DnsSetup] | None:
    return recognise_text(text, path)


def _recognise(doc: Document) -> tuple[str, DnsSetup] | None:
    """YAML/JSON documents by their data; any other file (an ini file may parse as a YAML list) by its text."""
    if isinstance(doc.data, (dict, list)):
        found = recognise_data(doc.data, doc.path, doc.line)
        if found is not None or doc.json:
            return found
    return _text(doc.text, doc.path) if doc.index == 0 else None


@dataclass(frozen=True)
class DnsSource:
    """One node DNS format."""

    kind: str

    def accepts(self, doc: Document) -> bool:
        found = _recognise(doc)
        return found is not None and found[0] == self.kind

    def read(self, doc: Document) -> Sequence[object]:
        found = _recognise(doc)
        return [found[1]] if found else []


SOURCES = tuple(DnsSource(kind) for kind in (*TEXT_KINDS, *DATA_KINDS))
