"""``kubectl describe node`` text, whole or in the pieces people paste (``| grep PodCIDR``, the
``Addresses:`` block). Read: ``Name:``, ``PodCIDR:``/``PodCIDRs:`` and the ``InternalIP``/``ExternalIP``
lines of ``Addresses:`` (kubectl's describe printer, k8s.io/kubectl pkg/describe ``describeNode``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from netblame.errors import InputError
from netblame.model.cidr import Cidr, IPAddress, parse_cidr, parse_ip
from netblame.model.cluster import ClusterNetwork, NodeInfo
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document, ReadNote

_FIELD = re.compile(r"^([A-Z][A-Za-z]*(?: [A-Za-z]+)*):[ \t]*(.*?)\s*$")
_ADDRESS = re.compile(r"^[ \t]+(InternalIP|ExternalIP|Hostname|InternalDNS|ExternalDNS):[ \t]*(\S*)\s*$")
# kubectl prints Roles: on the line after Name: (at most a couple of lines apart in older releases).
_MARKERS = re.compile(r"^(?:PodCIDRs?:[ \t]+\S|Addresses:[ \t]*$|Name:[ \t]+\S.*\n(?:.*\n){0,2}Roles:)", re.MULTILINE)


@dataclass
class _Node:
    line: int
    name: str | None = None
    cidrs: list[tuple[str, int]] = field(default_factory=list)
    addresses: list[tuple[str, str, int]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def looks_like_describe_node(text: str) -> bool:
    """True for ``kubectl describe node`` text: a PodCIDR line, an Addresses block, or Name: ... Roles:."""
    return _MARKERS.search(text) is not None


def _nodes(text: str) -> list[_Node]:
    nodes: list[_Node] = []
    current: _Node | None = None
    in_addresses = False
    for number, raw in enumerate(text.splitlines(), start=1):
        address = _ADDRESS.match(raw) if in_addresses else None
        if address is not None:
            if current is None:
                current = _Node(number)
                nodes.append(current)
            current.addresses.append((address.group(1), address.group(2), number))
            continue
        in_addresses = False
        match = _FIELD.match(raw)
        if match is None:
            continue
        key, value = match.groups()
        if key not in ("Name", "PodCIDR", "PodCIDRs", "Addresses"):
            continue
        # A new node starts at its Name:, or (in grep output) at a field the current node already has.
        if current is None or key == "Name" or key in current.seen:
            current = _Node(number)
            nodes.append(current)
        current.seen.add(key)
        if key == "Name":
            current.name = value or None
        elif key in ("PodCIDR", "PodCIDRs") and value and value != "<none>":
            current.cidrs = [(c.strip(), number) for c in value.split(",") if c.strip()]
        elif key == "Addresses":
            in_addresses = True
    return nodes


class DescribeNodeSource:
    """``kubectl describe node[s]`` output, or lines cut from it."""

    kind = "kubectl-describe-node"

    def accepts(self, doc: Document) -> bool:
        return doc.index == 0 and looks_like_describe_node(doc.text)

    def read(self, doc: Document) -> Sequence[object]:
        out: list[NodeInfo] = []
        unnamed = 0
        for node in _nodes(doc.text):
            hostname = next((value for kind, value, _ in node.addresses if kind == "Hostname" and value), None)
            name = node.name or hostname
            if name is None:
                unnamed += 1
                name = f"node at line {node.line}"
            origin = Origin(file=doc.path, line=node.line, object=f"node {name}")
            cidrs: list[Cidr] = [parse_cidr(text, Origin(file=doc.path, line=line, object=f"node {name}"),
                                            what=f"a PodCIDR of node {name}") for text, line in node.cidrs]
            addresses: list[Sourced[IPAddress]] = []
            for kind, value, line in node.addresses:
                if kind not in ("InternalIP", "ExternalIP"):
                    continue
                try:
                    addresses.append(Sourced(parse_ip(value), Origin(file=doc.path, line=line, object=f"node {name}")))
                except ValueError:
                    raise InputError(f"node {name}: {kind}: expected an IP address, got {value or 'nothing'}",
                                     file=doc.path, line=line) from None
            out.append(NodeInfo(name=name, origin=origin, addresses=tuple(addresses), pod_cidrs=tuple(cidrs)))
        result: list[object] = [ClusterNetwork(nodes=tuple(out))]
        if unnamed:
            result.append(ReadNote(f"{unnamed} node(s) without a Name: line (text cut from kubectl describe); "
                                   "each is named by the line it starts on", Origin(file=doc.path, line=1)))
        return result


SOURCES = (DescribeNodeSource(),)
