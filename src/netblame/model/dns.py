"""A node's resolver chain as data: ``DnsSetup``.

The chain runs from what a DHCP server offers (a lease, a probe), through what the network backend
keeps (systemd-networkd link state, netplan, NetworkManager, ifupdown), what systemd-resolved and
``/etc/resolv.conf`` say, to what kubelet hands to pods and where CoreDNS forwards. Every value keeps
its :class:`~netblame.model.origin.Origin`.

Sources build partial ``DnsSetup`` values (*fragments*, one per file); :func:`merge_dns` folds them
into one. Paths in ``node_path`` fields are the paths *on the node* (``/etc/resolv.conf``), whatever
directory the file was read from, so the analyses can follow references between files.

The records ``DnsSetup`` holds (``ResolvConf``, ``Lease``, ``Corefile`` and the rest) are defined in
:mod:`netblame.model.dns_records` and exported here too, loaded on first use (PEP 562), so that a check
whose inputs hold none of them does not pay for creating their classes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field, fields, replace
from typing import TYPE_CHECKING

from netblame._lazy import load
from netblame._record import Record, record
from netblame._text import small_int
from netblame.model.origin import Origin, Sourced

if TYPE_CHECKING:
    from netblame.model.dns_records import (
        CoreDnsForward,
        Corefile,
        Entry,
        IfupdownInterface,
        Interface,
        KubeletDns,
        Lease,
        LinkState,
        NetplanInterface,
        NmConnection,
        Offer,
        QueryAnswer,
        ResolvConf,
        UnitFile,
        WildcardAnswer,
    )

# The record classes exported here from netblame.model.dns_records, imported on first use.
_RECORDS = frozenset({
    "CoreDnsForward", "Corefile", "Entry", "IfupdownInterface", "Interface", "KubeletDns", "Lease", "LinkState",
    "NetplanInterface", "NmConnection", "Offer", "QueryAnswer", "ResolvConf", "UnitFile", "WildcardAnswer",
})

# File locations, FACTS.md F.1 (systemd-resolved(8), systemd 252).
ETC_RESOLV = "/etc/resolv.conf"
STUB_RESOLV = "/run/systemd/resolve/stub-resolv.conf"
UPLINK_RESOLV = "/run/systemd/resolve/resolv.conf"
STATIC_RESOLV = "/usr/lib/systemd/resolv.conf"
RESOLVED_FILES = (STUB_RESOLV, UPLINK_RESOLV, STATIC_RESOLV)
# kubelet resolvConf default (FACTS.md A.8: kubetypes.ResolvConfDefault).
KUBELET_RESOLV_DEFAULT = "/etc/resolv.conf"


def ndots_of(options: Iterable[str]) -> int:
    """``ndots:n`` among resolv.conf options: the last one wins, capped at 15; default 1 (resolv.conf(5))."""
    value = 1
    for opt in options:
        number = small_int(opt[6:]) if opt.startswith("ndots:") else None
        if number is not None and number >= 0:
            value = min(number, 15)
    return value


# Schemes a CoreDNS ``forward`` target may carry (coredns/coredns plugin/forward).
COREDNS_SCHEMES = ("dns://", "tls://", "https://", "grpc://")
# Top-level fields of KubeletConfiguration v1beta1: kubernetes/kubernetes
# staging/src/k8s.io/kubelet/config/v1beta1/types.go (commit 001332b0422071acf4860769f18e34b5e9b7c1bc).
KUBELET_FIELDS = frozenset("""
apiVersion kind enableServer staticPodPath podLogsDir syncFrequency fileCheckFrequency httpCheckFrequency
staticPodURL staticPodURLHeader address port readOnlyPort tlsCertFile tlsPrivateKeyFile tlsCipherSuites
tlsCurvePreferences tlsMinVersion rotateCertificates serverTLSBootstrap authentication authorization
registryPullQPS registryBurst imagePullCredentialsVerificationPolicy preloadedImagesVerificationAllowlist
eventRecordQPS eventBurst enableDebuggingHandlers enableContentionProfiling healthzPort healthzBindAddress
oomScoreAdj clusterDomain clusterDNS streamingConnectionIdleTimeout nodeStatusUpdateFrequency
nodeStatusReportFrequency nodeLeaseDurationSeconds imageMinimumGCAge imageMaximumGCAge
imageGCHighThresholdPercent imageGCLowThresholdPercent volumeStatsAggPeriod kubeletCgroups systemCgroups
cgroupRoot cgroupsPerQOS cgroupDriver cpuManagerPolicy singleProcessOOMKill cpuManagerPolicyOptions
cpuManagerReconcilePeriod draManagerReconcilePeriod memoryManagerPolicy topologyManagerPolicy
topologyManagerScope topologyManagerPolicyOptions qosReserved runtimeRequestTimeout hairpinMode maxPods podCIDR
podPidsLimit resolvConf runOnce cpuCFSQuota cpuCFSQuotaPeriod nodeStatusMaxImages maxOpenFiles contentType
kubeAPIQPS kubeAPIBurst serializeImagePulls maxParallelImagePulls evictionHard evictionSoft
evictionSoftGracePeriod evictionPressureTransitionPeriod evictionMaxPodGracePeriod evictionMinimumReclaim
mergeDefaultEvictionSettings podsPerCore enableControllerAttachDetach protectKernelDefaults
makeIPTablesUtilChains iptablesMasqueradeBit iptablesDropBit featureGates failSwapOn memorySwap
containerLogMaxSize containerLogMaxFiles containerLogMaxWorkers containerLogMonitorInterval
configMapAndSecretChangeDetectionStrategy systemReserved kubeReserved reservedSystemCPUs
showHiddenMetricsForVersion systemReservedCgroup kubeReservedCgroup enforceNodeAllocatable allowedUnsafeSysctls
volumePluginDir providerID kernelMemcgNotification logging enableSystemLogHandler enableSystemLogQuery
shutdownGracePeriod shutdownGracePeriodCriticalPods shutdownGracePeriodByPodPriority crashLoopBackOff
reservedMemory enableProfilingHandler enableDebugFlagsHandler seccompDefault memoryThrottlingFactor
memoryReservationPolicy registerWithTaints registerNode tracing localStorageCapacityIsolation
containerRuntimeEndpoint imageServiceEndpoint failCgroupV1 userNamespaces
""".split())  # noqa: SIM905 - a block of words, as in the source


@record
class Note(Record):
    """Something about the inputs worth saying that is not a finding: a file not present, a line skipped."""

    message: str
    origin: Origin


@record
class DnsSetup(Record):
    """The resolver chain of one node (or the DNS-related files given to ``netblame check``)."""

    root: str | None = None
    resolv_files: tuple[ResolvConf, ...] = ()
    etc_resolv_link: Sourced[str] | None = None
    units: tuple[UnitFile, ...] = ()
    netplan: tuple[NetplanInterface, ...] = ()
    netplan_unknown: tuple[Sourced[str], ...] = ()
    leases: tuple[Lease, ...] = ()
    links: tuple[LinkState, ...] = ()
    nm_connections: tuple[NmConnection, ...] = ()
    ifupdown: tuple[IfupdownInterface, ...] = ()
    kubelet: tuple[KubeletDns, ...] = ()
    corefiles: tuple[Corefile, ...] = ()
    kubernetes_version: Sourced[str] | None = None
    systemd_version: Sourced[str] | None = None
    """The node's systemd package version, when its package database was read."""
    os_release: Sourced[str] | None = None
    """The node's distribution (os-release PRETTY_NAME), when read."""
    offers: tuple[Offer, ...] = ()
    wildcards: tuple[WildcardAnswer, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    notes: tuple[Note, ...] = field(default=())
    unreadable: tuple[Note, ...] = ()
    """Files (and directories) that are there but could not be read, each with the reason: an input
    problem the exit code reports, never a silent gap in the chain."""

    def resolv(self, node_path: str) -> ResolvConf | None:
        """The resolv.conf-format file at ``node_path``; ``/etc/resolv.conf`` follows its symlink."""
        for item in self.resolv_files:
            if item.node_path == node_path:
                return item
        if node_path == ETC_RESOLV and self.etc_resolv_link is not None and self.etc_resolv_link.value != ETC_RESOLV:
            return self.resolv(self.etc_resolv_link.value)
        return None

    @property
    def networks(self) -> tuple[UnitFile, ...]:
        """The systemd-networkd ``.network`` files, in the order networkd considers them."""
        return tuple(u for u in self.units if u.kind == "network")

    @property
    def resolved_conf(self) -> UnitFile | None:
        """resolved.conf with its drop-ins, if read."""
        return next((u for u in self.units if u.kind == "resolved"), None)


def merge_dns(fragments: list[DnsSetup]) -> DnsSetup:
    """Fold fragments into one setup: tuples are concatenated, single values keep the first one set."""
    if len(fragments) == 1:
        return fragments[0]
    merged = DnsSetup()
    for fragment in fragments:
        changes: dict[str, object] = {}
        for f in fields(DnsSetup):
            mine, theirs = getattr(merged, f.name), getattr(fragment, f.name)
            if isinstance(mine, tuple):
                changes[f.name] = mine + theirs
            elif mine is None and theirs is not None:
                changes[f.name] = theirs
        merged = replace(merged, **changes)  # type: ignore[arg-type]
    # A systemd-resolved file read twice (a directory holding /etc/resolv.conf as a link to it) is one file.
    seen: set[str] = set()
    unique = []
    for item in merged.resolv_files:
        if item.generated_by == "systemd-resolved" and item.node_path in seen:
            continue
        seen.add(item.node_path)
        unique.append(item)
    return replace(merged, resolv_files=tuple(unique))


__all__ = [
    "COREDNS_SCHEMES",
    "ETC_RESOLV",
    "KUBELET_FIELDS",
    "KUBELET_RESOLV_DEFAULT",
    "RESOLVED_FILES",
    "STATIC_RESOLV",
    "STUB_RESOLV",
    "UPLINK_RESOLV",
    "CoreDnsForward",
    "Corefile",
    "DnsSetup",
    "Entry",
    "IfupdownInterface",
    "Interface",
    "KubeletDns",
    "Lease",
    "LinkState",
    "NetplanInterface",
    "NmConnection",
    "Note",
    "Offer",
    "QueryAnswer",
    "ResolvConf",
    "UnitFile",
    "WildcardAnswer",
    "merge_dns",
    "ndots_of",
]


def __getattr__(name: str) -> object:
    """A record class of :mod:`netblame.model.dns_records`, imported on first use."""
    return load(__name__, "netblame.model.dns_records" if name in _RECORDS else None, name)
