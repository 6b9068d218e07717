"""Real packet-filter rules in a lab: faults that drop or reject, and a kube-proxy-style Service.

Rules go in with ``iptables-restore --noflush`` (the nf_tables back-end Debian's iptables uses by default) and
come out with ``-D``/``-F``/``-X`` lines of the same tool, so healing leaves the node's ruleset as it was. The
Service is what kube-proxy's iptables mode writes (pkg/proxy/iptables/proxier.go): KUBE-SERVICES from
PREROUTING and OUTPUT, one KUBE-SVC chain that picks an endpoint with ``-m statistic --mode random``, one
KUBE-SEP chain per endpoint doing the DNAT, KUBE-MARK-MASQ (mark 0x4000, kube-proxy's default
``--iptables-masquerade-bit`` 14) and KUBE-POSTROUTING masquerading what is marked, and KUBE-NODEPORTS for
the node port on the nodes' own addresses. With the Service comes an outside host on the LAN (``nb-<lab>-out``),
a client of the node port that is not a node.
"""

from __future__ import annotations

from netblame.errors import LabError
from netblame.lab import _run
from netblame.lab.build import add_outside, remove_outside
from netblame.lab.layout import UPLINK_DEV, VXLAN_PORT
from netblame.lab.state import FaultState, LabState, NodeState, ServiceState, load, save

# kubeadm's default networking.serviceSubnet (shared/FACTS.md A.1); the lab's Service and the one without
# endpoints take fixed addresses in it.
SERVICE_CIDR = "10.96.0.0/12"
CLUSTER_IP, EMPTY_IP = "10.96.0.80", "10.96.0.81"
PORT, TARGET_PORT, NODE_PORT = 80, 8080, 30080
PROTOS = ("tcp", "udp")
MASQ_MARK = "0x4000"
COMMENT = "netblame lab"


def restore(namespace: str, text: str) -> None:
    """Feed ``text`` to ``iptables-restore --noflush`` in ``namespace``."""
    _run.run(_run.in_netns(namespace, ["iptables-restore", "--noflush"]), stdin=text)


def _route(state: LabState, node: NodeState, op: str) -> None:
    """The nodes' route for the service range (a real node has a default route that covers it)."""
    _run.ip_batch(node.namespace, [f"route {op} {SERVICE_CIDR} dev {UPLINK_DEV}"], force=op == "del")


# firewall-drops-tunnel / forward-policy-drop -----------------------------------------------------------

TUNNEL_RULE = f"INPUT -p udp -m udp --dport {VXLAN_PORT} -m comment --comment \"{COMMENT}\" -j DROP"


def drop_tunnel(state: LabState, fault: FaultState) -> str:
    node = state.node(fault.node)
    restore(node.namespace, f"*filter\n-A {TUNNEL_RULE}\nCOMMIT\n")
    return (f"{node.name} drops VXLAN (UDP {VXLAN_PORT}) in its INPUT chain, as a host firewall that does not know "
            "the overlay does: pods on other nodes cannot reach its pods")


def heal_drop_tunnel(state: LabState, fault: FaultState) -> None:
    restore(state.node(fault.node).namespace, f"*filter\n-D {TUNNEL_RULE}\nCOMMIT\n")


def forward_drop(state: LabState, fault: FaultState) -> str:
    node = state.node(fault.node)
    restore(node.namespace, "*filter\n:FORWARD DROP [0:0]\nCOMMIT\n")
    return (f"{node.name}'s iptables FORWARD policy is DROP (what Docker sets when it starts): nothing is routed "
            "or bridged through it any more")


def heal_forward_drop(state: LabState, fault: FaultState) -> None:
    restore(state.node(fault.node).namespace, "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n")


# service-no-endpoints -----------------------------------------------------------------------------------

def _no_endpoint_rules(op: str) -> list[str]:
    lines = [f"{op} FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" "
             "-j KUBE-SERVICES",
             f"{op} OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" "
             "-j KUBE-SERVICES"]
    for proto in PROTOS:
        lines.append(f"{op} KUBE-SERVICES -d {EMPTY_IP}/32 -p {proto} -m comment --comment "
                     f"\"default/netblame-empty:{proto} has no endpoints\" -m {proto} --dport {PORT} "
                     "-j REJECT --reject-with icmp-port-unreachable")
    return lines


def no_endpoints(state: LabState, fault: FaultState) -> str:
    if sum(f.name == fault.name for f in state.faults) > 1:
        raise LabError(f"{fault.name} is cluster-wide and already active")
    def one(node: NodeState) -> None:
        restore(node.namespace, "*filter\n:KUBE-SERVICES - [0:0]\n" + "\n".join(_no_endpoint_rules("-A"))
                + "\nCOMMIT\n")
        _route(state, node, "replace")

    _run.parallel(one, state.nodes)
    return (f"Service {EMPTY_IP}:{PORT} (tcp, udp) has no endpoints: every node's kube-proxy rules REJECT it "
            "with ICMP port unreachable")


