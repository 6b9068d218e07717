"""Cilium: Helm values (current keys and the pre-1.14 ``tunnel:`` layout) and the cilium-config
ConfigMap the chart renders from them.

A values file only says what differs from the chart, so unset settings are filled with the chart's
defaults (FACTS B.1, B.4; cilium/cilium install/kubernetes/cilium/values.yaml), each with a
``default`` origin naming the chart key. The ConfigMap is what the agent and operator actually read;
nothing is defaulted there.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Sourced
from netblame.sources._base import ReadNote
from netblame.sources._kube import ObjectSource, kind_of, name_of
from netblame.sources._subchart import ChartValuesSource
from netblame.sources._tree import Cursor

CHART = "Cilium Helm chart"
CLUSTER_POOL_MODES = ("cluster-pool", "cluster-pool-v2beta")
# IPAM modes with documentation upstream (FACTS B.1).
IPAM_MODES = frozenset({*CLUSTER_POOL_MODES, "kubernetes", "multi-pool", "crd", "eni", "azure",
                        "azure-delegated-ipam", "gke", "alibabacloud", "delegated-plugin"})
# Top-level keys of the chart's values.yaml that no other common values file uses together.
VALUES_KEYS = frozenset({
    "ipam", "routingMode", "tunnelProtocol", "tunnel", "kubeProxyReplacement", "k8sServiceHost", "k8sServicePort",
    "ipv4NativeRoutingCIDR", "ipv6NativeRoutingCIDR", "autoDirectNodeRoutes", "hubble", "bpf", "MTU",
    "enableIPv4Masquerade", "l2announcements", "bgpControlPlane", "socketLB", "egressGateway", "envoy",
    "gatewayAPI", "bandwidthManager", "ipMasqAgent", "identityAllocationMode", "endpointRoutes", "hostFirewall",
})
# Chart defaults (FACTS B.1): pool list and per-node mask per family; family switches from values.yaml
# (ipv4.enabled: true, ipv6.enabled: false).
POOL_DEFAULTS: dict[Family, tuple[str, int]] = {4: ("10.0.0.0/8", 24), 6: ("fd00::/104", 120)}
FAMILY_ENABLED_DEFAULT: dict[Family, bool] = {4: True, 6: False}


def looks_like_values(data: object) -> bool:
    """True for a Cilium Helm values mapping: ``ipam`` in Cilium's terms, or two chart-specific keys."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data:
        return False
    ipam = data.get("ipam")
    if isinstance(ipam, dict):
        operator = ipam.get("operator")
        if isinstance(operator, dict) and any(str(k).startswith("clusterPoolIPv") for k in operator):
            return True
        if str(ipam.get("mode")) in IPAM_MODES:
            return True
    return sum(1 for key in data if key in VALUES_KEYS) >= 2


def _mtu(cursor: Cursor) -> Sourced[int] | None:
    """The MTU Cilium is given; 0, in the values and in cilium-config alike, sets none."""
    mtu = cursor.integer("an MTU such as 1450")
    return mtu if mtu is not None and mtu.value > 0 else None


def _enabled(values: Cursor, family: Family) -> bool:
    flag = values[f"ipv{family}"]["enabled"].boolean()
    return FAMILY_ENABLED_DEFAULT[family] if flag is None else flag.value


def _pool(values: Cursor, family: Family) -> tuple[tuple[Cidr, ...], Sourced[int]]:
    """The cluster-pool list and mask of ``family``: list, else the pre-1.14 single key, else defaults."""
    operator = values["ipam"]["operator"]
    v = f"IPv{family}"
    what = f"an IPv{family} pool CIDR"
    pools = operator[f"clusterPool{v}PodCIDRList"].cidrs(what, family=family)
    if not pools:
        # Before 1.14 the chart also had clusterPoolIPv4PodCIDR, "deprecated in favor of ...List",
        # and used it while the list was empty (values-v1.12: list [], single 10.0.0.0/8).
        pools = operator[f"clusterPool{v}PodCIDR"].cidrs(what, family=family)
    if not pools:
        text, _ = POOL_DEFAULTS[family]
        cursor = operator[f"clusterPool{v}PodCIDRList"]
        pools = (parse_cidr(text, cursor.default_origin(f"{CHART} ipam.operator.clusterPool{v}PodCIDRList"),
                            what=what),)
    mask_cursor = operator[f"clusterPool{v}MaskSize"]
    mask = mask_cursor.integer("a prefix length such as 24", high=32 if family == 4 else 128)
    if mask is None:
        why = f"{CHART} ipam.operator.clusterPool{v}MaskSize"
        mask = Sourced(POOL_DEFAULTS[family][1], mask_cursor.default_origin(why))
    return pools, mask


def _routing(values: Cursor) -> Sourced[str]:
    """``native``, or the tunnel protocol (``vxlan``/``geneve``), current or pre-1.14 keys (FACTS B.4)."""
    mode = values["routingMode"].sourced_text()
    legacy = values["tunnel"].sourced_text()
    if mode is None and legacy is not None:
        return Sourced("native", legacy.origin) if legacy.value == "disabled" else legacy
    if mode is None:
        for cloud in (values["eni"]["enabled"].boolean(), values["gke"]["enabled"].boolean()):
            if cloud is not None and cloud.value:
                return Sourced("native", cloud.origin)
    if mode is not None and mode.value == "native":
        return mode
    protocol = values["tunnelProtocol"].sourced_text()
    if protocol is not None:
        return protocol
    why = f"{CHART} routingMode tunnel, tunnelProtocol vxlan"
    return Sourced("vxlan", values["tunnelProtocol"].default_origin(why))


