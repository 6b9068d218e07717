"""The next step after ``choose``: the ``netblame plan`` command that plans the recommended CNI on its
distribution, ready to copy (pure)."""

from __future__ import annotations

from netblame.choose.decide import Decision
from netblame.plan.propose import CNIS, DISTRIBUTIONS

NODES_PLACEHOLDER = "<nodes>"  # when choose was not told how many nodes there are


def plan_args(decision: Decision) -> tuple[str, ...] | None:
    """``netblame plan``'s arguments for the pick (None when nothing fits): its distribution (kubeadm, the
    one its install steps use, unless the CNI comes with one), its CNI, the node count and the IP stack."""
    best = decision.recommended
    if best is None:
        return None
    c, k = best.candidate, decision.constraints
    cni = c.plan_cni or c.key
    distribution = c.distribution or "kubeadm"
    if cni not in CNIS or distribution not in DISTRIBUTIONS:  # the table and plan are kept in step by a test
        raise ValueError(f"{c.name}: netblame plan cannot plan --cni {cni} --distribution {distribution}")
    args = ["--nodes", str(k.nodes) if k.nodes is not None else NODES_PLACEHOLDER,
            "--distribution", distribution, "--cni", cni]
    if "dual-stack" in k.needs:
        args.append("--dual-stack")
    elif "ipv6" in k.needs:
        args.append("--ipv6")
    return tuple(args)


def plan_command(decision: Decision) -> str | None:
    """The whole command line, or None when nothing fits."""
    args = plan_args(decision)
    return None if args is None else " ".join(("netblame", "plan", *args))
