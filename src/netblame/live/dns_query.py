"""Asking real DNS servers (dnspython): one name at a time, each candidate of a name's expansion in
order, and whether a domain answers for names that cannot exist (a wildcard record)."""

from __future__ import annotations

import secrets
from dataclasses import replace

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from netblame.dns.resolve import Candidate, Expansion
from netblame.model.dns import QueryAnswer, WildcardAnswer
from netblame.model.origin import Origin


def split_server(server: str) -> tuple[str, int]:
    """``IP`` or ``IP#PORT`` (the dig convention, unambiguous for IPv6)."""
    host, _, port = server.partition("#")
    return host, int(port) if port else 53


def ask(name: str, server: str, timeout: float = 2.0) -> QueryAnswer:
    """Query ``server`` for the A records of ``name`` (absolute) over UDP, falling back to TCP when truncated."""
    host, port = split_server(server)
    query = dns.message.make_query(name, dns.rdatatype.A)
    try:
        response, _ = dns.query.udp_with_fallback(query, host, timeout=timeout, port=port)
    except (dns.exception.DNSException, OSError) as exc:
        return QueryAnswer(name, server, "NO ANSWER", error=str(exc) or type(exc).__name__)
    addresses = tuple(item.address for rrset in response.answer if rrset.rdtype == dns.rdatatype.A
                      for item in rrset)
    return QueryAnswer(name, server, dns.rcode.to_text(response.rcode()), addresses)


def wildcard(domain: str, server: str, timeout: float = 2.0) -> WildcardAnswer | None:
    """Ask for a random label under ``domain``; an answer means the domain has a wildcard record."""
    probe = f"netblame-{secrets.token_hex(6)}.{domain.rstrip('.')}."
    answer = ask(probe, server, timeout)
    if not answer.found:
        return None
    return WildcardAnswer(domain=domain.rstrip("."), query=probe, answer=answer.addresses, server=server,
                          origin=Origin(object=f"DNS query {probe} to {server}"))


def _ask(name: str, servers: tuple[str, ...], timeout: float) -> QueryAnswer:
    """The first definitive answer (NOERROR or NXDOMAIN); a timeout, SERVFAIL or REFUSED moves on to the
    next server, as a stub resolver does."""
    answer = ask(name, servers[0], timeout)
    for server in servers[1:]:
        if answer.rcode in ("NOERROR", "NXDOMAIN"):
            break
        answer = ask(name, server, timeout)
    return answer


def ask_expansion(expansion: Expansion, timeout: float = 2.0) -> Expansion:
    """Ask the servers for each candidate in order (cluster-internal names are not asked); the first name
    with addresses wins, as in a stub resolver (NXDOMAIN and empty answers go on to the next name)."""
    if not expansion.servers:
        return expansion
    done: list[Candidate] = []
    won = False
    for candidate in expansion.candidates:
        if candidate.internal or won:
            done.append(candidate)
            continue
        answer = _ask(candidate.name, expansion.servers, timeout)
        won = answer.found
        done.append(replace(candidate, answer=answer, wins=won))
    return replace(expansion, candidates=tuple(done))
