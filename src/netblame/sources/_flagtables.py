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

Each table is a pair of frozensets (the type is in sources/_flagtable.py; the CNI daemons' tables in
sources/_flagtables_cni.py) built once at import (some 1,700 short strings in
all: about a millisecond).
"""

from __future__ import annotations

from netblame.sources._flagtable import FlagTable, _removed, _table
from netblame.sources._flagtables_cni import CILIUM_AGENT, CILIUM_OPERATOR, FLANNELD

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
# plus the insecure-serving flags older releases kept deprecated ("Insecure serving flags" in their --help),
# which kubeadm's manifests set to 0 until they went in v1.24 (kubernetes/kubernetes CHANGELOG/CHANGELOG-1.24.md,
# v1.24.0 Deprecation: "Kube-apiserver: the insecure address flags `--address`, `--insecure-bind-address`,
# `--port` and `--insecure-port` (inert since 1.20) are removed", #106859). --advertise-port is
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
    advertise-port
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
    watch-cache experimental-logging-sanitization""", complete=True, word_sep=True,
    removed={**_KLOG_REMOVED, **_removed(v1_24="address insecure-bind-address port insecure-port")})

# kube-controller-manager v1.31: kubernetes/website content/zh-cn/docs/reference/command-line-tools-reference/
# kube-controller-manager.md @c06a9ce1a311 (`--emulated-version ... kube=1.31..1.31`; the English text is kept
# in its comments), with the flags of the v1.21 English page (content/en/... @ab4e2a5982fd) that v1.31 no longer
# lists: azure-container-registry-config, pod-eviction-timeout, enable-taint-manager,
# experimental-logging-sanitization (accepted by older releases; when each went is not recorded here). Three
# went in v1.24 (kubernetes/kubernetes CHANGELOG/CHANGELOG-1.24.md, v1.24.0 Deprecation): "The insecure address
# flags `--address` and `--port` in kube-controller-manager have had no effect since v1.20 and are removed in
# v1.24" (#106860), and "The deprecated kube-controller-manager flag '--deployment-controller-sync-period' has
# been removed" (#107178).
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
    azure-container-registry-config pod-eviction-timeout""", """
    allocate-node-cidrs authentication-skip-lookup authentication-tolerate-lookup-failure
    configure-cloud-routes contention-profiling disable-attach-detach-reconcile-sync
    disable-force-detach-on-timeout disable-http2-serving enable-dynamic-provisioning
    enable-garbage-collector enable-hostpath-provisioner enable-leader-migration h help leader-elect
    log-text-split-stream permit-address-sharing permit-port-sharing profiling
    use-service-account-credentials version enable-taint-manager experimental-logging-sanitization""",
    complete=True, word_sep=True,
    removed={**_KLOG_REMOVED, **_removed(v1_24="address port deployment-controller-sync-period")})

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

TABLES: dict[str, FlagTable] = {t.program: t for t in (
    KCM, APISERVER, KUBELET, KUBE_PROXY, KUBEADM_INIT, KUBEADM_JOIN, K3S_SERVER, K3S_AGENT, RKE2_SERVER,
    RKE2_AGENT, FLANNELD, CILIUM_AGENT, CILIUM_OPERATOR)}
