"""kubeadm ClusterConfiguration (v1beta1 to v1beta4) and what it hands to kube-controller-manager."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from netblame.errors import InputError
from netblame.model.cidr import Cidr, parse_cidr_list
from netblame.model.cluster import ClusterNetwork
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document
from netblame.sources._yaml import LineDict


def line_of(mapping: Any, key: str, fallback: int) -> int:
    """Line of ``key`` in a YAML mapping, or ``fallback`` for JSON input or a missing key."""
    if isinstance(mapping, LineDict):
        return mapping.key_lines.get(key, fallback)
    return fallback


def extra_args(component: Any, doc: Document) -> dict[str, tuple[str, Origin]]:
    """``extraArgs`` of a kubeadm component: a map (v1beta3 and older) or a name/value list (v1beta4)."""
    if not isinstance(component, dict):
        return {}
    args = component.get("extraArgs")
    out: dict[str, tuple[str, Origin]] = {}
    if isinstance(args, dict):
        for key, value in args.items():
            out[str(key)] = (str(value), doc.origin(line_of(args, key, doc.line)))
    elif isinstance(args, list):
        for i, item in enumerate(args):
            if isinstance(item, dict) and "name" in item:
                lines = getattr(args, "item_lines", None)
                out[str(item["name"])] = (str(item.get("value", "")), doc.origin(lines[i] if lines else doc.line))
    return out


def _mask(value: str, origin: Origin, name: str) -> Sourced[int]:
    try:
        return Sourced(int(value), origin)
    except ValueError:
        raise InputError(f"{name}: expected a prefix length such as 24, got {value!r}",
                         file=origin.file, line=origin.line) from None


class ClusterConfigurationSource:
    """``kind: ClusterConfiguration`` with ``apiVersion: kubeadm.k8s.io/*``."""

    kind = "kubeadm-cluster-configuration"

    def accepts(self, doc: Document) -> bool:
        return doc.kind == "ClusterConfiguration" and (doc.api_version or "").startswith("kubeadm.k8s.io/")

    def read(self, doc: Document) -> Sequence[object]:
        data = doc.data
        net = data.get("networking") or {}
        if not isinstance(net, dict):
            raise InputError("networking: expected a mapping", file=doc.path,
                             line=line_of(data, "networking", doc.line))
        pods: tuple[Cidr, ...] = ()
        if net.get("podSubnet"):
            pods = parse_cidr_list(net["podSubnet"], doc.origin(line_of(net, "podSubnet", doc.line)),
                                   what="a pod subnet")
        services: tuple[Cidr, ...] = ()
        if net.get("serviceSubnet"):
            services = parse_cidr_list(net["serviceSubnet"], doc.origin(line_of(net, "serviceSubnet", doc.line)),
                                       what="a service subnet")
        domain = None
        if net.get("dnsDomain"):
            domain = Sourced(str(net["dnsDomain"]), doc.origin(line_of(net, "dnsDomain", doc.line)))
        kcm = extra_args(data.get("controllerManager"), doc)
        mask_v4 = mask_v6 = None
        if "node-cidr-mask-size-ipv4" in kcm:
            mask_v4 = _mask(*kcm["node-cidr-mask-size-ipv4"], "node-cidr-mask-size-ipv4")
        if "node-cidr-mask-size-ipv6" in kcm:
            mask_v6 = _mask(*kcm["node-cidr-mask-size-ipv6"], "node-cidr-mask-size-ipv6")
        if "node-cidr-mask-size" in kcm:
            single = _mask(*kcm["node-cidr-mask-size"], "node-cidr-mask-size")
            if any(c.family == 6 for c in pods) and not any(c.family == 4 for c in pods):
                mask_v6 = mask_v6 or single
            else:
                mask_v4 = mask_v4 or single
        return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services, dns_domain=domain,
                               node_mask_v4=mask_v4, node_mask_v6=mask_v6)]


SOURCES = (ClusterConfigurationSource(),)
