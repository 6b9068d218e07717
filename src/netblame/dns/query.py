"""Asking real DNS servers (dnspython): one name at a time, and whether a domain answers for names
that cannot exist (a wildcard record). This module does DNS network I/O (the DHCP probe
in probe.py is the other module here that sends packets; tree.py reads files)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from netblame.model.dns import WildcardAnswer
from netblame.model.origin import Origin


@dataclass(frozen=True, slots=True)
class Answer:
    """What one server said about one name (A records); ``error`` when it did not answer."""

    name: str
    server: str
    rcode: str
    addresses: tuple[str, ...] = ()
    error: str | None = None

    @property
    def found(self) -> bool:
        """True when the name exists with addresses (a stub resolver stops here)."""
        return self.rcode == "NOERROR" and bool(self.addresses)


def split_server(server: str) -> tuple[str, int]:
    """``IP`` or ``IP#PORT`` (the dig convention, unambiguous for IPv6)."""
    host, _, port = server.partition("#")
    return host, int(port) if port else 53


def ask(name: str, server: str, timeout: float = 2.0) -> Answer:
    """Query ``server`` for the A records of ``name`` (absolute) over UDP, falling back to TCP when truncated."""
    host, port = split_server(server)
    query = dns.message.make_query(name, dns.rdatatype.A)
    try:
        response, _ = dns.query.udp_with_fallback(query, host, timeout=timeout, port=port)
    except (dns.exception.DNSException, OSError) as exc:
        return Answer(name, server, "NO ANSWER", error=str(exc) or type(exc).__name__)
    addresses = tuple(item.address for rrset in response.answer if rrset.rdtype == dns.rdatatype.A
                      for item in rrset)
    return Answer(name, server, dns.rcode.to_text(response.rcode()), addresses)


def wildcard(domain: str, server: str, timeout: float = 2.0) -> WildcardAnswer | None:
    """Ask for a random label under ``domain``; an answer means the domain has a wildcard record."""
    probe = f"netblame-{secrets.token_hex(6)}.{domain.rstrip('.')}."
    answer = ask(probe, server, timeout)
    if not answer.found:
        return None
    return WildcardAnswer(domain=domain.rstrip("."), query=probe, answer=answer.addresses, server=server,
                          origin=Origin(object=f"DNS query {probe} to {server}"))
