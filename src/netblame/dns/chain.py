"""Pure analyses over a ``DnsSetup``: which interface is which, what DHCP offered, what the resolver
uses, what kubelet hands to pods (computed as kubelet does) and where CoreDNS forwards."""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING

from netblame._record import Record, record
from netblame.dns.networkd import USE_DOMAINS_DEFAULT, normalise_boolean, unit_for, use_domains
from netblame.model.dns import (
    COREDNS_SCHEMES,
    ETC_RESOLV,
    KUBELET_RESOLV_DEFAULT,
    RESOLVED_FILES,
    STATIC_RESOLV,
    STUB_RESOLV,
    DnsSetup,
    ndots_of,
)
from netblame.model.origin import Origin, Sourced, default

if TYPE_CHECKING:
    from netblame.model.dns import (
        IfupdownInterface,
        Lease,
        LinkState,
        NetplanInterface,
        NmConnection,
        ResolvConf,
        UnitFile,
    )

# Pod DNS limits, FACTS.md F.6 (pkg/apis/core/validation, pkg/kubelet/network/dns/dns.go).
MAX_NAMESERVERS = 3
EXPANDED_LIMITS = (32, 2048)
LEGACY_LIMITS = (6, 256)
MAX_SEARCH_PATH = 253
POD_OPTIONS = ("ndots:5",)
# ExpandedDNSConfig: beta (on by default) in 1.26, GA in 1.28 (FACTS.md F.6).
EXPANDED_SINCE_MINOR = 26


def systemd_major(version: str) -> int | None:
    """The systemd release of a package version (``252.22-1~deb12u1`` -> 252; ``1:255.4-1ubuntu8`` -> 255)."""
    match = re.match(r"^(?:\d+:)?(\d+)", version)
    return int(match.group(1)) if match else None


def is_address(text: str) -> bool:
    """True for an IPv4 or IPv6 address (a link-local one may carry ``%zone``), as a nameserver line needs."""
    try:
        ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    return True


def is_loopback(address: str) -> bool:
    """True for 127.0.0.0/8 and ::1 (an address that, inside a pod, is the pod itself)."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def dhcp_interfaces(setup: DnsSetup) -> tuple[str, ...]:
    """Names of the interfaces some file configures for DHCP (only those that exist, when the live
    interfaces are known)."""
    names = [p.name for p in setup.netplan if p.dhcp4 or p.dhcp6]
    for unit in setup.networks:
        dhcp = unit.get("Network", "DHCP")
        if dhcp is not None and normalise_boolean(dhcp.value) != "no":
            names += [g for g in unit.match_names if not re.search(r"[*?\[!]", g)]
    names += [c.interface for c in setup.nm_connections if c.interface and c.method4 in (None, "auto")]
    names += [i.name for i in setup.ifupdown if i.method == "dhcp"]
    present = {i.name for i in setup.interfaces}
    return tuple(n for n in dict.fromkeys(names) if not present or n in present)


def _by_index(setup: DnsSetup, ifindex: int | None) -> str | None:
    if ifindex is None:
        return None
    return next((i.name for i in setup.interfaces if i.ifindex == ifindex), None)


def _only_dhcp_interface(setup: DnsSetup) -> str | None:
    names = dhcp_interfaces(setup)
    return names[0] if len(names) == 1 else None


def link_interface(setup: DnsSetup, link: LinkState) -> str | None:
    """The interface a link state file describes: by index, else by its ``.network`` file's [Match] Name=."""
    name = _by_index(setup, link.ifindex)
    if name is None and link.network_file:
        leaf = link.network_file.rsplit("/", 1)[-1]
        unit = next((u for u in setup.networks if u.path.rsplit("/", 1)[-1] == leaf), None)
        globs = unit.match_names if unit else ()
        if len(globs) == 1 and not re.search(r"[*?\[!]", globs[0]):
            name = globs[0]
    if name is None and link.network_file:
        name = _only_dhcp_interface(setup)
    return name


def lease_interface(setup: DnsSetup, lease: Lease) -> str:
    """The interface a lease belongs to (by name, index, the link that names the lease, or the only DHCP
    interface), or ``ifindex N`` when none is known."""
    name = lease.interface or _by_index(setup, lease.ifindex)
    if name is None and lease.ifindex is not None:
        link = next((k for k in setup.links if k.ifindex == lease.ifindex), None)
        name = link_interface(setup, link) if link else None
    return name or _only_dhcp_interface(setup) or f"ifindex {lease.ifindex}"


