"""``netblame dns resolve NAME``: the names a stub resolver tries, for the node and for a pod (asking
the servers is :func:`netblame.live.dns_query.ask_expansion`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame._record import Record, record
from netblame.dns.chain import expand, host_resolv, is_loopback, kubelet_resolv, kubelet_view, pod_resolv
from netblame.model.dns import DnsSetup

if TYPE_CHECKING:
    from netblame.model.dns import QueryAnswer

RESOLVE_SCHEMA = "netblame/dns-resolve/v1"


@record
class Candidate(Record):
    """One name tried, in order; ``internal`` names are answered by CoreDNS inside the cluster."""

    name: str
    internal: bool = False
    answer: QueryAnswer | None = None
    wins: bool = False


@record
class Expansion(Record):
    """How one resolver (the node's, or a pod's) expands a name."""

    who: str
    search: tuple[str, ...]
    ndots: int
    servers: tuple[str, ...]
    candidates: tuple[Candidate, ...]

    def to_json(self) -> dict[str, object]:
        """One entry of ``expansions`` in ``netblame/dns-resolve/v1``."""
        return {"who": self.who, "search": list(self.search), "ndots": self.ndots, "servers": list(self.servers),
                "candidates": [{"name": c.name, "internal": c.internal, "wins": c.wins,
                                **({"rcode": c.answer.rcode, "addresses": list(c.answer.addresses),
                                    "server": c.answer.server, "error": c.answer.error} if c.answer else {})}
                               for c in self.candidates]}


def expansions(setup: DnsSetup, name: str, namespace: str = "default",
         servers: tuple[str, ...] = ()) -> list[Expansion]:
    """The expansions of ``name`` on the node and, when kubelet's configuration was read, in a ClusterFirst pod
    of ``namespace``. ``servers`` replaces the nameservers to ask (default: the files' own)."""
    out: list[Expansion] = []
    etc = host_resolv(setup)
    search = etc.search_names if etc else ()
    ndots = etc.ndots if etc else 1
    node_servers = servers or (tuple(n.value for n in etc.nameservers) if etc else ())
    out.append(Expansion("node", search, ndots, tuple(node_servers),
                         tuple(Candidate(c) for c in expand(name, search, ndots))))
    view = kubelet_view(setup)
    pod = pod_resolv(setup, "ClusterFirst", namespace)
    if view is not None and pod is not None:
        domain = view.cluster_domain.value.rstrip(".") if view.cluster_domain else None
        upstream = tuple(n for n in kubelet_resolv(setup, view).nameservers if not is_loopback(n))
        candidates = tuple(Candidate(c, internal=domain is not None and f".{c.rstrip('.')}".endswith(f".{domain}"))
                           for c in expand(name, pod.search, pod.ndots))
        out.append(Expansion(f"pod in namespace {namespace} (ClusterFirst)", pod.search, pod.ndots,
                             servers or upstream or tuple(node_servers), candidates))
    return out