def heal_no_endpoints(state: LabState, fault: FaultState) -> None:
    def one(node: NodeState) -> None:
        restore(node.namespace, "*filter\n" + "\n".join(_no_endpoint_rules("-D"))
                + "\n-F KUBE-SERVICES\n-X KUBE-SERVICES\nCOMMIT\n")
        if state.service is None:
            _route(state, node, "del")

    _run.parallel(one, state.nodes)


# the Service ---------------------------------------------------------------------------------------------

def _service_rules(state: LabState, svc: ServiceState, op: str) -> str:
    """The nat and filter rules of the Service; ``op`` ``-A`` installs, ``-D`` removes the built-in chains' jumps
    (the KUBE chains are then flushed and deleted)."""
    chains = ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"]
    body: list[str] = []
    for proto in PROTOS:
        svc_chain, ext_chain = f"KUBE-SVC-NBLAB-{proto.upper()}", f"KUBE-EXT-NBLAB-{proto.upper()}"
        chains += [svc_chain, ext_chain]
        name = f"default/netblame-lab:{proto}"
        body += [f"-A KUBE-SERVICES -d {svc.cluster_ip}/32 -p {proto} -m comment --comment \"{name} cluster IP\" "
                 f"-m {proto} --dport {svc.port} -j {svc_chain}",
                 f"-A KUBE-NODEPORTS -p {proto} -m comment --comment \"{name}\" -m {proto} --dport {svc.node_port} "
                 f"-j {ext_chain}",
                 f"-A {ext_chain} -m comment --comment \"masquerade traffic for {name} external destinations\" "
                 "-j KUBE-MARK-MASQ",
                 f"-A {ext_chain} -j {svc_chain}",
                 f"-A {svc_chain} ! -s {state.pod_cidr} -d {svc.cluster_ip}/32 -p {proto} -m comment --comment "
                 f"\"{name} cluster IP\" -m {proto} --dport {svc.port} -j KUBE-MARK-MASQ"]
        count = len(svc.endpoints)
        for i, ep in enumerate(svc.endpoints):
            sep = f"KUBE-SEP-NBLAB{i}-{proto.upper()}"
            chains.append(sep)
            left = count - i
            pick = f"-m statistic --mode random --probability {1 / left:.11f} " if left > 1 else ""
            body += [f"-A {svc_chain} -m comment --comment \"{name} -> {ep}:{svc.target_port}\" {pick}-j {sep}",
                     f"-A {sep} -s {ep}/32 -m comment --comment \"{name}\" -j KUBE-MARK-MASQ",
                     f"-A {sep} -p {proto} -m comment --comment \"{name}\" -m {proto} -j DNAT --to-destination "
                     f"{ep}:{svc.target_port}"]
    body += ["-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last "
             "rule in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS",
             f"-A KUBE-MARK-MASQ -j MARK --or-mark {MASQ_MARK}",
             f"-A KUBE-POSTROUTING -m mark ! --mark {MASQ_MARK}/{MASQ_MARK} -j RETURN",
             f"-A KUBE-POSTROUTING -j MARK --xor-mark {MASQ_MARK}",
             "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE "
             "--random-fully"]
    jumps = [f"{op} PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
             f"{op} OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES",
             f"{op} POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"]
    fwd = [f"{op} FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD"]
    fwd_body = ["-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP",
                f"-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark "
                f"{MASQ_MARK}/{MASQ_MARK} -j ACCEPT",
                "-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack "
                "--ctstate RELATED,ESTABLISHED -j ACCEPT"]
    if op == "-A":
        nat = [f":{c} - [0:0]" for c in chains] + body + jumps
        flt = [":KUBE-FORWARD - [0:0]", *fwd_body, *fwd]
    else:
        nat = jumps + [f"-F {c}" for c in chains] + [f"-X {c}" for c in chains]
        flt = [*fwd, "-F KUBE-FORWARD", "-X KUBE-FORWARD"]
    return "*nat\n" + "\n".join(nat) + "\nCOMMIT\n*filter\n" + "\n".join(flt) + "\nCOMMIT\n"


NFT_TABLE = "kube-proxy"