def link_named(setup: DnsSetup, name: str) -> LinkState | None:
    """networkd's state for interface ``name``."""
    return next((link for link in setup.links if link_interface(setup, link) == name), None)


@record
class Backend(Record):
    """Who configures an interface's DHCP client, and its own setting for DHCP search domains."""

    kind: str
    use_domains: Sourced[str]
    netplan: NetplanInterface | None = None
    unit: UnitFile | None = None
    nm: NmConnection | None = None
    ifupdown: IfupdownInterface | None = None

    @property
    def config(self) -> Origin:
        """Where the interface is configured."""
        for part in (self.netplan, self.unit, self.nm, self.ifupdown):
            if part is not None:
                return part.origin
        return self.use_domains.origin


def backend_for(setup: DnsSetup, name: str) -> Backend | None:
    """The backend configuring ``name``: netplan (rendering for networkd), networkd, NetworkManager, ifupdown."""
    plan = next((p for p in setup.netplan if p.name == name), None)
    unit = unit_for(setup.networks, name)
    if plan is not None and plan.renderer != "NetworkManager":
        if unit is not None and not unit.generated_by_netplan:
            return Backend("networkd", use_domains(unit), unit=unit)
        # The rendered file with its drop-ins is what networkd runs; the YAML may not be applied yet.
        value = use_domains(unit) if unit is not None else plan.use_domains4 or Sourced("no", USE_DOMAINS_DEFAULT)
        return Backend("netplan", value, netplan=plan, unit=unit)
    if unit is not None:
        return Backend("networkd", use_domains(unit), unit=unit)
    nm = next((c for c in setup.nm_connections if c.interface == name), None)
    if nm is not None:
        ignored = nm.ignore_auto_dns is not None and nm.ignore_auto_dns.value
        origin = nm.ignore_auto_dns.origin if nm.ignore_auto_dns else default(
            "NetworkManager uses DHCP-provided DNS settings unless ignore-auto-dns=true (nm-settings-nmcli(5))")
        return Backend("networkmanager", Sourced("no" if ignored else "yes", origin), nm=nm)
    iface = next((i for i in setup.ifupdown if i.name == name), None)
    if iface is not None:
        return Backend("ifupdown", Sourced("yes", iface.origin), ifupdown=iface)
    return None


def host_resolv(setup: DnsSetup) -> ResolvConf | None:
    """What ``/etc/resolv.conf`` says (through its symlink); given only systemd-resolved's stub file
    (``netblame check`` on loose files), the stub, which is what /etc/resolv.conf normally links to."""
    found = setup.resolv(ETC_RESOLV)
    if found is None and setup.etc_resolv_link is None:
        found = setup.resolv(STUB_RESOLV)
    return found


def resolved_in_charge(setup: DnsSetup) -> bool:
    """True when /etc/resolv.conf is (a link to) one of systemd-resolved's files."""
    if setup.etc_resolv_link is not None:
        return setup.etc_resolv_link.value in RESOLVED_FILES
    etc = host_resolv(setup)
    return etc is not None and etc.generated_by == "systemd-resolved"


def used_search(setup: DnsSetup) -> tuple[str, ...]:
    """The search domains the node's resolver applies (resolv.conf's, or networkd's links when resolved
    serves and its files were not captured)."""
    etc = host_resolv(setup)
    if etc is not None and (etc.search or not resolved_in_charge(setup)):
        return etc.search_names
    if etc is None and not setup.links:
        return ()
    return tuple(dict.fromkeys(d.value for link in setup.links for d in link.domains))


@record
class OfferedDomains(Record):
    """Domains a DHCP server handed (lease) or was seen offering (probe) on an interface."""

    interface: str
    domains: tuple[str, ...]
    search: tuple[str, ...]
    evidence: str
    origin: Origin


