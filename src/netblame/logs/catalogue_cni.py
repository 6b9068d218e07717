"""Known lines of the CNIs: Flannel (flanneld and its CNI plugin), Cilium (agent and operator), Calico.

Every format string is copied from the named upstream file; every example is a line users pasted
(``example_source`` is the thread) or the format string with its verbs filled in.
"""

from __future__ import annotations

from netblame.logs.pattern import Component, LogPattern, github

FLANNEL = "flannel-io/flannel"
CILIUM = "cilium/cilium"
CALICO = "projectcalico/calico"
INSTANTIATED = "the upstream format string, instantiated"

FLANNEL_PATTERNS: tuple[LogPattern, ...] = (
    LogPattern(
        id="flannel-pod-cidr-not-assigned",
        component=Component.FLANNEL,
        formats=("node %q pod cidr not assigned",),
        source=github(FLANNEL, "pkg/subnet/kube/kube.go") + "; wrapped by 'failed to acquire lease: %v' ("
        + github(FLANNEL, "pkg/backend/vxlan/vxlan.go") + ") and 'Error registering network: %s' ("
        + github(FLANNEL, "main.go") + ")",
        meaning="flanneld (kube subnet manager) reads the node's pod range from node.spec.podCIDR and this node "
                "has none: kube-controller-manager did not allocate one (no --pod-network-cidr, or the pod "
                "range is used up), so flanneld restarts and pods on the node get no network",
        next_step="netblame check --nodes N <kubeadm config>  (NB101, NB108); kubectl get nodes "
                  "-o custom-columns=NAME:.metadata.name,CIDR:.spec.podCIDR",
        example='E0519 00:37:28.550351       1 network.go:102] failed to register network: failed to acquire '
                'lease: node "k8s-test-2.novalocal" pod cidr not assigned',
        example_source="https://github.com/flannel-io/flannel/issues/728",
        rules=("NB101", "NB108"),
    ),
    LogPattern(
        id="flannel-net-conf-mismatch",
        component=Component.FLANNEL,
        formats=("subnet %q specified in the flannel net config doesn't contain %q PodCIDR of the %q node",
                 "subnet %q specified in the flannel net config doesn't contain %q IPv6 PodCIDR of the %q node"),
        source=github(FLANNEL, "pkg/subnet/kube/kube.go"),
        meaning="net-conf.json's Network (default 10.244.0.0/16) is not the pod range kube-controller-manager "
                "hands out (kubeadm podSubnet), so the node's podCIDR lies outside flannel's network",
        next_step="netblame check <kubeadm config> <net-conf.json>  (NB105: CNI pool differs from the pod range)",
        example='subnet "10.244.0.0/16" specified in the flannel net config doesn\'t contain "172.16.1.0/24" '
                'PodCIDR of the "pi-2" node',
        example_source=INSTANTIATED,
        rules=("NB105",),
    ),
    LogPattern(
        id="flannel-no-interface",
        component=Component.FLANNEL,
        formats=("Failed to find any valid interface to use: %s",),
        source=github(FLANNEL, "main.go") + "; 'failed to get default interface: %w' in "
        + github(FLANNEL, "pkg/ipmatch/match.go") + "; 'unable to find default route' in "
        + github(FLANNEL, "pkg/ip/iface.go"),
        meaning="flanneld picks the interface of the node's default route for the overlay; this node has no "
                "default route (or --iface names a missing device), so flannel cannot start",
        next_step="ip route show default on the node; set --iface / k3s --flannel-iface; netblame collect",
        example="Failed to find any valid interface to use: failed to get default interface: unable to find "
                "default route",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="flannel-br-netfilter-missing",
        component=Component.FLANNEL,
        formats=("Failed to check br_netfilter: %s",),
        source=github(FLANNEL, "main.go"),
        meaning="the br_netfilter module is not loaded (no /proc/sys/net/bridge/bridge-nf-call-iptables); "
                "since Kubernetes 1.30 kubeadm no longer checks it, and flanneld exits",
        next_step="modprobe br_netfilter (and list it in /etc/modules-load.d/); netblame choose --node",
        example="Failed to check br_netfilter: stat /proc/sys/net/bridge/bridge-nf-call-iptables: no such file "
                "or directory",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="flannel-bad-net-conf",
        component=Component.FLANNEL,
        formats=("Failed to create SubnetManager: error parsing subnet config: %s",
                 "Failed to create SubnetManager: failed to read net conf: %s"),
        source=github(FLANNEL, "main.go") + "; " + github(FLANNEL, "pkg/subnet/kube/kube.go"),
        meaning="flanneld cannot read or parse /etc/kube-flannel/net-conf.json (the kube-flannel-cfg ConfigMap)",
        next_step="netblame check <net-conf.json> shows the line that is wrong",
        example="Failed to create SubnetManager: error parsing subnet config: invalid character '}' looking for "
                "beginning of object key string",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="flannel-cni-subnet-env-missing",
        component=Component.CNI_PLUGIN,
        formats=("loadFlannelSubnetEnv failed: open /run/flannel/subnet.env: no such file or directory",
                 "open /run/flannel/subnet.env: no such file or directory"),
        source="flannel-io/cni-plugin: flannel.go (https://github.com/flannel-io/cni-plugin/blob/HEAD/flannel.go) "
               "reads /run/flannel/subnet.env; the wrapped line as users report it: "
               "https://github.com/flannel-io/flannel/issues/2253",
        meaning="flanneld has not written this node's subnet.env yet: it is not running here or keeps "
                "failing (most often: the node has no pod range, see flannel-pod-cidr-not-assigned)",
        next_step="kubectl -n kube-flannel logs ds/kube-flannel-ds on that node, then netblame explain the "
                  "flanneld line; netblame check --nodes N <kubeadm config>  (NB108)",
        example='Warning  FailedCreatePodSandBox  11s    kubelet            Failed to create pod sandbox: rpc error: '
                'code = Unknown desc = failed to setup network for sandbox "3c05350cf5717b9bcf92a63ffafb7a3d27bd5ad'
                '1880de39272e72aa1661e637e": plugin type="flannel" failed (add): loadFlannelSubnetEnv failed: open '
                '/run/flannel/subnet.env: no such file or directory',
        example_source="https://github.com/flannel-io/flannel/issues/2253",
        rules=("NB108",),
    ),
)

