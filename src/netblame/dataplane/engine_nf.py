"""The trace engine's netfilter steps: where the kernel runs its hooks on the way through a namespace.

Locally sent packets pass OUTPUT (a changed destination or mark routes them again) and POSTROUTING; packets to
a local address loop over lo through PREROUTING and INPUT; received ones pass PREROUTING before the route
lookup and INPUT before delivery; forwarded ones FORWARD and POSTROUTING. With br_netfilter on
(``bridge-nf-call-iptables=1``) bridged frames pass PREROUTING, FORWARD and POSTROUTING with the bridge as
their device, and a frame for the bridge's own address whose destination PREROUTING translates to another
port of the same bridge is bridged there (br_netfilter's ``bridged_dnat``), never reaching the bridge's stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame.dataplane import bridge, hooks
from netblame.dataplane.fib import FibRoute, Lookup
from netblame.dataplane.index import NsView
from netblame.dataplane.lpm import format_ip, parse_ip
from netblame.dataplane.neigh import resolve
from netblame.dataplane.result import Action, Disposition, Flow, StepKind, Trace
from netblame.dataplane.walk import Branch, Packet
from netblame.model.snapshot import Link

if TYPE_CHECKING:
    from netblame.dataplane.index import Dataplane


class FilterSteps:
    """Mixin of :class:`~netblame.dataplane.engine.Tracer`: the hook points."""

    dp: Dataplane

    if TYPE_CHECKING:
        def _route_local(self, br: Branch, flow: Flow, view: NsView, pkt: Packet, oif: str | None,
                         look: Lookup | None = None, hooked: bool = False) -> list[Trace]: ...

        def _deliver(self, br: Branch, flow: Flow, view: NsView, in_dev: str, pkt: Packet) -> list[Trace]: ...

        def _input(self, br: Branch, flow: Flow, view: NsView, in_dev: str, pkt: Packet,
                   prerouted: bool = False) -> list[Trace]: ...

        def _bridge_out(self, br: Branch, flow: Flow, view: NsView, link: Link, dec: bridge.BridgeDecision,
                        mac: str | None, pkt: Packet, target: str) -> list[Trace]: ...

        def _output(self, br: Branch, flow: Flow, view: NsView, route: FibRoute, pkt: Packet) -> list[Trace]: ...

    def _local_out(self, br: Branch, flow: Flow, view: NsView, pkt: Packet, oif: str | None, look: Lookup,
                   out_dev: str | None) -> list[Trace]:
        """The OUTPUT hook; a packet whose destination or mark it changed is routed again."""
        go, out = hooks.run(br, flow, view, pkt, "output", None, out_dev)
        for b, p in go:
            again = None if (p.dst, p.mark) != (pkt.dst, pkt.mark) else look
            out += self._route_local(b, flow, view, p, oif, again, hooked=True)
        return out


    def _looped(self, br: Branch, flow: Flow, view: NsView, pkt: Packet) -> list[Trace]:
        """A packet to a local address: POSTROUTING out of lo, then PREROUTING and INPUT back in."""
        out: list[Trace] = []
        go, out = hooks.run(br, flow, view, pkt, "postrouting", None, "lo")
        for b, p in go:
            go2, ended = hooks.run(b, flow, view, p, "prerouting", "lo", None)
            out += ended
            for b2, p2 in go2:
                out += self._local_in(b2, flow, view, "lo", p2)
        return out


    def _local_in(self, br: Branch, flow: Flow, view: NsView, in_dev: str, pkt: Packet) -> list[Trace]:
        """The INPUT hook, then delivery to the local stack (or decapsulation)."""
        if pkt.incomplete:  # never reassembled: the hooks never see it
            return self._deliver(br, flow, view, in_dev, pkt)
        go, out = hooks.run(br, flow, view, pkt, "input", in_dev, None)
        for b, p in go:
            out += self._deliver(b, flow, view, in_dev, p)
        return out


    def _bridged_hooks(self, br: Branch, flow: Flow, view: NsView, bridge_link: Link, dec: bridge.BridgeDecision,
                       mac: str | None, pkt: Packet, prerouted: bool = False) -> list[Trace]:
        """br_netfilter: a frame bridged from port to port passes iptables' PREROUTING, FORWARD and POSTROUTING
        with the bridge as both devices (bridge-nf-call-iptables=1)."""
        name = bridge_link.name
        out: list[Trace] = []
        go = [(br, pkt)]
        steps = (("prerouting", name, None), ("forward", name, name), ("postrouting", None, name))
        for hook, iif, oif in steps[1:] if prerouted else steps:
            nxt = []
            for b, p in go:
                more, ended = hooks.run(b, flow, view, p, hook, iif, oif)
                out += ended
                nxt += more
            go = nxt
        for b, p in go:
            if p.dst != pkt.dst and not prerouted:
                b.step(StepKind.UNSIMULATED, Action.WARNED, f"a bridged packet's destination was translated on "
                       f"{name}: br_netfilter's re-routing is not simulated")
                out += b.end(flow, Disposition.UNSIMULATED)
                continue
            out += self._bridge_out(b, flow, view, bridge_link, dec, mac, p, format_ip(p.family, p.dst))
        return out


    def _bridge_local(self, br: Branch, flow: Flow, view: NsView, port: Link, bridge_link: Link,
                      pkt: Packet) -> list[Trace]:
        """A frame for the bridge's own address with br_netfilter on: PREROUTING runs at the bridge; a destination
        it translates to a host behind the same bridge is bridged there, anything else goes up to the stack."""
        name = bridge_link.name
        go, out = hooks.run(br, flow, view, pkt, "prerouting", name, None)
        for b, p in go:
            look = view.fib.lookup(p.family, p.dst, p.src, name, mark=p.mark) if p.dst != pkt.dst else None
            route = look.route if look is not None else None
            if route is None or route.type != "unicast" or not route.nexthops or route.nexthops[0].dev != name:
                b.devices.append(name)
                out += self._input(b, flow, view, name, p, prerouted=True)
                continue
            nh = route.nexthops[0]
            res = resolve(self.dp, view, name, *parse_ip(nh.gateway or format_ip(p.family, p.dst)))
            if res.mac is None:
                b.step(StepKind.NEIGHBOUR, Action.DROPPED, f"translated destination on {name}: {res.detail}")
                out += b.end(flow, Disposition.NEIGHBOR_FAILED)
                continue
            dec = bridge.bridge_forward(self.dp, view, name, port.name, res.mac)
            b.step(StepKind.BRIDGE, Action.FORWARDED, f"the translated destination {format_ip(p.family, p.dst)} is "
                   f"behind {name} itself: br_netfilter bridges the frame to {res.mac} (bridged DNAT), the bridge's "
                   "own stack never sees it")
            if dec.kind != "port":
                out += self._bridge_out(b, flow, view, bridge_link, dec, res.mac, p, format_ip(p.family, p.dst))
                continue
            out += self._bridged_hooks(b, flow, view, bridge_link, dec, res.mac, p, prerouted=True)
        return out
