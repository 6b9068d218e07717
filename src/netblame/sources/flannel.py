"""Flannel: ``net-conf.json`` on its own, or inside the ``kube-flannel-cfg`` ConfigMap of Flannel's
Kubernetes manifest (FACTS D; flannel-io/flannel Documentation/configuration.md, kube-flannel.yml).

JSON has no line numbers once parsed, but net-conf.json is a few lines long: each key's line is
found in the text, so values point at their line (inside the ConfigMap too, when the ConfigMap is
YAML and the JSON is a block scalar).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

import orjson

from netblame.errors import InputError
from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Sourced
from netblame.sources._base import Document, line_at
from netblame.sources._embedded import block_offset, container_error
from netblame.sources._kube import ObjectSource, kind_of
from netblame.sources._subchart import ChartValuesSource
from netblame.sources._tree import Cursor

NET_CONF_KEY = "net-conf.json"
KEYS = frozenset({"Network", "IPv6Network", "EnableIPv4", "EnableIPv6", "EnableNFTables", "SubnetLen", "SubnetMin",
                  "SubnetMax", "IPv6SubnetLen", "IPv6SubnetMin", "IPv6SubnetMax", "Backend"})
# With --kube-subnet-mgr, which the Kubernetes manifest passes, flanneld reads this ConfigMap and uses
# each node's spec.podCIDR (FACTS D).
KUBE_SUBNET_MGR = "kube-subnet-mgr"


def looks_like_net_conf(data: object) -> bool:
    """True for a net-conf.json mapping: a Network or IPv6Network and nothing but Flannel's keys."""
    return isinstance(data, dict) and ("Network" in data or "IPv6Network" in data) and set(data) <= KEYS


def _default_subnet_len(network: Cidr) -> int:
    """SubnetLen default: 24 (IPv6 64) unless Network is longer than /22 (/62), then prefix + 2 (FACTS D)."""
    usual, limit = (24, 22) if network.family == 4 else (64, 62)
    return network.prefixlen + 2 if network.prefixlen > limit else usual


def read_net_conf(doc: Document, data: dict[str, Any], lines: dict[str, int], kube: bool) -> CniConfig:
    """A CniConfig from a parsed net-conf.json whose keys are on ``lines`` of ``doc``."""

    def at(key: str) -> Cursor:
        return Cursor(doc, data.get(key), key, lines.get(key, doc.line))

    pools: list[Cidr] = []
    blocks: dict[Family, Sourced[int]] = {}
    families: tuple[tuple[Family, str, str], ...] = ((4, "Network", "SubnetLen"), (6, "IPv6Network", "IPv6SubnetLen"))
    for family, net_key, len_key in families:
        enabled = at(f"EnableIPv{family}").boolean()
        found = at(net_key).cidrs(f"an IPv{family} network such as 10.244.0.0/16", family=family)
        if not found or (enabled is not None and not enabled.value):
            continue
        if len(found) != 1:
            raise at(net_key).error("one CIDR")
        pools.append(found[0])
        block = at(len_key).integer("a prefix length such as 24", high=32 if family == 4 else 128)
        if block is None and not kube:
            block = Sourced(_default_subnet_len(found[0]), at(net_key).default_origin(f"Flannel {len_key}"))
        if block is not None:
            blocks[family] = block
    backend = at("Backend").mapping()
    kind = backend.value.get("Type")
    routing = None if kind is None else Cursor(doc, kind, "Backend.Type", lines.get("Type", doc.line)).sourced_text()
    origin = doc.origin()
    return CniConfig(name="flannel", origin=origin, pools=tuple(pools), block_v4=blocks.get(4),
                     block_v6=blocks.get(6), routing=routing,
                     ipam_mode=Sourced(KUBE_SUBNET_MGR, origin) if kube else None)


def key_lines(text: str, first_line: int) -> dict[str, int]:
    """The line of the first ``"Key":`` of each key in JSON text starting at ``first_line``."""
    out: dict[str, int] = {}
    for match in re.finditer(r'"(\w+)"\s*:', text):
        out.setdefault(match.group(1), first_line - 1 + line_at(text, match.start()))
    return out


