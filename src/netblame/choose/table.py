"""The CNIs a small cluster would consider, as frozen records; every cell names the upstream page or
file it was read from (system requirements, release workflows, Helm values, install guides). The
"network" cells are the hand-off's port table (:data:`netblame.underlay.ports.CNI_PORTS`) as text."""

from __future__ import annotations

from netblame.choose.model import Arch, Candidate, Cell, Support
from netblame.underlay.ports import network_needs

Y, P, N = Support.YES, Support.PARTIAL, Support.NO


def gh(repo: str, path: str) -> str:
    """``owner/repo: path (URL)``."""
    return f"{repo}: {path} (https://github.com/{repo}/blob/HEAD/{path})"


KUBEADM_RAM = Cell(2048, "https://kubernetes.io/docs/setup/production-environment/tools/kubeadm/install-kubeadm/",
                   "kubeadm asks for 2 GB or more of RAM per machine; the install steps below run on kubeadm")

# --- Cilium ---------------------------------------------------------------------------------------------
CILIUM_REQ = "https://docs.cilium.io/en/latest/operations/system_requirements/"
CILIUM_VALUES = gh("cilium/cilium", "install/kubernetes/cilium/values.yaml")
CILIUM = Candidate(
    key="cilium", name="Cilium",
    archs=Cell(frozenset({Arch.AMD64, Arch.ARM64}), CILIUM_REQ,
               "images are built for AMD64 and AArch64 only: no 32-bit ARM"),
    min_kernel=Cell((5, 4), CILIUM_REQ, "Linux >= 5.4 (or 4.18 on RHEL 8.6)"),
    features=(
        ("policy", Cell(Y, "https://docs.cilium.io/en/latest/security/policy/layer7/")),
        ("l7-policy", Cell(Y, "https://docs.cilium.io/en/latest/security/policy/layer7/", "HTTP, Kafka, DNS rules")),
        ("encryption", Cell(Y, "https://docs.cilium.io/en/latest/security/network/encryption-wireguard/",
                            "WireGuard (UDP 51871) or IPsec")),
        ("bgp", Cell(Y, CILIUM_VALUES, "bgpControlPlane.enabled")),
        ("kube-proxy-replacement", Cell(Y, CILIUM_VALUES, "kubeProxyReplacement")),
        ("observability", Cell(Y, CILIUM_VALUES, "hubble.enabled: flow visibility")),
        ("ipv6", Cell(Y, CILIUM_VALUES, "ipv6.enabled; IPv6 cluster-pool fd00::/104")),
        ("dual-stack", Cell(Y, CILIUM_VALUES, "ipv4 and ipv6 enabled together")),
        ("multicast", Cell(P, "https://docs.cilium.io/en/stable/network/multicast/",
                           "beta; kernel >= 5.10 on AMD64, >= 6.0 on AArch64; VXLAN mode only")),
        ("windows", Cell(N, CILIUM_REQ, "Linux hosts only")),
    ),
    memory_mib=Cell(None, CILIUM_VALUES, "no request set by default (resources: {}); the commented example "
                    "requests 512Mi for the agent"),
    min_node_ram_mib=KUBEADM_RAM,
    network=Cell(network_needs("cilium"), CILIUM_REQ + " (Firewall Rules)"),
    modules=Cell(("vxlan",), CILIUM_VALUES, "tunnelProtocol defaults to vxlan; the eBPF datapath is in the kernel"),
    encryption_modules=Cell(("wireguard",), "https://docs.cilium.io/en/latest/security/network/encryption-wireguard/"),
    install=Cell(("cilium install",), "https://docs.cilium.io/en/latest/cmdref/cilium_install/",
                 "cilium CLI; installs the Helm chart"),
)

# --- Calico ---------------------------------------------------------------------------------------------
CALICO_REQ = ("https://docs.tigera.io/calico/latest/getting-started/kubernetes/requirements; "
              + gh("tigera/docs", "calico/_includes/partials/_system-requirements.mdx"))
CALICO_EDITIONS = ("https://docs.tigera.io/calico/latest/about/calico-product-editions; "
                   + gh("tigera/docs", "calico/about/calico-product-editions.mdx"))
