"""Node DNS inputs for ``netblame check``, recognised by content (resolv.conf, systemd-networkd and
systemd-resolved files, netplan, leases, NetworkManager keyfiles, ifupdown, kubelet, CoreDNS)."""

from __future__ import annotations

from collections.abc import Sequence

from netblame.dns.recognise import recognise_data, recognise_text
from netblame.model.dns import DnsSetup
from netblame.sources._base import Document


class DnsTextSource:
    """Plain-text node files: resolv.conf, ``.network``, resolved.conf, keyfiles, leases, link state,
    /etc/network/interfaces, kubelet flags, a Corefile."""

    kind = "node-dns-file"

    def accepts(self, doc: Document) -> bool:
        return doc.index == 0 and not isinstance(doc.data, (dict, list)) and self._read(doc) is not None

    def read(self, doc: Document) -> Sequence[object]:
        found = self._read(doc)
        return [found[1]] if found else []

    @staticmethod
    def _read(doc: Document) -> tuple[str, DnsSetup] | None:
        return recognise_text(doc.text, doc.path)


class DnsYamlSource:
    """YAML documents about node DNS: netplan, KubeletConfiguration, the CoreDNS ConfigMap, kubernetesVersion."""

    kind = "node-dns-yaml"

    def accepts(self, doc: Document) -> bool:
        return recognise_data(doc.data, doc.path, doc.line) is not None

    def read(self, doc: Document) -> Sequence[object]:
        found = recognise_data(doc.data, doc.path, doc.line)
        return [found[1]] if found else []


SOURCES = (DnsTextSource(), DnsYamlSource())
