"""The resolver chain for people: one block per stage, in the order a lookup's configuration flows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from netblame.model.dns import DnsSetup


def _list(values: list[str]) -> str:
    return " ".join(values) if values else "(none)"


def _line(console: Console, label: str, text: str, style: str = "") -> None:
    line = Text("  ")
    line.append(f"{label}: ", style="bold")
    line.append(text, style=style)
    console.print(line)


def _interfaces(console: Console, chain: dict[str, Any]) -> None:
    for iface in chain["interfaces"]:
        console.print(Text(f"interface {iface['name']}", style="bold cyan"))
        lease = iface.get("lease")
        if lease:
            search = _list(lease["search"]) if lease["search"] else "(not in the lease)"
            _line(console, "DHCP lease", f"{lease['file']}: address {lease['address']}, domain name "
                  f"{lease['domain_name'] or '(none)'}, search list {search}, DNS {_list(lease['dns'])}")
        for offer in iface.get("offers", []):
            name = offer["domain_name"] or "(none)"
            _line(console, "DHCP probe", f"server {offer['server']} offers domain name {name}, search list "
                  f"{_list(offer['search'])}, DNS {_list(offer['dns'])}")
        backend = iface.get("backend")
        if backend:
            rendered = backend.get("network_file") if backend["kind"] == "netplan" else None
            extra = f" -> {rendered}" if rendered else ""
            dropins = f" + {_list(backend['dropins'])}" if backend.get("dropins") else ""
            _line(console, "configured by", f"{backend['kind']} ({backend['config']}{extra}{dropins}); DHCP search "
                  f"domains used: {backend['use_dhcp_domains']} ({backend['set_at']})")
        link = iface.get("link")
        if link:
            _line(console, "networkd kept", f"search domains {_list(link['domains'])}, route domains "
                  f"{_list(link['route_domains'])}, DNS {_list(link['dns'])} ({link['file']})")


def render_chain(chain: dict[str, Any], notes: list[dict[str, Any]], console: Console) -> None:
    """Print the chain view."""
    node = chain.get("node") or {}
    if node.get("os") or node.get("systemd"):
        systemd = f", systemd {node['systemd']} ({node['systemd_at']})" if node.get("systemd") else ""
        console.print(Text(f"node: {node.get('os') or 'distribution not known'}{systemd}", style="bold cyan"))
    _interfaces(console, chain)
    resolved = chain["resolved"]
    if resolved["conf"] or resolved["files"]:
        console.print(Text("systemd-resolved", style="bold cyan"))
        conf = resolved["conf"]
        if conf:
            _line(console, "resolved.conf", f"{conf['file']}: Domains={conf.get('Domains', '(unset)')} "
                  f"DNS={conf.get('DNS', '(unset)')}")
        for file in resolved["files"]:
            _line(console, file["path"], f"nameservers {_list(file['nameservers'])}; search {_list(file['search'])}")
    console.print(Text("/etc/resolv.conf", style="bold cyan"))
    etc = chain["resolv_conf"]
    link = chain["resolv_conf_link"]
    if link:
        _line(console, "symlink to", link)
    if etc:
        _line(console, "nameservers", _list(etc["nameservers"]))
        _line(console, "search", _list(etc["search"]), "" if etc["search"] else "yellow")
        _line(console, "ndots", str(etc["ndots"]))
        for bad in etc.get("unknown_lines", []):
            _line(console, "ignored line", f"{bad['text']} ({bad['at']})", "red")
    else:
        _line(console, "content", "not present", "yellow")
    _line(console, "the node searches", _list(chain["node_search"]))
    kubelet = chain["kubelet"]
    if kubelet:
        console.print(Text("kubelet", style="bold cyan"))
        _line(console, "resolvConf", f"{kubelet['resolv_conf']} ({kubelet['set_at']}): nameservers "
              f"{_list(kubelet['nameservers'])}; search {_list(kubelet['search'])}")
        _line(console, "clusterDNS", f"{_list(kubelet['cluster_dns'])}; clusterDomain {kubelet['cluster_domain']}")
        for policy, pod in chain["pods"].items():
            dropped = f"; kubelet drops {_list(pod['dropped_search'] + pod['dropped_nameservers'])}" if (
                pod["dropped_search"] or pod["dropped_nameservers"]) else ""
            _line(console, f"pod resolv.conf ({policy})", f"nameserver {_list(pod['nameservers'])}; search "
                  f"{_list(pod['search'])}; options {_list(pod['options'])}{dropped}")
    for core in chain["coredns"]:
        console.print(Text(f"CoreDNS ({core['file']})", style="bold cyan"))
        for fwd in core["forwards"]:
            _line(console, f"{fwd['plugin']} {fwd['zone']}", _list(fwd["targets"]))
        if not core["forwards"]:
            _line(console, "forward", "(none: names outside the cluster get no upstream)")
        _line(console, "loop plugin", "yes" if core["loop_plugin"] else "no")
        _line(console, "kubernetes plugin", "yes (a cluster's CoreDNS)" if core["kubernetes_plugin"]
              else "no (taken for a CoreDNS on the node itself)")
    for note in notes:
        console.print(Text(f"note: {note['at']}: {note['message']}", style="dim"))


def render_expansions(expansions: list[Any], console: Console) -> None:
    """Print each expansion of ``netblame dns resolve``: candidates in order, answers, the winner."""
    for exp in expansions:
        console.print(Text(f"{exp.who}: search {_list(list(exp.search))}; ndots {exp.ndots}; servers "
                           f"{_list(list(exp.servers))}", style="bold cyan"))
        for i, cand in enumerate(exp.candidates, start=1):
            line = Text(f"  {i}. {cand.name}")
            if cand.internal:
                line.append("  (cluster name: answered by CoreDNS, not asked)", style="dim")
            elif cand.answer is not None:
                answer = cand.answer
                what = " ".join(answer.addresses) if answer.found else (answer.error or answer.rcode)
                line.append(f"  {answer.rcode} {what if answer.found else ''}".rstrip(), style="green" if answer.found
                            else "dim")
                if answer.error:
                    line.append(f" ({answer.error})", style="yellow")
            if cand.wins:
                line.append("  <- wins", style="bold green")
            console.print(line)


def render_setup(setup: DnsSetup, console: Console) -> None:
    """Print a node's resolver chain (:func:`render_chain` of its chain and notes views)."""
    from netblame.dns.view import chain_view, notes_view

    render_chain(chain_view(setup), notes_view(setup), console)
