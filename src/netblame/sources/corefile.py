"""CoreDNS Corefile: server blocks, ``forward`` targets and the ``loop`` plugin (FACTS.md F.7)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from netblame.model import dns as dns_model  # its record classes load on first use
from netblame.model.dns import COREDNS_SCHEMES
from netblame.model.origin import Origin, Sourced
from netblame.sources._yaml import LineDict

if TYPE_CHECKING:
    from netblame.model.dns import CoreDnsForward, Corefile

# Server block and forward target schemes (coredns.io/manual/configuration, plugin/forward README).


def looks_like_corefile(text: str) -> bool:
    """Content test: a server block (``zone {`` at the top level) holding a ``forward`` or ``kubernetes`` line."""
    stripped = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return (bool(stripped) and stripped[0].endswith("{") and not stripped[0].startswith(("(", "[", "{"))
            and any(line.split()[0] in ("forward", "kubernetes", "proxy") for line in stripped))


def is_coredns_configmap(data: Any) -> bool:
    """Content test: a ConfigMap whose ``data.Corefile`` is a Corefile."""
    if not isinstance(data, dict) or data.get("kind") != "ConfigMap":
        return False
    body = data.get("data")
    return isinstance(body, dict) and isinstance(body.get("Corefile"), str)


def parse_corefile(text: str, display: str, line_offset: int = 0) -> Corefile:
    """Parse ``text``; ``line_offset`` is added to line numbers (a Corefile inside a ConfigMap)."""
    forwards: list[CoreDnsForward] = []
    zones: list[Sourced[str]] = []
    ports: list[Sourced[int]] = []
    loop: Sourced[str] | None = None
    kubernetes: Sourced[str] | None = None
    opened_forward: int | None = None  # the forward whose { ... } block is open
    depth = 0
    block = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        origin = Origin(file=display, line=number + line_offset)
        opens, closes = line.count("{"), line.count("}")
        words = line.replace("{", " ").replace("}", " ").split()
        if depth == 0 and opens and words and not words[0].startswith("("):
            block = " ".join(words)
            zones += [Sourced(_zone(w), origin) for w in words]
            ports += [Sourced(port, origin) for w in words if _zone(w) == "." and (port := _port(w)) is not None]
        elif depth == 2 and words and words[0] == "policy" and len(words) > 1 and opened_forward is not None:
            forwards[opened_forward] = replace(forwards[opened_forward], policy=Sourced(words[1], origin))
        elif depth == 1 and words and block:
            # proxy is the plugin CoreDNS had before forward (removed in 1.7.0); same FROM TO... syntax.
            if words[0] in ("forward", "proxy") and len(words) >= 3:
                targets = tuple(Sourced(t, origin) for t in words[2:] if not t.startswith("{"))
                forwards.append(dns_model.CoreDnsForward(zone=words[1], server_block=block, targets=targets,
                                                         origin=origin, plugin=words[0]))
                opened_forward = len(forwards) - 1 if opens > closes else None
            elif words[0] == "loop":
                loop = Sourced(line, origin)
            elif words[0] == "kubernetes":
                kubernetes = Sourced(line, origin)
        depth = max(0, depth + opens - closes)
        if depth < 2:
            opened_forward = None
        if depth == 0:
            block = "" if closes else block
    if kubernetes is None and not forwards:
        kubernetes = _folded_kubernetes(text, display, line_offset)
    return dns_model.Corefile(origin=Origin(file=display, line=line_offset + 1 if line_offset else None),
                              forwards=tuple(forwards), loop=loop, zones=tuple(zones), kubernetes=kubernetes,
                              root_ports=tuple(ports))


def _folded_kubernetes(text: str, display: str, line_offset: int) -> Sourced[str] | None:
    """The kubernetes plugin of a Corefile whose line breaks were lost (a YAML string folded into one line
    by a paste): found word by word inside a server block, when no forward or proxy word is anywhere."""
    depth = 0
    found: Sourced[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        for word in raw.split("#", 1)[0].replace("{", " { ").replace("}", " } ").split():
            if word in ("forward", "proxy"):
                return None
            depth += {"{": 1, "}": -1}.get(word, 0)
            if word == "kubernetes" and depth == 1 and found is None:
                found = Sourced(word, Origin(file=display, line=number + line_offset))
    return found


def _port(word: str) -> int | None:
    """The port of a server block key (``.:5354`` -> 5354, ``.`` -> 53); None when not a number."""
    bare = _without_scheme(word)
    if ":" not in bare:
        return 853 if word.startswith("tls://") else 53
    text = bare.rsplit(":", 1)[1]
    return int(text) if text.isdigit() else None


def _without_scheme(word: str) -> str:
    for prefix in COREDNS_SCHEMES:
        word = word.removeprefix(prefix)
    return word


def _zone(word: str) -> str:
    word = _without_scheme(word)
    return word.rsplit(":", 1)[0] if ":" in word and not word.startswith("[") else word



def parse_coredns_configmap(data: Any, display: str) -> Corefile:
    """The Corefile inside a ConfigMap; its lines count from the line after ``Corefile: |``."""
    body = data["data"]
    line = body.key_lines.get("Corefile", 1) if isinstance(body, LineDict) else 0
    return parse_corefile(body["Corefile"], display, line_offset=line)