class NetConfSource:
    """A Flannel ``net-conf.json`` file."""

    kind = "flannel-net-conf"

    def accepts(self, doc: Document) -> bool:
        return looks_like_net_conf(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        # Values point at the lines key_lines finds in the text, not at JSON paths.
        lined = dataclasses.replace(doc, json=False)
        return [as_cluster(read_net_conf(lined, doc.data, key_lines(doc.text, doc.line), kube=False))]


# Flannel's Helm chart (flannel-io/flannel chart/kube-flannel values.yaml and templates/config.yaml): podCidr
# becomes net-conf.json's Network, podCidrv6 its IPv6Network, flannel.backend its Backend.Type; the chart
# runs flanneld with --kube-subnet-mgr, so each node's range is its spec.podCIDR.
CHART = "Flannel Helm chart"
CHART_POD_CIDR = "10.244.0.0/16"
CHART_BACKEND = "vxlan"


def looks_like_chart_values(data: object) -> bool:
    """True for the Flannel chart's values: ``podCidr`` and a ``flannel:`` mapping (or ``podCidr`` alone
    next to ``podCidrv6``)."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data:
        return False
    return "podCidr" in data and (isinstance(data.get("flannel"), dict) or "podCidrv6" in data)


def read_chart_values(values: Cursor) -> CniConfig:
    """A CniConfig from Flannel chart values, the chart's defaults filled in."""
    values = values.mapping()
    pools: list[Cidr] = []
    v4 = values["podCidr"]
    found = v4.cidrs("an IPv4 network such as 10.244.0.0/16", family=4)
    if not found and v4.value is None:
        found = (parse_cidr(CHART_POD_CIDR, v4.default_origin(f"{CHART} podCidr"), what="a pod network"),)
    pools += found
    pools += values["podCidrv6"].cidrs("an IPv6 network such as fd00:10:244::/56", family=6)
    backend = values["flannel"]["backend"].sourced_text() or Sourced(
        CHART_BACKEND, values["flannel"]["backend"].default_origin(f"{CHART} flannel.backend"))
    origin = values.origin()
    return CniConfig(name="flannel", origin=origin, pools=tuple(pools), routing=backend,
                     ipam_mode=Sourced(KUBE_SUBNET_MGR, dataclasses.replace(origin, default=f"{CHART} flannel.args")))


class FlannelConfigMapSource(ObjectSource):
    """A ConfigMap holding ``net-conf.json`` (``kube-flannel-cfg`` in Flannel's manifest)."""

    kind = "flannel-configmap"
    object_kinds = frozenset({"ConfigMap"})

    def matches(self, obj: Cursor) -> bool:
        data = obj["data"].value
        return kind_of(obj) == "ConfigMap" and isinstance(data, dict) and isinstance(data.get(NET_CONF_KEY), str)

    def read_object(self, obj: Cursor) -> Sequence[object]:
        cursor = obj["data"][NET_CONF_KEY]
        offset = block_offset(cursor)
        try:
            data = orjson.loads(cursor.value)
        except orjson.JSONDecodeError as exc:
            error = InputError(f"not valid JSON: {exc.msg}", line=line_at(cursor.value, exc.pos))
            raise container_error(cursor, offset, error) from None
        if not looks_like_net_conf(data):
            raise cursor.error("a Flannel net-conf.json with Network and Backend")
        if offset is not None:
            inner = Document(path=obj.doc.path, text=obj.doc.text, data=data, line=offset + 1)
        else:
            inner = Document(path=obj.doc.path, text=cursor.value, data=data, container=cursor.path)
        return [as_cluster(read_net_conf(inner, data, key_lines(cursor.value, inner.line), kube=True))]


# Flannel Helm chart values, alone or under an umbrella chart's ``flannel:`` key.
CHART_VALUES = ChartValuesSource("flannel-helm-values", "flannel", "Flannel", looks_like_chart_values,
                                 read_chart_values)
SOURCES = (NetConfSource(), FlannelConfigMapSource(), CHART_VALUES)