CILIUM_PATTERNS: tuple[LogPattern, ...] = (
    LogPattern(
        id="cilium-ipv4-podcidr-missing",
        component=Component.CILIUM_AGENT,
        formats=("required IPv4 PodCIDR not available", "required IPv4 pod CIDR not present in node resource"),
        source=github(CILIUM, "pkg/k8s/init.go") + " (older releases; the local-node synchronizer in newer ones)",
        meaning="the agent waits for this node's pod range and never becomes ready: with ipam kubernetes the "
                "Node has no spec.podCIDR (kube-controller-manager ran out of node blocks, or was not asked to "
                "allocate); with cluster-pool the operator has not filled the CiliumNode",
        next_step="netblame check --nodes N <kubeadm config> <cilium values>  (NB101, NB105, NB108)",
        example='level=warning msg="Waiting for k8s node information" error="required IPv4 PodCIDR not '
                'available" subsys=k8s',
        example_source="https://github.com/cilium/cilium/issues/14505 (log form as reported there and in "
                       "cilium/cilium#12956, #29680)",
        rules=("NB101", "NB105", "NB108"),
    ),
    LogPattern(
        id="cilium-ipv6-podcidr-missing",
        component=Component.CILIUM_AGENT,
        formats=("required IPv6 PodCIDR not available",),
        source=github(CILIUM, "pkg/k8s/init.go"),
        meaning="as for IPv4: the node has no IPv6 pod range although IPv6 is enabled in Cilium",
        next_step="netblame check --nodes N <configs>  (NB108, NB111)",
        example='level=warning msg="Waiting for k8s node information" error="required IPv6 PodCIDR not available"',
        example_source=INSTANTIATED,
        rules=("NB108", "NB111"),
    ),
    LogPattern(
        id="cilium-operator-pool-missing",
        component=Component.CILIUM_OPERATOR,
        formats=("%s must be provided when using ClusterPool",),
        source=github(CILIUM, "pkg/ipam/allocator/clusterpool/clusterpool.go"),
        meaning="cluster-pool IPAM is on but no pool was given for an enabled address family, so the operator "
                "allocates no node ranges and every agent waits for its PodCIDR",
        next_step="set ipam.operator.clusterPoolIPv4PodCIDRList; netblame plan --cni cilium gives values that fit",
        example="cluster-pool-ipv4-cidr must be provided when using ClusterPool",
        example_source=INSTANTIATED,
        rules=("NB105",),
    ),
    LogPattern(
        id="cilium-apiserver-unreachable",
        component=Component.CILIUM_AGENT,
        formats=("Unable to contact k8s api-server",),
        source="Cilium docs, troubleshooting 'Unable to contact k8s api-server' "
               "(https://docs.cilium.io/en/v1.12/gettingstarted/kind/#unable-to-contact-k8s-api-server); "
               + github(CILIUM, "pkg/k8s/client/cell.go"),
        meaning="the agent cannot reach the API server through the kubernetes Service (10.96.0.1 by default): "
                "kube-proxy is not running or was removed for kube-proxy replacement without k8sServiceHost/"
                "k8sServicePort, or the path to the API server is blocked",
        next_step="with kube-proxy replacement set k8sServiceHost/k8sServicePort to the API server's node "
                  "address; netblame trace <node> <api-server>:6443",
        example='2023-10-26T17:30:48.085853480Z level=error msg="Unable to contact k8s api-server" error="Get '
                '\\"https://10.96.0.1:443/api/v1/namespaces/kube-system\\": dial tcp 10.96.0.1:443: i/o timeout"',
        example_source="https://github.com/cilium/cilium/issues/28823",
    ),
    LogPattern(
        id="cilium-kernel-too-old",
        component=Component.CILIUM_AGENT,
        formats=("kernel version: NOT OK: minimal supported kernel version is %s; kernel version that is running "
                 "is: %s",),
        source=github(CILIUM, "pkg/datapath/linux/requirements.go"),
        meaning="this node's kernel is older than the Cilium release needs; the agent exits at start",
        next_step="netblame choose --node (kernel and module checks for every CNI before you install)",
        example="kernel version: NOT OK: minimal supported kernel version is >= 4.8.0; kernel version that is "
                "running is: 4.4.0",
        example_source=INSTANTIATED,
    ),
)

