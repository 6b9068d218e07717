"""Component flags, wherever they are written: a static pod's command line, kubeadm ``extraArgs``
(a map up to v1beta3, a name/value list in v1beta4) or ``kubeletExtraArgs``.

Flags are gathered as ``name -> Cursor`` (the cursor is the value with its place) and turned into
``ClusterNetwork`` fragments by one function per component, so every way of writing a flag is read
by the same code.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field

from netblame._record import Record, record
from netblame.model.cidr import Cidr, IPAddress
from netblame.model.cluster import ClusterNetwork
from netblame.model.flags import FlagNote
from netblame.model.origin import Origin, Sourced
from netblame.sources._flagtable import FlagTable
from netblame.sources._flagtables import TABLES
from netblame.sources._tree import Cursor

Flags = Mapping[str, Cursor]

# A value that is a shell variable, a command substitution or a template: not checkable as written.
_UNRESOLVED = re.compile(r"\$|\{\{|\{%|%\{|<[A-Za-z_]")
# The flags whose values netblame reads: a value of one of these that is filled in later is worth a note.
READ_FLAGS = frozenset({
    "cluster-cidr", "service-cluster-ip-range", "node-cidr-mask-size", "node-cidr-mask-size-ipv4",
    "node-cidr-mask-size-ipv6", "allocate-node-cidrs", "cluster-dns", "cluster-domain", "max-pods", "pod-network-cidr",
    "service-cidr", "service-dns-domain", "flannel-backend", "cni", "cluster-pool-ipv4-cidr", "cluster-pool-ipv6-cidr",
    "cluster-pool-ipv4-mask-size", "cluster-pool-ipv6-mask-size", "ipam", "kube-controller-manager-arg", "kubelet-arg",
})
# How alike an unlisted flag must be to a listed one to be taken for a misspelling of it.
NEAR_MISS = 0.8


@record
class ParsedFlags(Record):
    """The flags of one command line: every value of each flag in order (``last`` gives the one a Go
    program keeps), and what could not be taken as given."""

    program: str
    values: dict[str, list[Cursor]] = field(default_factory=dict)
    notes: list[FlagNote] = field(default_factory=list)

    def last(self) -> dict[str, Cursor]:
        """One value per flag, the last given (Go's flag packages keep the last)."""
        return {name: cursors[-1] for name, cursors in self.values.items()}


def closest(name: str, table: FlagTable) -> str | None:
    """The program's flag most like ``name``, when one is close enough to be what was meant."""
    close = difflib.get_close_matches(name, sorted(table.values | table.switches), n=1, cutoff=NEAR_MISS)
    return close[0] if close else None


def unknown_flag(program: str, name: str, origin: Origin) -> FlagNote | None:
    """An ``unknown`` note when ``program`` has no flag ``name``: with the release that removed it, or the
    closest flag it has (for a partial table, only a near miss is noted)."""
    table = TABLES.get(program)
    if table is None or table.known(name):
        return None
    removed = table.removed_in(name)
    hint = None if removed else closest(name, table)
    if not (table.complete or hint is not None or removed):
        return None
    return FlagNote(program, name, "unknown", origin, hint=hint, removed_in=removed)


# k3s/RKE2 settings that hand their values to a component as its flags (``kubelet-arg: max-pods=200``).
PASSED_ON = {"kube-apiserver-arg": "kube-apiserver", "kube-controller-manager-arg": "kube-controller-manager",
             "kubelet-arg": "kubelet", "kube-proxy-arg": "kube-proxy"}


def passed_on(setting: str, value: Cursor) -> FlagNote | None:
    """An ``unknown`` note when a ``kubelet-arg``-style value names a flag its component does not have."""
    program = PASSED_ON.get(setting)
    text = value.text()
    if program is None or not text or _UNRESOLVED.search(text):
        return None
    return unknown_flag(program, text.lstrip("-").partition("=")[0], value.origin())


def _is_flag(text: str) -> bool:
    return text.startswith("-") and len(text) > 1 and text != "--"


def parse_flags(program: str, args: Sequence[Cursor]) -> ParsedFlags:
    """``--name=value``, ``--name value`` and switches from a command line, read the way the program does.

    A flag the program's table lists as a switch never takes the next argument; one that takes a value
    and has none (at the end, or followed by another flag, which pflag would swallow as the value) is
    reported as ``missing-value``, never stored as "true". A name the program does not have is reported
    as ``unknown`` with the closest name it has (for a partial table, only when one is close), or with the
    release that removed it.
    """
    table = TABLES.get(program)
    out = ParsedFlags(program)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        text = arg.text()
        if text is None or not _is_flag(text):
            continue
        name, eq, value = text.lstrip("-").partition("=")
        note = unknown_flag(program, name, arg.origin())
        if note is not None:
            out.notes.append(note)
        is_switch = table is not None and table.is_switch(name)
        if eq:
            cursor = Cursor(arg.doc, value, arg.path or f"--{name}", arg.line)
        elif is_switch:
            cursor = Cursor(arg.doc, "true", arg.path or f"--{name}", arg.line)
        else:
            nxt = args[i].text() if i < len(args) else None
            takes_value = table is not None and table.takes_value(name)
            if nxt is None or _is_flag(nxt):
                if takes_value:
                    out.notes.append(FlagNote(program, name, "missing-value", arg.origin(), taken=nxt))
                    if nxt is not None:
                        i += 1  # the program takes the next flag as this value
                    continue
                cursor = Cursor(arg.doc, "true", arg.path or f"--{name}", arg.line)
            else:
                cursor = Cursor(args[i].doc, nxt, args[i].path or f"--{name}", args[i].line)
                i += 1
        text_value = cursor.text() or ""
        if _UNRESOLVED.search(text_value):
            if name in READ_FLAGS:
                out.notes.append(FlagNote(program, name, "unresolved", cursor.origin(), value=text_value))
            continue
        passed = passed_on(name, cursor) if program.partition(" ")[0] in ("k3s", "rke2") else None
        if passed is not None:
            out.notes.append(passed)
        out.values.setdefault(name, []).append(cursor)
    return out


def command_flags(args: Iterable[Cursor], program: str | None = None) -> dict[str, Cursor]:
    """The last value of each flag of a command line (see :func:`parse_flags`)."""
    return parse_flags(program or "", list(args)).last()


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


def unknown_extra_args(root: Cursor, settings: Mapping[str, str], passed_by: str) -> list[FlagNote]:
    """``unknown`` notes, at the line of each name, for the flags that ``extraArgs``-style settings under ``root``
    (``settings``: dotted path -> program; each read as :func:`extra_args` reads it, and passed on by
    ``passed_by`` to the program as its flags) give a program that does not have them: it refuses to run."""
    notes: list[FlagNote] = []
    for path, program in settings.items():
        args = root.dig(path)
        if args.missing:
            continue
        if isinstance(args.value, list):
            named = [(item.mapping()["name"].text(), item["name"]) for item in args.items()]
        else:
            named = [(str(key), args.mapping()[key]) for key in args.mapping().value]
        found = [unknown_flag(program, name.lstrip("-"), cursor.origin()) for name, cursor in named if name]
        notes += [dataclasses.replace(n, setting=args.path, passed_by=passed_by) for n in found if n is not None]
    return notes


def _flag(flags: Flags, name: str) -> Cursor | None:
    cursor = flags.get(name)
    return None if cursor is None or cursor.missing else cursor


def mask(flags: Flags, name: str, width: int) -> Sourced[int] | None:
    """A node mask, no longer than the ``width`` bits of its family's addresses."""
    cursor = _flag(flags, name)
    example = 24 if width == 32 else 64
    return None if cursor is None else cursor.integer(
        f"a prefix length from 1 to {width} for --{name} such as {example}", low=1, high=width)


def cidrs(flags: Flags, name: str, what: str) -> tuple[Cidr, ...]:
    cursor = _flag(flags, name)
    return () if cursor is None else cursor.cidrs(f"{what} (--{name})")


def controller_manager(flags: Flags, pods_hint: tuple[Cidr, ...] = ()) -> ClusterNetwork:
    """What kube-controller-manager flags say about pod and service ranges and node masks.

    ``--node-cidr-mask-size`` applies to the one family of a single-stack cluster (FACTS A.3:
    cmd/kube-controller-manager/app/core.go, setNodeCIDRMaskSizes); the
    family is taken from ``--cluster-cidr``, or from ``pods_hint`` when the flags do not set it.
    """
    pods = cidrs(flags, "cluster-cidr", "a pod range")
    allocate_flag = _flag(flags, "allocate-node-cidrs")
    mask_v4 = mask(flags, "node-cidr-mask-size-ipv4", 32)
    mask_v6 = mask(flags, "node-cidr-mask-size-ipv6", 128)
    only_v6 = {c.family for c in pods or pods_hint} == {6}
    single = mask(flags, "node-cidr-mask-size", 128 if only_v6 else 32)
    if single is not None:
        if only_v6:
            mask_v6 = mask_v6 or single
        else:
            mask_v4 = mask_v4 or single
    return ClusterNetwork(
        pod_cidrs=pods,
        service_cidrs=cidrs(flags, "service-cluster-ip-range", "a service range"),
        allocate_node_cidrs=None if allocate_flag is None else allocate_flag.boolean(),
        node_mask_v4=mask_v4,
        node_mask_v6=mask_v6,
    )


def apiserver(flags: Flags) -> ClusterNetwork:
    """What kube-apiserver flags say: the service range."""
    return ClusterNetwork(service_cidrs=cidrs(flags, "service-cluster-ip-range", "a service range"))


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


def default_addresses(text: str, origin: Origin, why: str) -> tuple[Sourced[IPAddress], ...]:
    """A tool's default addresses (comma-separated), marked as that default."""
    where = dataclasses.replace(origin, default=why)
    return tuple(Sourced(ipaddress.ip_address(part), where) for part in text.split(","))


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
