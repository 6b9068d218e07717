"""What systemd-networkd's settings mean for DNS: which ``.network`` file applies to a link and its
effective ``UseDomains=``.

Semantics from FACTS.md F.4 (systemd.network(5), systemd 252, and systemd/systemd
``src/network/networkd-dns.c``): ``UseDomains=`` is read from ``[DHCPv4]``, then the legacy
``[DHCP]`` section, then ``[Network]``; the default is ``no``. Files are looked up in
/etc/systemd/network, /run/systemd/network, /usr/local/lib/systemd/network and
/usr/lib/systemd/network; a file in an earlier directory hides a same-named one in a later
directory, and the first file in lexical order whose ``[Match]`` matches configures the link
(systemd.network(5)).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from typing import TYPE_CHECKING

from netblame.model.origin import Sourced, default

if TYPE_CHECKING:
    from netblame.model.dns import Entry, UnitFile

# Where networkd reads a DHCPv4 client setting: [DHCPv4], then the legacy [DHCP] (systemd networkd-dns.c).
DHCP4_SECTIONS = ("DHCPv4", "DHCP")
# Sections in which UseDomains= means something, in precedence order (FACTS.md F.4); IPv6AcceptRA
# and DHCPv6 apply to other protocols.
USE_DOMAINS_DHCP4 = (*DHCP4_SECTIONS, "Network")
USE_DOMAINS_SECTIONS = frozenset({"DHCPv4", "DHCPv6", "DHCP", "Network", "IPv6AcceptRA"})
USE_DOMAINS_DEFAULT = default("systemd-networkd UseDomains= is off unless set (systemd.network(5))")
TRUE_WORDS = frozenset({"1", "yes", "true", "on"})
FALSE_WORDS = frozenset({"0", "no", "false", "off"})


def setting(unit: UnitFile, key: str, sections: Sequence[str]) -> Entry | None:
    """The first ``key=`` with a value in ``sections``, searched in that order (an empty assignment is
    no setting: networkd falls back to the default)."""
    return next((e for section in sections if (e := unit.get(section, key)) is not None and e.value), None)


def use_domains(unit: UnitFile) -> Sourced[str]:
    """The effective DHCPv4 ``UseDomains=`` of a ``.network`` file, with where it was set."""
    entry = setting(unit, "UseDomains", USE_DOMAINS_DHCP4)
    if entry is not None:
        return Sourced(normalise_boolean(entry.value), entry.origin)
    return Sourced("no", USE_DOMAINS_DEFAULT)


def normalise_boolean(value: str) -> str:
    """A systemd boolean as ``yes`` or ``no``; any other word (``route``, ``ipv4``) is kept, lower-cased."""
    low = value.strip().lower()
    if low in TRUE_WORDS:
        return "yes"
    if low in FALSE_WORDS:
        return "no"
    return low


def matches(unit: UnitFile, name: str) -> bool:
    """True when the unit's ``[Match] Name=`` globs select ``name`` (a unit without Name= matches any)."""
    globs = unit.match_names
    if not globs:
        return not any(e.section == "Match" for e in unit.entries)
    negate = globs[0].startswith("!")
    hit = any(fnmatch.fnmatchcase(name, g.lstrip("!")) for g in globs)
    return not hit if negate else hit


def unit_for(units: Sequence[UnitFile], name: str) -> UnitFile | None:
    """The ``.network`` file networkd applies to interface ``name`` (the first match in order)."""
    return next((u for u in units if u.kind == "network" and matches(u, name)), None)