CALICO_DOCS = "tigera/docs"
CALICO_URL = "https://raw.githubusercontent.com/projectcalico/calico/v3.32.1"
CALICO = Candidate(
    key="calico", name="Calico",
    archs=Cell(frozenset({Arch.AMD64, Arch.ARM64}), CALICO_REQ, "x86-64, arm64, ppc64le or s390x: no 32-bit ARM"),
    min_kernel=Cell((5, 10), CALICO_REQ, "Linux kernel 5.10 or later"),
    features=(
        ("policy", Cell(Y, CALICO_EDITIONS)),
        ("l7-policy", Cell(N, CALICO_EDITIONS, "application layer policy is in Calico Cloud/Enterprise only")),
        ("encryption", Cell(Y, gh(CALICO_DOCS, "calico/network-policy/encrypt-cluster-pod-traffic.mdx"),
                            "WireGuard")),
        ("bgp", Cell(Y, gh(CALICO_DOCS, "calico/networking/configuring/bgp.mdx"))),
        ("kube-proxy-replacement", Cell(Y, gh(CALICO_DOCS, "calico/operations/ebpf/enabling-ebpf.mdx"),
                                        "eBPF data plane")),
        ("observability", Cell(P, CALICO_EDITIONS, "flow logs API; application-level observability is not in "
                               "the open-source edition")),
        ("ipv6", Cell(Y, gh(CALICO_DOCS, "calico/networking/ipam/ipv6.mdx"))),
        ("dual-stack", Cell(Y, gh(CALICO_DOCS, "calico/networking/ipam/ipv6.mdx"))),
        ("multicast", Cell(N, CALICO_EDITIONS, "not in the feature comparison")),
        ("windows", Cell(Y, gh(CALICO_DOCS, "calico/getting-started/kubernetes/windows-calico/index.mdx"))),
    ),
    memory_mib=Cell(None, gh("projectcalico/calico", "manifests/calico.yaml"),
                    "calico-node requests cpu 250m and no memory"),
    min_node_ram_mib=KUBEADM_RAM,
    network=Cell(network_needs("calico"), CALICO_REQ + " (Network requirements)"),
    modules=Cell(("ip_set", "ip_tables|nf_tables", "ipip"), CALICO_REQ + " (Kernel dependencies)",
                 "ipset, the iptables modules (legacy or nft) and IPIP, the default encapsulation"),
    encryption_modules=Cell(("wireguard",), gh(CALICO_DOCS, "calico/network-policy/encrypt-cluster-pod-traffic.mdx")),
    install=Cell((f"kubectl create -f {CALICO_URL}/manifests/v1_crd_projectcalico_org.yaml",
                  f"kubectl create -f {CALICO_URL}/manifests/tigera-operator.yaml",
                  f"curl -O {CALICO_URL}/manifests/custom-resources.yaml",
                  "kubectl create -f custom-resources.yaml"),
                 gh(CALICO_DOCS, "calico_versioned_docs/version-3.32/getting-started/kubernetes/self-managed-onprem/"
                    "onpremises.mdx"), "edit the pool CIDR in custom-resources.yaml to your pod range first"),
)

# --- Flannel --------------------------------------------------------------------------------------------
FLANNEL_REPO = "flannel-io/flannel"
FLANNEL_BACKENDS = gh(FLANNEL_REPO, "Documentation/backends.md")
FLANNEL_README = gh(FLANNEL_REPO, "README.md")
FLANNEL = Candidate(
    key="flannel", name="Flannel",
    archs=Cell(frozenset({Arch.AMD64, Arch.ARM64, Arch.ARMV7}), gh(FLANNEL_REPO, ".github/workflows/release.yml"),
               "images for linux/amd64, arm64, arm, s390x, ppc64le, riscv64"),
    min_kernel=Cell(None, FLANNEL_BACKENDS, "no minimum stated; the default backend needs in-kernel VXLAN"),
    features=(
        ("policy", Cell(P, FLANNEL_README, "flanneld enforces no policy; the Helm chart's netpol.enabled adds the "
                        "kube-network-policies controller")),
        ("l7-policy", Cell(N, FLANNEL_README)),
        ("encryption", Cell(Y, FLANNEL_BACKENDS, "wireguard backend")),
        ("bgp", Cell(N, FLANNEL_BACKENDS, "backends: vxlan, host-gw, wireguard, udp, ipip, ...; no BGP")),
        ("kube-proxy-replacement", Cell(N, FLANNEL_README, "focused on networking; kube-proxy stays")),
        ("observability", Cell(N, FLANNEL_README)),
        ("ipv6", Cell(Y, gh(FLANNEL_REPO, "Documentation/configuration.md"), "IPv6Network, IPv6SubnetLen")),
        ("dual-stack", Cell(Y, gh(FLANNEL_REPO, "Documentation/configuration.md"))),
        ("multicast", Cell(N, FLANNEL_BACKENDS)),
        ("windows", Cell(Y, FLANNEL_BACKENDS, "VXLAN on Windows uses UDP 4789")),
    ),
    memory_mib=Cell(50, gh(FLANNEL_REPO, "Documentation/kube-flannel.yml"), "kube-flannel requests 50Mi"),
    min_node_ram_mib=KUBEADM_RAM,
    network=Cell(network_needs("flannel"), FLANNEL_BACKENDS),
    modules=Cell(("vxlan", "br_netfilter"), FLANNEL_BACKENDS + "; " + gh(FLANNEL_REPO, "main.go"),
                 "in-kernel VXLAN (on Ubuntu for Raspberry Pi: linux-modules-extra-raspi); flanneld exits "
                 "without br_netfilter"),
    encryption_modules=Cell(("wireguard",), FLANNEL_BACKENDS, "kernels < 5.6 need the WireGuard package"),
    install=Cell(("kubeadm init --pod-network-cidr=10.244.0.0/16",
                  "kubectl apply -f https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml"),
                 FLANNEL_README + "; " + gh(FLANNEL_REPO, "Documentation/kubernetes.md"),
                 "the pod CIDR must match net-conf.json's Network (10.244.0.0/16 by default)"),
)

