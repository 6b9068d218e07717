"""The trace engine: walks a packet through the snapshot, namespace by namespace.

IP layer (``_input``/``_route_local``/``_output``): policy rules and tables, local delivery,
forwarding and rp_filter sysctls, TTL, MTU with DF, neighbours. Link layer (``_transmit``/
``_enter``): veth crossing into the peer namespace, bridges, tunnels (encapsulation onto the
underlay and decapsulation by port and VNI), and the physical network between nodes (by node
address: it is not part of a snapshot). Pure: no I/O, deterministic, one ``TraceResult`` per call.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from netblame.dataplane import bridge, encap, hooks
from netblame.dataplane.engine_nf import FilterSteps
from netblame.dataplane.fib import Fib, FibRoute, Lookup, NextHop, mark_skipped, prepare
from netblame.dataplane.index import L3_KINDS, TUNNEL_KINDS, Dataplane, NsView, normalise_mac
from netblame.dataplane.lpm import format_ip, parse_ip
from netblame.dataplane.neigh import resolve
from netblame.dataplane.reply import bridged_past
from netblame.dataplane.result import Action, Disposition, Flow, Header, StepKind, Trace, TraceResult
from netblame.dataplane.rpf import reverse_path
from netblame.dataplane.walk import Branch, Packet, fragment, tail_only
from netblame.model.snapshot import Link, Route

if TYPE_CHECKING:
    from netblame.dataplane.reply import Conntrack

MAX_HOPS = 64
# is_skb_forwardable() lets a frame through when its length is at most MTU + Ethernet header + 4 (a VLAN
# tag): a veth counts the Ethernet header in the length (so an IP packet may be MTU + 4 bytes), the bridge's
# egress check does not (MTU + 18).
VETH_SLACK, BRIDGE_SLACK = 4, 18
TYPE_DISPOSITION = {"blackhole": Disposition.BLACKHOLE, "unreachable": Disposition.UNREACHABLE,
                    "prohibit": Disposition.PROHIBITED}


class Tracer(FilterSteps):
    """Traces flows over one indexed snapshot."""

    def __init__(self, dp: Dataplane) -> None:
        self.dp = dp

    def trace(self, flow: Flow, ct: Conntrack | None = None) -> TraceResult:
        """Every branch of ``flow``'s journey from its start namespace; ``ct`` makes it the reply of a connection
        whose conntrack entries it meets (:mod:`netblame.dataplane.reply`)."""
        view = self.dp.view(flow.start)
        if view is None:
            raise KeyError(flow.start)
        family, dst = parse_ip(flow.dst)
        src = parse_ip(flow.src)[1] if flow.src else None
        pkt = Packet(family, src, dst, flow.proto, flow.dport, flow.size, flow.df, flow.ttl, mark=flow.mark,
                     sport=flow.sport, ct=ct)
        br = Branch()
        br.src = flow.src  # the sender's own choice; otherwise source address selection fills it in
        br.open(view, None)
        br.step(StepKind.ORIGINATE, Action.FORWARDED, f"packet to {flow.dst} ({flow.proto}, {flow.size} bytes, "
                f"{'DF' if flow.df else 'no DF'}) leaves a socket in {view.label}")
        return TraceResult(flow, tuple(self._route_local(br, flow, view, pkt, flow.start_dev)))

    # -- IP layer ---------------------------------------------------------------------------------

    def _lookup_step(self, br: Branch, pkt: Packet, look: Lookup, iif: str) -> None:
        def what() -> str:
            head = f"route lookup for {format_ip(pkt.family, pkt.dst)} (iif {iif})"
            return f"{head}: {look.route.describe()}" if look.route is not None else f"{head}: {look.chain()}"

        if look.route is not None:
            br.step(StepKind.ROUTE, Action.MATCHED, what, table=look.route.table, route=look.route.route.dst,
                    type=look.route.type, rules=look)
        else:
            br.step(StepKind.ROUTE, Action.DROPPED, what, type=look.type)
        fib = br.view.fib if br.view else Fib((), ())
        for rule in mark_skipped(fib, pkt.family, look, pkt.mark):
            assert rule.fwmark is not None
            alt = fib.lookup(pkt.family, pkt.dst, pkt.src, iif, mark=rule.fwmark)
            if (alt.route, alt.type) == (look.route, look.type):
                continue
            other = alt.route.describe() if alt.route is not None else alt.type
            br.step(StepKind.ROUTE, Action.WARNED, f"policy rule {rule.priority} (fwmark {rule.fwmark:#x}"
                    f"{f'/{rule.fwmask:#x}' if rule.fwmask is not None else ''}) was skipped: this packet carries "
                    f"mark {pkt.mark:#x}; a packet marked {rule.fwmark:#x} would get {other} instead "
                    f"(trace --mark {rule.fwmark:#x})")

    def _route_local(self, br: Branch, flow: Flow, view: NsView, pkt: Packet, oif: str | None,
                     look: Lookup | None = None, hooked: bool = False) -> list[Trace]:
        if look is None:
            look = view.fib.lookup(pkt.family, pkt.dst, pkt.src, "lo", oif, pkt.mark)
        if not hooked or look is not br.last_lookup:
            self._lookup_step(br, pkt, look, "lo")
        br.last_lookup = look
        if look.type in ("local", "broadcast"):
            if pkt.src is None:
                pkt.src = pkt.dst
                br.src = br.src or format_ip(pkt.family, pkt.dst)
            if not hooked:
                return self._local_out(br, flow, view, pkt, oif, look, "lo")
            br.devices.append("lo")
            return self._looped(br, flow, view, pkt)
        if look.type == "none" and oif is not None and oif in view.links:
            # ip_route_output_key_hash_rcu(): no route for a socket bound to a device means "on link" there.
            look = Lookup(prepare(Route(family=pkt.family, table="main", type="unicast", dev=oif, scope="link",  # type: ignore[arg-type]
                                        dst=f"{format_ip(pkt.family, pkt.dst)}/{32 if pkt.family == 4 else 128}")),
                          None, look.consulted)
            br.step(StepKind.ROUTE, Action.MATCHED, f"no route, but the socket is bound to {oif}: the kernel assumes "
                    f"{format_ip(pkt.family, pkt.dst)} is on link there")
        if look.type == "none":
            br.step(StepKind.ROUTE, Action.DROPPED, "no route: the sender gets ENETUNREACH (Network is unreachable)")
            return br.end(flow, Disposition.NO_ROUTE)
        if look.type in TYPE_DISPOSITION:
            br.step(StepKind.ROUTE, Action.DROPPED, f"{look.type} route: the sender gets {look.error}")
            return br.end(flow, TYPE_DISPOSITION[look.type])
        assert look.route is not None
        if look.route.type != "unicast":
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"route type {look.route.type} is not simulated")
            return br.end(flow, Disposition.UNSIMULATED)
        first = look.route.nexthops[0].dev if look.route.nexthops else look.route.route.dev
        if pkt.src is None and first is not None and len(look.route.nexthops) <= 1:
            pkt.src = view.select_src(look.route, first, pkt.family)
            chosen = format_ip(pkt.family, pkt.src) if pkt.src is not None else None
            br.src = br.src or chosen
            br.step(StepKind.ROUTE, Action.MATCHED, f"source address {chosen} "
                    f"({'route src' if look.route.route.prefsrc else 'first address on ' + first})")
        if not hooked:
            return self._local_out(br, flow, view, pkt, oif, look, first)
        return self._output(br, flow, view, look.route, pkt)

    def _input(self, br: Branch, flow: Flow, view: NsView, in_dev: str, pkt: Packet,
               prerouted: bool = False) -> list[Trace]:
        key = (view.id, in_dev, pkt.src, pkt.dst, pkt.inner is not None)
        if key in br.seen:
            br.step(StepKind.LOOP, Action.DROPPED, f"{pkt.describe()} arrives at {view.label} on {in_dev} a second "
                    "time: a forwarding loop (the kernel forwards it until the TTL runs out)")
            return br.end(flow, Disposition.LOOP)
        br.seen.add(key)
        if len(br.hops) > MAX_HOPS:
            br.step(StepKind.LOOP, Action.DROPPED, f"more than {MAX_HOPS} hops")
            return br.end(flow, Disposition.LOOP)
        go, out = ([(br, pkt)], []) if prerouted else hooks.run(br, flow, view, pkt, "prerouting", in_dev, None)
        for b, p in go:
            out += self._routed_in(b, flow, view, in_dev, p)
        return out

    def _routed_in(self, br: Branch, flow: Flow, view: NsView, in_dev: str, pkt: Packet) -> list[Trace]:
        """After PREROUTING: the input route lookup decides local delivery or forwarding."""
        look = view.fib.lookup(pkt.family, pkt.dst, pkt.src, in_dev, mark=pkt.mark)
        self._lookup_step(br, pkt, look, in_dev)
        if look.type in ("local", "broadcast"):
            if not self._rp_ok(br, view, in_dev, pkt):
                return br.end(flow, Disposition.RP_FILTER)
            return self._local_in(br, flow, view, in_dev, pkt)
        if look.type == "none":
            fwd = view.forwarding(in_dev, pkt.family)
            why = "" if fwd.value else f" ({fwd.source}: dropped silently, counted as InAddrErrors)"
            br.step(StepKind.ROUTE, Action.DROPPED, f"no route to {format_ip(pkt.family, pkt.dst)}{why}")
            return br.end(flow, Disposition.NO_ROUTE)
        if look.type in TYPE_DISPOSITION:
            br.step(StepKind.ROUTE, Action.DROPPED, f"{look.type} route: dropped")
            return br.end(flow, TYPE_DISPOSITION[look.type])
        assert look.route is not None
        fwd = view.forwarding(in_dev, pkt.family)
        if not fwd.value:
            br.step(StepKind.SYSCTL, Action.DROPPED, f"forwarding is off on {in_dev} ({fwd.source}): "
                    f"{view.label} does not route packets that are not for itself")
            return br.end(flow, Disposition.FORWARDING_DISABLED)
        br.step(StepKind.SYSCTL, Action.ACCEPTED, f"forwarding on ({fwd.source})")
        if not self._rp_ok(br, view, in_dev, pkt):
            return br.end(flow, Disposition.RP_FILTER)
        if pkt.ttl <= 1:
            br.step(StepKind.TTL, Action.DROPPED, f"TTL {pkt.ttl}: time exceeded")
            return br.end(flow, Disposition.TTL_EXCEEDED)
        pkt = pkt.forwarded(in_dev)
        return self._output(br, flow, view, look.route, pkt)

    def _rp_ok(self, br: Branch, view: NsView, in_dev: str, pkt: Packet) -> bool:
        """The reverse-path filter (:mod:`rpf`), as a step of the trace."""
        if pkt.family != 4 or pkt.src is None:
            return True
        rp = reverse_path(view.fib, view.rp_filter(in_dev), in_dev, pkt.src, pkt.dst)
        if rp is None:
            return True
        if rp.wrong_device and rp.back is not None:
            br.step(StepKind.SYSCTL, Action.DROPPED, rp.detail, reverse_route=rp.back.describe())
        else:
            br.step(StepKind.SYSCTL, Action.ACCEPTED if rp.ok else Action.DROPPED, rp.detail)
        return rp.ok

    def _deliver(self, br: Branch, flow: Flow, view: NsView, in_dev: str, pkt: Packet) -> list[Trace]:
        if pkt.inner is not None and not pkt.incomplete:
            tun, why = encap.decap_device(view, pkt.proto, pkt.dport, pkt.header.vni if pkt.header else None)
            if tun is None:
                br.step(StepKind.DECAP, Action.DROPPED, f"outer packet {pkt.describe()} reaches {view.label}: {why}")
                return br.end(flow, Disposition.NO_TUNNEL_ENDPOINT)
            inner = pkt.inner
            br.step(StepKind.DECAP, Action.ACCEPTED, f"decapsulated: {why}; inner {inner.describe()}")
            if not view.is_up(tun):
                br.step(StepKind.RECEIVE, Action.DROPPED, f"{tun.name} is down")
                return br.end(flow, Disposition.DEVICE_DOWN)
            br.devices.append(tun.name)
            return self._frame_in(br, flow, view, tun, pkt.inner_mac, inner)
        if pkt.incomplete:
            br.step(StepKind.MTU, Action.DROPPED, f"only the last fragment of {pkt.describe()} arrives at "
                    f"{view.label}: reassembly never completes", where="reassembly")
            return br.end(flow, Disposition.MTU_EXCEEDED)
        addr = view.local.get((pkt.family, pkt.dst))
        where = f" (address on {addr.dev})" if addr else ""
        br.step(StepKind.LOCAL, Action.DELIVERED, f"{format_ip(pkt.family, pkt.dst)} is local to "
                f"{view.label}{where}: delivered to the local stack")
        return br.end(flow, Disposition.DELIVERED)

    # -- output ----------------------------------------------------------------------------------

    def _output(self, br: Branch, flow: Flow, view: NsView, route: FibRoute, pkt: Packet) -> list[Trace]:
        hops = route.nexthops
        if len(hops) <= 1:
            return self._output_nh(br, flow, view, route, hops[0] if hops else NextHop(route.route.dev, None), pkt)
        br.step(StepKind.ROUTE, Action.MATCHED, f"ECMP: {len(hops)} next hops; the kernel hashes each flow onto one, "
                "every branch is traced")
        out: list[Trace] = []
        for nh in hops:
            out += self._output_nh(br.fork(), flow, view, route, nh, replace(pkt))
        return out

    def _output_nh(self, br: Branch, flow: Flow, view: NsView, route: FibRoute, nh: NextHop,
                   pkt: Packet) -> list[Trace]:
        link = view.links.get(nh.dev or "")
        if link is None:
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"route uses device {nh.dev}, which the snapshot lacks")
            return br.end(flow, Disposition.UNSIMULATED)
        if not view.is_up(link):
            state = "administratively down" if not link.admin_up else link.oper_state
            br.step(StepKind.TRANSMIT, Action.DROPPED, f"{link.name} is {state}")
            return br.end(flow, Disposition.DEVICE_DOWN)
        if pkt.src is None:
            pkt.src = view.select_src(route, link.name, pkt.family)
            chosen = format_ip(pkt.family, pkt.src) if pkt.src is not None else None
            br.src = br.src or chosen
            br.step(StepKind.ROUTE, Action.MATCHED, f"source address {chosen} "
                    f"({'route src' if route.route.prefsrc else 'first address on ' + link.name})")
        if pkt.size > link.mtu:
            if pkt.df:
                how = "the sender gets EMSGSIZE" if pkt.local else "dropped, ICMP fragmentation needed sent back"
                br.step(StepKind.MTU, Action.DROPPED, f"{pkt.size} bytes with DF exceed {link.name}'s MTU "
                        f"{link.mtu}: {how}", mtu=link.mtu, where="local" if pkt.local else "forward")
                return br.end(flow, Disposition.MTU_EXCEEDED)
            pkt = fragment(pkt, link.mtu)
            br.step(StepKind.MTU, Action.FORWARDED, f"exceeds MTU {link.mtu}: fragmented (no DF) into "
                    f"{pkt.size}-byte fragments, the last {pkt.tail} bytes")
        go: list[tuple[Branch, Packet]] = [(br, pkt)]
        out: list[Trace] = []
        if not pkt.local:
            go, out = hooks.run(br, flow, view, pkt, "forward", pkt.iif, link.name)
        for b, p in go:
            go2, ended = hooks.run(b, flow, view, p, "postrouting", None if p.local else p.iif, link.name)
            out += ended
            for b2, p2 in go2:
                out += self._to_link(b2, flow, view, link, nh, p2)
        return out

    def _to_link(self, br: Branch, flow: Flow, view: NsView, link: Link, nh: NextHop, pkt: Packet) -> list[Trace]:
        """After POSTROUTING: the device's own kind decides how the packet leaves."""
        if link.kind == "wireguard":
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"{link.name} is WireGuard: its crypto routing "
                    "(allowed-ips to peer endpoint) is not simulated")
            return br.end(flow, Disposition.UNSIMULATED)
        target = nh.gateway or format_ip(pkt.family, pkt.dst)
        if link.kind in L3_KINDS:
            if link.kind == "loopback":
                br.devices.append(link.name)
                return self._deliver(br, flow, view, link.name, pkt)
            if link.kind == "ipip":
                return self._encap(br, flow, view, link, pkt, None, nh.gateway)
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"device kind {link.kind} is not simulated")
            return br.end(flow, Disposition.UNSIMULATED)
        res = resolve(self.dp, view, link.name, *parse_ip(target))
        if res.mac is None and res.unknown:
            if link.kind == "device":
                br.devices.append(link.name)
                br.step(StepKind.UNDERLAY, Action.FORWARDED, f"sent out of {link.name} towards {target}: "
                        f"{res.detail}; the packet leaves the modelled network")
                return br.end(flow, Disposition.EXITS_NETWORK)
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"neighbour {target} on {link.name}: {res.detail}")
            return br.end(flow, Disposition.UNSIMULATED)
        if res.mac is None:
            br.step(StepKind.NEIGHBOUR, Action.DROPPED, f"neighbour {target} on {link.name}: {res.detail}")
            if pkt.local:
                # After three unanswered requests (about 3 s) the kernel reports the queued packets to their
                # local sender as ICMP host unreachable, over lo.
                br.devices.append("lo")
                br.step(StepKind.NEIGHBOUR, Action.DROPPED, "ARP gives up after about 3 s: the local sender gets "
                        "host unreachable (ICMP over lo)")
            return br.end(flow, Disposition.NEIGHBOR_FAILED)
        br.step(StepKind.NEIGHBOUR, Action.MATCHED, res.detail, mac=res.mac)
        return self._transmit(br, flow, view, link, res.mac, pkt, target)

    # -- link layer ------------------------------------------------------------------------------

    def _transmit(self, br: Branch, flow: Flow, view: NsView, link: Link, mac: str | None, pkt: Packet,
                  target: str) -> list[Trace]:
        if link.kind in TUNNEL_KINDS:
            return self._encap(br, flow, view, link, pkt, mac, target)
        br.devices.append(link.name)
        if link.kind == "bridge":
            dec = bridge.bridge_forward(self.dp, view, link.name, None, mac or bridge.BROADCAST)
            return self._bridge_out(br, flow, view, link, dec, mac, pkt, target)
        if link.kind == "veth":
            if link.peer is None:
                br.step(StepKind.VETH, Action.WARNED, f"veth {link.name} has no known peer")
                return br.end(flow, Disposition.UNSIMULATED)
            peer_view = self.dp.view(link.peer.namespace)
            if peer_view is None:
                br.step(StepKind.UNSIMULATED, Action.WARNED, f"{link.name}'s peer namespace {link.peer.namespace} "
                        "is not in the snapshot")
                return br.end(flow, Disposition.UNSIMULATED)
            peer = peer_view.links.get(link.peer.ifname)
            if peer is not None and pkt.size > peer.mtu + VETH_SLACK:
                what = (f"{pkt.size} bytes do not fit the peer {link.peer.ifname}'s MTU {peer.mtu}: the veth drops "
                        "the frame silently (counted as dropped, not sent)")
                if pkt.tail is None or pkt.tail > peer.mtu + VETH_SLACK:
                    br.devices.pop()
                    br.step(StepKind.MTU, Action.DROPPED, what, mtu=peer.mtu, where="veth")
                    return br.end(flow, Disposition.MTU_EXCEEDED)
                br.step(StepKind.MTU, Action.WARNED, f"{what}; only the last fragment ({pkt.tail} bytes) goes on",
                        mtu=peer.mtu)
                pkt = tail_only(pkt)
            peer_name = link.peer.ifname
            br.step(StepKind.VETH, Action.FORWARDED, f"sent on veth {link.name} -> {peer_view.label}:"
                    f"{peer_name}", dst_mac=mac)
            return self._enter(br, flow, peer_view, peer_name, mac, pkt)
        if link.peer is None and link.kind in ("device", "ether"):
            return self._underlay(br, flow, view, link, mac, pkt, target)
        br.step(StepKind.UNSIMULATED, Action.WARNED, f"device kind {link.kind} ({link.name}) is not simulated")
        return br.end(flow, Disposition.UNSIMULATED)

    def _underlay(self, br: Branch, flow: Flow, view: NsView, link: Link, mac: str | None, pkt: Packet,
                  target: str) -> list[Trace]:
        fam, addr = parse_ip(target)
        owners = [o for o in self.dp.owners(fam, addr) if o[0] != view.id]
        if not owners:
            br.step(StepKind.UNDERLAY, Action.FORWARDED, f"sent out of {link.name} to {target}, which is not in the "
                    "snapshot: the packet leaves the modelled network")
            return br.end(flow, Disposition.EXITS_NETWORK)
        ov = self.dp.view(owners[0][0])
        assert ov is not None
        br.step(StepKind.UNDERLAY, Action.FORWARDED, f"sent out of {link.name} to {target} = {ov.label} "
                f"({owners[0][1]}); the physical network in between is not in the snapshot")
        return self._enter(br, flow, ov, owners[0][1], mac, pkt)

    def _bridge_out(self, br: Branch, flow: Flow, view: NsView, link: Link, dec: bridge.BridgeDecision,
                    mac: str | None, pkt: Packet, target: str) -> list[Trace]:
        if dec.kind != "port" or dec.port is None:
            br.step(StepKind.BRIDGE, Action.DROPPED, dec.detail)
            return self._flooded(br, flow, view, dec.flooded, mac)
        br.step(StepKind.BRIDGE, Action.FORWARDED, f"{link.name}: {dec.detail}")
        port = view.links.get(dec.port)
        assert port is not None
        if not view.is_up(port):
            br.step(StepKind.BRIDGE, Action.DROPPED, f"port {port.name} is down")
            return br.end(flow, Disposition.DEVICE_DOWN)
        if pkt.size > port.mtu + BRIDGE_SLACK:
            what = f"{pkt.size} bytes do not fit port {port.name}'s MTU {port.mtu}: the bridge drops the frame"
            if pkt.tail is None or pkt.tail > port.mtu + BRIDGE_SLACK:
                br.step(StepKind.MTU, Action.DROPPED, what, mtu=port.mtu, where="bridge")
                return br.end(flow, Disposition.MTU_EXCEEDED)
            br.step(StepKind.MTU, Action.WARNED, f"{what}; only the last fragment ({pkt.tail} bytes) goes on")
            pkt = tail_only(pkt)
        return self._transmit(br, flow, view, port, mac, pkt, target)

    def _flooded(self, br: Branch, flow: Flow, view: NsView, ports: tuple[str, ...], mac: str | None) -> list[Trace]:
        """A frame no port leads to: every port sends a copy, and every receiver drops it as not its own."""
        copies = []
        for name in ports:
            port = view.links.get(name)
            if port is None or not view.is_up(port):
                continue
            br.devices.append(name)
            peer_view = self.dp.view(port.peer.namespace) if port.kind == "veth" and port.peer else None
            if peer_view is not None and port.peer is not None and port.peer.ifname in peer_view.links:
                copies.append((peer_view, port.peer.ifname))
        for peer_view, dev in copies:
            br.open(peer_view, dev)
            br.devices.append(dev)
            br.step(StepKind.RECEIVE, Action.DROPPED, f"flooded copy for {mac} arrives on {dev}: not for this host")
        return br.end(flow, Disposition.NO_FDB)

    def _enter(self, br: Branch, flow: Flow, view: NsView, dev: str, mac: str | None, pkt: Packet) -> list[Trace]:
        if pkt.mark and br.view is not None and br.view.id != view.id:
            pkt = replace(pkt, mark=0)  # crossing into another namespace scrubs the mark
        br.open(view, dev)
        if pkt.header is not None:
            br.encap.append(pkt.header)
        link = view.links.get(dev)
        if link is None:
            br.step(StepKind.UNSIMULATED, Action.WARNED, f"device {dev} is not in the snapshot")
            return br.end(flow, Disposition.UNSIMULATED)
        if not view.is_up(link):
            br.step(StepKind.RECEIVE, Action.DROPPED, f"{dev} is down ({link.oper_state})")
            return br.end(flow, Disposition.DEVICE_DOWN)
        br.devices.append(dev)
        return self._frame_in(br, flow, view, link, mac, pkt)

    def _frame_in(self, br: Branch, flow: Flow, view: NsView, link: Link, mac: str | None,
                  pkt: Packet) -> list[Trace]:
        """A frame arrives on ``link``: bridged on, passed up to IP, or not for this host."""
        if link.master and link.master in view.links:
            bridge_link = view.links[link.master]
            dec = bridge.bridge_forward(self.dp, view, link.master, link.name, mac or bridge.BROADCAST)
            if dec.kind == "local":
                br.step(StepKind.BRIDGE, Action.ACCEPTED,
                        f"{link.name} is a port of {link.master}: {dec.detail}")
                if view.bridge_nf(pkt.family):
                    return self._bridge_local(br, flow, view, link, bridge_link, pkt)
                br.devices.append(link.master)
                return self._input(br, flow, view, link.master, pkt)
            if dec.kind == "port" and view.bridge_nf(pkt.family):
                return self._bridged_hooks(br, flow, view, bridge_link, dec, mac, pkt)
            if dec.kind == "port" and pkt.ct is not None:
                bridged_past(br, view, pkt, link.master)
            return self._bridge_out(br, flow, view, bridge_link, dec, mac, pkt,
                                    format_ip(pkt.family, pkt.dst))
        own = normalise_mac(link.mac)
        if mac is None or mac in (own, bridge.BROADCAST) or link.kind in L3_KINDS:
            br.step(StepKind.RECEIVE, Action.ACCEPTED, f"received on {link.name}")
            return self._input(br, flow, view, link.name, pkt)
        br.step(StepKind.RECEIVE, Action.DROPPED, f"frame for {mac} arrives on {link.name} ({own}): not for this "
                "host, dropped")
        return br.end(flow, Disposition.NOT_FOR_THIS_HOST)

    def _encap(self, br: Branch, flow: Flow, view: NsView, link: Link, pkt: Packet, mac: str | None,
               gateway: str | None) -> list[Trace]:
        remotes = encap.remotes(view, link, mac, gateway)
        if not remotes:
            br.step(StepKind.ENCAP, Action.DROPPED, f"{link.kind} device {link.name} has no FDB entry for {mac} "
                    "and no flood entry or remote: the packet is dropped")
            return br.end(flow, Disposition.NO_FDB)
        remote = next((r for r in remotes if self.dp.tunnel_mac(r.dst, link.kind) == mac), remotes[0])
        ofam, odst = parse_ip(remote.dst)
        local = encap.tunnel_local(link)
        under = encap.underlay_dev(link)
        look = view.fib.lookup(ofam, odst, parse_ip(local)[1] if local else None, "lo", under)
        out_dev = look.route.nexthops[0].dev if look.route is not None and look.route.nexthops else under
        mtu_dev = view.links.get(out_dev or "")
        if local is None and look.route is not None and out_dev:
            chosen = view.select_src(look.route, out_dev, ofam)
            local = format_ip(ofam, chosen) if chosen is not None else None
        over = encap.overhead(link.kind, ofam)
        proto = "ipip" if link.kind == "ipip" else "udp"
        header = Header(link.kind, local or "", remote.dst, proto, remote.port, remote.vni, over)
        outer = Packet(ofam, parse_ip(local)[1] if local else None, odst, proto, remote.port,
                       pkt.size + over, False, 64, inner=pkt, inner_mac=mac, header=header)
        if mtu_dev is not None and outer.size > mtu_dev.mtu:
            # skb_tunnel_check_pmtu() lowers the inner route's path MTU but lets this packet go; the outer
            # header has no DF, so it is fragmented. Forwarded packets ignore learnt path MTUs
            # (net.ipv4.ip_forward_use_pmtu=0); a local sender with DF gets EMSGSIZE for its next packets.
            too_big = (f"{pkt.size} bytes + {over} bytes of {link.kind} = {outer.size} exceed the underlay "
                       f"{mtu_dev.name}'s MTU {mtu_dev.mtu}: the outer packet is fragmented (the tunnel sets no DF)")
            if pkt.df and pkt.local:
                br.step(StepKind.MTU, Action.WARNED, f"{too_big}; the kernel lowers the path MTU to "
                        f"{mtu_dev.mtu - over}, so this sender's next packets with DF fail with EMSGSIZE",
                        mtu=mtu_dev.mtu - over)
            else:
                br.step(StepKind.MTU, Action.FORWARDED, f"{too_big}; forwarded packets ignore learnt path MTUs",
                        mtu=mtu_dev.mtu - over)
            outer = fragment(outer, mtu_dev.mtu)
        elif pkt.tail is not None:
            outer.tail, outer.tail_inner = pkt.tail + over, True
        br.devices.append(link.name)
        br.encap.append(header)
        br.step(StepKind.ENCAP, Action.FORWARDED, f"{link.kind} {link.name}: {remote.detail}; outer "
                f"{local or '(source by route)'} -> {remote.dst}"
                + (f" {proto}/{remote.port}" if remote.port else "") + (f" VNI {remote.vni}" if remote.vni else ""),
                vni=remote.vni, port=remote.port, remote=remote.dst, overhead=over)
        # The tunnel's own route lookup (source = its fixed local address or none) routes the outer packet.
        return self._route_local(br, flow, view, outer, under, look)
