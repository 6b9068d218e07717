"""Flannel's ``/run/flannel/subnet.env``: what flanneld leased for this node, written for the flannel CNI
plugin (flannel-io/flannel pkg/subnet WriteSubnetFile; the plugin's loadFlannelSubnetEnv reads it).

``FLANNEL_NETWORK`` is the whole pod network (net-conf.json ``Network``), ``FLANNEL_SUBNET`` this node's
lease written as its gateway address with the lease's prefix (``10.244.0.1/24``: host bits are the
point), ``FLANNEL_MTU`` the MTU pods get, ``FLANNEL_IPMASQ`` whether flanneld masquerades; IPv6 has
``FLANNEL_IPV6_NETWORK`` and ``FLANNEL_IPV6_SUBNET``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from netblame.errors import InputError
from netblame.model.cidr import Cidr, Family, parse_cidr
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document, ReadNote

KEYS = frozenset({"FLANNEL_NETWORK", "FLANNEL_SUBNET", "FLANNEL_MTU", "FLANNEL_IPMASQ", "FLANNEL_IPV6_NETWORK",
                  "FLANNEL_IPV6_SUBNET"})
_LINE = re.compile(r"^\s*(?:export\s+)?([A-Z0-9_]+)=(.*?)\s*$")


def _entries(text: str) -> dict[str, tuple[str, int]] | None:
    """``KEY=value`` lines, or None when a line is something else or the file has no Flannel network."""
    out: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        match = _LINE.match(raw)
        if match is None or match.group(1) not in KEYS:
            return None
        out[match.group(1)] = (match.group(2).strip("\"'"), number)
    return out if {"FLANNEL_NETWORK", "FLANNEL_IPV6_NETWORK", "FLANNEL_SUBNET"} & set(out) else None


class SubnetEnvSource:
    """``/run/flannel/subnet.env`` (recognised by its ``FLANNEL_*=`` lines)."""

    kind = "flannel-subnet-env"

    def accepts(self, doc: Document) -> bool:
        return doc.index == 0 and not isinstance(doc.data, dict | list) and _entries(doc.text) is not None

    def read(self, doc: Document) -> Sequence[object]:
        entries = _entries(doc.text) or {}

        def at(key: str) -> Origin:
            return Origin(file=doc.path, line=entries[key][1])

        pools: list[Cidr] = []
        blocks: dict[Family, Sourced[int]] = {}
        families: tuple[tuple[Family, str, str], ...] = ((4, "FLANNEL_NETWORK", "FLANNEL_SUBNET"),
                                                         (6, "FLANNEL_IPV6_NETWORK", "FLANNEL_IPV6_SUBNET"))
        for family, network, subnet in families:
            if network in entries:
                pools.append(parse_cidr(entries[network][0], at(network), family=family, what=f"{network}, a network"))
            if subnet in entries:
                text = entries[subnet][0]
                try:
                    lease = ipaddress.ip_interface(text)
                except ValueError:
                    raise InputError(f"{subnet}: expected this node's lease such as 10.244.1.1/24, got {text}",
                                     file=doc.path, line=entries[subnet][1]) from None
                if lease.version != family:
                    raise InputError(f"{subnet}: expected an IPv{family} lease, got {text}", file=doc.path,
                                     line=entries[subnet][1])
                blocks[family] = Sourced(lease.network.prefixlen, at(subnet))
        mtu = None
        if "FLANNEL_MTU" in entries:
            text = entries["FLANNEL_MTU"][0]
            if not text.isdigit() or not 68 <= int(text) <= 65535:
                raise InputError(f"FLANNEL_MTU: expected an MTU from 68 to 65535, got {text}", file=doc.path,
                                 line=entries["FLANNEL_MTU"][1])
            mtu = Sourced(int(text), at("FLANNEL_MTU"))
        config = CniConfig(name="flannel", origin=Origin(file=doc.path), pools=tuple(pools), block_v4=blocks.get(4),
                           block_v6=blocks.get(6), mtu=mtu)
        note = ReadNote("Flannel's subnet.env: the network and this node's lease as flanneld last wrote them (a "
                        "stale file outlives a new lease until flanneld rewrites it)", Origin(file=doc.path, line=1))
        return [as_cluster(config), note]


SOURCES = (SubnetEnvSource(),)
