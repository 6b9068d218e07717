"""The values of a decoded snapshot that its JSON types cannot check: every address, prefix and rule
target is what the kernel would hold, so ``trace`` and ``check --snapshot`` never meet ``"bogus"`` as a
gateway. A bad value is one :class:`~netblame.errors.InputError` naming its place in the file
(``nodes[0].namespaces[1].routes[4].gateway``) and what was expected."""

from __future__ import annotations

import socket
from collections.abc import Iterator

from netblame.errors import InputError
from netblame.model.snapshot import Namespace, Snapshot

_WIDTH: dict[int, int] = {socket.AF_INET: 32, socket.AF_INET6: 128}


def _family(text: str) -> int | None:
    """AF_INET or AF_INET6 for an address (an IPv6 one may carry a %zone), None for anything else."""
    for family, value in ((socket.AF_INET, text), (socket.AF_INET6, text.split("%", 1)[0])):
        try:
            socket.inet_pton(family, value)
        except (OSError, ValueError):
            continue
        return family
    return None


def _prefix_ok(text: str) -> bool:
    if text == "default":
        return True
    address, sep, length = text.partition("/")
    family = _family(address)
    if family is None:
        return False
    if not sep:
        return True
    return length.isascii() and length.isdigit() and len(length) <= 3 and int(length) <= _WIDTH[family]


def _problems(ns: Namespace) -> Iterator[tuple[str, str, object]]:
    """(field path inside the namespace, what was expected, the value) for each bad value."""
    for i, a in enumerate(ns.addresses):
        family = _family(a.address)
        if family is None:
            yield f"addresses[{i}].address", "an IP address", a.address
        elif not 0 <= a.prefixlen <= _WIDTH[family]:
            yield f"addresses[{i}].prefixlen", f"a prefix length from 0 to {_WIDTH[family]}", a.prefixlen
    for i, r in enumerate(ns.routes):
        if not _prefix_ok(r.dst):
            yield f"routes[{i}].dst", "a destination such as 10.0.0.0/24 or default", r.dst
        for name, value in (("gateway", r.gateway), ("prefsrc", r.prefsrc)):
            if value is not None and _family(value) is None:
                yield f"routes[{i}].{name}", "an IP address", value
        for j, hop in enumerate(r.nexthops):
            if hop.gateway is not None and _family(hop.gateway) is None:
                yield f"routes[{i}].nexthops[{j}].gateway", "an IP address", hop.gateway
    for i, rule in enumerate(ns.rules):
        if rule.action == "goto" and not ((rule.table or "").isascii() and (rule.table or "").isdigit()):
            yield f"rules[{i}].table", "the priority a goto rule jumps to (a number)", rule.table
        for name, value in (("src", rule.src), ("dst", rule.dst)):
            if value is not None and not _prefix_ok(value):
                yield f"rules[{i}].{name}", "a prefix such as 10.0.0.0/24", value
    for i, n in enumerate(ns.neighbours):
        if _family(n.dst) is None:
            yield f"neighbours[{i}].dst", "an IP address", n.dst
    for i, link in enumerate(ns.links):
        vx = link.vxlan
        if vx is None:
            continue
        for name, value in (("local", vx.local), ("remote", vx.remote), ("group", vx.group)):
            if value is not None and _family(value) is None:
                yield f"links[{i}].vxlan.{name}", "an IP address", value
    for i, f in enumerate(ns.fdb):
        if f.dst is not None and _family(f.dst) is None:
            yield f"fdb[{i}].dst", "an IP address", f.dst


def check_values(snapshot: Snapshot, file: str) -> None:
    """Raise InputError for the first value of ``snapshot`` that is not an address, prefix or number
    where one belongs."""
    for n, node in enumerate(snapshot.nodes):
        for s, ns in enumerate(node.namespaces):
            for where, expected, value in _problems(ns):
                shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
                raise InputError(f"nodes[{n}].namespaces[{s}].{where}: expected {expected}, got {shown} "
                                 f"(namespace {ns.id!r} of node {node.name!r})", file=file)
