"""The records a :class:`~netblame.model.dns.DnsSetup` holds, one per kind of node file or observation:
resolv.conf, systemd units, netplan, leases, link state, NetworkManager and ifupdown, kubelet's DNS
settings, Corefiles, DHCP offers and DNS answers. Every value keeps its
:class:`~netblame.model.origin.Origin`.

They live apart from ``DnsSetup`` so that a check whose inputs hold none of them (a kubeadm
configuration says only which Kubernetes version the node runs) does not create their classes;
:mod:`netblame.model.dns` still exports every one of them under its own name.
"""

from __future__ import annotations

from typing import Literal

from netblame._record import Record, record
from netblame.model.dns import ndots_of
from netblame.model.origin import Origin, Sourced


@record
class Entry(Record):
    """One ``Key=value`` of an ini-style file (systemd units, NetworkManager keyfiles)."""

    section: str
    key: str
    value: str
    origin: Origin


@record
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


@record
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


@record
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


@record
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


@record
class LinkState(Record):
    """``/run/systemd/netif/links/<ifindex>``: what systemd-networkd kept for one link."""

    ifindex: int | None
    origin: Origin
    network_file: str | None = None
    domains: tuple[Sourced[str], ...] = ()
    route_domains: tuple[Sourced[str], ...] = ()
    dns: tuple[Sourced[str], ...] = ()


@record
class NmConnection(Record):
    """A NetworkManager keyfile connection (``[connection]``, ``[ipv4]``, ``[ipv6]``)."""

    id: str
    origin: Origin
    interface: str | None = None
    method4: str | None = None
    dns_search: tuple[Sourced[str], ...] = ()
    ignore_auto_dns: Sourced[bool] | None = None


@record
class IfupdownInterface(Record):
    """An ``iface`` stanza of ``/etc/network/interfaces``."""

    name: str
    method: str
    origin: Origin
    dns_search: tuple[Sourced[str], ...] = ()
    dns_nameservers: tuple[Sourced[str], ...] = ()


@record
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


@record
class CoreDnsForward(Record):
    """One ``forward FROM TO...`` (or the old ``proxy FROM TO...``) of a Corefile server block."""

    zone: str
    server_block: str
    targets: tuple[Sourced[str], ...]
    origin: Origin
    plugin: str = "forward"
    policy: Sourced[str] | None = None
    """``policy random|round_robin|sequential`` in the forward block (random when absent)."""


@record
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


@record
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


@record
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


@record
class WildcardAnswer(Record):
    """A name that cannot exist answered inside a search domain: the domain has a wildcard record."""

    domain: str
    query: str
    answer: tuple[str, ...]
    server: str
    origin: Origin


@record
class Interface(Record):
    """A network interface by name and index (from the live system or the files)."""

    name: str
    ifindex: int | None
    origin: Origin