CALICO_PATTERNS: tuple[LogPattern, ...] = (
    LogPattern(
        id="calico-bgp-not-established",
        component=Component.CALICO,
        formats=("BGP not established with %s",),
        source=github(CALICO, "node/pkg/health/health.go"),
        meaning="calico-node's BIRD has no BGP session with the listed peers: TCP 179 between the nodes is "
                "blocked, or a node advertises the wrong address (wrong interface autodetected)",
        next_step="open TCP 179 between all nodes (netblame handoff lists it); check each node's "
                  "projectcalico.org/IPv4Address annotation",
        example="Readiness probe failed: calico/node is not ready: BIRD is not ready: BGP not established with "
                "10.0.1.12,10.0.1.13",
        example_source=INSTANTIATED + " (health.go wraps it as 'calico/node is not ready: BIRD is not ready: %+v')",
    ),
    LogPattern(
        id="calico-felix-not-ready",
        component=Component.CALICO,
        formats=("calico/node is not ready: felix is not ready: %s",),
        source=github(CALICO, "node/pkg/health/health.go"),
        meaning="Felix, which programs routes and policy on this node, did not report ready (datastore "
                "unreachable, or it is still failing to program the dataplane)",
        next_step="kubectl -n calico-system logs <calico-node pod> -c calico-node; netblame check --live",
        example="calico/node is not ready: felix is not ready: readiness probe reporting 503",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="calico-duplicate-node-address",
        component=Component.CALICO,
        formats=("Calico node '%s' is already using the IPv4 address %s.",),
        source=github(CALICO, "node/pkg/lifecycle/startup/startup.go"),
        meaning="two nodes claim the same IPv4 address (cloned machines, or autodetection picked a shared "
                "address such as a Docker or VPN interface)",
        next_step="set IP_AUTODETECTION_METHOD (e.g. interface=eth0 or cidr=<LAN>); netblame check --live (NB306)",
        example="Calico node 'pi-1' is already using the IPv4 address 192.168.1.11.",
        example_source=INSTANTIATED,
        rules=("NB306",),
    ),
    LogPattern(
        id="calico-no-ipv4-address",
        component=Component.CALICO,
        formats=("Couldn't autodetect an IPv4 address. If auto-detecting, choose a different autodetection "
                 "method. Otherwise provide an explicit address.",),
        source=github(CALICO, "node/pkg/lifecycle/startup/startup.go"),
        meaning="calico-node found no address to use for this node with the configured autodetection method",
        next_step="set IP_AUTODETECTION_METHOD to the node's LAN interface or CIDR; netblame collect shows "
                  "the node's addresses",
        example="Couldn't autodetect an IPv4 address. If auto-detecting, choose a different autodetection "
                "method. Otherwise provide an explicit address.",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="calico-nodename-missing",
        component=Component.CALICO,
        formats=("%s: check that the calico/node container is running and has mounted /var/lib/calico/",),
        source=github(CALICO, "cni-plugin/pkg/plugin/plugin.go"),
        meaning="the Calico CNI plugin cannot find /var/lib/calico/nodename: calico-node is not (yet) running "
                "on this node, so pods cannot be wired",
        next_step="kubectl get pods -A -o wide | grep calico-node (is one running on this node?)",
        example="stat /var/lib/calico/nodename: no such file or directory: check that the calico/node container "
                "is running and has mounted /var/lib/calico/",
        example_source=INSTANTIATED,
    ),
    LogPattern(
        id="calico-cni-unauthorized",
        component=Component.CALICO,
        formats=("error getting ClusterInformation: connection is unauthorized: %s",),
        source=github(CALICO, "cni-plugin/pkg/plugin/plugin.go") + "; "
        + github(CALICO, "libcalico-go/lib/errors/errors.go"),
        meaning="the Calico CNI plugin's token in /etc/cni/net.d/calico-kubeconfig expired or belongs to a "
                "previous install, so the API server rejects it",
        next_step="restart calico-node on that node (it rewrites the kubeconfig); remove stale files in "
                  "/etc/cni/net.d left by an earlier CNI",
        example="error getting ClusterInformation: connection is unauthorized: Unauthorized",
        example_source=INSTANTIATED,
    ),
)

PATTERNS: tuple[LogPattern, ...] = FLANNEL_PATTERNS + CILIUM_PATTERNS + CALICO_PATTERNS
