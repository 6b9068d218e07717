"""NB310: a node's FORWARD hook drops pod traffic (Docker's FORWARD policy DROP, a firewall's default deny)."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node._filters import blocked, decided_by, is_nft, verdicts
from netblame.checks.node.common import hosts, lookup, node_nodes, out_dev, pod_addresses, pod_ranges, probe, where
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Namespace, Snapshot


def _fix(ns: Namespace, nft: bool, where_: str, ranges: list[str]) -> str:
    run = f"ip netns exec {ns.name} " if ns.name else ""
    cidr = ranges[0] if ranges else "<pod range>"
    if nft:
        table, _, chain = where_.partition("/")
        return (f"`{run}nft insert rule {table} {chain} ip saddr {cidr} accept` and the same with `ip daddr`, "
                "before whatever drops it")
    return (f"accept the pod range ahead of the drop: `{run}iptables -I FORWARD -s {cidr} -j ACCEPT` and "
            f"`{run}iptables -I FORWARD -d {cidr} -j ACCEPT` (what Flannel's --iptables-forward-rules adds; with "
            "Docker put them in the DOCKER-USER chain, which Docker leaves alone)")


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    # The netfilter model loads only when a rule runs (`netblame check` of other inputs does not pay for it).
    from netblame.dataplane.index import Dataplane
    from netblame.dataplane.netfilter.evaluate import Conn

    dp = Dataplane(snapshot)
    nodes = node_nodes(snapshot)
    for node in nodes:
        mine = pod_addresses(node)
        if not mine:
            continue
        others = [probe(r) for n in nodes if n is not node for r in pod_ranges(n)]
        cluster = [str(r) for n in nodes for r in pod_ranges(n)]
        for ns in hosts(node):
            for _, dst in mine[:1]:
                for src in others[:1]:
                    conn = Conn(dst.version, int(src), int(dst), "tcp", 40000, 80,
                                iif=out_dev(lookup(ns, src)), oif=out_dev(lookup(ns, dst)))
                    bad = blocked(verdicts(dp, ns, "forward", conn))
                    if bad is None:
                        continue
                    yield Diagnostic(
                        message=(f"node {node.name} {bad.verdict}s pod traffic it forwards (from {src} to its pod "
                                 f"{dst}) by {decided_by(bad)}: pods on other nodes cannot reach its pods, and its "
                                 "pods cannot reach anything beyond the node"),
                        fix=_fix(ns, is_nft(bad), bad.where, cluster),
                        location=where(node, ns),
                    )


def _docker_policy(data: Data) -> None:
    host(data, 2)["netfilter"] = {"iptables": [{"backend": "nft", "family": 4, "text": (
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:DOCKER-USER - [0:0]\n"
        "-A FORWARD -j DOCKER-USER\n-A FORWARD -i docker0 ! -o docker0 -j ACCEPT\n-A DOCKER-USER -j RETURN\n"
        "COMMIT\n")}]}


def _accepted(data: Data) -> None:
    _docker_policy(data)
    nf = host(data, 2)["netfilter"]["iptables"][0]
    nf["text"] = nf["text"].replace("-A DOCKER-USER -j RETURN", "-A DOCKER-USER -s 10.244.0.0/16 -j ACCEPT\n"
                                    "-A DOCKER-USER -d 10.244.0.0/16 -j ACCEPT\n-A DOCKER-USER -j RETURN")


RULE = Rule(
    meta=RuleMeta(
        id="NB310",
        name="forward-drops-pods",
        title="A node's FORWARD chain drops pod traffic",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="The FORWARD hook of a node's iptables or nftables drops or rejects traffic between pods.",
        rationale=(
            "Pod traffic that leaves or enters a node is forwarded by its kernel and passes the FORWARD hook "
            "(bridged traffic too, when bridge-nf-call-iptables is on). Docker's daemon sets the iptables FORWARD "
            "policy to DROP when it turns on IP forwarding; a host firewall's default deny does the same. Unless "
            "something accepts the pod ranges first, every pod on that node is cut off from the rest of the "
            "cluster while the node itself stays reachable."
        ),
        fix="Accept the cluster's pod range in FORWARD (Docker: in DOCKER-USER) ahead of the policy or rule that "
            "drops it.",
        references=(
            "moby/libnetwork pull request 1526: when enabling ip forwarding set the default forward policy to drop "
            "(https://github.com/moby/libnetwork/pull/1526)",
            "Docker docs, Docker with iptables: DOCKER-USER is processed before Docker's own chains",
        ),
        examples=(
            Example(name="Docker's FORWARD policy DROP on n2", files=(("snap.json", two_nodes(_docker_policy)),)),
            Example(name="the pod range accepted in DOCKER-USER", files=(("snap.json", two_nodes(_accepted)),),
                    fires=False),
        ),
    ),
    check=check,
)
