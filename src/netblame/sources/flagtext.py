"""Component flags in any text: pasted command lines, shell scripts, systemd units and drop-ins,
``/etc/default`` files, Ansible/Salt tasks, Makefiles, YAML ``command:``/``args:`` lists, and MicroK8s-style
args files (one flag a line, in a file named after the program: ``args/kube-controller-manager``).

:mod:`netblame.sources.cmdline` finds the invocations; each program's flags are read by the same
functions as kubeadm's ``extraArgs`` and static pods (:mod:`netblame.sources._flags`). k3s and RKE2
flags become :class:`~netblame.sources.k3s.DistroInput` so that they combine with config files.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import PurePath

from netblame.errors import InputError
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.model.origin import Sourced
from netblame.sources import _flags, k3s, kubeadm
from netblame.sources._base import Document, ReadNote
from netblame.sources._tree import Cursor
from netblame.sources.cmdline import DAEMONS, Cut, Invocation, Token, invocations
from netblame.sources.staticpods import ControlPlanePodSource

_PODS = ControlPlanePodSource()


def _kubeadm_init(flags: _flags.Flags) -> list[ClusterNetwork]:
    """``kubeadm init`` flags: --pod-network-cidr, --service-cidr (default 10.96.0.0/12), --service-dns-domain.

    kubeadm passes --allocate-node-cidrs=true to kube-controller-manager when a pod range is given (FACTS A.2).
    """
    pods = _flags.cidrs(flags, "pod-network-cidr", "a pod range")
    cursor = flags.get("pod-network-cidr")
    allocate = Sourced(True, cursor.origin()) if pods and cursor is not None else None
    domain = flags.get("service-dns-domain")
    services = _flags.cidrs(flags, "service-cidr", "a service range")
    if not services and cursor is not None:
        services = (kubeadm.default_service_range(cursor.origin()),)
    return [ClusterNetwork(pod_cidrs=pods, service_cidrs=services,
                           allocate_node_cidrs=allocate, dns_domain=None if domain is None else domain.sourced_text())]


def _kube_proxy(flags: _flags.Flags) -> list[ClusterNetwork]:
    """kube-proxy's --cluster-cidr: the pod range it tells apart from outside traffic."""
    return [ClusterNetwork(pod_cidrs=_flags.cidrs(flags, "cluster-cidr", "a pod range"))]


def _cilium(flags: _flags.Flags) -> list[ClusterNetwork]:
    """cilium-agent/cilium-operator cluster-pool flags (the cilium-config keys, FACTS B.1)."""
    pools = (*_flags.cidrs(flags, "cluster-pool-ipv4-cidr", "a Cilium pool"),
             *_flags.cidrs(flags, "cluster-pool-ipv6-cidr", "a Cilium pool"))
    ipam = flags.get("ipam")
    if not pools and ipam is None:
        return []
    first = next(iter(flags.values()))
    cni = CniConfig("cilium", first.origin(), ipam_mode=None if ipam is None else ipam.sourced_text(), pools=pools,
                    block_v4=_flags.mask(flags, "cluster-pool-ipv4-mask-size", 32),
                    block_v6=_flags.mask(flags, "cluster-pool-ipv6-mask-size", 128))
    return [ClusterNetwork(cnis=(cni,))]


READERS: dict[str, Callable[[_flags.Flags], list[ClusterNetwork]]] = {
    "kube-controller-manager": lambda f: [_flags.controller_manager(f)],
    "kube-apiserver": lambda f: [_flags.apiserver(f)],
    "kubelet": lambda f: [_flags.kubelet(f)],
    "kube-proxy": _kube_proxy,
    "kubeadm init": _kubeadm_init,
    "cilium-agent": _cilium,
    "cilium-operator": _cilium,
}


def _flag_list(doc: Document) -> list[Invocation]:
    """A file of flags only, one or more a line, named after the program (MicroK8s ``args/kubelet``)."""
    program = DAEMONS.get(PurePath(doc.path).name)
    if program is None:
        return []
    lines = [(n, line.strip()) for n, line in enumerate(doc.text.splitlines(), 1)]
    body = [(n, line) for n, line in lines if line and not line.startswith("#")]
    if not body or not all(line.startswith("--") for _, line in body):
        return []
    args = tuple(Token(word, n) for n, line in body for word in line.split())
    return [Invocation(program, body[0][0], args)]


