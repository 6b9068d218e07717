"""A DHCP probe's result for people (a table per server) and for programs (``netblame/dhcp-probe/v1``)."""

from __future__ import annotations

from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from netblame.dns.dhcp_use import HostUse
from netblame.live.dhcp_options import Offer
from netblame.live.dhcp_probe import REQUESTED, ProbeResult

SCHEMA = "netblame/dhcp-probe/v1"
NAMES = {1: "subnet mask", 3: "routers", 6: "DNS servers", 15: "domain name", 119: "domain search",
         121: "classless routes"}


def shown_value(offer: Offer, code: int) -> str | None:
    """The decoded value of a requested option as one line, or None when the server did not send it."""
    if code not in offer.options:
        return None
    values: dict[int, list[str]] = {
        1: [offer.subnet_mask] if offer.subnet_mask else [],
        3: list(offer.routers),
        6: list(offer.dns_servers),
        15: [offer.domain_name] if offer.domain_name is not None else [],
        119: list(offer.search_domains),
        121: [f"{r.destination} via {r.router}" for r in offer.classless_routes],
    }
    text = ", ".join(values[code])
    parts = offer.parts.get(code, 1)
    if parts > 1:
        text += f"  [{len(offer.options[code])} bytes in {parts} parts, RFC 3396]"
    return text


def to_json(result: ProbeResult, use: HostUse | None) -> dict[str, Any]:
    """The JSON document: the request, each server's decoded and raw options, and the host's use."""
    def offer_json(offer: Offer) -> dict[str, Any]:
        return {
            "server": offer.server,
            "message_type": offer.message_type,
            "offered": offer.offered,
            "subnet_mask": offer.subnet_mask,
            "routers": list(offer.routers),
            "dns_servers": list(offer.dns_servers),
            "domain_name": offer.domain_name,
            "search_domains": list(offer.search_domains),
            "classless_routes": [{"destination": r.destination, "router": r.router}
                                 for r in offer.classless_routes],
            "options": {str(code): {"hex": data.hex(), "parts": offer.parts.get(code, 1)}
                        for code, data in offer.options.items()},
            "problems": list(offer.problems),
        }

    return {
        "schema": SCHEMA,
        "interface": result.iface,
        "sent": f"DHCP{result.message.upper()}",
        "client_address": result.client_address,
        "requested": list(REQUESTED),
        "timeout": result.timeout,
        "offers": [offer_json(o) for o in result.offers],
        "host": None if use is None else {
            "config": use.config,
            "note": use.note,
            "uses": {str(u.code): {"use": u.use, "why": u.why} for u in use.uses},
        },
    }


def render_json(result: ProbeResult, use: HostUse | None) -> str:
    return orjson.dumps(to_json(result, use), option=orjson.OPT_INDENT_2).decode() + "\n"


def render_table(result: ProbeResult, use: HostUse | None, console: Console) -> None:
    """One table per answering server: requested options, decoded, and whether this host uses each."""
    for offer in result.offers:
        title = f"{offer.server}: DHCP{offer.message_type.upper()}"
        if offer.offered:
            title += f", offers {offer.offered}"
        table = Table(title=Text(title, style="bold"), title_justify="left", expand=True)
        table.add_column("option", no_wrap=True)
        table.add_column("value", overflow="fold", ratio=3)
        table.add_column("this host", overflow="fold", ratio=2)
        for code in REQUESTED:
            value = shown_value(offer, code)
            verdict = use.use_of(code) if use else None
            table.add_row(f"{code} {NAMES[code]}", value if value is not None else Text("not sent", style="dim"),
                          f"{verdict.use}: {verdict.why}" if verdict else "")
        console.print(table)
        for problem in offer.problems:
            console.print(Text(f"unreadable: {problem}", style="red"))
    if use is not None:
        console.print(Text(use.note, style="yellow") if use.note else Text(f"this host: {use.config}", style="dim"))
    sent = f"DHCP{result.message.upper()}" + (f" from {result.client_address}" if result.client_address else "")
    console.print(f"{len(result.offers)} server(s) answered a {sent} on {result.iface} within {result.timeout:g} s")
