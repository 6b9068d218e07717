"""Turning what a user types (a pod name, ``namespace:device``, an address, a namespace or node
name) into where a trace starts and where it goes."""

from __future__ import annotations

from dataclasses import dataclass

from netblame.dataplane.index import Dataplane, NsView
from netblame.dataplane.lpm import parse_ip
from netblame.errors import InputError


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A resolved endpoint: its namespace (None for an address outside the snapshot), device and address.

    As a source, an address (``by_address``) is the host that owns it sending unbound with that source address;
    ``namespace:device`` is a socket bound to that device (``ping -I``), its source chosen by the route."""

    text: str
    namespace: str | None
    dev: str | None
    address: str | None
    label: str
    by_address: bool = False


def _find_ns(dp: Dataplane, name: str) -> NsView | None:
    for key in (dp.by_pod.get(name), dp.by_name.get(name), name):
        if key is not None and (view := dp.view(key)) is not None:
            return view
    hosts = [ns.id for node in dp.snapshot.nodes if node.name == name for ns in node.namespaces if ns.role == "host"]
    return dp.view(hosts[0]) if hosts else None


def _first_address(view: NsView, dev: str | None, family: int | None = None) -> str | None:
    prefer = [a for a in view.ns.addresses if a.scope == "global" and (dev is None or a.dev == dev)
              and (family is None or a.family == family)]
    if dev is None:
        prefer.sort(key=lambda a: (a.family, a.dev != "eth0"))
    return prefer[0].address if prefer else None


def resolve(dp: Dataplane, text: str, role: str) -> Endpoint:
    """Resolve SRC or DST (``role`` names which, for messages)."""
    try:
        family, value = parse_ip(text)
    except ValueError:
        family = 0
    if family:
        owners = dp.owners(family, value)
        if len(owners) > 1 and role == "source":
            names = sorted({v.label for ns, _ in owners if (v := dp.view(ns)) is not None})
            raise InputError(f"source address {text} is held by {len(owners)} namespaces "
                             f"({', '.join(names[:4])}{', ...' if len(names) > 4 else ''}); give the pod or "
                             "namespace instead")
        if len(owners) > 1 and role == "destination":
            # The same address in several namespaces (overlapping ranges, several labs): routing decides.
            return Endpoint(text, None, None, text, f"{text} (held by {len(owners)} namespaces)")
        if owners:
            view = dp.view(owners[0][0])
            assert view is not None
            return Endpoint(text, view.id, None, text, f"{view.label} ({text})", by_address=True)
        if role == "source":
            raise InputError(f"source address {text} is not on any device in the snapshot; give a pod, "
                             "namespace or namespace:device that holds it")
        return Endpoint(text, None, None, text, text)
    name, _, dev = text.partition(":")
    view = _find_ns(dp, name)
    if view is None:
        pods = ", ".join(sorted(dp.by_pod)[:6])
        raise InputError(f"{role} {text!r} is neither an address nor a pod, namespace or node in the snapshot"
                         + (f" (pods: {pods}{', ...' if len(dp.by_pod) > 6 else ''})" if pods else ""))
    if dev and dev not in view.links:
        raise InputError(f"{role} {text!r}: {view.label} has no device {dev!r} "
                         f"(it has {', '.join(sorted(view.links))})")
    address = _first_address(view, dev or None)
    label = view.label + (f":{dev}" if dev else "")
    if address is not None:
        label += f" ({address})"
    return Endpoint(text, view.id, dev or None, address, label)


def same_family(dp: Dataplane, source: Endpoint, target: Endpoint) -> Endpoint:
    """``source`` with an address of ``target``'s family: a packet has one IP version. A source given
    by name takes its device's address of that family; one given as an address of the other family, or
    holding none of that family, is refused with one line."""
    if source.address is None or target.address is None:
        return source
    want = parse_ip(target.address)[0]
    if parse_ip(source.address)[0] == want:
        return source
    view = dp.view(source.namespace) if source.namespace is not None else None
    other = _first_address(view, source.dev, want) if view is not None and source.text != source.address else None
    if other is None:
        raise InputError(f"source {source.text} is IPv{parse_ip(source.address)[0]} and destination "
                         f"{target.text} is IPv{want}: a packet has one IP version; give a source and "
                         "destination of the same version")
    return Endpoint(source.text, source.namespace, source.dev, other, source.label.replace(source.address, other))
