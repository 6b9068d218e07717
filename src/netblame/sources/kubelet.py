"""kubelet's DNS settings: KubeletConfiguration (``resolvConf``, ``clusterDNS``, ``clusterDomain``) and the
flags file kubeadm writes (``/var/lib/kubelet/kubeadm-flags.env``, ``--resolv-conf``)."""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING, Any

from netblame.model import dns as dns_model  # its record classes load on first use
from netblame.model.dns import KUBELET_FIELDS
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document, line_at
from netblame.sources._flags import command_flags
from netblame.sources._tree import Cursor
from netblame.sources._yaml import LineDict

if TYPE_CHECKING:
    from netblame.model.dns import KubeletDns

_ARGS_LINE = re.compile(r'^(KUBELET_KUBEADM_ARGS|KUBELET_EXTRA_ARGS)=(.*)$', re.M)


def is_kubelet_configuration(data: Any) -> bool:
    """Content test: ``kind: KubeletConfiguration`` of ``kubelet.config.k8s.io``."""
    return (isinstance(data, dict) and data.get("kind") == "KubeletConfiguration"
            and str(data.get("apiVersion", "")).startswith("kubelet.config.k8s.io/"))


def parse_kubelet_configuration(data: Any, display: str, first_line: int = 1) -> KubeletDns:
    """The DNS fields of a KubeletConfiguration document and its unknown top-level keys."""
    def origin(key: str) -> Origin:
        return Origin(file=display, line=data.line_of(key) if isinstance(data, LineDict) else first_line)

    resolv = Sourced(str(data["resolvConf"] or ""), origin("resolvConf")) if "resolvConf" in data else None
    dns = data.get("clusterDNS")
    servers = tuple(Sourced(str(s), origin("clusterDNS")) for s in dns) if isinstance(dns, list) else ()
    domain = Sourced(str(data["clusterDomain"]), origin("clusterDomain")) if data.get("clusterDomain") else None
    unknown = tuple(Sourced(str(k), origin(str(k))) for k in data if str(k) not in KUBELET_FIELDS)
    return dns_model.KubeletDns(origin=Origin(file=display, line=first_line), resolv_conf=resolv, cluster_dns=servers,
                                cluster_domain=domain, unknown_keys=unknown)


def is_kubelet_flags(text: str) -> bool:
    """Content test: an environment file setting ``KUBELET_KUBEADM_ARGS`` or ``KUBELET_EXTRA_ARGS``."""
    return _ARGS_LINE.search(text) is not None


def parse_kubelet_flags(text: str, display: str) -> KubeletDns:
    """``--resolv-conf``, ``--cluster-dns`` and ``--cluster-domain`` from a kubelet flags file."""
    doc = Document(path=display, text=text, data=None)
    found: dict[str, Sourced[str]] = {}
    for match in _ARGS_LINE.finditer(text):
        line = line_at(text, match.start())
        value = match.group(2).strip()
        try:
            words = shlex.split(value)
        except ValueError:
            words = value.strip('"').split()
        flags = command_flags(Cursor(doc, w, "", line) for part in words for w in part.split())
        for name in ("resolv-conf", "cluster-dns", "cluster-domain"):
            if name in flags:
                found[name] = Sourced(str(flags[name].value), Origin(file=display, line=line, object=f"--{name}"))
    dns = found.get("cluster-dns")
    servers = tuple(Sourced(s, dns.origin) for s in dns.value.split(",") if s) if dns else ()
    return dns_model.KubeletDns(origin=Origin(file=display), from_flags=True, resolv_conf=found.get("resolv-conf"),
                                cluster_dns=servers, cluster_domain=found.get("cluster-domain"))
