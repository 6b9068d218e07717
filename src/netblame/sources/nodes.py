"""Nodes as the API server knows them: ``kubectl get nodes -o json|yaml`` (a List of Nodes), a
NodeList from the API, or a single Node. Read: name, ``spec.podCIDRs`` (or ``spec.podCIDR``) and the
InternalIP/ExternalIP addresses in ``status.addresses`` (FACTS A.6: NodeSpec in k8s.io/api core/v1).

A cluster dump may hold 5,000 nodes, so this source walks plain dicts directly instead of going
through cursors, and gives all values of one node a single shared origin: the node's line in YAML,
``items[3] (node worker-3)`` in JSON.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

from netblame.errors import InputError, shown
from netblame.model.cidr import Cidr, IPAddress, parse_cidr, parse_ip
from netblame.model.cluster import ClusterNetwork, NodeInfo
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document, ReadNote
from netblame.sources._yaml import LineDict

ADDRESS_TYPES = ("InternalIP", "ExternalIP")


_SPEC_KEYS = frozenset({"podCIDR", "podCIDRs", "providerID", "taints", "unschedulable", "configSource", "externalID"})
_STATUS_KEYS = frozenset({"addresses", "allocatable", "capacity", "conditions", "daemonEndpoints", "images",
                          "nodeInfo", "volumesAttached", "volumesInUse", "phase", "config", "features",
                          "runtimeHandlers"})


def _fragment(data: Any) -> tuple[dict[Any, Any], str] | None:
    """A Node pasted without ``kind``: a mapping of ``spec:``/``status:`` (and ``metadata:``), or a
    Node's ``.spec`` or ``.status`` contents alone. Returns the node as an item, and what was assumed."""
    if not isinstance(data, dict) or not data or "kind" in data or "apiVersion" in data:
        return None
    keys = set(data)
    spec, status = data.get("spec"), data.get("status")
    if keys <= {"metadata", "spec", "status"} and (
            (isinstance(spec, dict) and spec and set(spec) <= _SPEC_KEYS and bool({"podCIDR", "podCIDRs"} & set(spec)))
            or (isinstance(status, dict) and "addresses" in status and set(status) <= _STATUS_KEYS)):
        return data, "a Node's fields without kind and apiVersion, taken as a v1 Node"
    if keys <= _SPEC_KEYS and {"podCIDR", "podCIDRs"} & keys:
        return {"spec": data}, "a Node's .spec alone, taken as the spec of a v1 Node"
    if keys <= _STATUS_KEYS and "addresses" in keys and len(keys) >= 2:
        return {"status": data}, "a Node's .status alone, taken as the status of a v1 Node"
    return None


def _fragment_name(item: dict[Any, Any], path: str) -> str:
    metadata = item.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if isinstance(name, str) and name:
        return name
    status = item.get("status")
    addresses = status.get("addresses") if isinstance(status, dict) else None
    for address in addresses if isinstance(addresses, list) else ():
        if isinstance(address, dict) and address.get("type") == "Hostname" and address.get("address"):
            return str(address["address"])
    return f"node of {PurePath(path).name}"


def _items(doc: Document) -> list[Any]:
    """The items of a Node, a NodeList (whose items may omit ``kind``) or a List holding at least one
    Node anywhere (``kubectl get pods,nodes`` lists the pods first)."""
    data = doc.data
    if not isinstance(data, dict):
        return []
    kind = data.get("kind")
    if kind == "Node":
        return [data]
    items = data.get("items")
    if kind in ("List", "NodeList") and isinstance(items, list) and any(
            isinstance(i, dict) and (i.get("kind") == "Node" or (kind == "NodeList" and "spec" in i)) for i in items):
        return items
    return []


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _origin(doc: Document, name: str, index: int | None, mapping: Any, key: str) -> Origin:
    """Where a value of a node is: its line in YAML; in JSON the item (one origin per node)."""
    if doc.json:
        return Origin(file=doc.path, object=f"node {name}" if index is None else f"items[{index}] (node {name})")
    line = mapping.line_of(key) if isinstance(mapping, LineDict) else None
    return Origin(file=doc.path, line=line, object=f"node {name}")


def _node(doc: Document, item: dict[Any, Any], index: int | None) -> NodeInfo:
    metadata = _dict(item.get("metadata"))
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        where = "" if index is None else f"items[{index}]: "
        raise InputError(f"{where}expected a node with metadata.name", file=doc.path,
                         line=None if doc.json else getattr(item, "line", None))
    node_origin = _origin(doc, name, index, metadata, "name")
    spec = _dict(item.get("spec"))
    texts = spec.get("podCIDRs") or ([spec["podCIDR"]] if spec.get("podCIDR") else [])
    pod_cidrs: tuple[Cidr, ...] = ()
    if texts:
        key = "podCIDRs" if "podCIDRs" in spec else "podCIDR"
        at = node_origin if doc.json else _origin(doc, name, index, spec, key)
        if not isinstance(texts, list):
            raise InputError(f"node {name}: spec.podCIDRs: expected a list of CIDRs, got {shown(texts)}",
                             file=at.file, line=at.line)
        pod_cidrs = tuple(parse_cidr(t, at, what=f"a podCIDR of node {name}") for t in texts)
    addresses: list[Sourced[IPAddress]] = []
    raw = _dict(item.get("status")).get("addresses")
    for address in raw if isinstance(raw, list) else ():
        if not isinstance(address, dict) or address.get("type") not in ADDRESS_TYPES:
            continue
        at = node_origin if doc.json else _origin(doc, name, index, address, "address")
        try:
            addresses.append(Sourced(parse_ip(str(address.get("address"))), at))
        except ValueError:
            raise InputError(f"node {name}: status.addresses: expected an IP address for {address.get('type')}, "
                             f"got {shown(address.get('address'))}", file=at.file, line=at.line) from None
    return NodeInfo(name=name, origin=node_origin, addresses=tuple(addresses), pod_cidrs=pod_cidrs)


class NodesSource:
    """``kubectl get nodes -o json|yaml`` output, a NodeList, or one Node (also pasted without ``kind``,
    or only its ``.spec`` or ``.status``)."""

    kind = "kubernetes-nodes"

    def accepts(self, doc: Document) -> bool:
        return bool(_items(doc)) or _fragment(doc.data) is not None

    def read(self, doc: Document) -> Sequence[object]:
        fragment = _fragment(doc.data)
        if fragment is not None:
            item, assumed = fragment
            name = _fragment_name(item, doc.path)
            raw_metadata = item.get("metadata")
            metadata: dict[Any, Any] = raw_metadata if isinstance(raw_metadata, dict) else {}
            named = {**item, "metadata": {**metadata, "name": name}}
            node = _node(doc, named, None)
            lined = item.get("spec") if isinstance(item.get("spec"), LineDict) else doc.data
            if not doc.json and isinstance(lined, LineDict):
                node = dataclasses.replace(node, origin=Origin(file=doc.path, line=lined.line, object=f"node {name}"))
            at = Origin(file=doc.path, line=None if doc.json else doc.line)
            return [ClusterNetwork(nodes=(node,)), ReadNote(f"{assumed}, named {name}", at)]
        items = _items(doc)
        single = doc.kind == "Node"
        nodes = tuple(_node(doc, item, None if single else i) for i, item in enumerate(items)
                      if isinstance(item, dict) and item.get("kind", "Node") == "Node")
        out: list[object] = [ClusterNetwork(nodes=nodes)]
        if single and doc.api_version is None:
            out.append(ReadNote("a Node without apiVersion, taken as v1", Origin(file=doc.path, line=doc.line)))
        return out


SOURCES = (NodesSource(),)
