"""What the NB3xx packet-filter rules share: a node's filters evaluated on one packet, and how to name what
decided it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from netblame.model.snapshot import Namespace

if TYPE_CHECKING:
    from netblame.dataplane.index import Dataplane
    from netblame.dataplane.netfilter.evaluate import Conn, Outcome


def verdicts(dp: Dataplane, ns: Namespace, hook: str, conn: Conn) -> list[Outcome]:
    """Every way ``hook`` of ``ns``'s filters ends for ``conn`` (nothing when the namespace has no filters)."""
    view = dp.view(ns.id)
    ev = view.netfilter if view is not None else None
    return ev.run_hook(hook, conn) if ev is not None else []


def blocked(outcomes: list[Outcome]) -> Outcome | None:
    """The first outcome that drops or rejects, if any."""
    return next((o for o in outcomes if o.verdict in ("drop", "reject")), None)


def decided_by(o: Outcome) -> str:
    """``the policy DROP of filter/FORWARD`` or ``rule `-A INPUT ...` in filter/INPUT``."""
    if o.rule.startswith("policy"):
        return f"the {o.rule} of {o.where}"
    return f"rule `{o.rule}` in {o.where}"


def is_nft(o: Outcome) -> bool:
    """Whether an nftables table (not iptables) decided: its label is ``family name``."""
    return " " in o.where.split("/")[0]