def read_values(values: Cursor) -> CniConfig:
    """A CniConfig from a Cilium Helm values mapping, chart defaults filled in."""
    values = values.mapping()
    mode = values["ipam"]["mode"].sourced_text() or Sourced(
        "cluster-pool", values["ipam"]["mode"].default_origin(f"{CHART} ipam.mode"))
    pools: tuple[Cidr, ...] = ()
    masks: dict[Family, Sourced[int]] = {}
    if mode.value in CLUSTER_POOL_MODES:
        for family in (4, 6):
            if _enabled(values, family):
                family_pools, masks[family] = _pool(values, family)
                pools += family_pools
    return CniConfig(name="cilium", origin=values.origin(), ipam_mode=mode, pools=pools,
                     block_v4=masks.get(4), block_v6=masks.get(6), routing=_routing(values),
                     mtu=_mtu(values["MTU"]))


def _config_routing(data: Cursor) -> Sourced[str] | None:
    mode = data["routing-mode"].sourced_text()
    if mode is not None and mode.value == "native":
        return mode
    if mode is not None:
        return data["tunnel-protocol"].sourced_text() or Sourced(
            "vxlan", data["tunnel-protocol"].default_origin(f"{CHART} tunnelProtocol"))
    legacy = data["tunnel"].sourced_text()
    if legacy is not None and legacy.value == "disabled":
        return Sourced("native", legacy.origin)
    return legacy


# The agent image of the manifest a cilium-config comes with (``docker.io/cilium/cilium:v1.6.6``).
_AGENT_IMAGE = re.compile(r"cilium/cilium:v1\.(\d+)\.\d+")
# Agents up to 1.8 ran hostscope IPAM when cilium-config has no ``ipam`` (docs "Host Scope (default)"; the 1.9
# docs call it "Host Scope (Legacy)", deprecated): each node allocates from its spec.podCIDR when it has one,
# else from 10.X.0.0/16, X the last byte of its first global IPv4 address, inside 10.0.0.0/8 (cilium/cilium
# v1.6.8 pkg/defaults/node.go: DefaultIPv4Prefix "10.%d.0.1", DefaultIPv4PrefixLen 16,
# DefaultIPv4ClusterPrefixLen 8).
HOSTSCOPE_UNTIL = 8


def _hostscope(obj: Cursor) -> tuple[CniConfig, ReadNote] | None:
    """What an agent of 1.8 or older runs with when its cilium-config has no ``ipam`` (the image says which): the
    hostscope mode and its /16 per node; the node ranges follow the node addresses, so no pool is recorded."""
    found = _AGENT_IMAGE.search(obj.doc.text)
    if found is None or int(found.group(1)) > HOSTSCOPE_UNTIL:
        return None
    version = f"Cilium 1.{found.group(1)}"
    where = obj["data"]["ipam"].default_origin(f"{version} agent ipam (unset in cilium-config): hostscope")
    mask_at = dataclasses.replace(where, default=f"{version} hostscope per-node prefix length")
    note = ReadNote(f"cilium-config has no ipam, so the {version} agent of this manifest runs hostscope IPAM (its "
                    "default then): each node allocates from its spec.podCIDR when it has one, else from 10.X.0.0/16, "
                    "X the last byte of the node's first global IPv4 address (inside 10.0.0.0/8), so two nodes "
                    "whose addresses end in the same byte take the same range", obj.origin())
    return CniConfig(name="cilium", origin=obj.origin(), ipam_mode=Sourced("hostscope", where),
                     block_v4=Sourced(16, mask_at)), note


class CiliumConfigMapSource(ObjectSource):
    """The ``cilium-config`` ConfigMap (keys ``ipam``, ``cluster-pool-ipv4-cidr``, ...; FACTS B.1, B.4)."""

    kind = "cilium-configmap"
    object_kinds = frozenset({"ConfigMap"})

    def matches(self, obj: Cursor) -> bool:
        data = obj["data"].value
        return kind_of(obj) == "ConfigMap" and isinstance(data, dict) and (
            name_of(obj) == "cilium-config" or "cluster-pool-ipv4-cidr" in data)

    def read_object(self, obj: Cursor) -> Sequence[object]:
        data = obj["data"].mapping()
        mode = data["ipam"].sourced_text()
        if mode is None:
            legacy = _hostscope(obj)
            if legacy is not None:
                cni, note = legacy
                return [as_cluster(dataclasses.replace(cni, routing=_config_routing(data), mtu=_mtu(data["mtu"]))),
                        note]
        pools: tuple[Cidr, ...] = ()
        masks: dict[Family, Sourced[int] | None] = {4: None, 6: None}
        if mode is None or mode.value in CLUSTER_POOL_MODES:
            for family in (4, 6):
                enabled = data[f"enable-ipv{family}"].boolean()
                if enabled is not None and not enabled.value:
                    continue
                # cluster-pool-ipv4-cidr is a blank-separated list (the chart joins the Helm list with " ").
                pools += data[f"cluster-pool-ipv{family}-cidr"].cidrs(f"an IPv{family} pool CIDR", family=family,
                                                                        spaces=True)
                masks[family] = data[f"cluster-pool-ipv{family}-mask-size"].integer(
                    "a prefix length such as 24", high=32 if family == 4 else 128)
        return [as_cluster(CniConfig(name="cilium", origin=obj.origin(), ipam_mode=mode, pools=pools,
                                     block_v4=masks[4], block_v6=masks[6], routing=_config_routing(data),
                                     mtu=_mtu(data["mtu"])))]


# A Cilium Helm values file (``values.yaml``, ``helm get values cilium -o yaml|json``), alone or under an
# umbrella chart's ``cilium:`` key.
HELM_VALUES = ChartValuesSource("cilium-helm-values", "cilium", "Cilium", looks_like_values, read_values)
SOURCES = (HELM_VALUES, CiliumConfigMapSource())
