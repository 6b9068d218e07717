"""A node's resolver chain as data: ``DnsSetup``.

The chain runs from what a DHCP server offers (a lease, a probe), through what the network backend
keeps (systemd-networkd link state, netplan, NetworkManager, ifupdown), what systemd-resolved and
``/etc/resolv.conf`` say, to what kubelet hands to pods and where CoreDNS forwards. Every value keeps
its :class:`~netblame.model.origin.Origin`.

Sources build partial ``DnsSetup`` values (*fragments*, one per file); :func:`merge_dns` folds them
into one. Paths in ``node_path`` fields are the paths *on the node* (``/etc/resolv.conf``), whatever
directory the file was read from, so the analyses can follow references between files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Literal

from netblame._record import Record
from netblame._text import small_int
from netblame.model.origin import Origin, Sourced

# File locations, FACTS.md F.1 (systemd-resolved(8), systemd 252).
ETC_RESOLV = "/etc/resolv.conf"
STUB_RESOLV = "/run/systemd/resolve/stub-resolv.conf"
UPLINK_RESOLV = "/run/systemd/resolve/resolv.conf"
STATIC_RESOLV = "/usr/lib/systemd/resolv.conf"
RESOLVED_FILES = (STUB_RESOLV, UPLINK_RESOLV, STATIC_RESOLV)
# kubelet resolvConf default (FACTS.md A.8: kubetypes.ResolvConfDefault).
KUBELET_RESOLV_DEFAULT = "/etc/resolv.conf"


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Entry(Record):
    """One ``Key=value`` of an ini-style file (systemd units, NetworkManager keyfiles)."""

    section: str
    key: str
    value: str
    origin: Origin


def ndots_of(options: Iterable[str]) -> int:
    """``ndots:n`` among resolv.conf options: the last one wins, capped at 15; default 1 (resolv.conf(5))."""
    value = 1
    for opt in options:
        number = small_int(opt[6:]) if opt.startswith("ndots:") else None
        if number is not None and number >= 0:
            value = min(number, 15)
    return value


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ResolvConf(Record):
    """A resolv.conf(5) file: what glibc (and kubelet) read from it.

    ``unknown`` holds lines whose keyword resolv.conf(5) does not know (FACTS.md F.3), such as a
    ``UseDomains=true`` pasted in; ``generated_by`` is set when the file's header says systemd-resolved
    or NetworkManager wrote it.
    """

    node_path: str
    origin: Origin
    nameservers: tuple[Sourced[str], ...] = ()
    search: tuple[Sourced[str], ...] = ()
    options: tuple[Sourced[str], ...] = ()
    unknown: tuple[Sourced[str], ...] = ()
    generated_by: str | None = None

    @property
    def ndots(self) -> int:
        """``options ndots:n`` (the last one wins), default 1 (resolv.conf(5))."""
        return ndots_of(o.value for o in self.options)

    @property
    def search_names(self) -> tuple[str, ...]:
        """Search domains as kubelet reads them: trailing dots dropped, the root (``.``) left out."""
        return tuple(s.value.rstrip(".") for s in self.search if s.value.rstrip("."))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class UnitFile(Record):
    """A systemd ini file (``.network``, ``resolved.conf``) with its drop-ins, in the order they apply."""

    kind: Literal["network", "resolved"]
    path: str
    origin: Origin
    entries: tuple[Entry, ...] = ()
    dropins: tuple[str, ...] = ()

    def get(self, section: str, key: str) -> Entry | None:
        """The effective ``key`` in ``section`` (the last assignment wins, drop-ins after the file)."""
        found = None
        for entry in self.entries:
            if entry.section == section and entry.key == key:
                found = entry
        return found

    @property
    def match_names(self) -> tuple[str, ...]:
        """``[Match] Name=`` globs (space-separated, accumulated)."""
        out: list[str] = []
        for entry in self.entries:
            if entry.section == "Match" and entry.key == "Name":
                out = [] if not entry.value.strip() else [*out, *entry.value.split()]
        return tuple(out)

    @property
    def generated_by_netplan(self) -> bool:
        """True for the files ``netplan generate`` writes (``10-netplan-<id>.network``)."""
        return self.path.rsplit("/", 1)[-1].startswith("10-netplan-")


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NetplanInterface(Record):
    """One netplan interface definition (``ethernets.<id>`` and friends)."""

    id: str
    origin: Origin
    match_name: str | None = None
    dhcp4: bool = False
    dhcp6: bool = False
    use_domains4: Sourced[str] | None = None
    use_domains6: Sourced[str] | None = None
    search: tuple[Sourced[str], ...] = ()
    nameservers: tuple[Sourced[str], ...] = ()
    renderer: str = "networkd"

    @property
    def name(self) -> str:
        """The interface name this definition applies to (``match.name`` or the id)."""
        return self.match_name or self.id


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Lease(Record):
    """What a DHCP server gave: a systemd-networkd lease file or an ISC dhclient lease."""

    origin: Origin
    client: Literal["networkd", "dhclient"]
    ifindex: int | None = None
    interface: str | None = None
    address: str | None = None
    domain_name: Sourced[str] | None = None
    search: tuple[Sourced[str], ...] = ()
    dns: tuple[Sourced[str], ...] = ()

    @property
    def domains(self) -> tuple[str, ...]:
        """Every domain the lease carries: option 15 then option 119, without duplicates."""
        names = [self.domain_name.value] if self.domain_name else []
        names += [s.value for s in self.search]
        return tuple(dict.fromkeys(n.rstrip(".") for n in names if n.rstrip(".")))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LinkState(Record):
    """``/run/systemd/netif/links/<ifindex>``: what systemd-networkd kept for one link."""

    ifindex: int | None
    origin: Origin
    network_file: str | None = None
    domains: tuple[Sourced[str], ...] = ()
    route_domains: tuple[Sourced[str], ...] = ()
    dns: tuple[Sourced[str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class NmConnection(Record):
    """A NetworkManager keyfile connection (``[connection]``, ``[ipv4]``, ``[ipv6]``)."""

    id: str
    origin: Origin
    interface: str | None = None
    method4: str | None = None
    dns_search: tuple[Sourced[str], ...] = ()
    ignore_auto_dns: Sourced[bool] | None = None


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class IfupdownInterface(Record):
    """An ``iface`` stanza of ``/etc/network/interfaces``."""

    name: str
    method: str
    origin: Origin
    dns_search: tuple[Sourced[str], ...] = ()
    dns_nameservers: tuple[Sourced[str], ...] = ()


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class KubeletDns(Record):
    """The DNS part of a KubeletConfiguration (or the kubelet flags file).

    ``resolv_conf`` is None when nothing sets it (kubelet then reads ``/etc/resolv.conf``).
    ``unknown_keys`` are top-level keys KubeletConfiguration does not have. ``from_flags`` marks values
    read from kubelet command-line flags, which take precedence over the configuration file.
    """

    origin: Origin
    from_flags: bool = False
    resolv_conf: Sourced[str] | None = None
    cluster_dns: tuple[Sourced[str], ...] = ()
    cluster_domain: Sourced[str] | None = None
    unknown_keys: tuple[Sourced[str], ...] = ()


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


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class CoreDnsForward(Record):
    """One ``forward FROM TO...`` (or the old ``proxy FROM TO...``) of a Corefile server block."""

    zone: str
    server_block: str
    targets: tuple[Sourced[str], ...]
    origin: Origin
    plugin: str = "forward"
    policy: Sourced[str] | None = None
    """``policy random|round_robin|sequential`` in the forward block (random when absent)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Corefile(Record):
    """A CoreDNS Corefile (alone or inside its ConfigMap)."""

    origin: Origin
    forwards: tuple[CoreDnsForward, ...] = ()
    loop: Sourced[str] | None = None
    zones: tuple[Sourced[str], ...] = ()
    kubernetes: Sourced[str] | None = None
    """The ``kubernetes`` plugin line: present in a cluster's CoreDNS, absent in one on a host."""
    root_ports: tuple[Sourced[int], ...] = ()
    """The ports of the server blocks serving the root zone ``.`` (53 unless ``.:PORT``)."""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Offer(Record):
    """Domains a DHCP server was seen offering on an interface (by ``--probe``)."""

    interface: str
    server: str
    domain_name: str | None
    search: tuple[str, ...]
    dns: tuple[str, ...]
    origin: Origin

    @property
    def domains(self) -> tuple[str, ...]:
        """Option 15 then option 119, without duplicates."""
        names = ([self.domain_name] if self.domain_name else []) + list(self.search)
        return tuple(dict.fromkeys(n.rstrip(".") for n in names if n.rstrip(".")))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class QueryAnswer(Record):
    """What one server said about one name (A records); ``error`` when it did not answer."""

    name: str
    server: str
    rcode: str
    addresses: tuple[str, ...] = ()
    error: str | None = None

    @property
    def found(self) -> bool:
        """True when the name exists with addresses (a stub resolver stops here)."""
        return self.rcode == "NOERROR" and bool(self.addresses)


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class WildcardAnswer(Record):
    """A name that cannot exist answered inside a search domain: the domain has a wildcard record."""

    domain: str
    query: str
    answer: tuple[str, ...]
    server: str
    origin: Origin


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Interface(Record):
    """A network interface by name and index (from the live system or the files)."""

    name: str
    ifindex: int | None
    origin: Origin


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Note(Record):
    """Something about the inputs worth saying that is not a finding: a file not present, a line skipped."""

    message: str
    origin: Origin


@dataclass(frozen=True, slots=True, eq=False, repr=False)
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
