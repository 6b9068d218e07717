"""What a namespace holds that the model does not simulate, said at the hop where it applies.

The snapshot shows these by their devices and details: eBPF programs attached at XDP or tc
(``xdp``/``bpf`` in a device's details, Cilium's devices), IPVS (``kube-ipvs0``), WireGuard devices
(crypto routing by allowed IPs). Packet filters are simulated (dataplane/netfilter); a snapshot that did not
collect them (an older one) says so at every hop.
"""

from __future__ import annotations

from netblame.dataplane.result import Action, Step, StepKind
from netblame.model.snapshot import Namespace


def _has_bpf(info: dict[str, object]) -> bool:
    return any("xdp" in k.lower() or "bpf" in k.lower() for k in info)


def find(ns: Namespace) -> tuple[Step, ...]:
    """Warnings for one namespace."""
    out: list[str] = []
    bpf = sorted(lk.name for lk in ns.links if _has_bpf(lk.info))
    if bpf:
        out.append(f"eBPF programs on {', '.join(bpf)} (XDP/tc) may redirect or drop packets: not simulated")
    cilium = sorted(lk.name for lk in ns.links if lk.cni == "cilium" or lk.name.startswith(("cilium_", "lxc")))
    if cilium:
        out.append(f"Cilium devices ({', '.join(cilium[:3])}{'...' if len(cilium) > 3 else ''}): Cilium forwards "
                   "with eBPF programs, which are not simulated")
    if any(lk.name == "kube-ipvs0" for lk in ns.links):
        out.append("kube-ipvs0 present: IPVS service translation is not simulated")
    wg = sorted(lk.name for lk in ns.links if lk.kind == "wireguard")
    if wg:
        out.append(f"WireGuard devices ({', '.join(wg)}): crypto routing by allowed IPs is not simulated")
    if ns.netfilter is None:
        out.append("packet filters (iptables/nftables) were not collected in this snapshot: not simulated")
    if ns.errors:
        out.append(f"parts of this namespace could not be read: {'; '.join(ns.errors)}")
    return tuple(Step(StepKind.UNSIMULATED, Action.WARNED, text) for text in out)

