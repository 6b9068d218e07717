"""Antrea's configuration files: ``antrea-agent.conf`` and ``antrea-controller.conf``, alone (as
``netblame plan`` writes them) or as the keys of the ``antrea-config`` ConfigMap in Antrea's manifest
(antrea-io/antrea build/charts/antrea/conf/antrea-agent.conf and antrea-controller.conf).

antrea-agent.conf's ``serviceCIDR``/``serviceCIDRv6`` are the cluster's service ranges ("should be set to the
same value as ... --service-cluster-ip-range for kube-apiserver"); antrea-controller.conf's ``nodeIPAM``,
when ``enableNodeIPAM`` is true, allocates each node's pod range from ``clusterCIDRs`` at
``nodeCIDRMaskSizeIPv4``/``IPv6``, as kube-controller-manager would. Recognised by Antrea's own keys.
"""

from __future__ import annotations

from collections.abc import Sequence

from netblame.model.cidr import Cidr
from netblame.model.cluster import ClusterNetwork
from netblame.model.origin import Sourced
from netblame.sources._base import Document
from netblame.sources._embedded import embedded_yaml
from netblame.sources._kube import ObjectSource, kind_of
from netblame.sources._tree import Cursor

# Keys only Antrea's agent configuration has (its chart's conf/antrea-agent.conf).
AGENT_KEYS = frozenset({"trafficEncapMode", "tunnelType", "ovsBridge", "hostGateway", "trafficEncryptionMode",
                        "antreaProxy", "noSNAT"})
CONF_KEYS = ("antrea-agent.conf", "antrea-controller.conf")


def looks_like_antrea_conf(data: object) -> bool:
    """An antrea-agent.conf (one of its own keys) or antrea-controller.conf (``nodeIPAM.enableNodeIPAM``)."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data:
        return False
    ipam = data.get("nodeIPAM")
    return bool(AGENT_KEYS & set(data)) or (isinstance(ipam, dict) and "enableNodeIPAM" in ipam)


def read_conf(root: Cursor) -> ClusterNetwork:
    """The service ranges and, with node IPAM on, the pod ranges and node masks one file gives."""
    conf = root.mapping()
    services: list[Cidr] = [*conf["serviceCIDR"].cidrs("an IPv4 service range such as 10.96.0.0/12", family=4),
                            *conf["serviceCIDRv6"].cidrs("an IPv6 service range such as fd00::/112", family=6)]
    ipam = conf["nodeIPAM"].mapping()
    enabled = ipam["enableNodeIPAM"].boolean()
    pods: tuple[Cidr, ...] = ()
    masks: dict[int, Sourced[int] | None] = {4: None, 6: None}
    if enabled is not None and enabled.value:
        pods = ipam["clusterCIDRs"].cidrs("a pod range such as 10.244.0.0/16")
        services += ipam["serviceCIDR"].cidrs("an IPv4 service range", family=4)
        services += ipam["serviceCIDRv6"].cidrs("an IPv6 service range", family=6)
        masks = {4: ipam["nodeCIDRMaskSizeIPv4"].integer("a mask from 16 to 30", low=16, high=30),
                 6: ipam["nodeCIDRMaskSizeIPv6"].integer("a mask from 64 to 126", low=64, high=126)}
    unique = tuple({c.network: c for c in services}.values())
    return ClusterNetwork(pod_cidrs=pods, service_cidrs=unique, node_mask_v4=masks[4], node_mask_v6=masks[6],
                          allocate_node_cidrs=enabled if enabled is not None and enabled.value else None)


class AntreaConfSource:
    """``antrea-agent.conf`` or ``antrea-controller.conf`` on its own."""

    kind = "antrea-conf"

    def accepts(self, doc: Document) -> bool:
        return looks_like_antrea_conf(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        return [read_conf(Cursor.root(doc))]


class AntreaConfigMapSource(ObjectSource):
    """The ``antrea-config`` ConfigMap of Antrea's manifest (keys ``antrea-agent.conf``, ``antrea-controller.conf``)."""

    kind = "antrea-configmap"
    object_kinds = frozenset({"ConfigMap"})

    def matches(self, obj: Cursor) -> bool:
        data = obj["data"].value
        return kind_of(obj) == "ConfigMap" and isinstance(data, dict) and any(k in data for k in CONF_KEYS)

    def read_object(self, obj: Cursor) -> Sequence[object]:
        return [read_conf(Cursor.root(doc)) for key in CONF_KEYS if not obj["data"][key].missing
                for doc in embedded_yaml(obj["data"][key]) if isinstance(doc.data, dict)]


SOURCES = (AntreaConfigMapSource(), AntreaConfSource())
