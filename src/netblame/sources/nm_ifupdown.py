"""The other network backends that can hold search domains: NetworkManager keyfiles and ifupdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame.model import dns as dns_model  # its record classes load on first use
from netblame.model.origin import Origin, Sourced
from netblame.sources.ini import IniFile

if TYPE_CHECKING:
    from netblame.model.dns import IfupdownInterface, NmConnection

TRUE_WORDS = frozenset({"true", "yes", "1"})


def is_nm_keyfile(ini: IniFile) -> bool:
    """Content test: a NetworkManager keyfile (a ``[connection]`` section with ``id=`` or ``type=``)."""
    return any(e.section == "connection" and e.key in ("id", "type", "uuid") for e in ini.entries)


def parse_nm_keyfile(ini: IniFile, display: str) -> NmConnection:
    """``[connection] id/interface-name`` and ``[ipv4] method/dns-search/ignore-auto-dns``."""
    values = {(e.section, e.key): e for e in ini.entries}
    ident = values.get(("connection", "id"))
    iface = values.get(("connection", "interface-name"))
    method = values.get(("ipv4", "method"))
    search = values.get(("ipv4", "dns-search"))
    ignore = values.get(("ipv4", "ignore-auto-dns"))
    return dns_model.NmConnection(
        id=ident.value if ident else display.rsplit("/", 1)[-1], origin=Origin(file=display),
        interface=iface.value if iface else None, method4=method.value if method else None,
        dns_search=tuple(Sourced(s, search.origin) for s in search.value.split(";") if s.strip()) if search else (),
        ignore_auto_dns=Sourced(ignore.value.lower() in TRUE_WORDS, ignore.origin) if ignore else None,
    )


def is_ifupdown(text: str) -> bool:
    """Content test: an interfaces(5) file with at least one ``iface NAME inet|inet6 METHOD`` stanza."""
    return any(len(w) >= 4 and w[0] == "iface" and w[2] in ("inet", "inet6")
               for w in (line.split() for line in text.splitlines()))


def parse_ifupdown(text: str, display: str) -> list[IfupdownInterface]:
    """Each ``iface`` stanza with its ``dns-search`` and ``dns-nameservers`` options."""
    stanzas: list[IfupdownInterface] = []
    current: dict[str, object] | None = None

    def close() -> None:
        if current is not None:
            stanzas.append(dns_model.IfupdownInterface(**current))  # type: ignore[arg-type]

    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        origin = Origin(file=display, line=number)
        if words[0] == "iface" and len(words) >= 4:
            close()
            current = {"name": words[1], "method": words[3], "origin": origin}
        elif words[0] in ("auto", "allow-hotplug", "source", "source-directory", "mapping") or words[0].startswith(
                "allow-"):
            close()
            current = None
        elif current is not None and words[0] in ("dns-search", "dns-nameservers"):
            key = words[0].replace("-", "_")
            current[key] = tuple(Sourced(w, origin) for w in words[1:])
    close()
    return stanzas
