"""NB205: ``.local`` used for unicast DNS, or a made-up top-level domain."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.dns.chain import offered
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import DnsSetup
from netblame.model.origin import Origin

# Labels often used as private top-level domains that are not delegated in the DNS root zone
# (IANA root zone database, https://www.iana.org/domains/root/db).
MADE_UP_TLDS = frozenset({"lab", "lan", "home", "corp", "localdomain", "homelab", "intranet", "private", "localnet"})


def _domains(setup: DnsSetup) -> Iterator[tuple[str, Origin, str]]:
    for offer in offered(setup):
        for domain in offer.domains:
            yield domain, offer.origin, "the DHCP server"
    for file in setup.resolv_files:
        for item in file.search:
            yield item.value, item.origin, file.node_path
    for plan in setup.netplan:
        for item in plan.search:
            yield item.value, item.origin, "netplan"
    for unit in setup.units:
        for entry in unit.entries:
            if entry.key == "Domains" and entry.section in ("Network", "Resolve"):
                for word in entry.value.split():
                    yield word.lstrip("~"), entry.origin, unit.path
    for conn in setup.nm_connections:
        for item in conn.dns_search:
            yield item.value, item.origin, "NetworkManager"
    for iface in setup.ifupdown:
        for item in iface.dns_search:
            yield item.value, item.origin, "/etc/network/interfaces"


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """One diagnostic per distinct domain ending in .local or in a made-up top-level label."""
    seen: set[str] = set()
    for domain, origin, who in _domains(setup):
        name = domain.rstrip(".").lower()
        if not name or name in seen:
            continue
        seen.add(name)
        tld = name.rsplit(".", 1)[-1]
        suggestion = name.removesuffix(f".{tld}").removesuffix(tld).rstrip(".")
        better = f"{suggestion or tld}.home.arpa"
        if tld == "local":
            yield Diagnostic(
                message=(f"{who} uses the search domain {name}: names under .local are Multicast DNS (RFC 6762), "
                         "and systemd-resolved, Avahi and macOS send them to mDNS rather than to your DNS server"),
                fix=f"rename the zone to {better} (RFC 8375) on the DNS/DHCP server and in {who}",
                location=origin)
        elif tld in MADE_UP_TLDS:
            yield Diagnostic(
                message=(f"{who} uses the search domain {name}, under the made-up top-level domain .{tld}: it is not "
                         "reserved for private use, so it can be delegated in the public DNS one day and leaks "
                         "queries to the root servers meanwhile"),
                fix=f"rename the zone to {better} (RFC 8375 reserves home.arpa for home networks)",
                severity=Severity.INFO, location=origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB205",
        name="special-use-search-domain",
        title=".local or a made-up top-level domain used for unicast DNS",
        severity=Severity.WARNING,
        also=((Severity.INFO, "for a made-up top-level domain that is not reserved"),),
        applies_to=DnsSetup,
        summary="A search domain (from DHCP, resolv.conf, netplan, networkd, resolved, NetworkManager or ifupdown) "
                "ends in .local, or in a top-level label such as .lab that is not reserved for private use.",
        rationale=(
            ".local is link-local Multicast DNS (RFC 6762): resolvers that speak mDNS, systemd-resolved among them, "
            "send such names to 224.0.0.251 instead of your DNS server, so lookups fail or answer differently per "
            "machine. Made-up top-level domains are not reserved: they leak queries to the public root and may be "
            "delegated later. RFC 8375 reserves home.arpa for home networks. (The cluster domain cluster.local "
            "is only answered by CoreDNS inside pods and is not checked here.)"
        ),
        fix="Use a name under home.arpa (RFC 8375) or a domain you own, on the DHCP/DNS server and in the node's "
            "configuration.",
        references=(
            "RFC 6762 §3 (.local is Multicast DNS)",
            "RFC 8375 (home.arpa)",
            "man systemd-resolved.service(8) (systemd 252): .local names go to MulticastDNS",
        ),
        examples=(
            Example(name=".local search domain",
                    files=(("resolv.conf", "nameserver 10.0.0.1\nsearch office.local\n"),)),
            Example(name="made-up .lab in netplan",
                    files=(("01-netcfg.yaml", "network:\n  version: 2\n  ethernets:\n    eth0:\n"
                                              "      addresses: [192.168.1.10/24]\n      nameservers:\n"
                                              "        addresses: [192.168.1.1]\n        search: [lab]\n"),)),
            Example(name="home.arpa", files=(("resolv.conf", "nameserver 10.0.0.1\nsearch lab.home.arpa\n"),),
                    fires=False),
        ),
    ),
    check=check,
)
