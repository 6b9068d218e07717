"""Which of the offered DHCP options this host is set up to use on a link.

Reads the node's tree (``/`` or ``--root``) with :func:`netblame.live.dns_tree.read_tree` and asks
:func:`netblame.dns.chain.backend_for` who configures the link. Options 15 and 119 follow the
backend's own domain setting (netplan ``use-domains``, networkd ``UseDomains=``, NetworkManager
``ignore-auto-dns``). For netplan and networkd, the ``.network`` file that applies also answers for
1, 3, 6 and 121 (systemd.network(5), systemd 252: ``UseDNS=`` and ``UseRoutes=`` default to true,
``UseGateway=`` follows ``UseRoutes=``); networkd does not request option 119 while ``UseDomains=``
is off (systemd ``src/network/networkd-dhcp4.c``; seen in dnsmasq's log, docs/dhcp-probe.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from netblame._record import Record, record
from netblame.dns.chain import Backend, backend_for
from netblame.dns.networkd import DHCP4_SECTIONS, normalise_boolean, setting
from netblame.model.dns import DnsSetup

if TYPE_CHECKING:
    from netblame.model.dns import UnitFile

MAN = "systemd.network(5), systemd 252"


@record
class OptionUse(Record):
    """Whether the host uses one option: ``yes``, ``no`` or ``route`` (UseDomains=route), and why."""

    code: int
    use: str
    why: str


@dataclass(frozen=True, eq=False, repr=False)
class HostUse(Record):
    """How the link is set up to use DHCP: who configures it, where, and a verdict per option."""

    iface: str
    config: str | None
    uses: tuple[OptionUse, ...]
    note: str | None = None

    def use_of(self, code: int) -> OptionUse | None:
        return next((u for u in self.uses if u.code == code), None)


def _unit_use(unit: UnitFile, key: str, code: int, default: str, unset: str | None = None) -> OptionUse:
    entry = setting(unit, key, DHCP4_SECTIONS)
    if entry is not None:
        why = f"[{entry.section}] {key}={entry.value} at {entry.origin}"
        return OptionUse(code, normalise_boolean(entry.value), why)
    return OptionUse(code, default, unset or f"{key}= not set ({MAN}: default {default})")


def _networkd_uses(unit: UnitFile) -> list[OptionUse]:
    dhcp = unit.get("Network", "DHCP")
    routes = _unit_use(unit, "UseRoutes", 121, "yes")
    gateway = _unit_use(unit, "UseGateway", 3, routes.use, f"UseGateway= not set, follows UseRoutes= ({MAN})")
    address = OptionUse(1, "yes" if dhcp and normalise_boolean(dhcp.value) in ("yes", "ipv4") else "no",
                        f"DHCP={dhcp.value} at {dhcp.origin}" if dhcp else "DHCP= not set (no DHCP client)")
    return [address, gateway, _unit_use(unit, "UseDNS", 6, "yes"), routes]


def _domain_uses(backend: Backend) -> list[OptionUse]:
    value, origin = backend.use_domains.value, backend.use_domains.origin
    why = f"{backend.kind}: " + (f"not set; {origin.default}" if origin.default else f"set at {origin}")
    search_why = why
    if value == "no" and backend.kind in ("netplan", "networkd"):
        search_why += "; networkd does not even request option 119"
    return [OptionUse(15, value, why), OptionUse(119, value, search_why)]


def host_use(iface: str, setup: DnsSetup) -> HostUse:
    """What the node (its chain ``setup``, read below ``setup.root``) does with options 1, 3, 6, 15, 119 and
    121 on ``iface``."""
    root = setup.root
    backend = backend_for(setup, iface)
    if backend is None:
        return HostUse(iface, None, (), f"no netplan, systemd-networkd, NetworkManager or ifupdown configuration "
                       f"for {iface} found under {root}")
    uses = _domain_uses(backend)
    if backend.unit is not None:
        uses += _networkd_uses(backend.unit)
    return HostUse(iface, f"{backend.kind} ({backend.config})", tuple(sorted(uses, key=lambda u: u.code)))
