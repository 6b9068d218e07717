"""Calico's manifest install (``calico.yaml``): the calico-node DaemonSet, whose env creates the
default pool, and the calico-config ConfigMap, whose CNI configuration names the IPAM plugin
(FACTS C).

Both describe the same Calico: the ConfigMap only says which IPAM plugin runs, and the merge folds
that into the DaemonSet's pools.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import line_at
from netblame.sources._embedded import block_offset
from netblame.sources._kube import ObjectSource, kind_of
from netblame.sources._tree import Cursor
from netblame.sources.calico import block_size

# calico-node creates the default IPv4 pool, when no pool exists, from (projectcalico/calico
# node/pkg/lifecycle/startup/startup.go, configureIPPools): CALICO_IPV4POOL_CIDR; else the podSubnet of
# the kubeadm-config ConfigMap; else DEFAULT_IPV4_POOL_CIDR 192.168.0.0/16 (FACTS C), unless one of the
# node's own addresses lies in it, then the first of 172.16.0.0/16 .. 172.31.0.0/16 that holds none
# (autodetection/ipv4/poolselector.go). The kubeadm step is applied when the model is merged.
DEFAULT_V4_POOL = "192.168.0.0/16"
DEFAULT_V4_WHY = ("calico-node pool with CALICO_IPV4POOL_CIDR unset and no kubeadm podSubnet: 192.168.0.0/16, "
                  "or the first free 172.16-31.0.0/16 when a node address lies in it")
# createIPPool's parsing of CALICO_IPV4POOL_IPIP / _VXLAN (case-insensitive; unset means Never).
_ENV_MODE = {"": "never", "off": "never", "never": "never", "always": "",
             "crosssubnet": "-crosssubnet", "cross-subnet": "-crosssubnet"}
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
            return Origin(file=doc.path, line=line_at(doc.text, match.start()),
                          default=DEFAULT_V4_WHY + " (commented out here)")
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
        follows = False
        for family in (4, 6):
            cursor = env.get(f"CALICO_IPV{family}POOL_CIDR", missing)
            found = cursor.cidrs(f"an IPv{family} pool CIDR (CALICO_IPV{family}POOL_CIDR)", family=family)
            if not found and family == 4:
                # unset IPv6 means a random ULA /48 (GenerateIPv6ULAPrefix): nothing to record
                found, follows = (parse_cidr(DEFAULT_V4_POOL, _commented_default(obj)),), True
            if found:
                pools.extend(found)
                blocks[family] = block_size(env.get(f"CALICO_IPV{family}POOL_BLOCK_SIZE", missing), family,
                                        f"CALICO_IPV{family}POOL_BLOCK_SIZE")
        return [as_cluster(CniConfig(name="calico", origin=obj.origin(), pools=tuple(pools), block_v4=blocks.get(4),
                                     block_v6=blocks.get(6), routing=self._routing(env, missing),
                                     pools_follow_pod_range=follows))]

    @staticmethod
    def _routing(env: dict[str, Cursor], missing: Cursor) -> Sourced[str]:
        """Encapsulation of the default IPv4 pool, as calico-node parses the env."""
        for name, word in (("CALICO_IPV4POOL_IPIP", "ipip"), ("CALICO_IPV4POOL_VXLAN", "vxlan")):
            cursor = env.get(name, missing)
            mode = _ENV_MODE.get((cursor.text() or "").lower())
            if mode is None:
                raise cursor.error(f"Always, CrossSubnet or Never for {name}")
            if mode != "never":
                return Sourced(word + mode, cursor.origin())
        return Sourced("none", missing.default_origin("calico-node CALICO_IPV4POOL_IPIP and _VXLAN unset: Never"))




# The IPAM plugin in calico-config's cni_network_config: a CNI config template with placeholders
# (``"mtu": __CNI_MTU__``), so not JSON; the ipam block is found in the text.
_IPAM_TYPE = re.compile(r'"ipam"\s*:\s*\{[^{}]*?"type"\s*:\s*"([\w.-]+)"')
CNI_CONFIG_KEY = "cni_network_config"


class CalicoConfigMapSource(ObjectSource):
    """The calico-config ConfigMap: which IPAM plugin Calico's CNI configuration runs."""

    kind = "calico-configmap"
    object_kinds = frozenset({"ConfigMap"})

    def matches(self, obj: Cursor) -> bool:
        text = obj["data"][CNI_CONFIG_KEY].value
        return kind_of(obj) == "ConfigMap" and isinstance(text, str) and '"calico"' in text

    def read_object(self, obj: Cursor) -> Sequence[object]:
        cursor = obj["data"][CNI_CONFIG_KEY]
        match = _IPAM_TYPE.search(cursor.value)
        if match is None:
            return []
        origin = cursor.origin()
        offset = block_offset(cursor)
        if offset is not None:
            origin = Origin(file=origin.file, line=offset + line_at(cursor.value, match.start(1)))
        return [as_cluster(CniConfig(name="calico", origin=obj.origin(), ipam_mode=Sourced(match.group(1), origin)))]


SOURCES = (CalicoNodeSource(), CalicoConfigMapSource())