# ".../args/kube-apiserver: --service-cluster-ip-range=10.152.183.0/24": a MicroK8s args file named with
# the flags to add to it, one file a line (how `netblame plan --distribution microk8s` writes its edits).
_ARGS_EDIT = re.compile(r"^\S*/args/([\w-]+):\s+(--\S.*)$")


def _args_edits(doc: Document) -> list[Invocation]:
    """Each line naming a MicroK8s args file of a known program and the flags for it, one invocation each."""
    out: list[Invocation] = []
    for n, line in enumerate(doc.text.splitlines(), 1):
        found = _ARGS_EDIT.match(line.strip())
        if found is not None and found.group(1) in DAEMONS:
            out.append(Invocation(DAEMONS[found.group(1)], n, tuple(Token(w, n) for w in found.group(2).split())))
    return out


@functools.lru_cache(maxsize=8)
def _scan(text: str) -> tuple[Invocation, ...]:
    """The invocations in a file's text, scanned once however often the loader asks (accepts, then read)."""
    return tuple(invocations(text))


def _found(doc: Document) -> list[Invocation]:
    if doc.index != 0 or doc.json or _PODS.accepts(doc):
        return []
    return list(_scan(doc.text)) or _flag_list(doc) or _args_edits(doc)


def _cut_message(program: str, cut: Cut) -> str:
    """What a shell makes of a command cut short by a comment or an escaped blank (see :class:`Cut`)."""
    if cut.why == "skipped":
        return (f"a comment line inside this continued {program} command is skipped, as systemd does "
                "(systemd.syntax(7): the line goes on after the comment block); "
                f"{', '.join(cut.commented)} is commented out and not read")
    if cut.why == "comment":
        said = f"a comment ends this {program} command here, as it does in a shell (a `\\` inside it continues nothing)"
    else:
        said = (f"`\\` before a blank escapes the blank instead of continuing the line, so this {program} command "
                "ends here, as it does in a shell")
    if cut.commented:
        said += f"; {', '.join(cut.commented)} is commented out and not read"
    if cut.orphans:
        lines = sorted({t.line for t in cut.orphans})
        where = f"line {lines[0]}" if len(lines) == 1 else f"lines {lines[0]}-{lines[-1]}"
        flags = ", ".join(t.text.partition("=")[0] for t in cut.orphans)
        said += (f"; {flags} on {where} are not given to {program} (a shell runs them as a separate command, "
                 "which fails), so they are not read")
    return said


class FlagTextSource:
    """Command lines of kube-controller-manager, kube-apiserver, kubelet, kube-proxy, ``kubeadm init|join``,
    ``k3s|rke2 server|agent``, flanneld and Cilium, in any text."""

    kind = "component-flags"

    def accepts(self, doc: Document) -> bool:
        """A command line of a known program that says something netblame reads (flanneld's ``--ip-masq`` in
        Flannel's manifest does not make it a flags input)."""
        if not _found(doc):
            return False
        try:
            return bool(self.read(doc))
        except InputError:
            return True  # read() says what is wrong, where the loader records it

    def read(self, doc: Document) -> Sequence[object]:
        out: list[object] = []
        for inv in _found(doc):
            if inv.cut is not None and (inv.cut.commented or inv.cut.orphans):
                out.append(ReadNote(_cut_message(inv.program, inv.cut), doc.origin(inv.cut.line)))
            args = [Cursor(doc, t.text, "", t.line) for t in inv.args]
            parsed = _flags.parse_flags(inv.program, args)
            out.extend(parsed.notes)
            distro, _, _ = inv.program.partition(" ")
            if distro in ("k3s", "rke2"):
                out.append(k3s.from_flags(distro, parsed, doc.origin(inv.line)))
                continue
            reader = READERS.get(inv.program)
            if reader is not None:
                out.extend(f for f in reader(parsed.last()) if not f.is_empty)
        return out


SOURCES = (FlagTextSource(),)
