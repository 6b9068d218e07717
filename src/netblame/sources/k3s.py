"""k3s and RKE2: ``/etc/rancher/{k3s,rke2}/config.yaml``, its ``config.yaml.d/*.yaml`` drop-ins, and
``k3s server``/``rke2 server`` flags wherever they are written.

A config file is a YAML mapping of server/agent flag names (recognised by its keys, not its path).
Every input becomes a :class:`DistroInput`; :func:`fold` combines them the way k3s does (config.yaml,
then the drop-ins in name order, a later value replacing an earlier one and ``key+`` appending; flags on
the command line win over files) and fills what nobody set with the distribution's defaults:
pod range 10.42.0.0/16, service range 10.43.0.0/16, cluster DNS 10.43.0.10, domain cluster.local,
k3s's embedded Flannel with the vxlan backend, RKE2's Canal (k3s-io/docs docs/cli/server.md;
rancher/rke2-docs docs/reference/server_config.md; k3s-io/k3s pkg/daemons/control/server.go, which
passes --allocate-node-cidrs=true and --cluster-cidr to kube-controller-manager and no node mask,
so its defaults of /24 and /64 apply). docs/sources.md lists them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import PurePath

from netblame._record import Record, record
from netblame.model.cidr import Cidr, parse_cidr
from netblame.model.cluster import ClusterNetwork, CniConfig
from netblame.model.distributions import DEFAULT_CNI, DEFAULT_PODS, DEFAULT_SERVICES
from netblame.model.flags import FlagNote
from netblame.model.origin import Origin, Sourced
from netblame.sources import _flags
from netblame.sources._base import Document
from netblame.sources._flagtables import K3S_SERVER, RKE2_SERVER
from netblame.sources._tree import Cursor

DEFAULTS = {"cluster-cidr": DEFAULT_PODS["k3s"][4], "service-cidr": DEFAULT_SERVICES["k3s"][4],
            "cluster-dns": "10.43.0.10", "cluster-domain": "cluster.local"}
DEFAULT_BACKEND = DEFAULT_CNI["k3s"][1]  # k3s --flannel-backend
RKE2_DEFAULT_CNI = DEFAULT_CNI["rke2"][0]  # rke2 --cni
RKE2_CILIUM_IPAM = "rke2-cilium chart ipam.mode"
# Keys only one of the two has (their server tables): they tell which distribution a config is for.
K3S_ONLY = (K3S_SERVER.values | K3S_SERVER.switches) - (RKE2_SERVER.values | RKE2_SERVER.switches)
RKE2_ONLY = (RKE2_SERVER.values | RKE2_SERVER.switches) - (K3S_SERVER.values | K3S_SERVER.switches)
ALL_KEYS = K3S_SERVER.values | K3S_SERVER.switches | RKE2_SERVER.values | RKE2_SERVER.switches
# Keys typical of a k3s/RKE2 config file and of no other YAML netblame reads.
TELLING = frozenset({
    "cluster-cidr", "service-cidr", "cluster-dns", "flannel-backend", "disable", "write-kubeconfig-mode", "tls-san",
    "node-ip", "token", "cni", "disable-network-policy", "kube-controller-manager-arg", "kube-apiserver-arg",
    "kubelet-arg", "kube-proxy-arg", "node-label", "node-taint", "cluster-init", "flannel-iface", "disable-kube-proxy",
    "node-external-ip", "agent-token", "datastore-endpoint", "etcd-expose-metrics", "secrets-encryption",
})
CMDLINE_RANK = 2


@record
class DistroInput(Record):
    """The settings one input gives k3s or RKE2: ``(key, append, value)`` in the order written.

    ``rank`` orders inputs the way k3s applies them: (0, path) for config.yaml, (1, path) for a drop-in,
    (2, path) for command-line flags, which win.
    """

    distro: str
    rank: tuple[int, str]
    settings: tuple[tuple[str, bool, Cursor], ...]
    origin: Origin


def distro_of(keys: set[str], path: str) -> str:
    """``rke2`` or ``k3s``: by the keys only one of them has, else by the path (``/etc/rancher/rke2/``)."""
    if keys & RKE2_ONLY:
        return "rke2"
    if keys & K3S_ONLY:
        return "k3s"
    return "rke2" if "rke2" in PurePath(path).parts else "k3s"


def looks_like_config(data: object) -> bool:
    """A k3s/RKE2 config: a mapping of their flag names (``key+`` too), with at least one telling key."""
    if not isinstance(data, dict) or not data or "kind" in data or "apiVersion" in data:
        return False
    keys = {str(k).removesuffix("+") for k in data}
    known = keys & ALL_KEYS
    return bool(known & TELLING) and len(known) * 2 >= len(keys)


def _checked(settings: tuple[tuple[str, bool, Cursor], ...]) -> tuple[tuple[str, bool, Cursor], ...]:
    """The settings, after checking the values netblame reads, so that a bad one is reported against its own
    file and line when the file is read (the others are still read)."""
    for key, _, cursor in settings:
        if key in ("cluster-cidr", "service-cidr"):
            cursor.cidrs(f"a {'pod' if key == 'cluster-cidr' else 'service'} range ({key})")
        elif key == "cluster-dns":
            _flags.addresses(cursor, "an IP address for cluster-dns such as 10.43.0.10")
        elif key in _COMPONENT_ARGS:
            _COMPONENT_ARGS[key](_split_args([cursor]))
    return settings


def _config_rank(path: str) -> tuple[int, str]:
    return (1 if PurePath(path).parent.name.endswith(".d") else 0, path)


class ConfigSource:
    """``/etc/rancher/k3s/config.yaml``, ``/etc/rancher/rke2/config.yaml`` and their ``config.yaml.d/`` files."""

    kind = "k3s-rke2-config"

    def accepts(self, doc: Document) -> bool:
        return looks_like_config(doc.data)

    def read(self, doc: Document) -> Sequence[object]:
        root = Cursor.root(doc)
        keys = {str(k).removesuffix("+") for k in doc.data}
        distro = distro_of(keys, doc.path)
        table = RKE2_SERVER if distro == "rke2" else K3S_SERVER
        settings: list[tuple[str, bool, Cursor]] = []
        notes: list[object] = []
        for raw in doc.data:
            key = str(raw)
            name = key.removesuffix("+")
            cursor = root[key]
            if not table.known(name):
                notes.append(FlagNote(f"{distro} server", name, "unknown", cursor.origin(),
                                      hint=_flags.closest(name, table)))
                continue
            values = cursor.items() if isinstance(cursor.value, list) else [cursor]
            settings.extend((name, key.endswith("+"), Cursor(doc, v.text() or "", key, v.line)) for v in values)
            notes.extend(n for v in values if (n := _flags.passed_on(name, v)) is not None)
        return [DistroInput(distro, _config_rank(doc.path), _checked(tuple(settings)), doc.origin()), *notes]


def from_flags(distro: str, parsed: _flags.ParsedFlags, origin: Origin) -> DistroInput:
    """The settings of a ``k3s server``/``rke2 agent`` command line."""
    settings = tuple((name, False, cursor) for name, cursors in parsed.values.items() for cursor in cursors)
    return DistroInput(distro, (CMDLINE_RANK, origin.file or ""), _checked(settings), origin)


def _combine(inputs: Sequence[DistroInput]) -> dict[str, list[Cursor]]:
    """Settings after k3s's own merge: later files replace, ``key+`` appends, the command line wins."""
    out: dict[str, list[Cursor]] = {}
    for item in sorted(inputs, key=lambda i: i.rank):
        seen: set[str] = set()
        for key, append, cursor in item.settings:
            if append or key in seen:
                out.setdefault(key, []).append(cursor)
            else:
                out[key] = [cursor]
            seen.add(key)
    return out


