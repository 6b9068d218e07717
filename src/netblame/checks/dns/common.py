"""Helpers shared by the NB2xx rules: the fix for the backend that configures an interface, and
near-miss spellings of ``UseDomains``."""

from __future__ import annotations

import difflib

from netblame.dns.chain import Backend

USE_DOMAINS = "UseDomains"


def looks_like_use_domains(key: str) -> bool:
    """True for a key that is a misspelling of ``UseDomains`` (not the key itself, not ``Domains``)."""
    if key in (USE_DOMAINS, "Domains"):
        return False
    flat = key.lower().replace("-", "").replace("_", "")
    return flat in ("usedomains", "usedomain") or difflib.SequenceMatcher(None, key, USE_DOMAINS).ratio() >= 0.85


def looks_like_netplan_use_domains(key: str) -> bool:
    """True for a misspelling of netplan's ``use-domains``."""
    return key != "use-domains" and key.lower().replace("_", "-").rstrip("s") in ("use-domain", "usedomain")


def enable_fix(backend: Backend | None, iface: str, domains: tuple[str, ...]) -> str:
    """The exact change that makes ``iface`` take the search domains DHCP offers, for its backend."""
    listed = " ".join(domains)
    if backend is None:
        return (f"configure the DHCP client of {iface} to use the offered search domains: with systemd-networkd "
                "a drop-in with `[DHCPv4]` `UseDomains=yes`, with netplan `dhcp4-overrides: {use-domains: true}`; "
                "do not edit resolv.conf, it is generated")
    if backend.kind == "netplan" and backend.netplan is not None:
        plan = backend.netplan
        return (f"in {plan.origin.file}, under `{plan.id}:` add `dhcp4-overrides:` with `use-domains: true` "
                f"(netplan writes `[DHCP] UseDomains=true` for networkd), then run `sudo netplan apply`")
    if backend.kind == "networkd" and backend.unit is not None:
        name = backend.unit.path.rsplit("/", 1)[-1]
        return (f"create /etc/systemd/network/{name}.d/50-use-domains.conf containing `[DHCPv4]` and "
                f"`UseDomains=yes`, then run `sudo networkctl reload && sudo networkctl reconfigure {iface}`")
    if backend.kind == "networkmanager" and backend.nm is not None:
        conn = backend.nm.id
        return (f"sudo nmcli connection modify '{conn}' ipv4.ignore-auto-dns no && sudo nmcli connection up '{conn}' "
                f"(or keep DHCP DNS ignored and set the list yourself: "
                f"sudo nmcli connection modify '{conn}' ipv4.dns-search '{listed}')")
    if backend.kind == "ifupdown" and backend.ifupdown is not None:
        return (f"let dhclient write /etc/resolv.conf again (it puts the offered search list there on every "
                f"lease: remove a hand-kept or immutable file, then `sudo ifdown {iface} && sudo ifup {iface}`), "
                f"or add `dns-search {listed}` to the `iface {iface}` stanza in {backend.ifupdown.origin.file} "
                "with the resolvconf package installed")
    return f"make the DHCP client of {iface} use the offered search domains ({listed})"


def resolv_conf_fix(backend: Backend, iface: str, domains: tuple[str, ...]) -> str:
    """The fix when the backend takes the domains but /etc/resolv.conf is not the file it writes."""
    if backend.kind in ("netplan", "networkd"):
        return ("let /etc/resolv.conf follow systemd-resolved, which gets the link's domains from networkd: "
                "`sudo ln -sf ../run/systemd/resolve/stub-resolv.conf /etc/resolv.conf`")
    if backend.kind == "networkmanager" and backend.nm is not None:
        return (f"let NetworkManager write /etc/resolv.conf (remove a hand-kept file; no `dns=none` in "
                f"NetworkManager.conf), then `sudo nmcli connection up '{backend.nm.id}'`")
    return enable_fix(backend, iface, domains)
