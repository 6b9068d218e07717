"""NB202: a UseDomains (or other networkd/resolved setting) written where it has no effect."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.dns.common import enable_fix, looks_like_netplan_use_domains, looks_like_use_domains
from netblame.dns.chain import backend_for, dhcp_interfaces
from netblame.dns.networkd import USE_DOMAINS_SECTIONS
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import DnsSetup, ResolvConf

PASTED = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\nUseDomains=true\n"


def _where_it_belongs(setup: DnsSetup) -> str:
    names = dhcp_interfaces(setup)
    if len(names) == 1:
        return enable_fix(backend_for(setup, names[0]), names[0], ())
    return ("put `UseDomains=yes` under `[DHCPv4]` in the interface's .network file (or netplan "
            "`dhcp4-overrides: {use-domains: true}`), or list static search domains with `Domains=`")


def _resolv(setup: DnsSetup, file: ResolvConf) -> Iterator[Diagnostic]:
    for line in file.unknown:
        generated = (f"; the file is written by {file.generated_by} and the edit is lost when it rewrites it"
                     if file.generated_by else "")
        yield Diagnostic(
            message=(f"{file.node_path} contains `{line.value}`, which resolv.conf(5) does not know (its keywords "
                     f"are nameserver, search, domain, sortlist, options): no resolver reads it{generated}"),
            fix=f"remove the line; {_where_it_belongs(setup)}", location=line.origin)


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """Misplaced or misspelt UseDomains-like settings in resolv.conf files, resolved.conf, .network files
    and netplan."""
    for file in setup.resolv_files:
        yield from _resolv(setup, file)
    for unit in setup.units:
        for entry in unit.entries:
            if unit.kind == "resolved" and (entry.key == "UseDomains" or looks_like_use_domains(entry.key)):
                yield Diagnostic(
                    message=(f"resolved.conf has `{entry.key}={entry.value}` in [{entry.section}], but resolved.conf "
                             "has no such setting (its search domains come from `Domains=` or from the links): "
                             "systemd-resolved ignores it"),
                    fix=f"remove the line; {_where_it_belongs(setup)}", location=entry.origin)
            elif unit.kind == "network" and entry.key == "UseDomains" and entry.section not in USE_DOMAINS_SECTIONS:
                yield Diagnostic(
                    message=(f"`UseDomains={entry.value}` is in section [{entry.section}] of {unit.path}; networkd "
                             "reads it only in [DHCPv4], [DHCPv6], [IPv6AcceptRA] (and the legacy [DHCP])"),
                    fix=f"move the line under `[DHCPv4]` in {unit.path}, then `sudo networkctl reload`",
                    location=entry.origin)
            elif unit.kind == "network" and entry.key == "UseDomains" and entry.section == "Network":
                yield Diagnostic(
                    message=(f"{unit.path} sets `UseDomains={entry.value}` in [Network]: only newer systemd-networkd "
                             "reads it there; systemd 252 documents it in [DHCPv4] and [IPv6AcceptRA] only, and "
                             "ignores it in [Network]"),
                    fix=f"put `UseDomains={entry.value}` under `[DHCPv4]` as well, then `sudo networkctl reload`",
                    severity=Severity.INFO, location=entry.origin)
            elif unit.kind == "network" and looks_like_use_domains(entry.key):
                yield Diagnostic(
                    message=(f"{unit.path} sets `{entry.key}=` in [{entry.section}]: networkd keys are "
                             "case-sensitive and it knows no such key; it only logs an unknown-key warning, "
                             "so the link keeps UseDomains=no"),
                    fix=f"write `UseDomains={entry.value}` under `[DHCPv4]`, then `sudo networkctl reload`",
                    location=entry.origin)
    for key in setup.netplan_unknown:
        leaf = key.value.rsplit(".", 1)[-1]
        hint = " (the key is `use-domains`)" if looks_like_netplan_use_domains(leaf) else ""
        yield Diagnostic(
            message=(f"netplan does not know `{key.value}`{hint}: `netplan generate` and `netplan apply` fail with "
                     f"\"Error in network definition: unknown key '{leaf}'\", so no change in this file applies"),
            fix=("correct the key (for DHCP search domains: `dhcp4-overrides:` with `use-domains: true`), then run "
                 "`sudo netplan generate && sudo netplan apply`"),
            location=key.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB202",
        name="dns-setting-without-effect",
        title="A networkd/resolved setting is written where it has no effect",
        severity=Severity.WARNING,
        applies_to=DnsSetup,
        summary="UseDomains (or a misspelling of it) sits in resolv.conf, stub-resolv.conf, resolved.conf, the wrong "
                "section of a .network file, or an unknown netplan key, where nothing reads it.",
        rationale=(
            "A common piece of advice is to add `UseDomains=true` to /run/systemd/resolve/stub-resolv.conf and "
            "restart systemd-resolved. That file is generated by systemd-resolved, resolv.conf(5) has no such "
            "keyword, and resolved.conf has no UseDomains= either: the setting belongs to systemd-networkd's "
            ".network files ([DHCPv4] UseDomains=). Written anywhere else, it silently does nothing, and the "
            "search domains stay missing."
        ),
        fix="Remove the line and set the option where it is read: `[DHCPv4]` `UseDomains=yes` in the interface's "
            ".network file, or netplan `dhcp4-overrides: {use-domains: true}`.",
        references=(
            "man resolv.conf(5) (glibc, Debian 12): keywords nameserver, search, domain, sortlist, options",
            "man resolved.conf(5) (systemd 252): [Resolve] options, no UseDomains=",
            "man systemd.network(5) (systemd 252): [DHCPv4] UseDomains=",
            "netplan 0.106: `Error in network definition: unknown key` for unknown keys",
        ),
        examples=(
            Example(name="UseDomains pasted into stub-resolv.conf",
                    files=(("stub-resolv.conf",
                            "# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).\n"
                            "# Do not edit.\n" + PASTED),)),
            Example(name="misspelt key in a .network drop-in",
                    files=(("50-domains.conf", "[DHCPv4]\nuseDomain=yes\n"),)),
            Example(name="UseDomains in resolved.conf",
                    files=(("resolved.conf", "[Resolve]\nDNS=10.98.0.1\nUseDomains=yes\n"),)),
            Example(name="misspelt netplan override",
                    files=(("01-netcfg.yaml", "network:\n  version: 2\n  ethernets:\n    eth0:\n      dhcp4: true\n"
                                              "      dhcp4-overrides:\n        use-domain: true\n"),)),
            Example(name="UseDomains in [DHCPv4] of the .network file",
                    files=(("10-eth0.network", "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\n"
                                               "UseDomains=yes\n"),
                           ("resolved.conf", "[Resolve]\nDomains=home.arpa\n")),
                    fires=False),
        ),
    ),
    check=check,
)
