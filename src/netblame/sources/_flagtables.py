"""Known flags per program: which take a value and which are switches.

Sources (docs/sources.md, "Component flags"; each table below names its page and commit):
- k3s ``server``/``agent``: k3s-io/docs docs/cli/server.md and agent.md (the "K3s Server CLI Help" block;
  a flag without ``value`` there is a switch).
- RKE2 ``server``/``agent``: rancher/rke2-docs docs/reference/server_config.md and linux_agent_config.md
  (a flag whose default is true/false is a switch).
- kube-apiserver, kube-controller-manager, kubelet, kube-proxy, ``kubeadm init``/``join``: every flag of the
  generated reference pages in kubernetes/website (``content/*/docs/reference/command-line-tools-reference/``
  and ``.../setup-tools/kubeadm/generated/``), plus the flags an older page of the same program lists and
  the hidden ones its source registers (kubelet's cadvisor flags, kubeadm's klog flags). A flag on none of
  them is unknown to the program. Flags that Kubernetes removed, where its changelog or documentation says
  in which release, are kept apart with that release, so a finding can say "removed in v1.24".
- flanneld: every flag flannel-io/flannel's main.go registers (and those older releases registered), so any
  other name is unknown to it.
- cilium-agent: every flag of Cilium's cmdref page (cilium-agent.md, a main-branch copy after v1.18, plus
  the flags the v1.12 and v1.9 pages list that it no longer does).
- cilium-operator (and cilium-operator-generic): every flag of Cilium's cmdref page for the operator built
  with every cloud's IPAM (cilium-operator.md, a main-branch copy after v1.18), plus what the v1.16-era
  cilium-operator-generic page adds.

Each table is a pair of frozensets built once at import (a few hundred short strings: well under a
millisecond).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from netblame._record import Record, record


@record
class FlagTable(Record):
    """The flags of one program: ``values`` take an argument, ``switches`` do not (booleans).

    ``complete`` says the table lists every flag, so any other name is unknown to the program; otherwise
    only a near miss of a listed flag (a likely misspelling) is reported. ``removed`` maps a flag the
    program no longer has to the release that removed it. ``word_sep``: the program reads ``_`` in a flag
    name as ``-`` (Kubernetes components set pflag's WordSepNormalizeFunc, so ``--log_dir`` is
    ``--log-dir``).
    """

    program: str
    values: frozenset[str]
    switches: frozenset[str]
    complete: bool = False
    removed: Mapping[str, str] = field(default_factory=dict)
    word_sep: bool = False

    def canonical(self, name: str) -> str:
        """``name`` as the program looks it up."""
        return name.replace("_", "-") if self.word_sep else name

    def known(self, name: str) -> bool:
        """True when ``name`` is a flag of this program."""
        name = self.canonical(name)
        return name in self.values or name in self.switches

    def is_switch(self, name: str) -> bool:
        """True when ``name`` is a flag of this program that takes no value."""
        return self.canonical(name) in self.switches

    def takes_value(self, name: str) -> bool:
        """True when ``name`` is a flag of this program that takes a value."""
        return self.canonical(name) in self.values

    def removed_in(self, name: str) -> str | None:
        """The release that removed flag ``name`` from the program, when it is known."""
        return self.removed.get(self.canonical(name))


def _table(program: str, values: str, switches: str, *, complete: bool = False,
           removed: Mapping[str, str] | None = None, word_sep: bool = False) -> FlagTable:
    return FlagTable(program, frozenset(values.split()), frozenset(switches.split()), complete,
                     dict(removed or {}), word_sep)


def _removed(**by_release: str) -> dict[str, str]:
    """``v1_24="a b"`` -> ``{"a": "v1.24", "b": "v1.24"}``."""
    return {flag: release.replace("_", ".") for release, flags in by_release.items() for flag in flags.split()}


# klog's own flags, which kube-apiserver, kube-controller-manager, kube-scheduler and the kubelet no longer
# have: "deprecated starting with Kubernetes v1.23 and removed in Kubernetes v1.26" (kubernetes/website
# content/en/docs/concepts/cluster-administration/system-logs.md @8be25924fa58; KEP-2845; kubernetes/kubernetes
# PR 112120 "logs: remove deprecated klog flags"). kube-proxy registers them still; kubeadm registered them
# hidden (kubernetes/kubernetes PRs 125179 and 131647 took them away without a release note this table could
# cite, so they stay known there). RKE2 logs "Running kubelet --alsologtostderr=... --log-file=..." because it
# reads those itself and does not pass them on (rancher/rke2 PR 3932).
_KLOG_V = "log-backtrace-at log-dir log-file log-file-max-size stderrthreshold"
_KLOG_S = "add-dir-header alsologtostderr logtostderr one-output skip-headers skip-log-headers"
_KLOG_REMOVED = _removed(v1_26=f"{_KLOG_V} {_KLOG_S}")

# kube-apiserver v1.35: kubernetes/website content/en/docs/reference/command-line-tools-reference/
# kube-apiserver.md, the version whose --emulated-version says "kube=1.32..1.35" (published at
# kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/; the copy read gave no commit),
# plus the insecure-serving flags older releases kept hidden and deprecated ("Insecure serving flags" in their
# --help), which kubeadm's manifests set to 0 until they went: --insecure-port, --insecure-bind-address
# (kube-controller-manager: --port, --address). When they went is not recorded here, so they are not
# reported. --advertise-port is
# k3s's: its embedded kube-apiserver takes it ("Running kube-apiserver ... --advertise-port=6443" in k3s's
# journal; k3s-io/docs docs/security/self-assessment-1.8.md). And the flags of the v1.20 page (@d7d113abb7ff)
# that v1.35 no longer lists, from --apiserver-count to --master-service-namespace (accepted by older
# releases; when each went is not recorded here).
APISERVER = _table("kube-apiserver", """
    admission-control admission-control-config-file advertise-address allow-metric-labels
    allow-metric-labels-manifest api-audiences audit-log-batch-buffer-size audit-log-batch-max-size
    audit-log-batch-max-wait audit-log-batch-throttle-burst audit-log-batch-throttle-qps audit-log-format
    audit-log-maxage audit-log-maxbackup audit-log-maxsize audit-log-mode audit-log-path
    audit-log-truncate-max-batch-size audit-log-truncate-max-event-size audit-log-version audit-policy-file
    audit-webhook-batch-buffer-size audit-webhook-batch-max-size audit-webhook-batch-max-wait
    audit-webhook-batch-throttle-burst audit-webhook-batch-throttle-qps audit-webhook-config-file
    audit-webhook-initial-backoff audit-webhook-mode audit-webhook-truncate-max-batch-size
    audit-webhook-truncate-max-event-size audit-webhook-version authentication-config
    authentication-token-webhook-cache-ttl authentication-token-webhook-config-file
    authentication-token-webhook-version authorization-config authorization-mode authorization-policy-file
    authorization-webhook-cache-authorized-ttl authorization-webhook-cache-unauthorized-ttl
    authorization-webhook-config-file authorization-webhook-version bind-address cert-dir client-ca-file
    coordinated-leadership-lease-duration coordinated-leadership-renew-deadline
    coordinated-leadership-retry-period cors-allowed-origins debug-socket-path
    default-not-ready-toleration-seconds default-unreachable-toleration-seconds delete-collection-workers
    disable-admission-plugins disabled-metrics egress-selector-config-file emulated-version
    enable-admission-plugins encryption-provider-config endpoint-reconciler-type etcd-cafile etcd-certfile
    etcd-compaction-interval etcd-count-metric-poll-period etcd-db-metric-poll-interval
    etcd-healthcheck-timeout etcd-keyfile etcd-prefix etcd-readycheck-timeout etcd-servers
    etcd-servers-overrides event-ttl external-hostname feature-gates goaway-chance
    http2-max-streams-per-connection kubelet-certificate-authority kubelet-client-certificate
    kubelet-client-key kubelet-preferred-address-types kubelet-timeout kubernetes-service-node-port
    lease-reuse-duration-seconds livez-grace-period log-flush-frequency log-text-info-buffer-size
    logging-format max-connection-bytes-per-sec max-mutating-requests-inflight max-requests-inflight
    min-compatibility-version min-request-timeout oidc-ca-file oidc-client-id oidc-groups-claim
    oidc-groups-prefix oidc-issuer-url oidc-required-claim oidc-signing-algs oidc-username-claim
    oidc-username-prefix peer-advertise-ip peer-advertise-port peer-ca-file proxy-client-cert-file
    proxy-client-key-file request-timeout requestheader-allowed-names requestheader-client-ca-file
    requestheader-extra-headers-prefix requestheader-group-headers requestheader-uid-headers
    requestheader-username-headers runtime-config secure-port service-account-issuer
    service-account-jwks-uri service-account-key-file service-account-max-token-expiration
    service-account-signing-endpoint service-account-signing-key-file service-cluster-ip-range
    service-node-port-range show-hidden-metrics-for-version shutdown-delay-duration
    shutdown-watch-termination-grace-period storage-backend storage-initialization-timeout
    storage-media-type strict-transport-security-directives tls-cert-file tls-cipher-suites tls-min-version
    tls-private-key-file tls-sni-cert-key token-auth-file tracing-config-file v vmodule watch-cache-sizes
    insecure-port insecure-bind-address advertise-port
    apiserver-count azure-container-registry-config cloud-config cloud-provider cloud-provider-gce-l7lb-src-cidrs
    default-watch-cache-size identity-lease-duration-seconds identity-lease-renew-interval-seconds
    master-service-namespace""", """
    aggregator-reject-forwarding-redirect allow-privileged anonymous-auth audit-log-batch-throttle-enable
    audit-log-compress audit-log-truncate-enabled audit-webhook-batch-throttle-enable
    audit-webhook-truncate-enabled contention-profiling disable-http2-serving emulation-forward-compatible
    enable-aggregator-routing enable-bootstrap-token-auth enable-garbage-collector enable-logs-handler
    enable-priority-and-fairness encryption-provider-config-automatic-reload h help log-text-split-stream
    permit-address-sharing permit-port-sharing profiling runtime-config-emulation-forward-compatible
    service-account-extend-token-expiration service-account-lookup shutdown-send-retry-after version
    watch-cache experimental-logging-sanitization""", complete=True, removed=_KLOG_REMOVED, word_sep=True)

# kube-controller-manager v1.31: kubernetes/website content/zh-cn/docs/reference/command-line-tools-reference/
# kube-controller-manager.md @c06a9ce1a311 (`--emulated-version ... kube=1.31..1.31`; the English text is kept
# in its comments), with the flags of the v1.21 English page (content/en/... @ab4e2a5982fd) that v1.31 no longer
# lists: azure-container-registry-config, deployment-controller-sync-period, pod-eviction-timeout,
# enable-taint-manager, experimental-logging-sanitization (accepted by older releases; when each went is
# not recorded here).
KCM = _table("kube-controller-manager", """
    allow-metric-labels allow-metric-labels-manifest attach-detach-reconcile-sync-period
    authentication-kubeconfig authentication-token-webhook-cache-ttl authorization-always-allow-paths
    authorization-kubeconfig authorization-webhook-cache-authorized-ttl
    authorization-webhook-cache-unauthorized-ttl bind-address cert-dir cidr-allocator-type client-ca-file
    cloud-config cloud-provider cluster-cidr cluster-name cluster-signing-cert-file cluster-signing-duration
    cluster-signing-key-file cluster-signing-kube-apiserver-client-cert-file
    cluster-signing-kube-apiserver-client-key-file cluster-signing-kubelet-client-cert-file
    cluster-signing-kubelet-client-key-file cluster-signing-kubelet-serving-cert-file
    cluster-signing-kubelet-serving-key-file cluster-signing-legacy-unknown-cert-file
    cluster-signing-legacy-unknown-key-file concurrent-cron-job-syncs concurrent-deployment-syncs
    concurrent-endpoint-syncs concurrent-ephemeralvolume-syncs concurrent-gc-syncs
    concurrent-horizontal-pod-autoscaler-syncs concurrent-job-syncs concurrent-namespace-syncs
    concurrent-rc-syncs concurrent-replicaset-syncs concurrent-resource-quota-syncs
    concurrent-service-endpoint-syncs concurrent-service-syncs concurrent-serviceaccount-token-syncs
    concurrent-statefulset-syncs concurrent-ttl-after-finished-syncs
    concurrent-validating-admission-policy-status-syncs controller-start-interval controllers
    disabled-metrics emulated-version endpoint-updates-batch-period endpointslice-updates-batch-period
    external-cloud-volume-plugin feature-gates flex-volume-plugin-dir
    horizontal-pod-autoscaler-cpu-initialization-period horizontal-pod-autoscaler-downscale-stabilization
    horizontal-pod-autoscaler-initial-readiness-delay horizontal-pod-autoscaler-sync-period
    horizontal-pod-autoscaler-tolerance http2-max-streams-per-connection kube-api-burst kube-api-content-type
    kube-api-qps kubeconfig large-cluster-size-threshold leader-elect-lease-duration
    leader-elect-renew-deadline leader-elect-resource-lock leader-elect-resource-name
    leader-elect-resource-namespace leader-elect-retry-period leader-migration-config
    legacy-service-account-token-clean-up-period log-flush-frequency log-text-info-buffer-size logging-format
    master max-endpoints-per-slice min-resync-period mirroring-concurrent-service-endpoint-syncs
    mirroring-endpointslice-updates-batch-period mirroring-max-endpoints-per-subset namespace-sync-period
    node-cidr-mask-size node-cidr-mask-size-ipv4 node-cidr-mask-size-ipv6 node-eviction-rate
    node-monitor-grace-period node-monitor-period node-startup-grace-period pv-recycler-increment-timeout-nfs
    pv-recycler-minimum-timeout-hostpath pv-recycler-minimum-timeout-nfs
    pv-recycler-pod-template-filepath-hostpath pv-recycler-pod-template-filepath-nfs
    pv-recycler-timeout-increment-hostpath pvclaimbinder-sync-period requestheader-allowed-names
    requestheader-client-ca-file requestheader-extra-headers-prefix requestheader-group-headers
    requestheader-username-headers resource-quota-sync-period root-ca-file route-reconciliation-period
    secondary-node-eviction-rate secure-port service-account-private-key-file service-cluster-ip-range
    show-hidden-metrics-for-version terminated-pod-gc-threshold tls-cert-file tls-cipher-suites
    tls-min-version tls-private-key-file tls-sni-cert-key unhealthy-zone-threshold v vmodule
    azure-container-registry-config deployment-controller-sync-period pod-eviction-timeout address port""", """
    allocate-node-cidrs authentication-skip-lookup authentication-tolerate-lookup-failure
    configure-cloud-routes contention-profiling disable-attach-detach-reconcile-sync
    disable-force-detach-on-timeout disable-http2-serving enable-dynamic-provisioning
    enable-garbage-collector enable-hostpath-provisioner enable-leader-migration h help leader-elect
    log-text-split-stream permit-address-sharing permit-port-sharing profiling
    use-service-account-credentials version enable-taint-manager experimental-logging-sanitization""",
    complete=True, removed=_KLOG_REMOVED, word_sep=True)

# kubelet v1.34: kubernetes/website content/en/docs/reference/command-line-tools-reference/kubelet.md, the
# version whose feature gates list HostnameOverride as alpha (published at kubernetes.io/docs/reference/
# command-line-tools-reference/kubelet/; the copy read gave no commit), plus the cadvisor flags the kubelet still
# registers hidden and deprecated (kubernetes/kubernetes cmd/kubelet/app/options/globalflags_linux.go
# @04bb4ce9d338, addCadvisorFlags; k3s passes --containerd), and the flags of the v1.20 page
# (content/en/... kubelet.md @a65f9ac6f41d) that v1.34 no longer lists, from --azure-container-registry-config
# to --register-schedulable (accepted by older releases; when each went is not recorded here).
KUBELET = _table("kubelet", """
    address allowed-unsafe-sysctls authentication-token-webhook-cache-ttl authorization-mode
    authorization-webhook-cache-authorized-ttl authorization-webhook-cache-unauthorized-ttl
    bootstrap-kubeconfig cert-dir cgroup-driver cgroup-root client-ca-file cloud-provider cluster-dns
    cluster-domain config config-dir container-log-max-files container-log-max-size
    container-runtime-endpoint cpu-cfs-quota-period cpu-manager-policy cpu-manager-policy-options
    cpu-manager-reconcile-period enforce-node-allocatable event-burst event-qps eviction-hard
    eviction-max-pod-grace-period eviction-minimum-reclaim eviction-pressure-transition-period eviction-soft
    eviction-soft-grace-period experimental-mounter-path feature-gates file-check-frequency hairpin-mode
    healthz-bind-address healthz-port hostname-override http-check-frequency
    image-credential-provider-bin-dir image-credential-provider-config image-gc-high-threshold
    image-gc-low-threshold image-service-endpoint kube-api-burst kube-api-content-type kube-api-qps
    kube-reserved kube-reserved-cgroup kubeconfig kubelet-cgroups lock-file log-flush-frequency
    log-text-info-buffer-size logging-format manifest-url manifest-url-header max-open-files max-pods
    maximum-dead-containers maximum-dead-containers-per-container memory-manager-policy
    minimum-container-ttl-duration minimum-image-ttl-duration node-ip node-labels node-status-max-images
    node-status-update-frequency oom-score-adj pod-cidr pod-infra-container-image pod-manifest-path
    pod-max-pids pods-per-core port provider-id qos-reserved read-only-port register-with-taints
    registry-burst registry-qps reserved-cpus reserved-memory resolv-conf root-dir runtime-cgroups
    runtime-request-timeout streaming-connection-idle-timeout sync-frequency system-cgroups system-reserved
    system-reserved-cgroup tls-cert-file tls-cipher-suites tls-min-version tls-private-key-file
    topology-manager-policy topology-manager-policy-options topology-manager-scope v vmodule
    volume-plugin-dir volume-stats-agg-period
    docker-root housekeeping-interval application-metrics-count-limit boot-id-file container-hints containerd
    containerd-namespace docker docker-env-metadata-whitelist docker-tls-ca docker-tls-cert docker-tls-key
    event-storage-age-limit event-storage-event-limit global-housekeeping-interval machine-id-file
    storage-driver-buffer-duration storage-driver-db storage-driver-host storage-driver-password
    storage-driver-table storage-driver-user
    azure-container-registry-config chaos-chance cloud-config dynamic-config-dir experimental-bootstrap-kubeconfig
    iptables-drop-bit iptables-masquerade-bit master-service-namespace non-masquerade-cidr seccomp-profile-root""", """
    anonymous-auth authentication-token-webhook cgroups-per-qos contention-profiling cpu-cfs-quota
    enable-controller-attach-detach enable-debugging-handlers enable-server exit-on-lock-contention
    experimental-allocatable-ignore-eviction fail-cgroupv1 fail-swap-on h help kernel-memcg-notification
    local-storage-capacity-isolation log-text-split-stream make-iptables-util-chains protect-kernel-defaults
    register-node rotate-certificates rotate-server-certificates runonce seccomp-default
    serialize-image-pulls version
    docker-only docker-tls enable-load-reader log-cadvisor-usage storage-driver-secure
    enable-cadvisor-json-endpoints experimental-check-node-capabilities-before-mount
    experimental-kernel-memcg-notification experimental-log-sanitization keep-terminated-pod-volumes
    really-crash-for-testing redirect-container-streaming register-schedulable""",
    complete=True, word_sep=True, removed={
        **_KLOG_REMOVED,
        # kubernetes/sig-release releases/release-1.16/release-notes-draft.md @1d95802373b8: "the --containerized
        # flag was deprecated in 1.14 and has been removed" (#80043).
        **_removed(v1_16="containerized"),
        # kubernetes/kubernetes CHANGELOG/CHANGELOG-1.24.md: "the following dockershim related flags are
        # also removed along with dockershim" (#106907).
        **_removed(v1_24="""experimental-dockershim-root-directory docker-endpoint image-pull-progress-deadline
                   network-plugin cni-conf-dir cni-bin-dir cni-cache-dir network-plugin-mtu"""),
        # kubernetes/website content/en/docs/tasks/administer-cluster/migrating-from-dockershim/
        # migrate-dockershim-dockerd.md @a8d117f46542: "--container-runtime ... (unavailable in Kubernetes
        # v1.27 and later)".
        **_removed(v1_27="container-runtime"),
    })

# kube-proxy v1.31: kubernetes/website content/en/docs/reference/command-line-tools-reference/kube-proxy.md
# @3842a2847339, with azure-container-registry-config, proxy-port-range and udp-timeout from the v1.18 page
# (@0189ae0f6bf2).
# kube-proxy still registers klog's flags.
KUBE_PROXY = _table("kube-proxy", f"""
    bind-address cluster-cidr config config-sync-period conntrack-max-per-core conntrack-min
    conntrack-tcp-timeout-close-wait conntrack-tcp-timeout-established conntrack-udp-timeout
    conntrack-udp-timeout-stream detect-local-mode feature-gates healthz-bind-address hostname-override
    iptables-masquerade-bit iptables-min-sync-period iptables-sync-period ipvs-exclude-cidrs
    ipvs-min-sync-period ipvs-scheduler ipvs-sync-period ipvs-tcp-timeout ipvs-tcpfin-timeout
    ipvs-udp-timeout kube-api-burst kube-api-content-type kube-api-qps kubeconfig log-flush-frequency
    log-text-info-buffer-size logging-format master metrics-bind-address nodeport-addresses oom-score-adj
    pod-bridge-interface pod-interface-name-prefix proxy-mode show-hidden-metrics-for-version v vmodule
    write-config-to azure-container-registry-config proxy-port-range udp-timeout {_KLOG_V}""", f"""
    bind-address-hard-fail cleanup conntrack-tcp-be-liberal h help init-only iptables-localhost-nodeports
    ipvs-strict-arp log-text-split-stream masquerade-all profiling version {_KLOG_S}""",
    complete=True, word_sep=True,
    # The v1.16 release notes (kubernetes/kubernetes CHANGELOG/CHANGELOG-1.16.md; kubernetes/sig-release
    # releases/release-1.16/release-notes-draft.md @1d95802373b8): "The deprecated kube-proxy flag
    # --cleanup-iptables has been removed" (#78344), "The deprecated flag --conntrack-max has been removed from
    # kube-proxy" (#78399), "the --resource-container flag has been removed from kube-proxy, and specifying it
    # will now cause an error" (#78294).
    removed=_removed(v1_16="cleanup-iptables conntrack-max resource-container"))

# kubeadm's own flags (every subcommand): --rootfs ("Options inherited from parent commands") and klog's,
# which kubeadm registers and hides (cmd/kubeadm/app/kubeadm.go; the same MarkHidden list in
# kubernetes-sigs/reference-docs gen-compdocs for "kubeadm").
_KUBEADM_V = f"rootfs v vmodule log-flush-frequency {_KLOG_V}"
_KUBEADM_S = f"h help version {_KLOG_S}"

# kubeadm init: kubernetes/website content/en/docs/reference/setup-tools/kubeadm/generated/kubeadm_init/
# _index.md @f005d8cd8b4f (v1.31: ControlPlaneKubeletLocalMode alpha), with -k/--experimental-kustomize
# from the v1.17 page (.../generated/kubeadm_init.md @093418624f35).
KUBEADM_INIT = _table("kubeadm init", f"""
    apiserver-advertise-address apiserver-bind-port apiserver-cert-extra-sans cert-dir certificate-key
    config control-plane-endpoint cri-socket feature-gates ignore-preflight-errors image-repository
    kubernetes-version node-name patches pod-network-cidr service-cidr service-dns-domain skip-phases token
    token-ttl experimental-kustomize k {_KUBEADM_V}""",
    f"dry-run skip-certificate-key-print skip-token-print upload-certs {_KUBEADM_S}",
    complete=True, word_sep=True)

# kubeadm join: kubernetes/website content/en/docs/reference/setup-tools/kubeadm/generated/kubeadm_join/
# _index.md @3842a2847339 (v1.31).
KUBEADM_JOIN = _table("kubeadm join", f"""
    apiserver-advertise-address apiserver-bind-port certificate-key config cri-socket discovery-file
    discovery-token discovery-token-ca-cert-hash ignore-preflight-errors node-name patches skip-phases
    tls-bootstrap-token token {_KUBEADM_V}""",
    f"control-plane discovery-token-unsafe-skip-ca-verification dry-run {_KUBEADM_S}",
    complete=True, word_sep=True)

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

# flanneld: every flag flannel-io/flannel main.go registers on its flag set (``flannelFlags.StringVar/IntVar/
# BoolVar/Var``; the version whose kube subnet manager takes ``useMultiClusterCidr``, v0.2x), plus the klog flags
# it copies onto that set (``copyFlag("v")``, ``"vmodule"``, ``"log_backtrace_at"``), the ``-h``/``-help`` Go's
# flag package always accepts, and the client/server and multi-network flags older releases registered
# (main.go @f20e5f5db0dd: --listen, --remote, --remote-keyfile/-certfile/-cafile, --help; @001292b435c8:
# --subnet-dir, --networks). Documentation/configuration.md @0398238e7c3f ("Key command line options") lists
# a subset. flanneld uses Go's flag package: no WordSepNormalizeFunc, so ``_`` and ``-`` differ.
FLANNELD = _table("flanneld", """
    etcd-endpoints etcd-prefix etcd-keyfile etcd-certfile etcd-cafile etcd-username etcd-password iface
    iface-regex iface-can-reach subnet-file public-ip public-ipv6 subnet-lease-renew-margin kube-api-url
    kube-annotation-prefix kubeconfig-file healthz-ip healthz-port iptables-resync net-config-path
    v vmodule log_backtrace_at
    listen remote remote-keyfile remote-certfile remote-cafile subnet-dir networks""", """
    ip-masq kube-subnet-mgr version iptables-forward-rules set-node-network-unavailable use-multi-cluster-cidr
    persistent-mac h help""", complete=True)

# cilium-agent: every flag of Documentation/cmdref/cilium-agent.md (generated by ``cilium-agent cmdref``) as the
# main branch had it after v1.18 (``--datapath-mode ... (auto, veth, netkit, netkit-l2)``), read from the
# jrife/cilium fork of cilium/cilium @d2163cc2e04650029765f3d50e4489f98d18a19e (the copy of cilium/cilium's own
# page in the index is older), plus the flags the v1.12 page (cilium/cilium @5392ae722e88) and the v1.9 page
# (@0036b1f4dd79) list that the newer one no longer does, from --arping-refresh-period to --sockops-enable
# (accepted by those releases; when each went is not recorded here). ``--name string|int|uint|duration|
# strings|map|stringToString|float...`` takes a value; a bare ``--name`` is a pflag bool. --kube-proxy-replacement
# was a string (probe/partial/strict/disabled) up to v1.14 and is a bool now: it is a switch here, so an old
# ``--kube-proxy-replacement strict`` is not reported. -D is --debug, -t the old --tunnel, -h --help.
CILIUM_AGENT = _table("cilium-agent", """
    agent-health-port agent-labels agent-liveness-update-interval agent-not-ready-taint-key
    alibabacloud-security-group-tags alibabacloud-security-groups alibabacloud-vswitch-tags
    alibabacloud-vswitches allocator-list-timeout allow-localhost api-rate-limit azure-interface-name
    bgp-router-id-allocation-ip-pool bgp-router-id-allocation-mode bpf-auth-map-max bpf-ct-global-any-max
    bpf-ct-global-tcp-max bpf-ct-timeout-regular-any bpf-ct-timeout-regular-tcp
    bpf-ct-timeout-regular-tcp-fin bpf-ct-timeout-regular-tcp-syn bpf-ct-timeout-service-any
    bpf-ct-timeout-service-tcp bpf-ct-timeout-service-tcp-grace bpf-fragments-map-max bpf-lb-acceleration
    bpf-lb-algorithm bpf-lb-dsr-dispatch bpf-lb-maglev-hash-seed bpf-lb-maglev-table-size bpf-lb-map-max
    bpf-lb-mode bpf-lb-rss-ipv4-src-cidr bpf-lb-rss-ipv6-src-cidr bpf-map-dynamic-size-ratio
    bpf-nat-global-max bpf-neigh-global-max bpf-node-map-max bpf-policy-map-max
    bpf-policy-map-pressure-metrics-threshold bpf-policy-stats-map-max bpf-root bpf-sock-rev-map-max
    certificates-directory cgroup-root cluster-health-port cluster-id cluster-name clustermesh-cache-ttl
    clustermesh-config clustermesh-sync-timeout cni-chaining-mode cni-chaining-target cni-log-file config
    config-dir connectivity-probe-frequency-ratio conntrack-gc-interval conntrack-gc-max-interval
    container-ip-local-reserved-ports controller-group-metrics crd-wait-timeout datapath-mode
    datapath-plugins-state-dir debug-verbose default-lb-service-ipam devices direct-routing-device
    disable-iptables-feeder-rules dns-max-ips-per-restored-rule dnsproxy-concurrency-limit
    dnsproxy-concurrency-processing-grace-period dnsproxy-socket-linger-timeout dynamic-lifecycle-config
    egress-gateway-policy-map-max egress-gateway-reconciliation-trigger-interval
    egress-masquerade-interfaces enable-cilium-api-server-access enable-cilium-health-api-server-access
    enable-policy encryption-strict-egress-cidr endpoint-bpf-prog-watchdog-interval
    endpoint-policy-update-timeout endpoint-queue-size endpoint-regen-interval eni-exclude-interface-tags
    eni-first-interface-index eni-security-group-tags eni-security-groups eni-subnet-ids eni-subnet-tags
    envoy-access-log-buffer-size envoy-base-id envoy-config-retry-interval envoy-config-timeout
    envoy-default-log-level envoy-http-upstream-linger-timeout envoy-log envoy-policy-restore-timeout
    envoy-secrets-namespace envoy-xds-mode exclude-local-address exclude-node-label-patterns
    fixed-identity-mapping gateway-api-secrets-namespace gops-port health-check-icmp-failure-threshold
    hive-log-threshold hive-start-timeout hive-stop-timeout http-idle-timeout http-max-grpc-timeout
    http-request-timeout http-retry-count http-retry-timeout http-stream-idle-timeout
    hubble-drop-events-interval hubble-drop-events-rate-limit hubble-drop-events-reasons
    hubble-dynamic-metrics-config-path hubble-event-buffer-capacity hubble-event-queue-size
    hubble-export-aggregation-interval hubble-export-allowlist hubble-export-denylist
    hubble-export-fieldaggregate hubble-export-fieldmask hubble-export-file-max-backups
    hubble-export-file-max-size-mb hubble-export-file-path hubble-flowlogs-config-path hubble-listen-address
    hubble-lost-event-send-interval hubble-metrics hubble-metrics-server hubble-metrics-server-tls-cert-file
    hubble-metrics-server-tls-client-ca-files hubble-metrics-server-tls-key-file hubble-monitor-events
    hubble-redact-http-headers-allow hubble-redact-http-headers-deny hubble-socket-path hubble-tls-cert-file
    hubble-tls-client-ca-files hubble-tls-key-file identity-allocation-mode
    identity-allocation-sync-interval identity-allocation-timeout identity-change-grace-period
    identity-management-mode identity-max-jitter identity-restore-grace-period ignore-flags-drift-checker
    ingress-secrets-namespace ip-masq-agent-config-path ip-tracing-option-type ipam
    ipam-cilium-node-update-rate ipam-default-ip-pool ipam-max-allocate ipam-min-allocate
    ipam-multi-pool-pre-allocation ipam-pre-allocate ipam-static-ip-tags ipsec-key-file
    ipsec-key-rotation-duration iptables-lock-timeout ipv4-native-routing-cidr ipv4-node ipv4-pod-subnets
    ipv4-range ipv4-service-loopback-address ipv4-service-range ipv6-cluster-alloc-cidr ipv6-mcast-device
    ipv6-native-routing-cidr ipv6-node ipv6-pod-subnets ipv6-range ipv6-service-loopback-address
    ipv6-service-range k8s-api-server-urls k8s-client-burst k8s-client-connection-keep-alive
    k8s-client-connection-timeout k8s-client-qps k8s-heartbeat-timeout k8s-kubeconfig-path k8s-namespace
    k8s-service-proxy-name kube-proxy-replacement-healthz-bind-address kvstore kvstore-lease-ttl
    kvstore-max-consecutive-quorum-errors kvstore-opt l2-announcements-lease-duration
    l2-announcements-renew-deadline l2-announcements-retry-period l2-pod-announcements-interface-pattern
    label-prefix-file labels lb-state-file lib-dir local-router-ipv4 local-router-ipv6 log-driver log-opt
    lrp-address-matcher-cidrs max-connected-clusters mesh-auth-gc-interval mesh-auth-mutual-connect-timeout
    mesh-auth-mutual-listener-port mesh-auth-queue-size mesh-auth-rotated-identities-queue-size
    mesh-auth-spiffe-trust-domain mesh-auth-spire-admin-socket metrics metrics-sampling-interval
    monitor-aggregation monitor-aggregation-flags monitor-aggregation-interval monitor-queue-size mtu
    nat-map-stats-entries nat-map-stats-interval node-encryption-opt-out-labels node-labels node-port-range
    nodeport-addresses packetization-layer-pmtud-mode policy-cidr-match-mode policy-deny-response
    policy-queue-size policy-secrets-namespace pprof-address pprof-block-profile-rate
    pprof-mutex-profile-fraction pprof-port procfs prometheus-serve-addr proxy-admin-port
    proxy-cluster-max-connections proxy-cluster-max-pending-requests proxy-cluster-max-requests
    proxy-connect-timeout proxy-gid proxy-idle-timeout-seconds proxy-initial-fetch-timeout
    proxy-max-active-downstream-connections proxy-max-concurrent-retries
    proxy-max-connection-duration-seconds proxy-max-requests-per-connection proxy-portrange-max
    proxy-portrange-min proxy-prometheus-port proxy-xff-num-trusted-hops-egress
    proxy-xff-num-trusted-hops-ingress read-cni-conf restored-proxy-ports-age-limit route-metric
    routing-mode service-no-backend-response shell-sock-path socket-path standalone-dns-proxy-server-port
    state-dir static-cnp-path status-collector-failure-threshold status-collector-interval
    status-collector-probe-check-timeout status-collector-stackdump-path status-collector-warning-threshold
    tofqdns-dns-reject-response-code tofqdns-endpoint-max-ip-per-hostname
    tofqdns-idle-connection-grace-period tofqdns-max-deferred-connection-deletes tofqdns-min-ttl
    tofqdns-proxy-port tofqdns-proxy-response-max-delay trace-payloadlen trace-payloadlen-overlay
    tunnel-port tunnel-protocol tunnel-source-port-range underlay-protocol vlan-bpf-bypass vtep-cidr
    vtep-endpoint vtep-mac vtep-mask vtep-sync-interval wireguard-persistent-keepalive
    write-cni-conf-when-ready
    arping-refresh-period bgp-config-path bpf-lb-dev-ip-addr-inherit bpf-lb-dsr-l4-xlate encrypt-interface
    endpoint-interface-name-prefix endpoint-status flannel-master-device host-reachable-services-protos
    hubble-flow-buffer-size hubble-recorder-sink-queue-size hubble-recorder-storage-path
    ip-allocation-timeout ipvlan-master-device k8s-api-server k8s-watcher-endpoint-selector
    k8s-watcher-queue-size kvstore-connectivity-timeout kvstore-periodic-sync nat46-range
    native-routing-cidr node-port-acceleration node-port-algorithm node-port-mode prefilter-device
    prefilter-mode sidecar-istio-proxy-image t tofqdns-pre-cache tunnel""", """
    D agent-health-require-k8s-connectivity allow-icmp-frag-needed annotate-k8s-node
    auto-create-cilium-node-resource auto-direct-node-routes bpf-conntrack-accounting bpf-distributed-lru
    bpf-events-drop-enabled bpf-events-policy-verdict-enabled bpf-events-trace-enabled
    bpf-lb-algorithm-annotation bpf-lb-external-clusterip bpf-lb-mode-annotation bpf-lb-sock
    bpf-lb-sock-hostns-only bpf-lb-source-range-all-types cni-exclusive cni-external-routing debug
    direct-routing-skip-unreachable disable-endpoint-crd disable-envoy-version-check
    disable-external-ip-mitigation dns-policy-unload-on-shutdown dnsproxy-enable-transparent-mode
    enable-active-connection-tracking enable-auto-protect-node-port-range enable-bandwidth-manager
    enable-bbr enable-bbr-hostns-only enable-bgp-control-plane enable-bgp-control-plane-status-report
    enable-bgp-legacy-origin-attribute enable-bpf-clock-probe enable-bpf-masquerade enable-bpf-stats
    enable-bpf-tproxy enable-cilium-endpoint-slice enable-drift-checker enable-dynamic-config
    enable-dynamic-lifecycle-manager enable-dynamic-source-lookup-nodeport enable-egress-gateway
    enable-encryption-strict-mode-egress enable-encryption-strict-mode-ingress
    enable-endpoint-health-checking enable-endpoint-lockdown-on-policy-overflow enable-endpoint-routes
    enable-envoy-config enable-extended-ip-protocols enable-gateway-api enable-gops
    enable-health-check-loadbalancer-ip enable-health-check-nodeport enable-health-checking
    enable-host-firewall enable-host-legacy-routing enable-hubble enable-hubble-open-metrics
    enable-identity-mark enable-ingress-controller enable-ip-masq-agent enable-ipip-termination enable-ipsec
    enable-ipsec-key-watcher enable-ipv4 enable-ipv4-big-tcp enable-ipv4-fragment-tracking
    enable-ipv4-masquerade enable-ipv6 enable-ipv6-big-tcp enable-ipv6-fragment-tracking
    enable-ipv6-masquerade enable-ipv6-ndp enable-k8s enable-k8s-api-discovery enable-l2-announcements
    enable-l2-neigh-discovery enable-l2-pod-announcements enable-l7-proxy enable-lb-ipam
    enable-local-node-route enable-local-redirect-policy enable-masquerade-to-route-source enable-monitor
    enable-nat46x64-gateway enable-no-service-endpoints-routable enable-node-ipam
    enable-node-selector-labels enable-pmtu-discovery enable-policy-secrets-sync
    enable-remote-node-masquerade enable-route-mtu-for-cni-chaining enable-sctp enable-service-topology
    enable-standalone-dns-proxy enable-tcx enable-tracing enable-unreachable-routes enable-vtep
    enable-well-known-identities enable-wireguard enable-xdp-prefilter enable-xt-socket-fallback
    enable-ztunnel encrypt-node encryption-strict-egress-allow-remote-node-identities
    eni-delete-on-termination eni-disable-prefix-delegation eni-use-primary-address envoy-access-log-enabled
    envoy-keep-cap-netbindservice envoy-node-locality-enabled external-envoy-proxy force-device-detection h
    help http-normalize-path hubble-disable-tls hubble-drop-events hubble-drop-events-extended
    hubble-export-file-compress hubble-metrics-server-enable-tls hubble-network-policy-correlation-enabled
    hubble-redact-enabled hubble-redact-http-urlquery hubble-redact-http-userinfo
    hubble-skip-unknown-cgroup-ids install-no-conntrack-iptables-rules
    install-uplink-routes-for-delegated-ipam iptables-random-fully k8s-require-ipv4-pod-cidr
    k8s-require-ipv6-pod-cidr keep-config kube-proxy-replacement log-system-load mesh-auth-enabled
    multicast-enabled node-port-bind-protection only-masquerade-default-pool policy-accounting
    policy-audit-mode policy-default-local-cluster policy-secrets-only-from-secrets-namespace pprof
    preallocate-bpf-maps prefer-ipv6 prepend-iptables-chains proxy-use-original-source-address
    tofqdns-enable-dns-compression tofqdns-preallocate-identities trace-sock use-full-tls-context version
    bgp-announce-lb-ip bgp-announce-pod-cidr bpf-compile-debug disable-cnp-status-updates disable-conntrack
    egress-multi-home-ip-rule-compat enable-custom-calls enable-external-ips enable-host-port
    enable-host-reachable-services enable-hubble-recorder-api enable-ipv4-egress-gateway
    enable-k8s-endpoint-slice enable-k8s-event-handover enable-k8s-terminating-endpoint enable-node-port
    enable-recorder enable-remote-node-identity enable-session-affinity enable-svc-source-range-check
    enable-wireguard-userspace-fallback flannel-uninstall-on-exit force-local-policy-eval-at-source
    install-iptables-rules join-cluster masquerade restore single-cluster-route skip-crd-creation
    sockops-enable""", complete=True)

# cilium-operator: every flag of Documentation/cmdref/cilium-operator.md, the operator built with every cloud
# provider's IPAM (the generic operator's flags, cilium-operator-generic.md at the same commit, plus the AWS,
# Azure and Alibaba Cloud ones: --aws-*, --azure-*, --alibaba-cloud-*, --ec2-api-endpoint, --eni-*,
# --excess-ip-release-delay), read from the Br1an67/cilium fork of cilium/cilium @b818b7a4b9b0 (main after v1.18:
# --enable-ztunnel), plus the flags cilium/cilium's v1.16-era cilium-operator-generic.md (@6b3e8fb7f57e) lists
# that the newer page does not, from --bgp-announce-lb-ip to --lbipam-require-lb-class (--kube-proxy-replacement
# was a string there). Flags that only releases before v1.16 took are not listed. cilium-operator-generic
# reads as this table too (sources/cmdline.py).
CILIUM_OPERATOR = _table("cilium-operator", """
    alibaba-cloud-vpc-id auto-create-cilium-pod-ip-pools aws-max-results-per-call azure-resource-group
    azure-subscription-id azure-user-assigned-identity-id ces-max-ciliumendpoints-per-ces ces-rate-limits
    cilium-endpoint-gc-interval cilium-pod-labels cilium-pod-namespace cluster-id cluster-name
    cluster-pool-ipv4-cidr cluster-pool-ipv4-mask-size cluster-pool-ipv6-cidr cluster-pool-ipv6-mask-size
    clustermesh-cache-ttl clustermesh-concurrent-service-endpoint-syncs clustermesh-config
    clustermesh-endpoint-updates-batch-period clustermesh-endpoints-per-slice clustermesh-sync-timeout
    config config-dir controller-group-metrics default-lb-service-ipam double-write-metric-reporter-interval
    ec2-api-endpoint enable-cilium-operator-server-access enable-policy eni-gc-interval eni-gc-tags eni-tags
    excess-ip-release-delay gateway-api-hostnetwork-nodelabelselector gateway-api-secrets-namespace
    gateway-api-service-externaltrafficpolicy gateway-api-xff-num-trusted-hops gops-port
    identity-allocation-mode identity-gc-interval identity-gc-rate-interval identity-gc-rate-limit
    identity-heartbeat-timeout identity-management-mode ingress-default-lb-mode
    ingress-default-request-timeout ingress-default-secret-name ingress-default-secret-namespace
    ingress-default-xff-num-trusted-hops ingress-hostnetwork-http-listener-port
    ingress-hostnetwork-https-listener-port ingress-hostnetwork-nodelabelselector
    ingress-hostnetwork-shared-listener-port ingress-hostnetwork-tls-passthrough-listener-port
    ingress-lb-annotation-prefixes ingress-secrets-namespace ingress-shared-lb-service-name
    instance-tags-filter ipam k8s-api-server-urls k8s-client-connection-keep-alive
    k8s-client-connection-timeout k8s-heartbeat-timeout k8s-kubeconfig-path k8s-namespace
    k8s-service-proxy-name kvstore kvstore-lease-ttl kvstore-max-consecutive-quorum-errors kvstore-opt
    leader-election-lease-duration leader-election-renew-deadline leader-election-retry-period
    limit-ipam-api-burst limit-ipam-api-qps loadbalancer-l7 loadbalancer-l7-algorithm loadbalancer-l7-ports
    log-driver log-opt max-connected-clusters mesh-auth-spiffe-trust-domain mesh-auth-spire-agent-socket
    mesh-auth-spire-server-address mesh-auth-spire-server-connection-timeout metrics-sampling-interval
    nodes-gc-interval operator-api-serve-addr operator-k8s-client-burst operator-k8s-client-qps
    operator-pprof-address operator-pprof-block-profile-rate operator-pprof-mutex-profile-fraction
    operator-pprof-port operator-prometheus-serve-addr operator-prometheus-tls-cert-file
    operator-prometheus-tls-client-ca-files operator-prometheus-tls-key-file parallel-alloc-workers
    pod-restart-selector policy-secrets-namespace shell-sock-path subnet-ids-filter subnet-tags-filter
    taint-sync-workers unmanaged-pod-watcher-interval
    bgp-config-path ces-slice-mode k8s-api-server kube-proxy-replacement""", """
    D alibaba-cloud-release-excess-ips aws-enable-prefix-delegation aws-release-excess-ips
    aws-use-primary-address azure-use-primary-address clustermesh-default-global-namespace
    clustermesh-enable-endpoint-sync clustermesh-enable-mcs-api clustermesh-mcs-api-install-crds debug
    enable-cilium-endpoint-slice enable-gateway-api-alpn enable-gateway-api-app-protocol
    enable-gateway-api-proxy-protocol enable-gateway-api-secrets-sync enable-gops enable-ingress-controller
    enable-ingress-proxy-protocol enable-ingress-secrets-sync enable-ipsec enable-ipv4 enable-ipv6
    enable-k8s enable-k8s-api-discovery enable-l7-proxy enable-lb-ipam enable-metrics enable-node-ipam
    enable-node-selector-labels enable-policy-secrets-sync enable-wireguard enable-ztunnel
    enforce-ingress-https gateway-api-hostnetwork-enabled h help ingress-hostnetwork-enabled
    mesh-auth-enabled mesh-auth-mutual-enabled operator-pprof operator-prometheus-enable-tls
    policy-default-local-cluster remove-cilium-node-taints set-cilium-is-up-condition set-cilium-node-taints
    skip-crd-creation synchronize-k8s-nodes synchronize-k8s-services validate-network-policy version
    bgp-announce-lb-ip enable-k8s-endpoint-slice enable-node-port lbipam-require-lb-class""", complete=True)

TABLES: dict[str, FlagTable] = {t.program: t for t in (
    KCM, APISERVER, KUBELET, KUBE_PROXY, KUBEADM_INIT, KUBEADM_JOIN, K3S_SERVER, K3S_AGENT, RKE2_SERVER,
    RKE2_AGENT, FLANNELD, CILIUM_AGENT, CILIUM_OPERATOR)}
