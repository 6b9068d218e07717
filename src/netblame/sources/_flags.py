"""Component flags, wherever they are written: a static pod's command line, kubeadm ``extraArgs``
(a map up to v1beta3, a name/value list in v1beta4) or ``kubeletExtraArgs``.

Flags are gathered as ``name -> Cursor`` (the cursor is the value with its place) and turned into
``ClusterNetwork`` fragments by one function per component, so every way of writing a flag is read
by the same code.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from netblame.model.cidr import Cidr, IPAddress
from netblame.model.cluster import ClusterNetwork
from netblame.model.origin import Sourced
from netblame.sources._tree import Cursor

Flags = Mapping[str, Cursor]


def command_flags(args: Iterable[Cursor]) -> dict[str, Cursor]:
    """``--name=value``, ``--name value`` and bare ``--name`` (true) from a command line.

    As with Go's flag package, the last occurrence of a flag wins.
    """
    out: dict[str, Cursor] = {}
    pending: str | None = None
    for arg in args:
        text = arg.text()
        if text is None:
            continue
        if text.startswith("-") and text.lstrip("-"):
            name, eq, value = text.lstrip("-").partition("=")
            if eq:
                out[name] = Cursor(arg.doc, value, arg.path, arg.line)
                pending = None
            else:
                out[name] = Cursor(arg.doc, "true", arg.path, arg.line)
                pending = name
        elif pending is not None:
            out[pending] = Cursor(arg.doc, text, arg.path, arg.line)
            pending = None
    return out


def extra_args(args: Cursor) -> dict[str, Cursor]:
    """kubeadm ``extraArgs``/``kubeletExtraArgs``: a map (v1beta3 and older) or name/value items (v1beta4)."""
    if args.missing:
        return {}
    if isinstance(args.value, list):
        out: dict[str, Cursor] = {}
        for item in args.items():
            name = item.mapping()["name"].text()
            if name is None:
                raise item.error("an item with name and value")
            out[name.lstrip("-")] = item["value"]
        return out
    return {str(key).lstrip("-"): args.mapping()[key] for key in args.mapping().value}


def _flag(flags: Flags, name: str) -> Cursor | None:
    cursor = flags.get(name)
    return None if cursor is None or cursor.missing else cursor


def _mask(flags: Flags, name: str, width: int) -> Sourced[int] | None:
    """A node mask, no longer than the ``width`` bits of its family's addresses."""
    cursor = _flag(flags, name)
    example = 24 if width == 32 else 64
    return None if cursor is None else cursor.integer(
        f"a prefix length from 1 to {width} for --{name} such as {example}", low=1, high=width)


def _cidrs(flags: Flags, name: str, what: str) -> tuple[Cidr, ...]:
    cursor = _flag(flags, name)
    return () if cursor is None else cursor.cidrs(f"{what} (--{name})")


def controller_manager(flags: Flags, pods_hint: tuple[Cidr, ...] = ()) -> ClusterNetwork:
    """What kube-controller-manager flags say about pod and service ranges and node masks.

    ``--node-cidr-mask-size`` applies to the one family of a single-stack cluster (FACTS A.3:
    cmd/kube-controller-manager/app/core.go, setNodeCIDRMaskSizes); the
    family is taken from ``--cluster-cidr``, or from ``pods_hint`` when the flags do not set it.
    """
    pods = _cidrs(flags, "cluster-cidr", "a pod range")
    allocate_flag = _flag(flags, "allocate-node-cidrs")
    mask_v4 = _mask(flags, "node-cidr-mask-size-ipv4", 32)
    mask_v6 = _mask(flags, "node-cidr-mask-size-ipv6", 128)
    only_v6 = {c.family for c in pods or pods_hint} == {6}
    single = _mask(flags, "node-cidr-mask-size", 128 if only_v6 else 32)
    if single is not None:
        if only_v6:
            mask_v6 = mask_v6 or single
        else:
            mask_v4 = mask_v4 or single
    return ClusterNetwork(
        pod_cidrs=pods,
        service_cidrs=_cidrs(flags, "service-cluster-ip-range", "a service range"),
        allocate_node_cidrs=None if allocate_flag is None else allocate_flag.boolean(),
        node_mask_v4=mask_v4,
        node_mask_v6=mask_v6,
    )


def apiserver(flags: Flags) -> ClusterNetwork:
    """What kube-apiserver flags say: the service range."""
    return ClusterNetwork(service_cidrs=_cidrs(flags, "service-cluster-ip-range", "a service range"))


def addresses(cursor: Cursor, what: str) -> tuple[Sourced[IPAddress], ...]:
    """IP addresses from a list or comma-separated text (kubelet ``clusterDNS``, ``--cluster-dns``)."""
    items = cursor.items() if isinstance(cursor.value, list) else [cursor]
    out: list[Sourced[IPAddress]] = []
    for item in items:
        text = item.text()
        for part in (text or "").split(","):
            if not part.strip():
                continue
            try:
                out.append(Sourced(ipaddress.ip_address(part.strip()), item.origin()))
            except ValueError:
                raise Cursor(item.doc, part.strip(), item.path, item.line).error(what) from None
    return tuple(out)


def kubelet(flags: Flags) -> ClusterNetwork:
    """What kubelet flags (``kubeletExtraArgs``) say: max pods, cluster DNS, cluster domain."""
    max_pods = _flag(flags, "max-pods")
    dns = _flag(flags, "cluster-dns")
    domain = _flag(flags, "cluster-domain")
    return ClusterNetwork(
        max_pods=None if max_pods is None else max_pods.integer("a number of pods for --max-pods such as 110", low=1),
        cluster_dns=() if dns is None else addresses(dns, "an IP address for --cluster-dns such as 10.96.0.10"),
        dns_domain=None if domain is None else domain.sourced_text(),
    )
