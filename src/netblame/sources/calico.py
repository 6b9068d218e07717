"""Calico's API resources: IPPool (``projectcalico.org/v3`` and the ``crd.projectcalico.org/v1`` CRD)
and the tigera-operator ``Installation`` (FACTS C). The manifest install is read by
:mod:`netblame.sources.calico_manifest`.

Encapsulation is reported in one word per pool: ``ipip``, ``ipip-crosssubnet``, ``vxlan``,
``vxlan-crosssubnet`` or ``none``.
"""

from __future__ import annotations

from collections.abc import Sequence

from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import ReadNote
from netblame.sources._kube import ObjectSource, api_group, kind_of
from netblame.sources._subchart import ChartValuesSource
from netblame.sources._tree import Cursor

# IPPool blockSize defaults and limits (FACTS C: docs.tigera.io ... reference/resources/ippool).
BLOCK_DEFAULT: dict[Family, int] = {4: 26, 6: 122}
BLOCK_RANGE: dict[Family, tuple[int, int]] = {4: (20, 32), 6: (116, 128)}
_MODE_WORD = {"Always": "", "CrossSubnet": "-crosssubnet"}
_OPERATOR_ENCAPSULATION = {"IPIP": "ipip", "IPIPCrossSubnet": "ipip-crosssubnet", "VXLAN": "vxlan",
                           "VXLANCrossSubnet": "vxlan-crosssubnet", "None": "none"}
# Installation spec.cni.ipam.type -> the IPAM plugin it runs (calico-ipam, or host-local on node podCIDRs).
_OPERATOR_IPAM = {"Calico": "calico-ipam", "HostLocal": "host-local"}


def block_size(cursor: Cursor, family: Family, what: str) -> Sourced[int]:
    low, high = BLOCK_RANGE[family]
    block = cursor.integer(f"a block size from {low} to {high} for IPv{family}", low=low, high=high)
    return block or Sourced(BLOCK_DEFAULT[family], cursor.default_origin(f"Calico {what} blockSize"))


def _pool_cidr(cursor: Cursor, what: str, family: Family | None = None) -> Cidr:
    cidrs = cursor.cidrs(what, family=family)
    if len(cidrs) != 1:
        raise cursor.error(f"one CIDR for {what} such as 10.244.0.0/16")
    return cidrs[0]


def _ippool_encapsulation(spec: Cursor) -> Sourced[str]:
    for field, word in (("ipipMode", "ipip"), ("vxlanMode", "vxlan")):
        mode = spec[field].sourced_text()
        if mode is not None and mode.value in _MODE_WORD:
            return Sourced(word + _MODE_WORD[mode.value], mode.origin)
    return Sourced("none", spec["ipipMode"].default_origin("Calico IPPool ipipMode and vxlanMode Never"))


def _assumed(obj: Cursor, version: str) -> list[ReadNote]:
    """The note for an object pasted without ``apiVersion``."""
    if api_group(obj) is not None:
        return []
    return [ReadNote(f"{kind_of(obj)} without apiVersion, taken as {version}", obj.origin())]


