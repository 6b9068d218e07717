"""``netblame dns`` as library calls: read a node's chain, optionally probe DHCP and test offered
domains for wildcard records, and run the NB2xx rules; expand a name; probe DHCP."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from netblame._io import display_path
from netblame.checks import Selection, run_rules
from netblame.dns.chain import host_resolv, is_loopback
from netblame.dns.dhcp_use import HostUse, host_use
from netblame.dns.resolve import expansions
from netblame.dns.results import DnsReport, Resolution
from netblame.dns.view import files_read
from netblame.errors import CollectError, InputError, UsageError
from netblame.findings import InputProblem, InputRecord, Report, Severity
from netblame.live.dns_query import ask_expansion, wildcard
from netblame.live.dns_tree import read_tree
from netblame.live.interfaces import interface_exists as _interface_exists
from netblame.model.dns import DnsSetup, Offer, merge_dns
from netblame.model.origin import Origin
from netblame.sources import builtin_sources, load_paths

if TYPE_CHECKING:
    from netblame.live.dhcp_probe import ProbeResult


def with_files(setup: DnsSetup, files: Sequence[str]) -> DnsSetup:
    """Add DNS fragments read (by content) from extra files, such as a CoreDNS ConfigMap dump."""
    if not files:
        return setup
    loaded = load_paths(files, builtin_sources())
    if loaded.errors:
        raise CollectError(str(loaded.errors[0]))
    return merge_dns([setup, *(f for f in loaded.fragments if isinstance(f, DnsSetup))])


def interface_exists(iface: str) -> bool:
    """Whether ``iface`` is an interface of this network namespace (checked before a probe is announced)."""
    return _interface_exists(iface)


def probe_offers(iface: str, timeout: float) -> tuple[Offer, ...]:
    """Run the DHCP probe on ``iface`` and keep what it saw about domains and DNS servers."""
    try:
        module = importlib.import_module("netblame.live.dhcp_probe")
    except ModuleNotFoundError:
        raise CollectError("the DHCP probe (netblame.live.dhcp_probe) is not part of this build") from None
    result = module.probe(iface, timeout=timeout)
    return tuple(Offer(interface=iface, server=str(o.server), domain_name=o.domain_name,
                       search=tuple(o.search_domains), dns=tuple(str(s) for s in o.dns_servers or ()),
                       origin=Origin(object=f"DHCP offer from {o.server} on {iface}"))
                 for o in result.offers)


def find_wildcards(setup: DnsSetup, domains: Sequence[str], servers: Sequence[str]) -> DnsSetup:
    """Ask ``servers`` (the first that answers) whether each domain has a wildcard record."""
    found = []
    for domain in dict.fromkeys(domains):
        for server in servers:
            hit = wildcard(domain, server)
            if hit is not None:
                found.append(hit)
                break
    return replace(setup, wildcards=setup.wildcards + tuple(found))


def node_servers(setup: DnsSetup) -> tuple[str, ...]:
    """Nameservers to ask on the node's behalf: those of /etc/resolv.conf that are not loopback, else
    networkd's per-link servers (the ones systemd-resolved's stub would use)."""
    etc = host_resolv(setup)
    servers = [n.value for n in etc.nameservers] if etc else []
    real = [s for s in servers if not is_loopback(s)]
    if not real:
        real = [d.value for link in setup.links for d in link.dns]
    return tuple(dict.fromkeys(real))


def diagnose_dns(root: str = "/", *, files: Sequence[str] = (), probe: str | None = None,
                 probe_timeout: float = 5.0, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> DnsReport:
    """Read the resolver chain of the node below ``root`` (plus extra ``files`` such as a CoreDNS
    ConfigMap dump) and run the DNS rules over it; with ``probe``, ask DHCP on that interface (live) and
    test the offered domains for wildcard records at the offered DNS servers. ``select``/``ignore`` pick
    rules by ID or prefix (default: every NB2xx rule enabled by default)."""
    try:
        selection = Selection.of(select or ["NB2"], ignore)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    setup = with_files(read_tree(root, live_interfaces=root == "/" or probe is not None), files)
    if probe is not None:
        offers = probe_offers(probe, probe_timeout)
        setup = replace(setup, offers=setup.offers + offers)
        servers = [s for o in offers for s in o.dns] or list(node_servers(setup))
        setup = find_wildcards(setup, [d for o in offers for d in o.domains], servers)
    read = files_read(setup)
    problems = tuple(InputProblem(n.message, n.origin.file) for n in setup.unreadable)
    if not read and (problems or root != "/"):
        raise nothing_readable(root, problems)
    run = run_rules([setup], selection=selection)
    inputs = tuple(InputRecord(path, "node DNS") for path in read)
    return DnsReport(root, setup, Report(findings=run.findings, inputs=inputs, errors=problems, rules_run=run.ran,
                                         failures=run.failures))


def nothing_readable(root: str, problems: Sequence[InputProblem]) -> InputError:
    """The one error of a tree with nothing to diagnose: the first reason, or that nothing was recognised."""
    what = (f"{problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "") if problems
            else "no resolver file netblame recognises")
    return InputError(f"nothing readable to diagnose: {what}; expected a node's /etc, /run and /var/lib (or a copy "
                      "of them) that this user can read", file=display_path(root))


def resolve_name(root: str, name: str, *, namespace: str = "default", servers: tuple[str, ...] = (),
                 query: bool = False) -> Resolution:
    """How ``name`` expands on the node below ``root`` and in a ClusterFirst pod of ``namespace``; with
    ``query``, ask the servers for each candidate and test the node's search domains for wildcard records
    (the NB206 errors found are returned)."""
    setup = read_tree(root)
    found = expansions(setup, name, namespace, servers)
    if not query:
        return Resolution(setup, tuple(found))
    found = [ask_expansion(e) for e in found]
    node = found[0]
    if node.servers:
        setup = find_wildcards(setup, node.search, node.servers)
    run = run_rules([setup], selection=Selection(select=("NB206",)))
    errors = tuple(f for f in run.findings if f.severity >= Severity.ERROR)
    inputs = tuple(InputRecord(path, "node DNS") for path in files_read(setup))
    return Resolution(setup, tuple(found), Report(findings=errors, inputs=inputs, rules_run=run.ran,
                                                  failures=run.failures))


def probe_dhcp(iface: str, timeout: float = 5.0) -> ProbeResult:
    """Ask the DHCP servers on ``iface`` what they offer (one DISCOVER or INFORM; no lease is taken)."""
    from netblame.live.dhcp_probe import probe

    return probe(iface, timeout=timeout)


def host_dhcp_use(iface: str, root: str = "/") -> HostUse:
    """Which offered DHCP options the node below ``root`` is set up to use on ``iface``."""
    return host_use(iface, read_tree(root))
