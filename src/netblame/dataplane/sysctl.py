"""The sysctls that drop packets: forwarding and reverse-path filtering.

Keys as the snapshot stores them (``net.ipv4.ip_forward``, ``net.ipv4.conf.<dev>.rp_filter``).
The kernel takes the larger of ``conf.all.rp_filter`` and ``conf.<dev>.rp_filter``
(Documentation/networking/ip-sysctl.rst: "The max value from conf/{all,interface}/rp_filter is
used"); forwarding is per receiving device (``conf.<dev>.forwarding``, which ``ip_forward`` sets
for every device).
"""

from __future__ import annotations

from dataclasses import dataclass

from netblame._text import small_int
from netblame.model.snapshot import Namespace


@dataclass(frozen=True, slots=True)
class Setting:
    """A sysctl's effective value and the key(s) it came from; ``known`` is False when absent."""

    value: int
    source: str
    known: bool = True


def _int(ns: Namespace, key: str) -> int | None:
    raw = ns.sysctls.get(key)
    if raw is None:
        return None
    return small_int(raw)


def forwarding(ns: Namespace, dev: str, family: int) -> Setting:
    """Whether packets received on ``dev`` may be forwarded."""
    fam = "ipv4" if family == 4 else "ipv6"
    for key in (f"net.{fam}.conf.{dev}.forwarding", f"net.{fam}.conf.all.forwarding",
                *(("net.ipv4.ip_forward",) if family == 4 else ())):
        value = _int(ns, key)
        if value is not None:
            return Setting(1 if value else 0, f"{key}={value}")
    # A new network namespace starts with forwarding off (net.core.devconf_inherit_init_net=0).
    return Setting(0, "not in the snapshot (a new namespace starts with forwarding off)", known=False)


def rp_filter(ns: Namespace, dev: str) -> Setting:
    """The effective IPv4 reverse-path filter mode on ``dev``: 0 off, 1 strict, 2 loose."""
    all_v = _int(ns, "net.ipv4.conf.all.rp_filter")
    dev_v = _int(ns, f"net.ipv4.conf.{dev}.rp_filter")
    if all_v is None and dev_v is None:
        return Setting(0, "not in the snapshot (assumed off)", known=False)
    value = max(all_v or 0, dev_v or 0)
    parts = []
    if all_v is not None:
        parts.append(f"all={all_v}")
    if dev_v is not None:
        parts.append(f"{dev}={dev_v}")
    return Setting(value, "rp_filter " + ", ".join(parts) + f" -> {value}")


def arp_ignore(ns: Namespace, dev: str) -> int:
    """``arp_ignore`` for ``dev`` (max of all and the device, as the kernel does)."""
    return max(_int(ns, "net.ipv4.conf.all.arp_ignore") or 0, _int(ns, f"net.ipv4.conf.{dev}.arp_ignore") or 0)