class IPPoolSource(ObjectSource):
    """``kind: IPPool`` of ``projectcalico.org`` or ``crd.projectcalico.org``; disabled pools are left out."""

    kind = "calico-ippool"
    object_kinds = frozenset({"IPPool"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "IPPool" and api_group(obj) in ("projectcalico.org", "crd.projectcalico.org", None)

    def read_object(self, obj: Cursor) -> Sequence[object]:
        spec = obj["spec"].mapping()
        disabled = spec["disabled"].boolean()
        if disabled is not None and disabled.value:
            return []
        cidr = _pool_cidr(spec["cidr"], "an IPPool cidr")
        block = block_size(spec["blockSize"], cidr.family, "IPPool")
        return [as_cluster(CniConfig(name="calico", origin=obj.origin(), pools=(cidr,),
                                     block_v4=block if cidr.family == 4 else None,
                                     block_v6=block if cidr.family == 6 else None,
                                     routing=_ippool_encapsulation(spec))), *_assumed(obj, "projectcalico.org/v3")]


class InstallationSource(ObjectSource):
    """tigera-operator ``kind: Installation`` (``operator.tigera.io``): ``spec.calicoNetwork.ipPools``."""

    kind = "calico-installation"
    object_kinds = frozenset({"Installation"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "Installation" and api_group(obj) in ("operator.tigera.io", None)

    def read_object(self, obj: Cursor) -> Sequence[object]:
        return [as_cluster(read_installation(obj["spec"], obj.origin())), *_assumed(obj, "operator.tigera.io/v1")]


# The tigera-operator Helm chart (projectcalico/calico charts/tigera-operator values.yaml): its
# `installation:` block is the Installation's spec. Without ipPools the operator creates the default pool
# like calico-node does (kubeadm's podSubnet, else 192.168.0.0/16; FACTS C), block size 26.
OPERATOR_DEFAULT_POOL = "192.168.0.0/16"
OPERATOR_DEFAULT_WHY = ("tigera-operator default pool with no ipPools: kubeadm's podSubnet when there is one, else "
                        "192.168.0.0/16 (or a free 172.16-31.0.0/16 when a node address lies in it)")
_INSTALLATION_KEYS = frozenset({"enabled", "kubernetesProvider", "calicoNetwork", "cni", "registry", "imagePath",
                                "variant", "flexVolumePath", "kubeletVolumePluginPath", "nodeMetricsPort",
                                "typhaMetricsPort", "controlPlaneReplicas", "imagePullSecrets", "nonPrivileged"})


def read_installation(spec: Cursor, origin: Origin, *, default_pool: bool = False) -> CniConfig:
    """A CniConfig from an Installation spec (or the chart's ``installation:`` block)."""
    spec = spec.mapping()
    pools: list[Cidr] = []
    blocks: dict[Family, Sourced[int]] = {}
    routing: Sourced[str] | None = None
    for item in spec["calicoNetwork"].mapping()["ipPools"].items():
        pool = item.mapping()
        cidr = _pool_cidr(pool["cidr"], "an ipPools cidr")
        pools.append(cidr)
        blocks.setdefault(cidr.family, block_size(pool["blockSize"], cidr.family, "Installation ipPools"))
        encapsulation = pool["encapsulation"].sourced_text()
        if routing is None and encapsulation is not None:
            if encapsulation.value not in _OPERATOR_ENCAPSULATION:
                raise pool["encapsulation"].error(f"one of {', '.join(_OPERATOR_ENCAPSULATION)}")
            routing = Sourced(_OPERATOR_ENCAPSULATION[encapsulation.value], encapsulation.origin)
    follows = False
    if not pools and default_pool:
        where = spec["calicoNetwork"]["ipPools"]
        pools.append(parse_cidr(OPERATOR_DEFAULT_POOL, where.default_origin(OPERATOR_DEFAULT_WHY), what="a pool"))
        blocks[4] = block_size(where["blockSize"], 4, "tigera-operator default pool")
        follows = True
    ipam = spec["cni"]["ipam"]["type"].sourced_text()
    if ipam is not None:
        ipam = Sourced(_OPERATOR_IPAM.get(ipam.value, ipam.value.lower()), ipam.origin)
    return CniConfig(name="calico", origin=origin, pools=tuple(pools), block_v4=blocks.get(4),
                     block_v6=blocks.get(6), routing=routing, ipam_mode=ipam, pools_follow_pod_range=follows)


def looks_like_operator_values(data: object) -> bool:
    """True for the tigera-operator chart's values: an ``installation:`` mapping of Installation spec keys
    next to ``tigeraOperator:`` or ``apiServer:``, or holding ``calicoNetwork``."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data:
        return False
    installation = data.get("installation")
    if not isinstance(installation, dict) or not installation or not set(installation) <= _INSTALLATION_KEYS:
        return False
    return "calicoNetwork" in installation or bool({"tigeraOperator", "apiServer"} & set(data))


def _read_operator_values(values: Cursor) -> CniConfig:
    installation = values.mapping()["installation"]
    return read_installation(installation, installation.origin(), default_pool=True)


# tigera-operator chart values, alone or under an umbrella chart's `tigera-operator:` or `calico:` key.
OPERATOR_VALUES = ChartValuesSource("calico-helm-values", "calico", "Calico tigera-operator",
                                    looks_like_operator_values, _read_operator_values)


SOURCES = (IPPoolSource(), InstallationSource(), OPERATOR_VALUES)