# --- k3s with its bundled Flannel -----------------------------------------------------------------------
K3S_DOCS = "k3s-io/docs"
K3S_REQ = gh(K3S_DOCS, "docs/installation/requirements.md")
K3S_NET = gh(K3S_DOCS, "docs/networking/basic-network-options.md")
K3S_FLANNEL = Candidate(
    key="k3s-flannel", name="k3s (bundled Flannel)",
    archs=Cell(frozenset({Arch.AMD64, Arch.ARM64, Arch.ARMV7}), K3S_REQ, "x86_64, armhf, arm64/aarch64"),
    min_kernel=Cell(None, K3S_REQ, "expected to work on most modern Linux systems"),
    features=(
        ("policy", Cell(Y, gh(K3S_DOCS, "docs/networking/networking-services.md"),
                        "embedded network policy controller (kube-router's netpol library)")),
        ("l7-policy", Cell(N, gh(K3S_DOCS, "docs/networking/networking-services.md"))),
        ("encryption", Cell(Y, K3S_NET, "--flannel-backend=wireguard-native")),
        ("bgp", Cell(N, K3S_NET, "flannel backends only")),
        ("kube-proxy-replacement", Cell(N, K3S_NET, "replacing kube-proxy means --flannel-backend=none and "
                                        "another CNI")),
        ("observability", Cell(N, K3S_NET)),
        ("ipv6", Cell(Y, K3S_NET, "single-stack IPv6")),
        ("dual-stack", Cell(Y, K3S_NET)),
        ("multicast", Cell(N, K3S_NET)),
        ("windows", Cell(N, K3S_REQ, "Linux architectures only")),
    ),
    memory_mib=Cell(0, gh(K3S_DOCS, "docs/networking/networking-services.md"),
                    "Flannel runs inside the k3s process: no extra pods"),
    min_node_ram_mib=Cell(512, K3S_REQ, "agent 512 MB, server 2 GB"),
    network=Cell(network_needs("flannel", "k3s"), K3S_REQ + " (Inbound Rules)"),
    modules=Cell(("vxlan",), K3S_REQ, "Raspberry Pi tab: on Ubuntu 21.10-23.10 vxlan is in linux-modules-extra-raspi"),
    encryption_modules=Cell(("wireguard",), K3S_NET),
    install=Cell(("curl -sfL https://get.k3s.io | sh -",
                  "curl -sfL https://get.k3s.io | K3S_URL=https://<server>:6443 K3S_TOKEN=<node-token> sh -"),
                 gh(K3S_DOCS, "docs/quick-start.md"),
                 "on Raspberry Pi OS first append cgroup_memory=1 cgroup_enable=memory to "
                 "/boot/firmware/cmdline.txt (requirements page); the token is in "
                 "/var/lib/rancher/k3s/server/node-token on the server"),
    distribution="k3s",
    plan_cni="flannel",
    single_node_ram_mib=Cell(2048, K3S_REQ, "a server asks 2 GB"),
)

