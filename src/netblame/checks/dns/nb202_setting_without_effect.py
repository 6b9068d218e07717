"""NB202: a UseDomains (or other networkd/resolved setting) written where it has no effect."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.dns.common import enable_fix, looks_like_netplan_use_domains, looks_like_use_domains
from netblame.dns.chain import backend_for, dhcp_interfaces, is_address, systemd_major
from netblame.dns.networkd import USE_DOMAINS_SECTIONS
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import DnsSetup

if TYPE_CHECKING:
    from netblame.model.dns import Entry, ResolvConf

DPKG = ("Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\n\nPackage: systemd\n"
        "Status: install ok installed\nPriority: important\nVersion: {version}\n")
PASTED = "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\nUseDomains=true\n"


def _where_it_belongs(setup: DnsSetup) -> str:
    names = dhcp_interfaces(setup)
    if len(names) == 1:
        return enable_fix(backend_for(setup, names[0]), names[0], ())
    return ("put `UseDomains=yes` under `[DHCPv4]` in the interface's .network file (or netplan "
            "`dhcp4-overrides: {use-domains: true}`), or list static search domains with `Domains=`")


# Options glibc's resolver acts on (resolv/res_init.c res_setoptions; resolv.conf(5)): the first three take
# ":n"; the others are matched as a prefix of the word, as glibc does. Older glibc also took inet6,
# ip6-bytestring, ip6-dotint, no-ip6-dotint and no-check-names; no-aaaa came in 2.36.
VALUE_OPTIONS = ("ndots:", "timeout:", "attempts:")
FLAG_OPTIONS = ("debug", "rotate", "edns0", "single-request-reopen", "single-request", "no_tld_query", "no-tld-query",
                "no-reload", "use-vc", "trust-ad", "no-aaaa", "inet6", "ip6-bytestring", "ip6-dotint", "no-ip6-dotint",
                "no-check-names")


def _option_known(word: str) -> bool:
    return word.startswith(VALUE_OPTIONS) or word.startswith(FLAG_OPTIONS)


def _resolv_values(file: ResolvConf) -> Iterator[Diagnostic]:
    """Options glibc does not know and nameserver lines that are not addresses: both silently ignored."""
    for option in file.options:
        if _option_known(option.value):
            continue
        close = difflib.get_close_matches(option.value.split(":", 1)[0],
                                          [*FLAG_OPTIONS, *(v.rstrip(":") for v in VALUE_OPTIONS)], n=1, cutoff=0.6)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        yield Diagnostic(
            message=(f"{file.node_path} has `options {option.value}`, which the resolver does not know{hint}: glibc "
                     "skips unknown options without a word, so it has no effect"),
            fix=(f"write `{close[0]}` instead" if close else "remove the option") + " (resolv.conf(5) lists the "
                "options: ndots:n, timeout:n, attempts:n, rotate, edns0, single-request, single-request-reopen, "
                "no-tld-query, use-vc, no-reload, trust-ad, no-aaaa)",
            location=option.origin)
    for server in file.nameservers:
        if not is_address(server.value):
            yield Diagnostic(
                message=(f"{file.node_path} has `nameserver {server.value}`, which is not an IP address: the "
                         "resolver takes only addresses there (no names), so it skips the line"),
                fix=f"write the server's IP address instead of `{server.value}`, or remove the line",
                location=server.origin)


def _resolv(setup: DnsSetup, file: ResolvConf) -> Iterator[Diagnostic]:
    yield from _resolv_values(file)
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
                yield from _network_section(setup, unit.path, entry)
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


# systemd.network(5) of systemd 252 documents UseDomains= in [DHCPv4] and [IPv6AcceptRA] only; current
# systemd also reads it in [Network] (networkd-dns.c link_get_use_domains). The first release that does is
# not confirmed (FACTS.md F.4: believed 256), so 253 to 255 are reported as uncertain.
DOCUMENTED_ONLY_IN_DHCP = 252
READ_IN_NETWORK_BELIEVED = 256


def _network_section(setup: DnsSetup, path: str, entry: Entry) -> Iterator[Diagnostic]:
    """``[Network] UseDomains=``: whether it works depends on the node's systemd release."""
    fix = f"put `UseDomains={entry.value}` under `[DHCPv4]` as well, then `sudo networkctl reload`"
    version = setup.systemd_version
    release = systemd_major(version.value) if version is not None else None
    if release is not None and release >= READ_IN_NETWORK_BELIEVED:
        return
    if version is not None and release is not None and release <= DOCUMENTED_ONLY_IN_DHCP:
        yield Diagnostic(
            message=(f"{path} sets `UseDomains={entry.value}` in [Network], but this node's systemd is {version.value} "
                     f"({version.origin}), whose systemd-networkd reads UseDomains= only in [DHCPv4], [DHCPv6] and "
                     "[IPv6AcceptRA]: the line does nothing here"),
            fix=fix, location=entry.origin)
        return
    if version is not None:
        known = (f"this node's systemd is {version.value} ({version.origin}); releases before "
                 f"{READ_IN_NETWORK_BELIEVED} are believed to ignore it there")
    else:
        distro = f" (the node runs {setup.os_release.value})" if setup.os_release is not None else ""
        known = (f"the node's systemd version was not found{distro}, so systemd {DOCUMENTED_ONLY_IN_DHCP} (Debian 12) "
                 f"is assumed, which documents it only in [DHCPv4] and [IPv6AcceptRA]; newer releases (believed "
                 f"{READ_IN_NETWORK_BELIEVED} and later) also read it in [Network]")
    yield Diagnostic(
        message=f"{path} sets `UseDomains={entry.value}` in [Network]: {known}",
        fix=fix, severity=Severity.INFO, location=entry.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB202",
        name="dns-setting-without-effect",
        title="A DNS setting is written where, or as, nothing reads it",
        severity=Severity.WARNING,
        also=((Severity.INFO, "for `UseDomains=` in [Network], which only newer systemd-networkd reads there"),),
        applies_to=DnsSetup,
        summary="UseDomains (or a misspelling of it) sits in resolv.conf, stub-resolv.conf, resolved.conf, the wrong "
                "section of a .network file, or an unknown netplan key, where nothing reads it; or a resolv.conf has "
                "an option the resolver does not know (a misspelling such as `ends0`) or a nameserver line that is "
                "not an IP address. `[Network] UseDomains=` is judged by the node's systemd version when its package "
                "database (/var/lib/dpkg/status) was read, and otherwise says which version it assumes.",
        rationale=(
            "A common piece of advice is to add `UseDomains=true` to /run/systemd/resolve/stub-resolv.conf and "
            "restart systemd-resolved. That file is generated by systemd-resolved, resolv.conf(5) has no such "
            "keyword, and resolved.conf has no UseDomains= either: the setting belongs to systemd-networkd's "
            ".network files ([DHCPv4] UseDomains=). Written anywhere else, it silently does nothing, and the "
            "search domains stay missing. In resolv.conf itself glibc skips, without a message, an option it does "
            "not know (`options ends0` for edns0) and a `nameserver` that is not an IP address (a host name, a "
            "placeholder): the line looks configured and does nothing."
        ),
        fix="Remove the line and set the option where it is read: `[DHCPv4]` `UseDomains=yes` in the interface's "
            ".network file, or netplan `dhcp4-overrides: {use-domains: true}`.",
        references=(
            "man resolv.conf(5) (glibc, Debian 12): keywords nameserver, search, domain, sortlist, options",
            "glibc resolv/res_init.c res_setoptions (the options table) and the nameserver parser (inet_pton)",
            "systemd/systemd src/network/networkd-dns.c link_get_use_domains ([Network] UseDomains= in current "
            "systemd); deb-control(5) for /var/lib/dpkg/status",
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
            Example(name="[Network] UseDomains= on a node with systemd 252 (from its package database)",
                    files=(("10-eth0.network", "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\nUseDomains=yes\n"),
                           ("status", DPKG.format(version="252.22-1~deb12u1")))),
            Example(name="[Network] UseDomains= on a node with systemd 256",
                    files=(("10-eth0.network", "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\nUseDomains=yes\n"),
                           ("status", DPKG.format(version="256.5-2ubuntu3"))),
                    fires=False),
            Example(name="misspelt edns0 and a host name as nameserver",
                    files=(("resolv.conf", "nameserver 192.168.1.1\nnameserver dns.example.com\n"
                                           "options ends0 timeout:3\n"),)),
            Example(name="known options and addresses",
                    files=(("resolv.conf", "nameserver 192.168.1.1\nnameserver fe80::1%eth0\n"
                                           "options edns0 trust-ad ndots:2 single-request-reopen\n"),),
                    fires=False),
            Example(name="UseDomains in [DHCPv4] of the .network file",
                    files=(("10-eth0.network", "[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\n"
                                               "UseDomains=yes\n"),
                           ("resolved.conf", "[Resolve]\nDomains=home.arpa\n")),
                    fires=False),
        ),
    ),
    check=check,
)
