"""Live, read-only reading of a namespace's packet filters (the calling thread's namespace).

``nft -j list ruleset`` first: it lists every nf_tables table, those iptables-nft made included. Only when it
shows an iptables table (``filter``, ``nat``, ``mangle``, ``raw``, ``security`` of family ip or ip6) is
``iptables-nft-save -c``/``ip6tables-nft-save -c`` run, since nft prints iptables' matches as opaque ``xt``
expressions. The legacy back-end is dumped only when the kernel lists legacy tables in this namespace
(``/proc/thread-self/net/ip_tables_names``). A namespace without filters costs one process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from shutil import which

import orjson

IPTABLES_TABLES = frozenset({"filter", "nat", "mangle", "raw", "security"})
Runner = Callable[[Sequence[str]], tuple[str, str | None]]


def _nft_iptables_families(text: str) -> set[int]:
    """Families (4, 6) in which nft shows an iptables table."""
    try:
        doc = orjson.loads(text)
    except orjson.JSONDecodeError:
        return set()
    out = set()
    for item in doc.get("nftables", []) if isinstance(doc, dict) else []:
        table = item.get("table") if isinstance(item, dict) else None
        if isinstance(table, dict) and table.get("name") in IPTABLES_TABLES:
            fam = {"ip": 4, "ip6": 6}.get(str(table.get("family")))
            if fam:
                out.add(fam)
    return out


def _legacy_tables(family: int) -> bool:
    name = "ip_tables_names" if family == 4 else "ip6_tables_names"
    try:
        with open(f"/proc/thread-self/net/{name}", encoding="ascii") as fh:
            return bool(fh.read().strip())
    except OSError:
        return False


def capture_filters(run: Runner) -> tuple[dict[str, str], list[str]]:
    """Texts by kind (``nft``, ``iptables-nft``, ``ip6tables-nft``, ``iptables-legacy``, ``ip6tables-legacy``)
    and what could not be read."""
    texts: dict[str, str] = {}
    errors: list[str] = []
    families: set[int] = set()
    if which("nft"):
        out, err = run(["nft", "-j", "list", "ruleset"])
        if err:
            errors.append(err)
        else:
            texts["nft"] = out
            families = _nft_iptables_families(out)
    for fam in (4, 6):
        tool = "iptables" if fam == 4 else "ip6tables"
        jobs = [("nft", fam in families), ("legacy", _legacy_tables(fam))]
        for backend, wanted in jobs:
            binary = f"{tool}-{backend}-save"
            if not wanted or not which(binary):
                continue
            out, err = run([binary, "-c"])
            if err:
                errors.append(err)
            else:
                texts[f"{tool}-{backend}"] = out
    return texts, errors
