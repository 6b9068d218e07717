"""The ports and protocols a cluster needs between its nodes and from its admins, per distribution and
per CNI data path, each with the upstream page it comes from (docs/handoff.md has the same table).

:data:`CNI_PORTS` is the one table of what each CNI needs from the network: ``handoff`` takes the rows
that fit a cluster's data path (:func:`cni_ports`), and ``choose`` shows every row of a CNI as the text
of its "network" cell (:func:`port_text`), so the two cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

K8S = "https://kubernetes.io/docs/reference/networking/ports-and-protocols/"
K3S = "https://docs.k3s.io/installation/requirements (Inbound Rules)"
RKE2 = "https://docs.rke2.io/install/requirements#inbound-network-rules"
K0S = "https://docs.k0sproject.io/stable/networking/#required-ports-and-protocols"
MICROK8S = "https://microk8s.io/docs/services-and-ports"
TALOS = "https://docs.siderolabs.com/talos/v1.13/learn-more/talos-network-connectivity"
CILIUM = "https://docs.cilium.io/en/stable/operations/system_requirements/#firewall-rules (FACTS.md B.5)"
CALICO = "https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements (FACTS.md C)"
FLANNEL = "https://github.com/flannel-io/flannel/blob/master/Documentation/backends.md (FACTS.md D)"
KUBE_ROUTER = ("https://github.com/cloudnativelabs/kube-router/blob/HEAD/docs/user-guide.md (--bgp-port default 179, "
               "--enable-overlay: IP-in-IP between nodes in different subnets); " + K0S)
ANTREA = "https://github.com/antrea-io/antrea/blob/HEAD/docs/network-requirements.md"


@dataclass(frozen=True, slots=True)
class Port:
    """One opening the network must allow: protocol, port or range (None for ICMP/ESP/IPIP), who talks to whom."""

    protocol: str  # tcp, udp, icmp, ipip (IP protocol 4), esp
    port: str | None
    to: str  # control plane, every node
    source: str  # who connects: nodes, admins, control plane
    purpose: str
    ref: str

    @property
    def label(self) -> str:
        return f"{self.protocol.upper()} {self.port}" if self.port else self.protocol.upper()


def _kubernetes(api_port: str = "6443", etcd: bool = True) -> list[Port]:
    out = [Port("tcp", api_port, "control plane", "admins and nodes", "Kubernetes API server", K8S)]
    if etcd:
        out.append(Port("tcp", "2379-2380", "control plane", "control plane", "etcd client and peer API", K8S))
    out += [Port("tcp", "10250", "every node", "control plane", "kubelet API (logs, exec, metrics)", K8S),
            Port("tcp", "30000-32767", "every node", "clients of NodePort Services", "NodePort Services", K8S),
            Port("udp", "30000-32767", "every node", "clients of NodePort Services", "NodePort Services", K8S)]
    return out


# What each distribution itself needs beyond upstream Kubernetes' table (kubeadm, and any distribution not
# listed, gets that table alone; Talos gets it and its own).
_DISTRIBUTION_PORTS: dict[str, tuple[Port, ...]] = {
    "k3s": (Port("tcp", "6443", "servers", "admins and agents", "K3s supervisor and Kubernetes API", K3S),
            Port("tcp", "2379-2380", "servers", "servers", "embedded etcd (HA servers only)", K3S),
            Port("tcp", "10250", "every node", "every node", "kubelet metrics", K3S)),
    "rke2": (Port("tcp", "9345", "servers", "agents", "RKE2 supervisor API", RKE2),
             Port("tcp", "6443", "servers", "admins and agents", "Kubernetes API", RKE2),
             Port("tcp", "2379-2380", "servers", "servers", "etcd client and peer", RKE2),
             Port("tcp", "10250", "every node", "every node", "kubelet metrics", RKE2),
             Port("tcp", "30000-32767", "every node", "clients of NodePort Services", "NodePort port range", RKE2)),
    "k0s": (Port("tcp", "6443", "controllers", "admins and workers", "kube-apiserver", K0S),
            Port("tcp", "2380", "controllers", "controllers", "etcd peers", K0S),
            Port("tcp", "9443", "controllers", "controllers", "k0s-api (join)", K0S),
            Port("tcp", "8132", "controllers", "workers", "konnectivity", K0S),
            Port("tcp", "10250", "every node", "controllers", "kubelet", K0S)),
    "microk8s": (Port("tcp", "16443", "every node", "admins and nodes", "API server", MICROK8S),
                 Port("tcp", "10250", "every node", "control plane", "kubelet", MICROK8S),
                 Port("tcp", "25000", "every node", "joining nodes", "cluster agent (microk8s join)", MICROK8S),
                 Port("tcp", "19001", "control plane", "control plane", "dqlite (the datastore)", MICROK8S)),
}
_TALOS_PORTS = (Port("tcp", "50000", "every node", "admins (talosctl) and control plane", "apid", TALOS),
                Port("tcp", "50001", "control plane", "every node", "trustd", TALOS))


def distribution_ports(distribution: str) -> list[Port]:
    """What the distribution itself needs (kubeadm: upstream Kubernetes' table)."""
    own = _DISTRIBUTION_PORTS.get(distribution)
    if own is not None:
        return list(own)
    return [*_kubernetes(), *(_TALOS_PORTS if distribution == "talos" else ())]


@dataclass(frozen=True, slots=True)
class CniPort:
    """One row of a CNI's needs: the opening, and when it is needed.

    ``routings`` are the data paths (the model's routing words, matched by prefix) that need it, empty for
    every data path; ``encryption`` the encryption that needs it; ``feature`` an option a cluster's files do
    not show (Hubble, Typha, BGPPolicy): listed by ``choose``, and by ``handoff`` only when asked for.
    ``unless`` the data paths that do not need it. ``when`` says the condition in words for ``choose``'s cell."""

    port: Port
    when: str = ""
    routings: tuple[str, ...] = ()
    encryption: str | None = None
    feature: str | None = None
    unless: tuple[str, ...] = ()  # data paths (by prefix) that do not need it


    def applies(self, routing: str, encryption: str | None, features: frozenset[str]) -> bool:
        if self.feature is not None:
            return self.feature in features
        if self.encryption is not None:
            return self.encryption == encryption
        if any(routing.startswith(r) for r in self.unless):
            return False
        return not self.routings or any(routing.startswith(r) for r in self.routings)


def _every(protocol: str, port: str | None, purpose: str, ref: str, to: str = "every node",
           source: str = "every node") -> Port:
    return Port(protocol, port, to, source, purpose, ref)


_BGP_PEERS = "every node and the BGP peers"

CNI_PORTS: dict[str, tuple[CniPort, ...]] = {
    "cilium": (
        CniPort(_every("udp", "8472", "Cilium VXLAN overlay", CILIUM), "default tunnel", ("vxlan",)),
        CniPort(_every("udp", "6081", "Cilium Geneve overlay", CILIUM), "tunnelProtocol geneve", ("geneve",)),
        CniPort(_every("tcp", "4240", "cilium-health checks", CILIUM)),
        CniPort(_every("icmp", "8/0", "cilium-health echo request/reply", CILIUM)),
        CniPort(_every("udp", "51871", "Cilium WireGuard encryption", CILIUM), "with encryption",
                encryption="wireguard"),
        CniPort(_every("tcp", "4244", "Hubble server, hubble-relay to every agent", CILIUM), "with Hubble",
                feature="hubble"),
    ),
    "calico": (
        CniPort(_every("tcp", "179", "Calico BGP", CALICO, _BGP_PEERS, _BGP_PEERS), "unless the pools are VXLAN only",
                unless=("vxlan",)),
        CniPort(_every("ipip", None, "Calico IP-in-IP, IP protocol 4", CALICO), "default encapsulation", ("ipip",)),
        CniPort(_every("udp", "4789", "Calico VXLAN overlay", CALICO), "with VXLAN", ("vxlan",)),
        CniPort(_every("tcp", "5473", "Calico Typha, calico-node to Typha", CALICO), "with Typha",
                feature="typha"),
        CniPort(_every("udp", "51820", "Calico WireGuard, IPv4", CALICO), "with encryption", encryption="wireguard"),
        CniPort(_every("udp", "51821", "Calico WireGuard, IPv6", CALICO), "with encryption", encryption="wireguard"),
    ),
    "flannel": (
        CniPort(_every("udp", "8472", "Flannel VXLAN overlay", FLANNEL), "default backend", ("vxlan",)),
        CniPort(_every("udp", "51820", "Flannel WireGuard, IPv4", FLANNEL), "wireguard backend", ("wireguard",)),
        CniPort(_every("udp", "51821", "Flannel WireGuard, IPv6", FLANNEL), "wireguard backend", ("wireguard",)),
    ),
    "kube-router": (  # k0s's default: pod routes over BGP between the nodes
        CniPort(_every("tcp", "179", "kube-router BGP", KUBE_ROUTER)),
        CniPort(_every("ipip", None, "kube-router IP-in-IP, IP protocol 4", KUBE_ROUTER),
                "between nodes in different subnets"),
    ),
    "antrea": (
        CniPort(_every("udp", "6081", "Antrea Geneve overlay", ANTREA), "default tunnel", ("geneve",)),
        CniPort(_every("udp", "4789", "Antrea VXLAN overlay", ANTREA), "tunnelType vxlan", ("vxlan",)),
        CniPort(_every("tcp", "10349-10351", "Antrea agent and controller APIs", ANTREA)),
        CniPort(_every("udp", "10351", "Antrea agent and controller", ANTREA)),
        CniPort(_every("udp", "51820", "Antrea WireGuard encryption", ANTREA), "with encryption",
                encryption="wireguard"),
        CniPort(_every("tcp", "179", "Antrea BGP", ANTREA, "nodes the BGPPolicies select",
                       "the BGP peers"), "with BGPPolicy", feature="bgp-policy"),
    ),
}
FEATURES: frozenset[str] = frozenset(r.feature for rows in CNI_PORTS.values() for r in rows if r.feature)


def cni_ports(cni: str | None, routing: str, encryption: str | None = None,
              features: frozenset[str] = frozenset()) -> list[Port]:
    """What the CNI's data path needs between nodes. ``routing`` is the model's word: ``vxlan``,
    ``geneve``, ``native``/``none``/``host-gw`` (routed), ``ipip``, ``wireguard``; ``features`` the options
    (:data:`FEATURES`) the cluster is known to use."""
    return [r.port for r in CNI_PORTS.get(cni or "", ()) if r.applies(routing, encryption, features)]


def port_text(row: CniPort) -> str:
    """A row as ``choose`` shows it: ``UDP 8472 Cilium VXLAN overlay (default tunnel)``."""
    return f"{row.port.label} {row.port.purpose}" + (f" ({row.when})" if row.when else "")


def network_needs(cni: str, distribution: str | None = None) -> tuple[str, ...]:
    """Every row of a CNI (after the distribution's own ports, for a CNI that comes with one), as text."""
    own = tuple(f"{p.label} {p.purpose}" for p in distribution_ports(distribution)) if distribution else ()
    return own + tuple(port_text(r) for r in CNI_PORTS[cni])