def offered(setup: DnsSetup) -> list[OfferedDomains]:
    """Every interface's offered domains, probe first (it sees option 119 even when it was not requested)."""
    out = [OfferedDomains(o.interface, o.domains, o.search, f"DHCP server {o.server} offers domain name "
                          f"{o.domain_name or '(none)'} and search list {' '.join(o.search) or '(none)'}", o.origin)
           for o in setup.offers if o.domains]
    probed = {o.interface for o in out}
    for lease in setup.leases:
        name = lease_interface(setup, lease)
        if name in probed or not lease.domains:
            continue
        parts = []
        if lease.domain_name:
            parts.append(f"domain name (option 15) {lease.domain_name.value}")
        if lease.search:
            parts.append(f"search list (option 119) {' '.join(s.value for s in lease.search)}")
        origin = lease.domain_name.origin if lease.domain_name else lease.search[0].origin
        out.append(OfferedDomains(name, lease.domains, tuple(s.value.rstrip(".") for s in lease.search),
                                  f"the lease holds {' and '.join(parts)}", origin))
    return out


@record
class KubeletView(Record):
    """kubelet's effective DNS settings (flags over the configuration file over defaults)."""

    resolv_conf: Sourced[str]
    cluster_dns: tuple[Sourced[str], ...]
    cluster_domain: Sourced[str] | None


def kubelet_view(setup: DnsSetup) -> KubeletView | None:
    """None when no kubelet configuration was read."""
    if not setup.kubelet:
        return None
    ordered = sorted(setup.kubelet, key=lambda k: not k.from_flags)
    resolv = next((k.resolv_conf for k in ordered if k.resolv_conf is not None), None)
    dns = next((k.cluster_dns for k in ordered if k.cluster_dns), ())
    domain = next((k.cluster_domain for k in ordered if k.cluster_domain is not None), None)
    return KubeletView(resolv or Sourced(KUBELET_RESOLV_DEFAULT, default(
        "kubelet resolvConf defaults to /etc/resolv.conf (KubeletConfiguration v1beta1)")), dns, domain)


def assumed_kubelet_view(setup: DnsSetup) -> KubeletView | None:
    """:func:`kubelet_view`; when no kubelet configuration was read but a resolv.conf was, kubelet's
    defaults (resolvConf /etc/resolv.conf), with an origin that says they were assumed."""
    view = kubelet_view(setup)
    if view is not None or host_resolv(setup) is None:
        return view
    return KubeletView(Sourced(KUBELET_RESOLV_DEFAULT, default(
        "kubelet's resolvConf default, assumed: no kubelet configuration was read")), (), None)


@record
class KubeletResolv(Record):
    """The file kubelet reads for pods: its path, its content if read, and its nameservers."""

    path: Sourced[str]
    file: ResolvConf | None
    nameservers: tuple[str, ...]
    search: tuple[str, ...]
    known_by_path: bool

    @property
    def loopback_only(self) -> bool:
        """True when the file has nameservers and all are loopback (inside a pod, the pod itself)."""
        return bool(self.nameservers) and all(is_loopback(n) for n in self.nameservers)

    @property
    def loopback(self) -> tuple[Sourced[str], ...]:
        """The loopback nameservers of the file, with their lines (none when the file was not read)."""
        return tuple(n for n in self.file.nameservers if is_loopback(n.value)) if self.file else ()


def kubelet_resolv(setup: DnsSetup, view: KubeletView) -> KubeletResolv:
    """Follow kubelet's resolvConf. The stub and static files of systemd-resolved list 127.0.0.53 only
    (FACTS.md F.1), so their content is known even when the file was not captured."""
    path = view.resolv_conf.value
    file = (host_resolv(setup) if path == ETC_RESOLV else setup.resolv(path)) if path else None
    if file is not None:
        return KubeletResolv(view.resolv_conf, file, tuple(n.value for n in file.nameservers), file.search_names,
                             False)
    target = setup.etc_resolv_link.value if path == ETC_RESOLV and setup.etc_resolv_link else path
    if target in (STUB_RESOLV, STATIC_RESOLV):
        return KubeletResolv(view.resolv_conf, None, ("127.0.0.53",), (), True)
    return KubeletResolv(view.resolv_conf, None, (), (), False)


def kubernetes_minor(setup: DnsSetup) -> int | None:
    """The minor version of Kubernetes, when a file said it."""
    if setup.kubernetes_version is None:
        return None
    match = re.match(r"v?1\.([0-9]{1,6})", setup.kubernetes_version.value)
    return int(match.group(1)) if match else None