# --- kube-router ----------------------------------------------------------------------------------------
KR = "cloudnativelabs/kube-router"
KR_GUIDE = gh(KR, "docs/user-guide.md")
KUBE_ROUTER = Candidate(
    key="kube-router", name="kube-router",
    archs=Cell(frozenset({Arch.AMD64, Arch.ARM64, Arch.ARMV7}), gh(KR, ".github/workflows/ci-container.yml"),
               "images for linux/amd64, arm64, arm/v7, s390x, ppc64le"),
    min_kernel=Cell(None, KR_GUIDE, "no minimum stated"),
    features=(
        ("policy", Cell(Y, KR_GUIDE, "network policy controller")),
        ("l7-policy", Cell(N, KR_GUIDE)),
        ("encryption", Cell(N, gh(KR, "docs/tunnels.md"), "IPIP/FoU tunnels, unencrypted")),
        ("bgp", Cell(Y, gh(KR, "docs/bgp.md"))),
        ("kube-proxy-replacement", Cell(Y, KR_GUIDE, "IPVS service proxy (--run-service-proxy)")),
        ("observability", Cell(P, gh(KR, "docs/observability.md"), "Prometheus metrics")),
        ("ipv6", Cell(Y, gh(KR, "docs/ipv6.md"), "v2.0.0 and later")),
        ("dual-stack", Cell(Y, gh(KR, "docs/ipv6.md"), "v2.0.0 and later")),
        ("multicast", Cell(N, KR_GUIDE)),
        ("windows", Cell(N, KR_GUIDE)),
    ),
    memory_mib=Cell(250, gh(KR, "daemonset/kubeadm-kuberouter.yaml"), "requests 250Mi"),
    min_node_ram_mib=KUBEADM_RAM,
    network=Cell(network_needs("kube-router"), KR_GUIDE + "; " + gh(KR, "docs/tunnels.md")),
    modules=Cell(("ip_set", "ip_vs", "ipip"), KR_GUIDE + "; " + gh(KR, "docs/tunnels.md"),
                 "ipset and IPVS for policy and services, IPIP the default tunnel"),
    encryption_modules=Cell((), gh(KR, "docs/tunnels.md"), "no encryption"),
    install=Cell(("kubeadm init --pod-network-cidr=<pod range>",
                  "kubectl apply -f https://raw.githubusercontent.com/cloudnativelabs/kube-router/master/daemonset/"
                  "kubeadm-kuberouter.yaml"), gh(KR, "docs/kubeadm.md"),
                 "kubeadm-kuberouter-all-features.yaml also replaces kube-proxy"),
)

# --- Antrea ---------------------------------------------------------------------------------------------
AN = "antrea-io/antrea"
AN_START = gh(AN, "docs/getting-started.md")
AN_GATES = gh(AN, "docs/feature-gates.md")
ANTREA = Candidate(
    key="antrea", name="Antrea",
    archs=Cell(frozenset({Arch.AMD64, Arch.ARM64, Arch.ARMV7}), AN_START, "arm64 and arm/v7 since v1.0"),
    min_kernel=Cell((4, 6), AN_START, "Open vSwitch's built-in kernel module needs kernel >= 4.6"),
    features=(
        ("policy", Cell(Y, gh(AN, "docs/antrea-network-policy.md"))),
        ("l7-policy", Cell(P, AN_GATES, "L7NetworkPolicy: alpha, off by default")),
        ("encryption", Cell(Y, gh(AN, "docs/traffic-encryption.md"), "IPsec or WireGuard")),
        ("bgp", Cell(P, AN_GATES, "BGPPolicy: alpha")),
        ("kube-proxy-replacement", Cell(Y, gh(AN, "docs/antrea-proxy.md"), "AntreaProxy with proxyAll")),
        ("observability", Cell(P, AN_GATES, "FlowExporter: alpha")),
        ("ipv6", Cell(Y, gh(AN, "docs/antrea-ipam.md"))),
        ("dual-stack", Cell(Y, gh(AN, "docs/antrea-ipam.md"))),
        ("multicast", Cell(P, AN_GATES, "Multicast: beta")),
        ("windows", Cell(Y, gh(AN, "docs/windows.md"))),
    ),
    memory_mib=Cell(100, gh(AN, "build/charts/antrea/values.yaml"),
                    "the controller requests 100Mi; the agent sets no memory request"),
    min_node_ram_mib=KUBEADM_RAM,
    network=Cell(network_needs("antrea"), gh(AN, "docs/network-requirements.md")),
    modules=Cell(("openvswitch",), AN_START, "tunnelType geneve by default (build/charts/antrea/values.yaml)"),
    encryption_modules=Cell(("wireguard",), gh(AN, "docs/traffic-encryption.md")),
    install=Cell(("kubectl apply -f https://github.com/antrea-io/antrea/releases/download/<TAG>/antrea.yml",),
                 AN_START, "<TAG> is a release, e.g. the latest on the releases page"),
)

CANDIDATES: tuple[Candidate, ...] = (CILIUM, CALICO, FLANNEL, K3S_FLANNEL, KUBE_ROUTER, ANTREA)
