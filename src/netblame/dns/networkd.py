"""systemd-networkd: ``.network`` files with drop-ins, lease files and link state files.

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
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from netblame.dns.ini import IniFile
from netblame.model.dns import Entry, Lease, LinkState, Note, UnitFile
from netblame.model.origin import Origin, Sourced, default

NETWORK_DIRS = ("/etc/systemd/network", "/run/systemd/network", "/usr/local/lib/systemd/network",
                "/usr/lib/systemd/network", "/lib/systemd/network")
# Where networkd reads a DHCPv4 client setting: [DHCPv4], then the legacy [DHCP] (systemd networkd-dns.c).
DHCP4_SECTIONS = ("DHCPv4", "DHCP")
# Sections in which UseDomains= means something, in precedence order (FACTS.md F.4); IPv6AcceptRA
# and DHCPv6 apply to other protocols.
USE_DOMAINS_DHCP4 = (*DHCP4_SECTIONS, "Network")
USE_DOMAINS_SECTIONS = frozenset({"DHCPv4", "DHCPv6", "DHCP", "Network", "IPv6AcceptRA"})
NETWORK_SECTIONS = frozenset({"Match", "Link", "Network", "Address", "Route", "RoutingPolicyRule", "DHCP", "DHCPv4",
                              "DHCPv6", "IPv6AcceptRA", "DHCPServer", "Neighbor", "Bridge", "SR-IOV", "IPv6SendRA"})
USE_DOMAINS_DEFAULT = default("systemd-networkd UseDomains= is off unless set (systemd.network(5))")
TRUE_WORDS = frozenset({"1", "yes", "true", "on"})
FALSE_WORDS = frozenset({"0", "no", "false", "off"})


def is_network_unit(ini: IniFile) -> bool:
    """Content test: a ``.network`` file or drop-in (networkd sections only, at least one DHCP/Match/Network)."""
    sections = ini.sections
    return bool(sections) and sections <= NETWORK_SECTIONS and bool(sections & {"Match", "Network", "DHCP", "DHCPv4"})


def build_unit(kind: Literal["network", "resolved"], display: str, ini: IniFile,
               dropins: Sequence[tuple[str, IniFile]] = ()) -> UnitFile:
    """One unit with its drop-ins applied after it (``dropins`` already in lexical order)."""
    unit = UnitFile(kind=kind, path=display, origin=Origin(file=display), entries=ini.entries)
    return apply_dropins(unit, [build_unit(kind, name, extra) for name, extra in dropins])


def apply_dropins(unit: UnitFile, dropins: Sequence[UnitFile]) -> UnitFile:
    """``unit`` with the entries of its drop-ins after its own (``dropins`` in lexical order), so the last
    assignment of a key wins."""
    if not dropins:
        return unit
    return replace(unit, entries=unit.entries + tuple(e for d in dropins for e in d.entries),
                   dropins=unit.dropins + tuple(d.path for d in dropins))


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


Values = dict[str, tuple[str, Origin]]


def _key_values(text: str, display: str) -> tuple[Values, list[Note]]:
    """``KEY=value`` lines (the last one of a key wins) and a note per line that is not one."""
    values: Values = {}
    notes: list[Note] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Z0-9_]+", key):
            notes.append(Note(f"not a KEY=value line, skipped: {line[:60]!r}", Origin(file=display, line=number)))
            continue
        values[key] = (value, Origin(file=display, line=number))
    return values, notes


def _value(values: Values, key: str) -> str | None:
    found = values.get(key)
    return found[0] if found and found[0] else None


def _words(values: Values, key: str) -> tuple[Sourced[str], ...]:
    found = values.get(key)
    return tuple(Sourced(w, found[1]) for w in found[0].split()) if found else ()


def is_lease(text: str) -> bool:
    """Content test for a networkd lease file (``ADDRESS=`` plus ``LIFETIME=`` or ``SERVER_ADDRESS=``)."""
    keys = {line.partition("=")[0] for line in text.splitlines()}
    return "ADDRESS" in keys and bool(keys & {"LIFETIME", "SERVER_ADDRESS"}) and "ADMIN_STATE" not in keys


def is_link_state(text: str) -> bool:
    """Content test for a networkd link state file."""
    keys = {line.partition("=")[0] for line in text.splitlines()}
    return "ADMIN_STATE" in keys and "OPER_STATE" in keys


def parse_lease(text: str, display: str, ifindex: int | None) -> tuple[Lease, list[Note]]:
    """A networkd lease (``/run/systemd/netif/leases/<ifindex>``; keys per FACTS.md F.4)."""
    values, notes = _key_values(text, display)
    domain = _words(values, "DOMAINNAME")
    lease = Lease(origin=Origin(file=display), client="networkd", ifindex=ifindex, address=_value(values, "ADDRESS"),
                  domain_name=domain[0] if domain else None, search=_words(values, "DOMAIN_SEARCH_LIST"),
                  dns=_words(values, "DNS"))
    return lease, notes


def parse_link_state(text: str, display: str, ifindex: int | None) -> tuple[LinkState, list[Note]]:
    """A networkd link state file (``/run/systemd/netif/links/<ifindex>``)."""
    values, notes = _key_values(text, display)
    link = LinkState(ifindex=ifindex, origin=Origin(file=display), network_file=_value(values, "NETWORK_FILE"),
                     domains=_words(values, "DOMAINS"), route_domains=_words(values, "ROUTE_DOMAINS"),
                     dns=_words(values, "DNS"))
    return link, notes


_DHCLIENT_OPTION = re.compile(r'^option\s+(domain-name|domain-search|domain-name-servers)\s+(.*);$')


def is_dhclient_lease(text: str) -> bool:
    """Content test for an ISC dhclient lease database."""
    return re.search(r"^\s*lease\s*\{", text, re.M) is not None and "fixed-address" in text


def parse_dhclient_lease(text: str, display: str) -> Lease | None:
    """The last (newest) ``lease { ... }`` block of an ISC dhclient lease file."""
    last: Lease | None = None
    current: dict[str, tuple[str, Origin]] = {}
    inside = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("lease") and line.endswith("{"):
            inside, current = True, {}
        elif line == "}" and inside:
            inside = False
            last = _dhclient_lease(current, display)
        elif inside:
            origin = Origin(file=display, line=number)
            match = _DHCLIENT_OPTION.match(line)
            if match:
                current[match.group(1)] = (match.group(2), origin)
            elif line.startswith(("interface ", "fixed-address ")):
                word, _, rest = line.rstrip(";").partition(" ")
                current[word] = (rest.strip().strip('"'), origin)
    return last


def _dhclient_lease(values: dict[str, tuple[str, Origin]], display: str) -> Lease:
    def strings(key: str) -> tuple[Sourced[str], ...]:
        if key not in values:
            return ()
        text, origin = values[key]
        return tuple(Sourced(part.strip().strip('"').rstrip("."), origin) for part in text.split(",") if part.strip())

    names = strings("domain-name")
    return Lease(origin=Origin(file=display), client="dhclient",
                 interface=values["interface"][0] if "interface" in values else None,
                 address=values["fixed-address"][0] if "fixed-address" in values else None,
                 domain_name=names[0] if names else None, search=strings("domain-search"),
                 dns=strings("domain-name-servers"))
