"""The ports and protocols a cluster needs between its nodes and from its admins, per distribution and
per CNI data path, each with the upstream page it comes from (docs/handoff.md has the same table)."""

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


def distribution_ports(distribution: str) -> list[Port]:
    """What the distribution itself needs (kubeadm: upstream Kubernetes' table)."""
    if distribution == "k3s":
        return [Port("tcp", "6443", "servers", "admins and agents", "K3s supervisor and Kubernetes API", K3S),
                Port("tcp", "2379-2380", "servers", "servers", "embedded etcd (HA servers only)", K3S),
                Port("tcp", "10250", "every node", "every node", "kubelet metrics", K3S)]
    if distribution == "rke2":
        return [Port("tcp", "9345", "servers", "agents", "RKE2 supervisor API", RKE2),
                Port("tcp", "6443", "servers", "admins and agents", "Kubernetes API", RKE2),
                Port("tcp", "2379-2380", "servers", "servers", "etcd client and peer", RKE2),
                Port("tcp", "10250", "every node", "every node", "kubelet metrics", RKE2),
                Port("tcp", "30000-32767", "every node", "clients of NodePort Services", "NodePort port range", RKE2)]
    if distribution == "k0s":
        return [Port("tcp", "6443", "controllers", "admins and workers", "kube-apiserver", K0S),
                Port("tcp", "2380", "controllers", "controllers", "etcd peers", K0S),
                Port("tcp", "9443", "controllers", "controllers", "k0s-api (join)", K0S),
                Port("tcp", "8132", "controllers", "workers", "konnectivity", K0S),
                Port("tcp", "10250", "every node", "controllers", "kubelet", K0S)]
    if distribution == "microk8s":
        return [Port("tcp", "16443", "every node", "admins and nodes", "API server", MICROK8S),
                Port("tcp", "10250", "every node", "control plane", "kubelet", MICROK8S),
                Port("tcp", "25000", "every node", "joining nodes", "cluster agent (microk8s join)", MICROK8S),
                Port("tcp", "19001", "control plane", "control plane", "dqlite (the datastore)", MICROK8S)]
    if distribution == "talos":
        return [*_kubernetes(),
                Port("tcp", "50000", "every node", "admins (talosctl) and control plane", "apid", TALOS),
                Port("tcp", "50001", "control plane", "every node", "trustd", TALOS)]
    return _kubernetes()


def cni_ports(cni: str | None, routing: str, encryption: str | None = None) -> list[Port]:
    """What the CNI's data path needs between nodes. ``routing`` is the model's word: ``vxlan``,
    ``geneve``, ``native``/``none``/``host-gw`` (routed), ``ipip``, ``wireguard``."""
    out: list[Port] = []
    if cni == "cilium":
        if routing == "vxlan":
            out.append(Port("udp", "8472", "every node", "every node", "Cilium VXLAN overlay", CILIUM))
        elif routing == "geneve":
            out.append(Port("udp", "6081", "every node", "every node", "Cilium Geneve overlay", CILIUM))
        out += [Port("tcp", "4240", "every node", "every node", "cilium-health checks", CILIUM),
                Port("icmp", "8/0", "every node", "every node", "cilium-health echo request/reply", CILIUM)]
        if encryption == "wireguard":
            out.append(Port("udp", "51871", "every node", "every node", "Cilium WireGuard encryption", CILIUM))
    elif cni == "calico":
        if routing.startswith("vxlan"):
            out.append(Port("udp", "4789", "every node", "every node", "Calico VXLAN overlay", CALICO))
        elif routing.startswith("ipip"):
            out.append(Port("ipip", None, "every node", "every node", "Calico IP-in-IP (IP protocol 4)", CALICO))
        if not routing.startswith("vxlan"):  # BGP runs unless the pools are VXLAN-only (Calico's requirements page)
            out.append(Port("tcp", "179", "every node and the BGP peers", "every node and the BGP peers",
                            "Calico BGP", CALICO))
        if encryption == "wireguard":
            out.append(Port("udp", "51820", "every node", "every node", "Calico WireGuard (IPv4; 51821 for IPv6)",
                            CALICO))
    elif cni == "kube-router":  # k0s's default: pod routes over BGP between the nodes
        out.append(Port("tcp", "179", "every node", "every node", "kube-router BGP", K0S))
    elif cni == "flannel":
        if routing == "vxlan":
            out.append(Port("udp", "8472", "every node", "every node", "Flannel VXLAN overlay (Linux default)",
                            FLANNEL))
        elif routing.startswith("wireguard"):
            out.append(Port("udp", "51820", "every node", "every node", "Flannel WireGuard (IPv4; 51821 for IPv6)",
                            FLANNEL))
    return out
