"""Grouping collected namespaces into nodes: one machine, or a lab's simulated cluster. Pure.

A lab names everything after itself (``nb-<lab>-lan``, ``nb-<lab>-n<i>``, ``nb-<lab>-n<i>-p<j>``,
``nb-<lab>-rtr``) and records its plan in a state file (nodes with their pod ranges, pods with their node).
Each simulated node becomes a ``Node`` holding its namespace (role ``host``) and its pods' namespaces
(role ``pod``, ``pod="n<i>-p<j>"``); the LAN switch and router form ``Node(name="lan", role="network")``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from netblame.lab.layout import prefix as lab_prefix
from netblame.model.snapshot import Namespace, NamespaceRole, Node


def one_node(name: str, namespaces: Sequence[Namespace]) -> Node:
    """All of a machine's namespaces as one node."""
    return Node(name=name, role="node", namespaces=tuple(namespaces))


def group_lab(lab: str, state: Mapping[str, Any] | None, namespaces: Sequence[Namespace],
              prefix: str | None = None) -> list[Node]:
    """The lab's namespaces grouped into nodes (others are left out).

    The state file decides where it says something; namespaces it does not mention are placed by name
    (``prefix`` overrides the lab's ``nb-<lab>-``).
    """
    prefix = prefix or lab_prefix(lab)
    mine = {ns.name: ns for ns in namespaces if ns.name and ns.name.startswith(prefix)}
    state = state or {}
    node_of: dict[str, str] = {}
    pod_of: dict[str, str] = {}
    cidrs: dict[str, tuple[str, ...]] = {}
    for node in state.get("nodes") or ():
        name, nsname = str(node.get("name", "")), str(node.get("namespace", ""))
        node_of[nsname] = name
        ranges = node.get("pod_cidrs") or ([node["pod_cidr"]] if node.get("pod_cidr") else [])
        cidrs[name] = tuple(str(c) for c in ranges)
    for pod in state.get("pods") or ():
        nsname = str(pod.get("namespace", ""))
        node_of[nsname] = str(pod.get("node", ""))
        pod_of[nsname] = str(pod.get("name", ""))
    shape = re.compile(rf"^{re.escape(prefix)}(n\d+)(?:-(p\d+))?$")
    groups: dict[str, list[Namespace]] = {}
    for nsname in sorted(mine, key=_natural):
        ns = mine[nsname]
        found = shape.match(nsname)
        node = node_of.get(nsname) or (found.group(1) if found else "lan")
        pod = pod_of.get(nsname) or (f"{found.group(1)}-{found.group(2)}" if found and found.group(2) else None)
        role: NamespaceRole = "pod" if pod else ("other" if node == "lan" else "host")
        groups.setdefault(node, []).append(msgspec.structs.replace(ns, role=role, pod=pod))
    nodes = [Node(name=name, role="network" if name == "lan" else "node", namespaces=tuple(members),
                  pod_cidrs=cidrs.get(name, ())) for name, members in groups.items()]
    return sorted(nodes, key=lambda n: (n.role == "network", _natural(n.name)))


def _natural(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isascii() and p.isdigit() else p for p in re.split(r"(\d+)", text))