def _split_args(cursors: list[Cursor]) -> dict[str, Cursor]:
    """``--kube-controller-manager-arg node-cidr-mask-size-ipv4=25`` values as flags of that component."""
    out: dict[str, Cursor] = {}
    for cursor in cursors:
        name, _, value = (cursor.text() or "").lstrip("-").partition("=")
        out[name] = dataclasses.replace(cursor, value=value)
    return out


def _ranges(values: dict[str, list[Cursor]], key: str, what: str, why: str, origin: Origin) -> tuple[Cidr, ...]:
    cursors = values.get(key)
    if cursors:
        return tuple(c for cursor in cursors for c in cursor.cidrs(what))
    return tuple(parse_cidr(part, dataclasses.replace(origin, default=why), what=what)
                 for part in DEFAULTS[key].split(","))


def _cni(distro: str, values: dict[str, list[Cursor]], pods: tuple[Cidr, ...],
         origin: Origin) -> tuple[CniConfig, ...]:
    """The CNI the distribution deploys: k3s's embedded Flannel (``--flannel-backend``), RKE2's ``--cni``."""
    if distro == "k3s":
        backend = values.get("flannel-backend")
        routing = (backend[-1].sourced_text() if backend else None) or Sourced(
            DEFAULT_BACKEND, dataclasses.replace(origin, default="k3s --flannel-backend"))
        if routing.value == "none" or values.get("no-flannel"):
            return ()
        embedded = dataclasses.replace(origin, default="k3s runs its embedded Flannel with kube-subnet-mgr")
        return (CniConfig("flannel", origin, ipam_mode=Sourced("kube-subnet-mgr", embedded), pools=pods,
                          routing=routing),)
    chosen = values.get("cni")
    names = [n.strip() for c in chosen or [] for n in (c.text() or "").split(",") if n.strip()]
    name = next((n for n in reversed(names) if n != "multus"), None)
    where = chosen[-1].origin() if chosen else dataclasses.replace(origin, default="rke2 --cni")
    name = name or RKE2_DEFAULT_CNI
    if name in ("canal", "flannel"):  # Flannel carries the traffic in Canal; both take node podCIDRs
        return (CniConfig("flannel", where, ipam_mode=Sourced("kube-subnet-mgr", where), pools=pods,
                          routing=Sourced("vxlan", dataclasses.replace(where, default=f"rke2 {name} chart"))),)
    if name == "calico":
        return (CniConfig("calico", where, ipam_mode=Sourced("calico-ipam", where), pools=pods),)
    if name == "cilium":
        return (rke2_cilium(where),)
    return ()  # none, or a CNI RKE2 does not bundle (the user deploys it; its own input says how)


