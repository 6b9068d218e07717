"""Known lines of Kubernetes' own components: kube-controller-manager, kubeadm, kubelet (and the
container runtime and CNI plugins whose errors it relays), kube-proxy.

Every format string is copied from the named upstream file; every example is a line users pasted
(``example_source`` is the thread) or the format string with its verbs filled in.
"""

from __future__ import annotations

from netblame.logs.pattern import Component, LogPattern, github

K8S = "kubernetes/kubernetes"
INSTANTIATED = "the upstream format string, instantiated"

PATTERNS: tuple[LogPattern, ...] = (
    LogPattern(
        id="kcm-allocate-cidr-failed",
        component=Component.KUBE_CONTROLLER_MANAGER,
        formats=("failed to allocate cidr from cluster cidr at idx:%v: %v",),
        source=github(K8S, "pkg/controller/nodeipam/ipam/range_allocator.go"),
        meaning="kube-controller-manager could not give a joining node its pod range (node.spec.podCIDR): "
                "the cluster CIDR (kubeadm podSubnet) is used up at the node mask, so that node never gets "
                "pod addresses and its CNI waits forever",
        next_step="netblame check --nodes N <kubeadm config>  (NB101: the pod range holds fewer node blocks "
                  "than there are nodes; the fix is a larger podSubnet or a longer node mask)",
        example="E0312 02:59:28.202205       1 controller_utils.go:260] Error while processing Node Add/Delete: "
                "failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no "
                "remaining CIDRs left to allocate in the accepted range",
        example_source="https://github.com/kubevirt/kubevirt/pull/5207",
        rules=("NB101",),
    ),
    LogPattern(
        id="kcm-cidr-exhausted",
        component=Component.KUBE_CONTROLLER_MANAGER,
        formats=("CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range",),
        source=github(K8S, "pkg/controller/nodeipam/ipam/cidrset/cidr_set.go"),
        meaning="the node-range allocator has no free block of the node mask left in the cluster CIDR "
                "(or, at start-up after 'failed after occupy serviceCIDR', the service range covers it)",
        next_step="netblame check --nodes N <kubeadm config>  (NB101, NB103)",
        example="CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range",
        example_source=INSTANTIATED,
        rules=("NB101", "NB103"),
    ),
    LogPattern(
        id="kcm-cidr-not-available-event",
        component=Component.KUBE_CONTROLLER_MANAGER,
        # RecordNodeStatusChange's "Node %s status is now: %s" with the reason range_allocator.go passes
        formats=("Node %s status is now: CIDRNotAvailable",),
        source=github(K8S, "pkg/controller/util/node/controller_utils.go") + "; reason CIDRNotAvailable from "
        + github(K8S, "pkg/controller/nodeipam/ipam/range_allocator.go"),
        meaning="the Node event that says this node got no pod range: the cluster CIDR has no free node block",
        next_step="netblame check --nodes N <kubeadm config>  (NB101); kubectl get nodes "
                  "-o custom-columns=NAME:.metadata.name,CIDR:.spec.podCIDR shows which nodes have none",
        example="  Normal   CIDRNotAvailable         5m14s (x30 over 104m)  cidrAllocator    "
                "Node node2 status is now: CIDRNotAvailable",
        example_source="https://github.com/cby-chen/Kubernetes/issues/50",
        rules=("NB101",),
    ),
    LogPattern(
        id="kcm-invalid-cluster-cidr-mask",
        component=Component.KUBE_CONTROLLER_MANAGER,
        formats=(
            "Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to "
            "--node-cidr-mask-size configured for CIDR family",
            "Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than "
            "--node-cidr-mask-size",
        ),
        source=github(K8S, "pkg/controller/nodeipam/node_ipam_controller.go"),
        meaning="the cluster CIDR is smaller than one node block (e.g. a /25 pod range with the default /24 "
                "node mask): kube-controller-manager refuses to start its node IPAM",
        next_step="netblame check <kubeadm config>  (NB102)",
        example="Controller: Invalid --cluster-cidr, mask size of cluster CIDR must be less than or equal to "
                "--node-cidr-mask-size configured for CIDR family",
        example_source=INSTANTIATED,
        rules=("NB102",),
    ),
    LogPattern(
        id="kcm-cluster-cidr-missing",
        component=Component.KUBE_CONTROLLER_MANAGER,
        formats=("Controller: Must specify --cluster-cidr if --allocate-node-cidrs is set",),
        source=github(K8S, "pkg/controller/nodeipam/node_ipam_controller.go"),
        meaning="node range allocation is on but no pod range was given (kubeadm init without "
                "--pod-network-cidr / networking.podSubnet), so no node gets a pod range",
        next_step="netblame check <kubeadm config>  (NB108: nodes without podCIDRs); "
                  "netblame plan for a pod range that fits",
        example="Controller: Must specify --cluster-cidr if --allocate-node-cidrs is set",
        example_source=INSTANTIATED,
        rules=("NB108",),
    ),
    LogPattern(
        id="cidrset-node-cidr-too-big",
        component=Component.KUBE_CONTROLLER_MANAGER,
        formats=("New CIDR set failed; the node CIDR size is too big",),
        source=github(K8S, "pkg/controller/nodeipam/ipam/cidrset/cidr_set.go"),
        meaning="node mask minus pod-range prefix is more than 16 bits (IPv6: a pod range shorter than /48 with "
                "the default /64 node mask); the allocator cannot be built",
        next_step="netblame check <kubeadm config>  (NB111)",
        example="New CIDR set failed; the node CIDR size is too big",
        example_source=INSTANTIATED,
        rules=("NB111",),
    ),
    LogPattern(
        id="kubeadm-pod-subnet-smaller-than-node",
        component=Component.KUBEADM,
        formats=("the size of pod subnet with mask %d is smaller than the size of node subnet with mask %d",),
        source=github(K8S, "cmd/kubeadm/app/apis/kubeadm/validation/validation.go"),
        meaning="kubeadm's pre-check: networking.podSubnet is smaller than one node block; init stops here",
        next_step="netblame check <kubeadm config>  (NB102)",
        example="the size of pod subnet with mask 25 is smaller than the size of node subnet with mask 24",
        example_source=INSTANTIATED,
        rules=("NB102",),
    ),
    LogPattern(
        id="kubeadm-pod-subnet-node-mask-diff",
        component=Component.KUBEADM,
        formats=("pod subnet mask (%d) and node-mask (%d) difference is greater than %d",),
        source=github(K8S, "cmd/kubeadm/app/apis/kubeadm/validation/validation.go"),
        meaning="kubeadm's pre-check: the pod subnet is more than 16 bits shorter than the node mask",
        next_step="netblame check <kubeadm config>  (NB111)",
        example="pod subnet mask (32) and node-mask (64) difference is greater than 16",
        example_source=INSTANTIATED,
        rules=("NB111",),
    ),
    LogPattern(
        id="kubelet-cni-config-uninitialized",
        component=Component.KUBELET,
        formats=("network plugin is not ready: cni config uninitialized",),
        source=github(K8S, "pkg/kubelet/dockershim/network/cni/cni.go") + " (dockershim, before Kubernetes 1.24)",
        meaning="no CNI configuration in /etc/cni/net.d on this node: no CNI is installed yet, or its "
                "DaemonSet pod is not running here, so the node stays NotReady",
        next_step="netblame choose --node (which CNI fits this node), then its install steps; "
                  "ls /etc/cni/net.d on the node",
        example="Warning  NetworkNotReady  3m27s (x4964 over 168m)  kubelet, casts1  network is not ready: runtime "
                "network not ready: NetworkReady=false reason:NetworkPluginNotReady message:docker: network plugin "
                "is not ready: cni config uninitialized",
        example_source="https://github.com/kubernetes/kubernetes/issues/48798",
    ),
    LogPattern(
        id="cri-cni-plugin-not-initialized",
        component=Component.CONTAINER_RUNTIME,
        formats=("Network plugin returns error: cni plugin not initialized",),
        source=github("containerd/containerd", "pkg/cri/server/status.go") + " ('Network plugin returns error: "
        "%v') with " + github("containerd/go-cni", "errors.go") + " (ErrCNINotInitialized)",
        meaning="containerd found no usable CNI configuration: the CNI is not installed on this node or has "
                "not written its config yet; on a node without a pod range the CNI cannot start at all",
        next_step="netblame check --nodes N <kubeadm config> (NB101/NB108: does every node have a pod range?); "
                  "netblame choose --node",
        example="- Kubelet logs on unhealthy node contain `NetworkPluginNotReady message:Network plugin returns "
                "error: cni plugin not initialized`",
        example_source="https://github.com/aws/eks-anywhere/pull/6184",
        rules=("NB101", "NB108"),
    ),
    LogPattern(
        id="host-local-range-exhausted",
        component=Component.CNI_PLUGIN,
        formats=("no IP addresses available in range set: %s",),
        source=github("containernetworking/plugins", "plugins/ipam/host-local/backend/allocator/allocator.go")
        + "; wrapped as 'failed to allocate for range %d: %v' in "
        + github("containernetworking/plugins", "plugins/ipam/host-local/main.go"),
        meaning="host-local handed out every address of this node's pod range (too small a node block for "
                "max-pods, or leases leaked in /var/lib/cni/networks/<network> after crashes)",
        next_step="netblame check --max-pods M <configs>  (NB107); ls /var/lib/cni/networks/*/ on the node",
        example="failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.254",
        example_source=INSTANTIATED,
        rules=("NB107",),
    ),
    LogPattern(
        id="bridge-address-changed",
        component=Component.CNI_PLUGIN,
        formats=("%q already has an IP address different from %v",),
        source=github("containernetworking/plugins", "plugins/main/bridge/bridge.go"),
        meaning="the node's pod range changed (kubeadm reset/re-init, a new podSubnet) but the bridge (cni0) "
                "still holds the gateway address of the old range, so no pod can be attached",
        next_step="on that node: ip link delete cni0 (the CNI recreates it), then netblame check --live "
                  "(NB306 finds addresses that overlap)",
        example='CNI: failed to set bridge addr: "cni-podman1" already has an IP address different from '
                "10.25.31.1/24",
        example_source="https://github.com/podman-container-tools/podman/issues/12306",
        rules=("NB306",),
    ),
    LogPattern(
        id="cni-plugin-binary-missing",
        component=Component.CNI_PLUGIN,
        formats=("failed to find plugin %q in path %s",),
        source=github("containernetworking/cni", "pkg/invoke/find.go"),
        meaning="the CNI config names a plugin binary that is not in /opt/cni/bin on this node (the CNI's "
                "install step did not run here, or the runtime looks in another bin_dir)",
        next_step="ls /opt/cni/bin on the node; reinstall the CNI there (netblame choose shows the steps)",
        example='failed to find plugin "flannel" in path [/opt/cni/bin]',
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="kubelet-nameserver-limits",
        component=Component.KUBELET,
        formats=("Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver "
                 "line is: %s",),
        source=github(K8S, "pkg/kubelet/network/dns/dns.go"),
        meaning="the node's resolv.conf (kubelet resolvConf) lists more than three nameservers; pods with "
                "dnsPolicy Default or ClusterFirst fallback see only the first three",
        next_step="netblame dns  (NB204)",
        example='Nov 16 21:02:17 control-0 kubelet[7914]: {"ts":1700168537196.4094,"caller":"dns/dns.go:153",'
                '"msg":"Nameserver limits exceeded","err":"Nameserver limits were exceeded, some nameservers have '
                'been omitted, the applied nameserver line is: 8.8.8.8 8.8.4.4 8.8.8.8"}',
        example_source="https://github.com/nforgeio/neonKUBE/issues/1868",
        rules=("NB204",),
    ),
    LogPattern(
        id="kubelet-search-line-limits",
        component=Component.KUBELET,
        formats=(
            "Search Line limits were exceeded, some search paths have been omitted, the applied search line "
            "is: %s",
            "Search Line limits were exceeded, some dns names have been omitted, the applied search line is: %s",
        ),
        source=github(K8S, "pkg/kubelet/network/dns/dns.go"),
        meaning="the cluster search domains plus the node's search domains exceed kubelet's limit; the "
                "node's own domains are cut from the pods' search list",
        next_step="netblame dns  (NB204, NB206)",
        example="Search Line limits were exceeded, some search paths have been omitted, the applied search line "
                "is: default.svc.cluster.local svc.cluster.local cluster.local example.internal",
        example_source=INSTANTIATED,
        rules=("NB204", "NB206"),
    ),
    LogPattern(
        id="kube-proxy-br-netfilter",
        component=Component.KUBE_PROXY,
        formats=(
            "Missing br-netfilter module or unset sysctl br-nf-call-iptables, proxy may not work as intended",
            "missing br-netfilter module or unset sysctl br-nf-call-iptables; proxy may not work as intended",
        ),
        source=github(K8S, "pkg/proxy/iptables/proxier.go"),
        meaning="bridged pod traffic bypasses iptables on this node, so Service NAT is skipped for pods on the "
                "same bridge (replies come from the wrong address)",
        next_step="modprobe br_netfilter && sysctl -w net.bridge.bridge-nf-call-iptables=1; "
                  "netblame choose --node checks the modules",
        example="Missing br-netfilter module or unset sysctl br-nf-call-iptables, proxy may not work as intended",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="kube-proxy-no-cluster-cidr",
        component=Component.KUBE_PROXY,
        formats=("Detect-local-mode set to ClusterCIDR, but no cluster CIDR specified for primary IP family",),
        source=github(K8S, "cmd/kube-proxy/app/server_linux.go"),
        meaning="kube-proxy was not told the pod range (clusterCIDR), so it cannot tell pod traffic from "
                "outside traffic and masquerades differently than intended",
        next_step="set clusterCIDR in the kube-proxy ConfigMap to the pod range; netblame check <configs> (NB110)",
        example="Detect-local-mode set to ClusterCIDR, but no cluster CIDR specified for primary IP family",
        example_source=INSTANTIATED,
        rules=("NB110",),
    ),
)
