"""netplan YAML: which interfaces use DHCP, their ``dhcp4-overrides``/``dhcp6-overrides``
``use-domains`` and static ``nameservers.search`` (FACTS.md F.5, canonical/netplan doc/netplan-yaml.md).

netplan rejects unknown keys (``netplan generate`` fails with ``Error in network definition: unknown
key 'use-domain'``, seen with netplan 0.106), so unknown keys in the parts read here are reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from netblame.model import dns as dns_model  # its record classes load on first use
from netblame.model.origin import Origin, Sourced
from netblame.sources._yaml import LineDict

if TYPE_CHECKING:
    from netblame.model.dns import NetplanInterface

DEVICE_TYPES = ("ethernets", "wifis", "bridges", "bonds", "vlans", "tunnels", "vrfs", "modems", "nm-devices",
                "dummy-devices", "virtual-ethernets")
NETWORK_KEYS = frozenset({"version", "renderer", *DEVICE_TYPES})
OVERRIDE_KEYS = frozenset({"use-dns", "use-ntp", "send-hostname", "use-hostname", "use-mtu", "hostname", "use-routes",
                           "route-metric", "use-domains"})
NAMESERVER_KEYS = frozenset({"search", "addresses"})
# Common properties of all physical devices and the ethernet-specific ones (netplan-yaml.md).
ETHERNET_KEYS = frozenset({
    "renderer", "dhcp4", "dhcp6", "dhcp-identifier", "dhcp4-overrides", "dhcp6-overrides", "accept-ra",
    "ra-overrides", "addresses", "ipv6-address-generation", "ipv6-address-token", "ipv6-mtu", "ipv6-privacy",
    "link-local", "ignore-carrier", "critical", "gateway4", "gateway6", "nameservers", "macaddress", "mtu",
    "optional", "optional-addresses", "activation-mode", "routes", "routing-policy", "neigh-suppress", "set-name",
    "match", "wakeonlan", "wakeonwlan", "emit-lldp", "receive-checksum-offload", "transmit-checksum-offload",
    "tcp-segmentation-offload", "tcp6-segmentation-offload", "generic-segmentation-offload",
    "generic-receive-offload", "large-receive-offload", "openvswitch", "link", "virtual-function-count",
    "embedded-switch-mode", "delay-virtual-functions-rebind", "infiniband-mode", "networkmanager", "auth",
})


def is_netplan(data: Any) -> bool:
    """Content test: a mapping whose only top-level key is ``network`` holding netplan keys."""
    if not isinstance(data, dict) or set(data) != {"network"} or not isinstance(data["network"], dict):
        return False
    return bool(set(data["network"]) & NETWORK_KEYS)


def _line(mapping: Any, key: str) -> int | None:
    return mapping.line_of(key) if isinstance(mapping, LineDict) else None


def _use_domains(overrides: Any, path: str, display: str, unknown: list[Sourced[str]]) -> Sourced[str] | None:
    if not isinstance(overrides, dict):
        return None
    for key in overrides:
        if key not in OVERRIDE_KEYS:
            unknown.append(Sourced(f"{path}.{key}", Origin(file=display, line=_line(overrides, key))))
    if "use-domains" not in overrides:
        return None
    value = overrides["use-domains"]
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value).lower()
    return Sourced(text, Origin(file=display, line=_line(overrides, "use-domains")))


def _strings(mapping: Any, key: str, display: str) -> tuple[Sourced[str], ...]:
    values = mapping.get(key) if isinstance(mapping, dict) else None
    if not isinstance(values, list):
        return ()
    lines = getattr(values, "item_lines", None)
    return tuple(Sourced(str(v), Origin(file=display, line=lines[i] if lines else _line(mapping, key)))
                 for i, v in enumerate(values))


def parse_netplan(data: Any, display: str) -> tuple[list[NetplanInterface], list[Sourced[str]]]:
    """Interfaces and the unknown keys (as dotted paths) of one netplan document."""
    network = data["network"]
    unknown: list[Sourced[str]] = []
    for key in network:
        if key not in NETWORK_KEYS:
            unknown.append(Sourced(f"network.{key}", Origin(file=display, line=_line(network, key))))
    renderer = str(network.get("renderer", "networkd"))
    out: list[NetplanInterface] = []
    for kind in DEVICE_TYPES:
        devices = network.get(kind)
        if not isinstance(devices, dict):
            continue
        for ident, dev in devices.items():
            if not isinstance(dev, dict):
                continue
            path = f"network.{kind}.{ident}"
            if kind == "ethernets":
                unknown += [Sourced(f"{path}.{k}", Origin(file=display, line=_line(dev, k)))
                            for k in dev if k not in ETHERNET_KEYS]
            nameservers = dev.get("nameservers")
            if isinstance(nameservers, dict):
                unknown += [Sourced(f"{path}.nameservers.{k}", Origin(file=display, line=_line(nameservers, k)))
                            for k in nameservers if k not in NAMESERVER_KEYS]
            match = dev.get("match")
            out.append(dns_model.NetplanInterface(
                id=str(ident), origin=Origin(file=display, line=_line(devices, ident)),
                match_name=str(match["name"]) if isinstance(match, dict) and "name" in match else None,
                dhcp4=dev.get("dhcp4") is True, dhcp6=dev.get("dhcp6") is True,
                use_domains4=_use_domains(dev.get("dhcp4-overrides"), f"{path}.dhcp4-overrides", display, unknown),
                use_domains6=_use_domains(dev.get("dhcp6-overrides"), f"{path}.dhcp6-overrides", display, unknown),
                search=_strings(nameservers, "search", display),
                nameservers=_strings(nameservers, "addresses", display),
                renderer=str(dev.get("renderer", renderer)),
            ))
    return out, unknown
