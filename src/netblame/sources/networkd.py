"""Reading systemd-networkd's files: ``.network`` files with drop-ins, lease files and link state
files. What their settings mean is :mod:`netblame.dns.networkd`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from netblame.model import dns as dns_model  # its record classes load on first use
from netblame.model.dns import Note
from netblame.model.origin import Origin, Sourced
from netblame.sources.ini import IniFile

if TYPE_CHECKING:
    from netblame.model.dns import Lease, LinkState, UnitFile

NETWORK_SECTIONS = frozenset({"Match", "Link", "Network", "Address", "Route", "RoutingPolicyRule", "DHCP", "DHCPv4",
                              "DHCPv6", "IPv6AcceptRA", "DHCPServer", "Neighbor", "Bridge", "SR-IOV", "IPv6SendRA"})


def is_network_unit(ini: IniFile) -> bool:
    """Content test: a ``.network`` file or drop-in (networkd sections only, at least one DHCP/Match/Network)."""
    sections = ini.sections
    return bool(sections) and sections <= NETWORK_SECTIONS and bool(sections & {"Match", "Network", "DHCP", "DHCPv4"})


def build_unit(kind: Literal["network", "resolved"], display: str, ini: IniFile,
               dropins: Sequence[tuple[str, IniFile]] = ()) -> UnitFile:
    """One unit with its drop-ins applied after it (``dropins`` already in lexical order)."""
    unit = dns_model.UnitFile(kind=kind, path=display, origin=Origin(file=display), entries=ini.entries)
    return apply_dropins(unit, [build_unit(kind, name, extra) for name, extra in dropins])


def apply_dropins(unit: UnitFile, dropins: Sequence[UnitFile]) -> UnitFile:
    """``unit`` with the entries of its drop-ins after its own (``dropins`` in lexical order), so the last
    assignment of a key wins."""
    if not dropins:
        return unit
    return replace(unit, entries=unit.entries + tuple(e for d in dropins for e in d.entries),
                   dropins=unit.dropins + tuple(d.path for d in dropins))


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
    lease = dns_model.Lease(origin=Origin(file=display), client="networkd", ifindex=ifindex,
                            address=_value(values, "ADDRESS"), domain_name=domain[0] if domain else None,
                            search=_words(values, "DOMAIN_SEARCH_LIST"), dns=_words(values, "DNS"))
    return lease, notes


def parse_link_state(text: str, display: str, ifindex: int | None) -> tuple[LinkState, list[Note]]:
    """A networkd link state file (``/run/systemd/netif/links/<ifindex>``)."""
    values, notes = _key_values(text, display)
    link = dns_model.LinkState(ifindex=ifindex, origin=Origin(file=display),
                               network_file=_value(values, "NETWORK_FILE"), domains=_words(values, "DOMAINS"),
                               route_domains=_words(values, "ROUTE_DOMAINS"), dns=_words(values, "DNS"))
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
    return dns_model.Lease(origin=Origin(file=display), client="dhclient",
                           interface=values["interface"][0] if "interface" in values else None,
                           address=values["fixed-address"][0] if "fixed-address" in values else None,
                           domain_name=names[0] if names else None, search=strings("domain-search"),
                           dns=strings("domain-name-servers"))
