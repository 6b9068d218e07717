"""The resolver chain as plain data (the ``chain`` object of ``netblame/dns/v1``), link by link:
what DHCP gave, what the backend kept, what resolved and /etc/resolv.conf say, what kubelet hands
to pods, where CoreDNS forwards. Renderers show it; nothing here reads files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netblame.dns import chain
from netblame.model.dns import RESOLVED_FILES, DnsSetup
from netblame.model.origin import Origin, Sourced

if TYPE_CHECKING:
    from netblame.model.dns import ResolvConf

DNS_SCHEMA = "netblame/dns/v1"


def _where(origin: Origin) -> str:
    return str(origin)


def _set_at(origin: Origin) -> str:
    return str(origin) if origin.file or not origin.default else f"not set: {origin.default}"


def _values(items: tuple[Sourced[str], ...]) -> list[str]:
    return [i.value for i in items]


def resolv_view(file: ResolvConf | None) -> dict[str, Any] | None:
    """One resolv.conf-format file."""
    if file is None:
        return None
    out: dict[str, Any] = {"path": file.node_path, "file": file.origin.file, "nameservers": _values(file.nameservers),
                           "search": list(file.search_names), "options": _values(file.options), "ndots": file.ndots}
    if file.generated_by:
        out["generated_by"] = file.generated_by
    if file.unknown:
        out["unknown_lines"] = [{"text": u.value, "at": _where(u.origin)} for u in file.unknown]
    return out


def _interfaces(setup: DnsSetup) -> list[str]:
    names = list(chain.dhcp_interfaces(setup))
    names += [chain.lease_interface(setup, lease) for lease in setup.leases]
    names += [n for link in setup.links if (n := chain.link_interface(setup, link)) and link.network_file]
    names += [o.interface for o in setup.offers]
    return list(dict.fromkeys(names))


def interface_view(setup: DnsSetup, name: str) -> dict[str, Any]:
    """DHCP lease, probe offers, backend and networkd link state of one interface."""
    out: dict[str, Any] = {"name": name}
    lease = next((x for x in setup.leases if chain.lease_interface(setup, x) == name), None)
    if lease is not None:
        out["lease"] = {"file": lease.origin.file, "client": lease.client, "address": lease.address,
                        "domain_name": lease.domain_name.value if lease.domain_name else None,
                        "search": _values(lease.search), "dns": _values(lease.dns)}
    offers = [o for o in setup.offers if o.interface == name]
    if offers:
        out["offers"] = [{"server": o.server, "domain_name": o.domain_name, "search": list(o.search),
                          "dns": list(o.dns)} for o in offers]
    backend = chain.backend_for(setup, name)
    if backend is not None:
        out["backend"] = {"kind": backend.kind, "config": _where(backend.config),
                          "use_dhcp_domains": backend.use_domains.value, "set_at": _set_at(backend.use_domains.origin)}
        if backend.unit is not None:
            out["backend"]["network_file"] = backend.unit.path
            if backend.unit.dropins:
                out["backend"]["dropins"] = list(backend.unit.dropins)
    link = chain.link_named(setup, name)
    if link is not None:
        out["link"] = {"file": link.origin.file, "domains": _values(link.domains),
                       "route_domains": _values(link.route_domains), "dns": _values(link.dns)}
    return out


def chain_view(setup: DnsSetup) -> dict[str, Any]:
    """The whole chain."""
    resolved = setup.resolved_conf
    view: dict[str, Any] = {
        "node": {"os": setup.os_release.value if setup.os_release else None,
                 "systemd": setup.systemd_version.value if setup.systemd_version else None,
                 "systemd_at": _where(setup.systemd_version.origin) if setup.systemd_version else None},
        "interfaces": [interface_view(setup, n) for n in _interfaces(setup)],
        "resolved": {
            "conf": {"file": resolved.path, "dropins": list(resolved.dropins),
                     **{key: e.value for key in ("DNS", "Domains", "FallbackDNS")
                        if (e := resolved.get("Resolve", key)) is not None}} if resolved else None,
            "files": [v for p in RESOLVED_FILES if (v := resolv_view(setup.resolv(p))) is not None],
        },
        "resolv_conf": resolv_view(chain.host_resolv(setup)),
        "resolv_conf_link": setup.etc_resolv_link.value if setup.etc_resolv_link else None,
        "node_search": list(chain.used_search(setup)),
        "kubelet": None,
        "pods": {},
        "coredns": [],
    }
    kubelet = chain.kubelet_view(setup)
    if kubelet is not None:
        host = chain.kubelet_resolv(setup, kubelet)
        view["kubelet"] = {"resolv_conf": kubelet.resolv_conf.value, "set_at": _where(kubelet.resolv_conf.origin),
                           "nameservers": list(host.nameservers), "search": list(host.search),
                           "cluster_dns": _values(kubelet.cluster_dns),
                           "cluster_domain": kubelet.cluster_domain.value if kubelet.cluster_domain else None}
        limits = chain.search_limits(setup)
        for policy in ("ClusterFirst", "Default"):
            pod = chain.pod_resolv(setup, policy)
            if pod is not None:
                view["pods"][policy] = {"nameservers": list(pod.nameservers), "search": list(pod.search),
                                        "options": list(pod.options), "dropped_search": list(pod.dropped_search),
                                        "dropped_nameservers": list(pod.dropped_nameservers),
                                        "limits": {"domains": limits[0], "characters": limits[1], "why": limits[2]}}
    for corefile in setup.corefiles:
        view["coredns"].append({
            "file": corefile.origin.file, "loop_plugin": corefile.loop is not None,
            "kubernetes_plugin": corefile.kubernetes is not None,
            "forwards": [{"zone": f.zone, "plugin": f.plugin, "targets": _values(f.targets), "at": _where(f.origin)}
                         for f in corefile.forwards]})
    return view


def files_read(setup: DnsSetup) -> list[str]:
    """Every file the chain was read from, in chain order."""
    origins = [*(f.origin for f in setup.resolv_files), *(u.origin for u in setup.units),
               *(p.origin for p in setup.netplan), *(x.origin for x in setup.leases), *(x.origin for x in setup.links),
               *(c.origin for c in setup.nm_connections), *(i.origin for i in setup.ifupdown),
               *(k.origin for k in setup.kubelet), *(c.origin for c in setup.corefiles)]
    dropins = [d for u in setup.units for d in u.dropins]
    return list(dict.fromkeys([*(o.file for o in origins if o.file), *dropins]))


def notes_view(setup: DnsSetup) -> list[dict[str, Any]]:
    """Notes about the inputs (files not present, lines skipped)."""
    return [{"message": n.message, "at": _where(n.origin)} for n in setup.notes]
