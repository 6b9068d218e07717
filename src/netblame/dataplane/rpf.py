"""The reverse-path filter (``fib_validate_source``) for IPv4: a packet arriving on a device is accepted
only when the route back to its source is a unicast route, and in strict mode (rp_filter 1) only when
that route leaves by the device the packet came in on (any nexthop of a multipath route will do).
Loose mode (2) wants any unicast route back. The effective mode comes from :func:`sysctl.rp_filter`.
"""

from __future__ import annotations

from dataclasses import dataclass

from netblame.dataplane.fib import Fib, FibRoute
from netblame.dataplane.lpm import format_ip
from netblame.dataplane.sysctl import Setting

STRICT = 1


@dataclass(frozen=True, slots=True)
class RpCheck:
    """What the filter makes of a packet: ``ok``, the reason in words, the route back it judged by, and
    whether it was dropped only because that route leaves by another device (strict mode)."""

    ok: bool
    detail: str
    back: FibRoute | None = None
    wrong_device: bool = False


def reverse_path(fib: Fib, mode: Setting, in_dev: str, src: int, dst: int) -> RpCheck | None:
    """The filter's verdict on an IPv4 packet ``src`` -> ``dst`` arriving on ``in_dev``; None when it is off."""
    if mode.value == 0:
        return None
    back = fib.lookup(4, src, dst, "lo")
    src_text = format_ip(4, src)
    name = "strict" if mode.value == STRICT else "loose"
    if back.route is None or back.type != "unicast":
        what = "a local address (martian source)" if back.type == "local" else f"no unicast route back ({back.type})"
        return RpCheck(False, f"rp_filter {name} ({mode.source}): source {src_text} has {what}")
    devs = {nh.dev for nh in back.route.nexthops}
    if in_dev in devs or mode.value != STRICT:
        return RpCheck(True, f"rp_filter {name}: route back to {src_text} ({back.route.describe()}) is acceptable",
                       back.route)
    return RpCheck(False, f"rp_filter strict ({mode.source}): the route back to {src_text} leaves through "
                   f"{', '.join(sorted(d for d in devs if d))}, not {in_dev} where the packet came in",
                   back.route, wrong_device=True)
