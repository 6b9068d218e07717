"""Rewriting a real ruleset's IPv4 addresses to a lab's, so a dump taken on someone's node can be loaded into a
lab node and traced against the kernel.

A :class:`Rewrite` holds two tables: ``hosts`` (address -> address) and ``nets`` (prefix -> prefix). In the text,
every IPv4 address, with or without a ``/length``, is looked up:

- a prefix written exactly as a key of ``nets`` becomes its value (whatever the lengths);
- an address in ``hosts`` (alone or as ``/32``) becomes its value;
- any other address or prefix inside a key of ``nets`` of the same length as its value keeps its offset in it
  (the longest such key wins), and keeps its own length;
- everything else stays as written.

An address glued to a name (``endpoint-...__10.180.0.1/80``, a chain name kube-proxy's nftables mode writes) is
part of that name and is left alone.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

ADDRESS = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?:/(\d{1,2}))?(?![\w.])")


@dataclass(frozen=True)
class Rewrite:
    """Address and prefix tables; calling it on a text rewrites that text."""

    hosts: Mapping[str, str] = field(default_factory=dict)
    nets: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for old, new in [*self.hosts.items(), *self.nets.items()]:
            ipaddress.ip_network(old, strict=True)
            ipaddress.ip_network(new, strict=True)

    def address(self, addr: ipaddress.IPv4Address, length: int = 32) -> ipaddress.IPv4Address:
        """Where ``addr`` (written with prefix ``length``) goes."""
        if length == 32 and str(addr) in self.hosts:
            return ipaddress.IPv4Address(self.hosts[str(addr)])
        best: tuple[ipaddress.IPv4Network, ipaddress.IPv4Network] | None = None
        for old_text, new_text in self.nets.items():
            old, new = ipaddress.IPv4Network(old_text), ipaddress.IPv4Network(new_text)
            if old.prefixlen != new.prefixlen or old.prefixlen > length or addr not in old:
                continue
            if best is None or old.prefixlen > best[0].prefixlen:
                best = (old, new)
        if best is None:
            return addr
        return best[1].network_address + (int(addr) - int(best[0].network_address))

    def token(self, text: str, length: str | None) -> str:
        """One address or prefix as written (``length`` None when it had none)."""
        if length is not None and f"{text}/{length}" in self.nets:
            return self.nets[f"{text}/{length}"]
        addr = ipaddress.IPv4Address(text)
        moved = str(self.address(addr, int(length) if length is not None else 32))
        return moved if length is None else f"{moved}/{length}"

    def __call__(self, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            try:
                return self.token(m.group(1), m.group(2))
            except ValueError:  # not an address after all (a version number, 999.1.1.1)
                return m.group(0)

        return ADDRESS.sub(one, text)
