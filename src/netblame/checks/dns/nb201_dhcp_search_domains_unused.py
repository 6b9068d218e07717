"""NB201: DHCP offers search domains the node's resolver does not use."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.dns.common import enable_fix, resolv_conf_fix
from netblame.dns.chain import backend_for, effective_use_domains, link_named, offered, used_search
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import DnsSetup

NETPLAN = "network:\n  version: 2\n  renderer: networkd\n  ethernets:\n    eth0:\n      dhcp4: true\n"
NETPLAN_FIXED = NETPLAN + "      dhcp4-overrides:\n        use-domains: true\n"
LEASE = ("# This is private data. Do not parse.\nADDRESS=10.98.0.51\nNETMASK=255.255.255.0\nROUTER=10.98.0.1\n"
         "SERVER_ADDRESS=10.98.0.1\nLIFETIME=3600\nDNS=10.98.0.1\nDOMAINNAME=home.arpa\n")


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """One diagnostic per interface whose offered domains are missing from the resolver's search list."""
    used = set(used_search(setup))
    for offer in offered(setup):
        missing = tuple(d for d in offer.domains if d not in used)
        if not missing:
            continue
        backend = backend_for(setup, offer.interface)
        link = link_named(setup, offer.interface)
        kept = " ".join(d.value for d in link.domains) if link and link.domains else ""
        where = (f"; networkd kept only {kept} for the link" if kept else "; networkd kept no search domains for "
                 "the link") if link else ""
        example = next((d for d in offer.search if d in missing), missing[0])
        if backend is not None and not effective_use_domains(backend.use_domains.value):
            origin = backend.use_domains.origin
            why = (f"{backend.kind} leaves DHCP search domains off for {offer.interface} "
                   + (f"(UseDomains={backend.use_domains.value} at {origin})" if origin.file else
                      f"(nothing sets them; {origin.default})"))
            fix = enable_fix(backend, offer.interface, offer.domains)
        elif backend is not None:
            why = f"{backend.kind} takes them, but /etc/resolv.conf does not list them"
            fix = resolv_conf_fix(backend, offer.interface, offer.domains)
        else:
            why = f"no configuration for {offer.interface} was read"
            fix = enable_fix(None, offer.interface, offer.domains)
        location = offer.origin
        if backend is not None:
            location = backend.use_domains.origin if backend.use_domains.origin.file else backend.config
        yield Diagnostic(
            message=(f"on {offer.interface} {offer.evidence} ({offer.origin}), but the resolver does not search "
                     f"{' '.join(missing)}{where}. {why[0].upper()}{why[1:]}: `ping nas` fails where "
                     f"`ping nas.{example}` works"),
            fix=fix, location=location)


RULE = Rule(
    meta=RuleMeta(
        id="NB201",
        name="dhcp-search-domains-unused",
        title="DHCP offers search domains the resolver does not use",
        severity=Severity.ERROR,
        applies_to=DnsSetup,
        summary="The DHCP server hands out a domain name (option 15) or search list (option 119) that never "
                "reaches the node's resolver, so short names do not resolve.",
        rationale=(
            "systemd-networkd requests option 119 only when UseDomains= is enabled for the link, and puts the "
            "domains of options 15 and 119 into the link's search domains only then; its default is no. netplan "
            "leaves it off unless `dhcp4-overrides: {use-domains: true}` is set. NetworkManager drops DHCP search "
            "domains with ignore-auto-dns=true. Editing resolv.conf does not help: systemd-resolved and "
            "NetworkManager regenerate it."
        ),
        fix="Enable DHCP search domains in the backend that configures the interface (netplan "
            "`dhcp4-overrides: {use-domains: true}` then `netplan apply`; a networkd drop-in with `[DHCPv4]` "
            "`UseDomains=yes`; NetworkManager `ipv4.ignore-auto-dns no` or `ipv4.dns-search`), never in resolv.conf.",
        references=(
            "man systemd.network(5), [DHCPv4] UseDomains= (systemd 252)",
            "systemd/systemd src/network/networkd-dhcp4.c: option 119 requested only when UseDomains is not no",
            "canonical/netplan doc/netplan-yaml.md: dhcp4-overrides use-domains",
            "RFC 3397 (DHCP Domain Search Option)",
        ),
        examples=(
            Example(name="netplan without use-domains, lease with a domain, resolver searches nothing",
                    files=(("50-cloud-init.yaml", NETPLAN), ("lease", LEASE),
                           ("resolv.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n"))),
            Example(name="use-domains enabled and the domains searched",
                    files=(("50-cloud-init.yaml", NETPLAN_FIXED),
                           ("lease", LEASE + "DOMAIN_SEARCH_LIST=lab home.arpa\n"),
                           ("resolv.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch home.arpa lab\n")),
                    fires=False),
        ),
    ),
    check=check,
)
