"""Known flags per program: which take a value and which are switches.

Sources (docs/sources.md, "Component flags"):
- k3s ``server``/``agent``: k3s-io/docs docs/cli/server.md and agent.md (the "K3s Server CLI Help" block;
  a flag without ``value`` there is a switch).
- RKE2 ``server``/``agent``: rancher/rke2-docs docs/reference/server_config.md and linux_agent_config.md
  (a flag whose default is true/false is a switch).
- kube-controller-manager, kube-apiserver, kubelet, kube-proxy, kubeadm: the flags netblame reads and the
  ones kubeadm, k3s and the distributions write (kubernetes/website
  content/en/docs/reference/command-line-tools-reference/*.md and
  content/en/docs/reference/setup-tools/kubeadm/generated/kubeadm_init.md). These tables are not every flag
  of those programs, so a flag missing from them is reported only when it is a near miss of a listed one.
- flanneld, cilium-agent, cilium-operator: flannel-io/flannel Documentation/configuration.md, Cilium's
  cmdref pages (cilium-agent, cilium-operator-generic).
"""

from __future__ import annotations

from dataclasses import dataclass

from netblame._record import Record


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class FlagTable(Record):
    """The flags of one program: ``values`` take an argument, ``switches`` do not (booleans).

    ``complete`` says the table lists every flag, so any other name is unknown to the program; otherwise
    only a near miss of a listed flag (a likely misspelling) is reported.
    """

    program: str
    values: frozenset[str]
    switches: frozenset[str]
    complete: bool = False

    def known(self, name: str) -> bool:
        """True when ``name`` is a flag of this program."""
        return name in self.values or name in self.switches


def _table(program: str, values: str, switches: str, *, complete: bool = False) -> FlagTable:
    return FlagTable(program, frozenset(values.split()), frozenset(switches.split()), complete)


_LOGGING_V = "v vmodule log-dir log-file log-file-max-size logging-format stderrthreshold log-flush-frequency"
_LOGGING_S = "alsologtostderr logtostderr add-dir-header skip-headers skip-log-headers one-output"
_SERVING_V = ("bind-address secure-port cert-dir tls-cert-file tls-private-key-file tls-cipher-suites tls-min-version "
              "client-ca-file kubeconfig authentication-kubeconfig authorization-kubeconfig "
              "requestheader-client-ca-file requestheader-allowed-names feature-gates master "
              "authorization-always-allow-paths permit-port-sharing")

KCM = _table("kube-controller-manager", f"""
    cluster-cidr service-cluster-ip-range node-cidr-mask-size node-cidr-mask-size-ipv4 node-cidr-mask-size-ipv6
    cidr-allocator-type cloud-provider cloud-config cluster-name cluster-signing-cert-file cluster-signing-key-file
    cluster-signing-duration controllers root-ca-file service-account-private-key-file node-monitor-grace-period
    node-monitor-period pod-eviction-timeout terminated-pod-gc-threshold concurrent-deployment-syncs
    concurrent-endpoint-syncs concurrent-service-syncs kube-api-qps kube-api-burst address port
    horizontal-pod-autoscaler-sync-period leader-elect-lease-duration leader-elect-renew-deadline
    leader-elect-retry-period leader-elect-resource-lock large-cluster-size-threshold
    cluster-signing-kubelet-serving-cert-file cluster-signing-kubelet-serving-key-file
    cluster-signing-kubelet-client-cert-file cluster-signing-kubelet-client-key-file
    cluster-signing-kube-apiserver-client-cert-file cluster-signing-kube-apiserver-client-key-file
    cluster-signing-legacy-unknown-cert-file cluster-signing-legacy-unknown-key-file
    flex-volume-plugin-dir {_SERVING_V} {_LOGGING_V}""",
    f"""allocate-node-cidrs configure-cloud-routes use-service-account-credentials leader-elect profiling
    enable-hostpath-provisioner contention-profiling enable-dynamic-provisioning enable-garbage-collector
    {_LOGGING_S}""")

APISERVER = _table("kube-apiserver", f"""
    service-cluster-ip-range service-node-port-range advertise-address etcd-servers etcd-cafile etcd-certfile
    etcd-keyfile authorization-mode enable-admission-plugins disable-admission-plugins
    kubelet-client-certificate kubelet-client-key kubelet-certificate-authority kubelet-preferred-address-types
    proxy-client-cert-file proxy-client-key-file requestheader-extra-headers-prefix requestheader-group-headers
    requestheader-username-headers service-account-issuer service-account-key-file
    service-account-signing-key-file api-audiences runtime-config encryption-provider-config audit-log-path
    audit-policy-file audit-log-maxage audit-log-maxbackup audit-log-maxsize oidc-issuer-url oidc-client-id
    storage-backend endpoint-reconciler-type advertise-port insecure-port egress-selector-config-file
    {_SERVING_V} {_LOGGING_V}""",
    f"allow-privileged enable-bootstrap-token-auth anonymous-auth profiling enable-aggregator-routing {_LOGGING_S}")