def rke2_cilium(where: Origin) -> CniConfig:
    """The rke2-cilium chart's defaults: ``ipam.mode: kubernetes`` (upstream's is cluster-pool; rancher/rke2-charts
    packages/rke2-cilium/generated-changes/patch/values.yaml.patch), so pods take each node's spec.podCIDR from
    cluster-cidr; tunnel routing with VXLAN, upstream's default (FACTS B.4)."""
    mode = Sourced("kubernetes", dataclasses.replace(where, default=RKE2_CILIUM_IPAM))
    routing = Sourced("vxlan", dataclasses.replace(where, default="rke2-cilium chart routingMode tunnel, "
                                                                 "tunnelProtocol vxlan"))
    return CniConfig("cilium", where, ipam_mode=mode, routing=routing)


_COMPONENT_ARGS = {
    "kube-controller-manager-arg": _flags.controller_manager,
    "kubelet-arg": _flags.kubelet,
    "kube-apiserver-arg": _flags.apiserver,
}


def _fold_one(distro: str, inputs: Sequence[DistroInput]) -> list[ClusterNetwork]:
    values = _combine(inputs)
    origin = sorted(inputs, key=lambda i: i.rank)[0].origin
    label = "k3s" if distro == "k3s" else "rke2"
    pods = _ranges(values, "cluster-cidr", "a pod range (cluster-cidr)", f"{label} --cluster-cidr", origin)
    services = _ranges(values, "service-cidr", "a service range (service-cidr)", f"{label} --service-cidr", origin)
    dns_cursors = values.get("cluster-dns")
    dns = (tuple(a for c in dns_cursors for a in _flags.addresses(c, "an IP address for cluster-dns such as "
                                                                       "10.43.0.10"))
           if dns_cursors else _flags.default_addresses(DEFAULTS["cluster-dns"], origin, f"{label} --cluster-dns"))
    domain = values.get("cluster-domain")
    allocate = Sourced(True, dataclasses.replace(
        origin, default=f"{label} passes --allocate-node-cidrs=true to kube-controller-manager"))
    base = ClusterNetwork(
        pod_cidrs=pods, service_cidrs=services, cluster_dns=dns, allocate_node_cidrs=allocate,
        dns_domain=(domain[-1].sourced_text() if domain else
                    Sourced(DEFAULTS["cluster-domain"], dataclasses.replace(origin, default=f"{label} "
                                                                                    "--cluster-domain"))),
        cnis=_cni(distro, values, pods, origin), distribution=Sourced("rke2" if distro == "rke2" else "k3s", origin))
    kcm = _flags.controller_manager(_split_args(values.get("kube-controller-manager-arg", [])), pods)
    kubelet = _flags.kubelet(_split_args(values.get("kubelet-arg", [])))
    apiserver = _flags.apiserver(_split_args(values.get("kube-apiserver-arg", [])))
    return [f for f in (base, kcm, kubelet, apiserver) if not f.is_empty]


def fold(inputs: Sequence[DistroInput]) -> list[ClusterNetwork]:
    """Cluster fragments from every k3s/RKE2 input, defaults filled, one set per distribution."""
    out: list[ClusterNetwork] = []
    for distro in sorted({i.distro for i in inputs}):
        out.extend(_fold_one(distro, [i for i in inputs if i.distro == distro]))
    return out


SOURCES = (ConfigSource(),)