def _nft_service(state: LabState, svc: ServiceState) -> str:
    """The same Service as kube-proxy's nftables mode writes it (pkg/proxy/nftables/proxier.go): a verdict map
    from address . protocol . port to a service chain, ``numgen random`` choosing an endpoint chain that DNATs,
    and the masquerade mark (0x4000)."""
    svc_elems, np_elems, chains = [], [], []
    for proto in PROTOS:
        svc_chain, ext_chain = f"service-nblab-{proto}", f"external-nblab-{proto}"
        svc_elems.append(f"{svc.cluster_ip} . {proto} . {svc.port} : goto {svc_chain}")
        np_elems.append(f"{proto} . {svc.node_port} : goto {ext_chain}")
        eps = [f"endpoint-{i}-{proto}" for i in range(len(svc.endpoints))]
        pick = ", ".join(f"{i} : goto {c}" for i, c in enumerate(eps))
        chains += [f"chain {svc_chain} {{",
                   f"  ip daddr {svc.cluster_ip} {proto} dport {svc.port} ip saddr != {state.pod_cidr} "
                   "jump mark-for-masquerade",
                   f"  numgen random mod {len(eps)} vmap {{ {pick} }}", "}",
                   f"chain {ext_chain} {{", "  jump mark-for-masquerade", f"  goto {svc_chain}", "}"]
        for chain, ep in zip(eps, svc.endpoints, strict=True):
            chains += [f"chain {chain} {{", f"  ip saddr {ep} jump mark-for-masquerade",
                       f"  meta l4proto {proto} dnat to {ep}:{svc.target_port}", "}"]
    lines = [f"table ip {NFT_TABLE} {{",
             "map service-ips {", "  type ipv4_addr . inet_proto . inet_service : verdict",
             f"  elements = {{ {', '.join(svc_elems)} }}", "}",
             "map service-nodeports {", "  type inet_proto . inet_service : verdict",
             f"  elements = {{ {', '.join(np_elems)} }}", "}",
             "chain mark-for-masquerade {", f"  meta mark set meta mark or {MASQ_MARK}", "}",
             "chain masquerading {", f"  meta mark & {MASQ_MARK} == 0 return",
             f"  meta mark set meta mark xor {MASQ_MARK}", "  masquerade fully-random", "}",
             "chain services {", "  ip daddr . meta l4proto . th dport vmap @service-ips",
             "  fib daddr type local meta l4proto . th dport vmap @service-nodeports", "}",
             "chain nat-prerouting {", "  type nat hook prerouting priority dstnat; policy accept;",
             "  jump services", "}",
             "chain nat-output {", "  type nat hook output priority -100; policy accept;", "  jump services", "}",
             "chain nat-postrouting {", "  type nat hook postrouting priority srcnat; policy accept;",
             "  jump masquerading", "}", *chains, "}"]
    return "\n".join(lines) + "\n"


def service_add(lab: str, backend: str = "iptables") -> ServiceState:
    """Install the Service on every node: ClusterIP and NodePort to pods on the nodes after the first, as
    kube-proxy's iptables or nftables mode (``backend``) writes it."""
    if backend not in ("iptables", "nftables"):
        raise LabError(f"unknown Service back-end {backend!r}; expected iptables or nftables")
    state = load(lab)
    if state.service is not None:
        raise LabError(f"lab {lab} already has its Service ({state.service.cluster_ip}); remove it first")
    others = [p for n in state.nodes[1:] for p in state.pods_of(n.name)[:1] if p.ip]
    spare = [p for n in state.nodes[1:2] for p in state.pods_of(n.name)[1:2] if p.ip]
    endpoints = [p.ip for p in (others + spare if len(others) < 2 else others) if p.ip]
    if not endpoints:
        raise LabError(f"lab {lab} has no pods on nodes other than {state.nodes[0].name} to be endpoints")
    svc = ServiceState(cluster_ip=CLUSTER_IP, port=PORT, target_port=TARGET_PORT, node_port=NODE_PORT,
                       endpoints=endpoints, backend=backend)
    svc.outside_namespace, svc.outside_ip = add_outside(state)
    state.service = svc
    save(state)

    def one(node: NodeState) -> None:
        if backend == "nftables":
            _run.run(_run.in_netns(node.namespace, ["nft", "-f", "-"]), stdin=_nft_service(state, svc))
        else:
            restore(node.namespace, _service_rules(state, svc, "-A"))
        _route(state, node, "replace")

    _run.parallel(one, state.nodes)
    return svc


def service_remove(lab: str) -> ServiceState:
    """Remove the Service's rules from every node."""
    state = load(lab)
    svc = state.service
    if svc is None:
        raise LabError(f"lab {lab} has no Service; add one with: netblame lab service {lab} add")
    empty = any(f.name == "service-no-endpoints" for f in state.faults)

    def one(node: NodeState) -> None:
        if svc.backend == "nftables":
            _run.run(_run.in_netns(node.namespace, ["nft", "delete", "table", "ip", NFT_TABLE]))
        else:
            restore(node.namespace, _service_rules(state, svc, "-D"))
        if not empty:
            _route(state, node, "del")

    _run.parallel(one, state.nodes)
    if svc.outside_namespace is not None:
        remove_outside(state, svc.outside_namespace)
    state.service = None
    save(state)
    return svc
