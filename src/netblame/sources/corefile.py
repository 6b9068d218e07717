"""CoreDNS Corefile: server blocks, ``forward`` targets and the ``loop`` plugin (FACTS.md F.7)."""

from __future__ import annotations

from typing import Any

from netblame.model.dns import COREDNS_SCHEMES, CoreDnsForward, Corefile
from netblame.model.origin import Origin, Sourced
from netblame.sources._yaml import LineDict

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
    loop: Sourced[str] | None = None
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
        elif depth == 1 and words and block:
            if words[0] == "forward" and len(words) >= 3:
                forwards.append(CoreDnsForward(zone=words[1], server_block=block,
                                               targets=tuple(Sourced(t, origin) for t in words[2:]), origin=origin))
            elif words[0] == "loop":
                loop = Sourced(line, origin)
        depth = max(0, depth + opens - closes)
        if depth == 0:
            block = "" if closes else block
    return Corefile(origin=Origin(file=display, line=line_offset + 1 if line_offset else None),
                    forwards=tuple(forwards), loop=loop, zones=tuple(zones))


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
