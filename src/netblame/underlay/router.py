"""Router and DHCP server configuration for a hand-off: FRR and BIRD 2 BGP peering with every node (the
router is a route reflector for the nodes, in their AS, as Calico's "peer with a top-of-rack router, mesh
off" set-up has it), static routes (FRR and iproute2), the Calico side of the peering, and the dnsmasq lines
for the nodes' search domains (options 15 and 119, FACTS.md G.2) and address reservations. Pure text."""

from __future__ import annotations

from netblame.underlay.handoff import Handoff

GROUP = "K8S"


def frr_bgp(handoff: Handoff) -> str:
    """``frr.conf`` for bgpd: one iBGP session per node, route-reflector clients, learnt routes installed."""
    inp = handoff.inputs
    lines = ["frr defaults traditional", "!", f"router bgp {inp.asn}"]
    if inp.router_ip:
        lines.append(f" bgp router-id {inp.router_ip}")
    lines += [" no bgp ebgp-requires-policy", f" neighbor {GROUP} peer-group", f" neighbor {GROUP} remote-as {inp.asn}"]
    lines += [f" neighbor {n.address} peer-group {GROUP}" for n in inp.nodes]
    lines += [" !", " address-family ipv4 unicast", f"  neighbor {GROUP} route-reflector-client",
              " exit-address-family", "exit", "!"]
    return "\n".join(lines) + "\n"


def bird_bgp(handoff: Handoff) -> str:
    """BIRD 2 configuration: the same peering, routes exported into the kernel table. The nodes share the
    router's LAN, so their next hops are used as they are (``direct``, ``gateway direct``): BIRD's iBGP default
    resolves them recursively through an IGP table the router does not have, and marks every route
    unreachable."""
    inp = handoff.inputs
    head = f"router id {inp.router_ip};\n" if inp.router_ip else ""
    sessions = "".join(f"protocol bgp {_bird_name(n.name)} from k8s {{ neighbor {n.address} as {inp.asn}; }}\n"
                       for n in inp.nodes)
    return (f"{head}protocol device {{ }}\nprotocol kernel {{ ipv4 {{ export all; }}; }}\n"
            f"template bgp k8s {{\n  local as {inp.asn};\n  direct;\n  rr client;\n"
            "  ipv4 { import all; export all; gateway direct; };\n}\n"
            f"{sessions}")


def _bird_name(node: str) -> str:
    clean = "".join(c if c.isalnum() else "_" for c in node)
    return f"node_{clean}"


def calico_peer(handoff: Handoff) -> str:
    """Calico's side: the node-to-node mesh off, every node peering with the router."""
    inp = handoff.inputs
    peer_ip = inp.router_ip or "ROUTER_IP"
    return ("apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n"
            f"  nodeToNodeMeshEnabled: false\n  asNumber: {inp.asn}\n---\n"
            "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: router\nspec:\n"
            f"  peerIP: {peer_ip}\n  asNumber: {inp.asn}\n")


def frr_static(handoff: Handoff) -> str:
    return "".join(f"ip route {r.prefix} {r.via}\n" for r in handoff.routes)


def iproute_static(handoff: Handoff) -> str:
    return "".join(f"ip route replace {r.prefix} via {r.via}\n" for r in handoff.routes)


def dnsmasq(handoff: Handoff) -> str:
    """dnsmasq configuration lines (also usable as ``--`` options): the domain (option 15), the search list
    (option 119) and a reservation per node, by host name."""
    inp = handoff.inputs
    lines = []
    if inp.search_domains:
        lines += [f"domain={inp.search_domains[0]}",
                  f"dhcp-option=option:domain-search,{','.join(inp.search_domains)}"]
    lines += [f"dhcp-host={n.name},{n.address}" for n in inp.nodes]
    return "".join(f"{line}\n" for line in lines)


def snippets(handoff: Handoff) -> dict[str, str]:
    """Every router snippet that applies, by name."""
    out: dict[str, str] = {}
    if handoff.routing == "bgp":
        out["frr-bgp.conf"] = frr_bgp(handoff)
        out["bird-bgp.conf"] = bird_bgp(handoff)
        if handoff.inputs.cni == "calico":
            out["calico-bgp.yaml"] = calico_peer(handoff)
    if handoff.routing in ("static", "bgp"):
        out["frr-static.conf"] = frr_static(handoff)
        out["static-routes.sh"] = iproute_static(handoff)
    if handoff.inputs.search_domains or handoff.inputs.nodes:
        out["dnsmasq.conf"] = dnsmasq(handoff)
    return out