def search_limits(setup: DnsSetup) -> tuple[int, int, str]:
    """(max domains, max characters, why) for pod search lists."""
    minor = kubernetes_minor(setup)
    if minor is None:
        return (*EXPANDED_LIMITS, "Kubernetes 1.26 or later assumed (no kubernetesVersion read)")
    if minor >= EXPANDED_SINCE_MINOR:
        return (*EXPANDED_LIMITS, f"Kubernetes 1.{minor}")
    return (*LEGACY_LIMITS, f"Kubernetes 1.{minor}, before ExpandedDNSConfig")


@record
class PodResolv(Record):
    """A pod's resolv.conf as kubelet writes it, and what kubelet had to drop."""

    policy: str
    nameservers: tuple[str, ...]
    search: tuple[str, ...]
    options: tuple[str, ...]
    dropped_nameservers: tuple[str, ...] = ()
    dropped_search: tuple[str, ...] = ()
    wanted_search: tuple[str, ...] = ()

    @property
    def ndots(self) -> int:
        """The pod resolver's ndots, read from its options as glibc reads them."""
        return ndots_of(self.options)


def fit_search(search: list[str], max_paths: int, max_chars: int) -> list[str]:
    """kubelet's formDNSSearchFitsLimits (pkg/kubelet/network/dns/dns.go): cut to ``max_paths``,
    drop paths over 253 characters, then drop from the end until the joined line fits."""
    kept = [s for s in search[:max_paths] if len(s) <= MAX_SEARCH_PATH]
    length = len(" ".join(kept))
    while kept and length > max_chars:
        length -= len(kept.pop()) + 1
    return kept


def pod_resolv(setup: DnsSetup, policy: str = "ClusterFirst", namespace: str = "default") -> PodResolv | None:
    """The resolv.conf kubelet gives a pod with ``policy`` (ClusterFirst or Default) in ``namespace``."""
    view = kubelet_view(setup)
    if view is None:
        return None
    host = kubelet_resolv(setup, view)
    servers = list(host.nameservers)
    search = list(host.search)
    options = tuple(o.value for o in host.file.options) if host.file else ()
    if policy == "ClusterFirst" and view.cluster_dns:
        servers = [s.value for s in view.cluster_dns]
        options = POD_OPTIONS
        if view.cluster_domain is not None:
            domain = view.cluster_domain.value.rstrip(".")
            search = list(dict.fromkeys([f"{namespace}.svc.{domain}", f"svc.{domain}", domain, *search]))
    max_paths, max_chars, _ = search_limits(setup)
    kept = fit_search(search, max_paths, max_chars)
    return PodResolv(policy=policy, nameservers=tuple(servers[:MAX_NAMESERVERS]), search=tuple(kept), options=options,
                     dropped_nameservers=tuple(servers[MAX_NAMESERVERS:]),
                     dropped_search=tuple(s for s in search if s not in kept), wanted_search=tuple(search))


def effective_use_domains(value: str) -> bool:
    """True for ``yes`` (search domains); ``route`` keeps them for routing only, not for search."""
    return normalise_boolean(value) == "yes"


def expand(name: str, search: tuple[str, ...], ndots: int) -> list[str]:
    """The names a stub resolver tries for ``name``, in order (resolv.conf(5): a name with at least
    ``ndots`` dots is tried as-is first, otherwise after the search list; a trailing dot means as-is only)."""
    if name.endswith("."):
        return [name]
    listed = [f"{name}.{domain.rstrip('.')}." for domain in search if domain.rstrip(".")]
    absolute = f"{name}."
    return [absolute, *listed] if name.count(".") >= ndots else [*listed, absolute]


def target_address(target: str) -> str:
    """The address of a ``forward`` target: without its scheme (``dns://``, ``tls://``) and port
    (``IP:PORT``, ``[IPv6]:PORT``)."""
    bare = _without_scheme(target)
    if bare.startswith("["):
        return bare[1:].split("]", 1)[0]
    return bare.rsplit(":", 1)[0] if bare.count(":") == 1 else bare



def _without_scheme(word: str) -> str:
    for prefix in COREDNS_SCHEMES:
        word = word.removeprefix(prefix)
    return word