KUBELET = _table("kubelet", f"""
    cluster-dns cluster-domain max-pods pod-cidr node-ip resolv-conf config kubeconfig bootstrap-kubeconfig
    container-runtime container-runtime-endpoint cgroup-driver hostname-override node-labels
    register-with-taints pod-infra-container-image network-plugin cni-bin-dir cni-conf-dir root-dir
    provider-id cloud-provider eviction-hard kube-reserved system-reserved pod-manifest-path
    image-service-endpoint runtime-request-timeout node-status-update-frequency address port healthz-port
    {_SERVING_V} {_LOGGING_V}""",
    f"rotate-certificates rotate-server-certificates fail-swap-on protect-kernel-defaults {_LOGGING_S}")

KUBE_PROXY = _table("kube-proxy", f"""
    cluster-cidr proxy-mode config hostname-override kubeconfig masquerade-bit metrics-bind-address
    healthz-bind-address ipvs-scheduler ipvs-min-sync-period ipvs-sync-period iptables-sync-period
    iptables-min-sync-period nodeport-addresses detect-local-mode conntrack-max-per-core {_LOGGING_V}""",
    f"masquerade-all ipvs-strict-arp cleanup {_LOGGING_S}")

KUBEADM_INIT = _table("kubeadm init", """
    pod-network-cidr service-cidr service-dns-domain apiserver-advertise-address apiserver-bind-port
    apiserver-cert-extra-sans control-plane-endpoint config cri-socket kubernetes-version node-name token
    token-ttl certificate-key image-repository ignore-preflight-errors skip-phases feature-gates cert-dir
    patches v""",
    "upload-certs skip-certificate-key-print skip-token-print dry-run")

KUBEADM_JOIN = _table("kubeadm join", """
    token discovery-token-ca-cert-hash discovery-token discovery-file tls-bootstrap-token config cri-socket
    node-name apiserver-advertise-address apiserver-bind-port certificate-key ignore-preflight-errors
    skip-phases patches v""",
    "control-plane discovery-token-unsafe-skip-ca-verification dry-run")

_K3S_COMMON_V = """config c v vmodule log l data-dir d token t token-file server s node-name node-label node-taint
    image-credential-provider-bin-dir image-credential-provider-config container-runtime-endpoint
    default-runtime image-service-endpoint pause-image snapshotter private-registry system-default-registry
    node-ip i node-external-ip node-internal-dns node-external-dns resolv-conf flannel-iface flannel-conf
    flannel-cni-conf kubelet-arg kube-proxy-arg vpn-auth vpn-auth-file lb-server-port bind-address"""
_K3S_COMMON_S = """debug alsologtostderr with-node-id docker disable-default-registry-endpoint nonroot-devices rootless
    prefer-bundled-bin protect-kernel-defaults selinux disable-apiserver-lb"""

K3S_SERVER = _table("k3s server", f"""
    {_K3S_COMMON_V} https-listen-port advertise-address advertise-port tls-san cluster-cidr service-cidr
    service-node-port-range cluster-dns cluster-domain flannel-backend egress-selector-mode servicelb-namespace
    write-kubeconfig o write-kubeconfig-mode write-kubeconfig-group helm-job-image agent-token agent-token-file
    cluster-reset-restore-path kube-apiserver-arg etcd-arg kube-controller-manager-arg kube-scheduler-arg
    kube-cloud-controller-manager-arg datastore-endpoint datastore-cafile datastore-certfile datastore-keyfile
    etcd-snapshot-name etcd-snapshot-schedule-cron etcd-snapshot-retention etcd-snapshot-dir etcd-s3-endpoint
    etcd-s3-endpoint-ca etcd-s3-access-key etcd-s3-secret-key etcd-s3-bucket etcd-s3-region etcd-s3-folder
    etcd-s3-proxy etcd-s3-config-secret etcd-s3-timeout default-local-storage-path disable no-deploy
    secrets-encryption-provider cluster-secret""",
    f"""{_K3S_COMMON_S} tls-san-security flannel-ipv6-masq flannel-external-ip cluster-init cluster-reset
    etcd-expose-metrics etcd-disable-snapshots etcd-snapshot-compress etcd-s3 etcd-s3-skip-ssl-verify
    etcd-s3-insecure disable-scheduler disable-cloud-controller disable-kube-proxy disable-network-policy
    disable-helm-controller embedded-registry supervisor-metrics secrets-encryption enable-pprof disable-agent
    no-flannel""", complete=True)

K3S_AGENT = _table("k3s agent", _K3S_COMMON_V, _K3S_COMMON_S, complete=True)

