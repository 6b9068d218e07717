"""Which of the offered DHCP options this host is set up to use on a link (systemd-networkd only).

Reads the ``.network`` file that applies to the link, with its drop-ins, under a root directory
(``/`` for the live node), the way systemd.network(5) (systemd 252) describes: files from
``/etc``, ``/run``, ``/usr/local/lib`` and ``/lib`` ``systemd/network`` sorted together by file name,
a name in ``/etc`` hiding the same name in ``/run`` hiding ``/lib``; the first file whose ``[Match]
Name=`` globs match the link applies; ``<file>.d/*.conf`` drop-ins are read after it. Other
``[Match]`` keys, NetworkManager and ifupdown are outside this check (it says so).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from netblame.model.origin import Origin

NETWORK_DIRS = ("etc/systemd/network", "run/systemd/network", "usr/local/lib/systemd/network",
                "lib/systemd/network", "usr/lib/systemd/network")
MAN = "systemd.network(5), systemd 252"
TRUE, FALSE = {"1", "yes", "true", "on"}, {"0", "no", "false", "off"}


@dataclass(frozen=True, slots=True)
class Setting:
    """One ``Key=value`` line of a .network file or drop-in."""

    section: str
    key: str
    value: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class OptionUse:
    """Whether the host uses one option: ``yes``, ``no`` or ``route`` (UseDomains=route), and why."""

    code: int
    use: str
    why: str


@dataclass(frozen=True)
class HostUse:
    """How the link is set up to use DHCP: the file that applies and a verdict per option."""

    iface: str
    network_file: str | None
    uses: tuple[OptionUse, ...]
    note: str | None = None

    def use_of(self, code: int) -> OptionUse | None:
        return next((u for u in self.uses if u.code == code), None)


def _read(path: Path, node_path: str) -> list[Setting]:
    section, out = "", []
    for number, raw in enumerate(path.read_text(errors="replace").splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif "=" in line:
            key, value = line.split("=", 1)
            out.append(Setting(section, key.strip(), value.strip(), Origin(file=node_path, line=number)))
    return out


def _network_files(root: Path) -> dict[str, tuple[Path, str]]:
    """File name -> (path, node path) of every .network file, higher-priority directories first."""
    found: dict[str, tuple[Path, str]] = {}
    for directory in NETWORK_DIRS:
        base = root / directory
        if base.is_dir():
            for path in sorted(base.glob("*.network")):
                found.setdefault(path.name, (path, f"/{directory}/{path.name}"))
    return found


def _dropins(root: Path, name: str) -> list[tuple[Path, str]]:
    chosen: dict[str, tuple[Path, str]] = {}
    for directory in NETWORK_DIRS:
        base = root / directory / f"{name}.d"
        if base.is_dir():
            for path in base.glob("*.conf"):
                chosen.setdefault(path.name, (path, f"/{directory}/{name}.d/{path.name}"))
    return [chosen[n] for n in sorted(chosen)]


def _matches(settings: list[Setting], iface: str) -> bool | None:
    """True/False by ``[Match] Name=``; None when the file matches only on keys not evaluated here."""
    globs: list[str] = []
    others = False
    for s in settings:
        if s.section == "Match" and s.key == "Name":
            globs = [*globs, *s.value.split()] if s.value else []
        elif s.section == "Match":
            others = True
    if not globs:
        return None if others else True
    return any(fnmatch.fnmatchcase(iface, g) for g in globs)


def _last(settings: list[Setting], sections: tuple[str, ...], key: str) -> Setting | None:
    """The effective value: the first section in ``sections`` that sets ``key`` (last line wins)."""
    for section in sections:
        hits = [s for s in settings if s.section == section and s.key == key]
        if hits:
            return hits[-1]
    return None


def _bool_use(setting: Setting | None, key: str, default: str, code: int) -> OptionUse:
    if setting is None:
        return OptionUse(code, default, f"{key} not set ({MAN}: default {default})")
    value = setting.value.lower()
    use = "yes" if value in TRUE else "no" if value in FALSE else "route" if value == "route" else value
    return OptionUse(code, use, f"[{setting.section}] {key}={setting.value} at {setting.origin}")


def host_use(iface: str, root: Path) -> HostUse:
    """What systemd-networkd under ``root`` does with options 1, 3, 6, 15, 119 and 121 on ``iface``."""
    chosen, unsure = None, []
    for name, (path, node_path) in sorted(_network_files(root).items()):
        if path.stat().st_size == 0 or (path.is_symlink() and str(path.readlink()) == "/dev/null"):
            continue  # masked
        settings = _read(path, node_path)
        matched = _matches(settings, iface)
        if matched is None:
            unsure.append(node_path)
        elif matched:
            chosen = (name, node_path, settings)
            break
    if chosen is None:
        skipped = f"; not evaluated (they match on keys other than Name=): {', '.join(unsure)}" if unsure else ""
        return HostUse(iface, None, (), f"no systemd-networkd .network file under {root} matches {iface} by name "
                       f"(NetworkManager and ifupdown are not checked by the probe){skipped}")
    name, node_path, settings = chosen
    for path, dropin_path in _dropins(root, name):
        settings += _read(path, dropin_path)
    dhcp = _last(settings, ("Network",), "DHCP")
    if dhcp is None or dhcp.value.lower() not in {"yes", "true", "1", "on", "ipv4"}:
        shown = "not set" if dhcp is None else f"DHCP={dhcp.value} at {dhcp.origin}"
        return HostUse(iface, node_path, (), f"{node_path} does not run DHCPv4 on {iface} ({shown})")
    sections = ("DHCPv4", "DHCP")
    routes = _bool_use(_last(settings, sections, "UseRoutes"), "UseRoutes=", "yes", 121)
    gateway_setting = _last(settings, sections, "UseGateway")
    gateway = (_bool_use(gateway_setting, "UseGateway=", "yes", 3) if gateway_setting
               else OptionUse(3, routes.use, f"UseGateway= not set, follows UseRoutes ({routes.why})"))
    domains = _bool_use(_last(settings, (*sections, "Network"), "UseDomains"), "UseDomains=", "no", 15)
    search = OptionUse(119, domains.use, domains.why + ("" if domains.use != "no" else
                                                       "; networkd does not even request option 119"))
    uses = (OptionUse(1, "yes", f"DHCP={dhcp.value} at {dhcp.origin}"), gateway,
            _bool_use(_last(settings, sections, "UseDNS"), "UseDNS=", "yes", 6), domains, search, routes)
    return HostUse(iface, node_path, uses)
