"""Calico: IPPool resources (``projectcalico.org/v3`` and the ``crd.projectcalico.org/v1`` CRD), the
tigera-operator ``Installation``, and the calico-node DaemonSet of the manifest install, whose env
creates the default pool (FACTS C).

Encapsulation is reported in one word per pool: ``ipip``, ``ipip-crosssubnet``, ``vxlan``,
``vxlan-crosssubnet`` or ``none``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Origin, Sourced
from netblame.sources._kube import ObjectSource, api_group, kind_of
from netblame.sources._tree import Cursor

# IPPool blockSize defaults and limits (FACTS C: docs.tigera.io ... reference/resources/ippool).
BLOCK_DEFAULT: dict[Family, int] = {4: 26, 6: 122}
BLOCK_RANGE: dict[Family, tuple[int, int]] = {4: (20, 32), 6: (116, 128)}
_MODE_WORD = {"Always": "", "CrossSubnet": "-crosssubnet"}
_OPERATOR_ENCAPSULATION = {"IPIP": "ipip", "IPIPCrossSubnet": "ipip-crosssubnet", "VXLAN": "vxlan",
                           "VXLANCrossSubnet": "vxlan-crosssubnet", "None": "none"}


def _block(cursor: Cursor, family: Family, what: str) -> Sourced[int]:
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


class IPPoolSource(ObjectSource):
    """``kind: IPPool`` of ``projectcalico.org`` or ``crd.projectcalico.org``; disabled pools are left out."""

    kind = "calico-ippool"
    object_kinds = frozenset({"IPPool"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "IPPool" and api_group(obj) in ("projectcalico.org", "crd.projectcalico.org")

    def read_object(self, obj: Cursor) -> Sequence[object]:
        spec = obj["spec"].mapping()
        disabled = spec["disabled"].boolean()
        if disabled is not None and disabled.value:
            return []
        cidr = _pool_cidr(spec["cidr"], "an IPPool cidr")
        block = _block(spec["blockSize"], cidr.family, "IPPool")
        return [as_cluster(CniConfig(name="calico", origin=obj.origin(), pools=(cidr,),
                          block_v4=block if cidr.family == 4 else None, block_v6=block if cidr.family == 6 else None,
                          routing=_ippool_encapsulation(spec)))]


class InstallationSource(ObjectSource):
    """tigera-operator ``kind: Installation`` (``operator.tigera.io``): ``spec.calicoNetwork.ipPools``."""

    kind = "calico-installation"
    object_kinds = frozenset({"Installation"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "Installation" and api_group(obj) == "operator.tigera.io"

    def read_object(self, obj: Cursor) -> Sequence[object]:
        spec = obj["spec"].mapping()
        pools: list[Cidr] = []
        blocks: dict[Family, Sourced[int]] = {}
        routing: Sourced[str] | None = None
        for item in spec["calicoNetwork"].mapping()["ipPools"].items():
            pool = item.mapping()
            cidr = _pool_cidr(pool["cidr"], "an ipPools cidr")
            pools.append(cidr)
            blocks.setdefault(cidr.family, _block(pool["blockSize"], cidr.family, "Installation ipPools"))
            encapsulation = pool["encapsulation"].sourced_text()
            if routing is None and encapsulation is not None:
                if encapsulation.value not in _OPERATOR_ENCAPSULATION:
                    raise pool["encapsulation"].error(f"one of {', '.join(_OPERATOR_ENCAPSULATION)}")
                routing = Sourced(_OPERATOR_ENCAPSULATION[encapsulation.value], encapsulation.origin)
        ipam = spec["cni"]["ipam"]["type"].sourced_text()
        return [as_cluster(CniConfig(name="calico", origin=obj.origin(), pools=tuple(pools), block_v4=blocks.get(4),
                          block_v6=blocks.get(6), routing=routing,
                          ipam_mode=None if ipam is None else Sourced(ipam.value.lower(), ipam.origin)))]


# calico-node's startup code: DEFAULT_IPV4_POOL_CIDR (FACTS C, projectcalico/calico
# node/pkg/lifecycle/startup). On Linux it then checks the node's own addresses and, when one lies in
# 192.168.0.0/16, takes the first of 172.16.0.0/16 .. 172.31.0.0/16 that holds none
# (node/pkg/lifecycle/startup/autodetection/ipv4/poolselector.go).
DEFAULT_V4_POOL = "192.168.0.0/16"
DEFAULT_V4_WHY = ("calico-node CALICO_IPV4POOL_CIDR unset: DEFAULT_IPV4_POOL_CIDR 192.168.0.0/16, or the first free "
                  "172.16-31.0.0/16 when a node address lies in 192.168.0.0/16")
_COMMENTED_ENV = re.compile(r"^\s*#\s*-\s*name:\s*[\"']?CALICO_IPV4POOL_CIDR\b", re.MULTILINE)


def _env(container: Cursor) -> dict[str, Cursor]:
    out: dict[str, Cursor] = {}
    for item in container["env"].items():
        name = item.mapping()["name"].text()
        if name is not None and "valueFrom" not in item.value:
            out[name] = item["value"]
    return out


def _commented_default(obj: Cursor) -> Origin:
    """Where the default pool comes from: the commented-out env line, when the manifest has one."""
    doc = obj.doc
    if not doc.json and doc.container is None:
        match = _COMMENTED_ENV.search(doc.text)
        if match is not None:
            line = doc.text.count("\n", 0, match.start()) + 1
            return Origin(file=doc.path, line=line, default=DEFAULT_V4_WHY + " (commented out here)")
    return obj.default_origin(DEFAULT_V4_WHY)


class CalicoNodeSource(ObjectSource):
    """The calico-node DaemonSet: ``CALICO_IPV4POOL_CIDR``/``CALICO_IPV6POOL_CIDR``, block sizes and
    encapsulation env of its ``calico-node`` container."""

    kind = "calico-node-daemonset"
    object_kinds = frozenset({"DaemonSet"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "DaemonSet" and self._container(obj) is not None

    @staticmethod
    def _container(obj: Cursor) -> Cursor | None:
        containers = obj.dig("spec.template.spec.containers")
        if not isinstance(containers.value, list):
            return None
        return next((c for c in containers.items()
                     if isinstance(c.value, dict) and c.value.get("name") == "calico-node"), None)

    def read_object(self, obj: Cursor) -> Sequence[object]:
        container = self._container(obj)
        assert container is not None
        env = _env(container)
        missing = Cursor(obj.doc, None, "env", container.line)
        pools: list[Cidr] = []
        blocks: dict[Family, Sourced[int]] = {}
        for family in (4, 6):
            cursor = env.get(f"CALICO_IPV{family}POOL_CIDR", missing)
            found = cursor.cidrs(f"an IPv{family} pool CIDR (CALICO_IPV{family}POOL_CIDR)", family=family)
            if not found and family == 4:
                found = (parse_cidr(DEFAULT_V4_POOL, _commented_default(obj)),)
            if found:
                pools.extend(found)
                blocks[family] = _block(env.get(f"CALICO_IPV{family}POOL_BLOCK_SIZE", missing), family,
                                        f"CALICO_IPV{family}POOL_BLOCK_SIZE")
        return [as_cluster(CniConfig(name="calico", origin=obj.origin(), pools=tuple(pools), block_v4=blocks.get(4),
                          block_v6=blocks.get(6), routing=self._routing(env, missing)))]

    @staticmethod
    def _routing(env: dict[str, Cursor], missing: Cursor) -> Sourced[str] | None:
        """Encapsulation of the default pool; None when the env does not say (the manifest sets both)."""
        modes = [env.get(name, missing).sourced_text() for name in ("CALICO_IPV4POOL_IPIP", "CALICO_IPV4POOL_VXLAN")]
        for mode, word in zip(modes, ("ipip", "vxlan"), strict=True):
            if mode is not None and mode.value in _MODE_WORD:
                return Sourced(word + _MODE_WORD[mode.value], mode.origin)
        never = [m for m in modes if m is not None and m.value == "Never"]
        return Sourced("none", never[0].origin) if len(never) == len(modes) else None


SOURCES = (IPPoolSource(), InstallationSource(), CalicoNodeSource())