_RKE2_COMMON_V = """config debug data-dir token token-file server bind-address kube-apiserver-image
    kube-controller-manager-image cloud-controller-manager-image kube-proxy-image kube-scheduler-image pause-image
    runtime-image etcd-image cloud-provider-name cloud-provider-config profile audit-policy-file
    pod-security-admission-config-file control-plane-resource-requests control-plane-resource-limits
    control-plane-probe-configuration kube-apiserver-extra-mount kube-scheduler-extra-mount
    kube-controller-manager-extra-mount kube-proxy-extra-mount etcd-extra-mount cloud-controller-manager-extra-mount
    kube-apiserver-extra-env kube-scheduler-extra-env kube-controller-manager-extra-env kube-proxy-extra-env
    etcd-extra-env cloud-controller-manager-extra-env node-name node-label node-taint
    image-credential-provider-bin-dir image-credential-provider-config lb-server-port container-runtime-endpoint
    default-runtime snapshotter private-registry system-default-registry node-ip node-external-ip
    node-internal-dns node-external-dns resolv-conf kubelet-arg kube-proxy-arg kubelet-path"""
_RKE2_COMMON_S = """node-name-from-cloud-provider-metadata with-node-id protect-kernel-defaults selinux
    disable-default-registry-endpoint nonroot-devices enable-pprof"""

RKE2_SERVER = _table("rke2 server", f"""
    {_RKE2_COMMON_V} advertise-address tls-san cluster-cidr service-cidr service-node-port-range cluster-dns
    cluster-domain egress-selector-mode servicelb-namespace cni ingress-controller write-kubeconfig
    write-kubeconfig-mode write-kubeconfig-group helm-controller-arg agent-token agent-token-file
    cluster-reset-restore-path datastore-endpoint datastore-cafile datastore-certfile datastore-keyfile
    etcd-snapshot-name etcd-snapshot-schedule-cron etcd-snapshot-reconcile-interval etcd-snapshot-retention
    etcd-snapshot-dir etcd-s3-endpoint etcd-s3-endpoint-ca etcd-s3-access-key etcd-s3-secret-key
    etcd-s3-session-token etcd-s3-bucket etcd-s3-bucket-lookup-type etcd-s3-region etcd-s3-folder
    etcd-s3-retention etcd-s3-proxy etcd-s3-config-secret etcd-s3-timeout kube-apiserver-arg etcd-arg
    kube-controller-manager-arg kube-scheduler-arg kube-cloud-controller-manager-arg disable
    secrets-encryption-provider""",
    f"""{_RKE2_COMMON_S} tls-san-security cluster-reset etcd-expose-metrics etcd-disable-snapshots
    etcd-snapshot-compress etcd-s3 etcd-s3-skip-ssl-verify etcd-s3-insecure disable-scheduler
    disable-cloud-controller disable-kube-proxy embedded-registry enable-servicelb supervisor-metrics""",
    complete=True)

RKE2_AGENT = _table("rke2 agent", _RKE2_COMMON_V, _RKE2_COMMON_S, complete=True)

FLANNELD = _table("flanneld", """
    iface iface-regex iface-can-reach public-ip public-ipv6 subnet-file net-config-path etcd-endpoints
    etcd-prefix etcd-keyfile etcd-certfile etcd-cafile kubeconfig-file kube-api-url subnet-lease-renew-margin
    healthz-ip healthz-port iptables-resync iptables-forward-rules v""",
    "kube-subnet-mgr ip-masq version set-node-network-unavailable")

CILIUM_AGENT = _table("cilium-agent", """
    config-dir ipam cluster-pool-ipv4-cidr cluster-pool-ipv4-mask-size cluster-pool-ipv6-cidr
    cluster-pool-ipv6-mask-size routing-mode tunnel-protocol tunnel ipv4-native-routing-cidr
    ipv6-native-routing-cidr mtu devices k8s-api-server k8s-kubeconfig-path kube-proxy-replacement
    cluster-name cluster-id""",
    "enable-ipv4 enable-ipv6 auto-direct-node-routes debug enable-bpf-masquerade enable-ipv4-masquerade")

CILIUM_OPERATOR = _table("cilium-operator", """
    config-dir cluster-pool-ipv4-cidr cluster-pool-ipv4-mask-size cluster-pool-ipv6-cidr
    cluster-pool-ipv6-mask-size ipam cluster-name cluster-id k8s-kubeconfig-path""",
    "debug enable-ipv4 enable-ipv6")

TABLES: dict[str, FlagTable] = {t.program: t for t in (
    KCM, APISERVER, KUBELET, KUBE_PROXY, KUBEADM_INIT, KUBEADM_JOIN, K3S_SERVER, K3S_AGENT, RKE2_SERVER,
    RKE2_AGENT, FLANNELD, CILIUM_AGENT, CILIUM_OPERATOR)}
