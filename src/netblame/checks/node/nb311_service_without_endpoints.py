"""NB311: kube-proxy rejects a Service that has no endpoints."""

from __future__ import annotations

import re
from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import hosts, where
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Snapshot

# kube-proxy's iptables mode comments such a rule "<namespace>/<service>:<port> has no endpoints" and REJECTs
# (pkg/proxy/iptables/proxier.go).
NO_ENDPOINTS = re.compile(r'-A KUBE-(?:SERVICES|EXTERNAL-SERVICES) (?P<rule>.*?--comment "?(?P<svc>[^" ]+) has no '
                          r'endpoints"?.*-j REJECT.*)$')
DEST = re.compile(r"-d (?P<ip>[0-9a-fA-F.:]+)(?:/\d+)?.*?--dport (?P<port>\d+)")


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    for node in snapshot.nodes:
        seen: set[str] = set()
        for ns in hosts(node):
            for dump in ns.netfilter.iptables if ns.netfilter else ():
                for line in dump.text.splitlines():
                    m = NO_ENDPOINTS.search(line.partition("] ")[2] if line.startswith("[") else line)
                    if m is None or m["svc"] in seen:
                        continue
                    seen.add(m["svc"])
                    d = DEST.search(m["rule"])
                    at = f" ({d['ip']}:{d['port']})" if d else ""
                    namespace, _, rest = m["svc"].partition("/")
                    name = rest.partition(":")[0]
                    yield Diagnostic(
                        message=(f"Service {m['svc']}{at} has no endpoints: kube-proxy on node {node.name} rejects "
                                 "connections to it (clients see \"connection refused\" at once), so it is not the "
                                 "network but the Service's backends"),
                        fix=(f"see why no pod backs it: `kubectl -n {namespace} get endpointslices -l "
                             f"kubernetes.io/service-name={name}` and `kubectl -n {namespace} get pods -l <the "
                             "Service's selector>` (no pod matches, or none is Ready)"),
                        location=where(node, ns),
                    )


def _rejecting(data: Data) -> None:
    host(data, 1)["netfilter"] = {"iptables": [{"backend": "nft", "family": 4, "text": (
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n"
        "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n"
        "-A KUBE-SERVICES -d 10.96.0.20/32 -p tcp -m comment --comment \"shop/cart:http has no endpoints\" -m tcp "
        "--dport 80 -j REJECT --reject-with icmp-port-unreachable\nCOMMIT\n")}]}


def _served(data: Data) -> None:
    host(data, 1)["netfilter"] = {"iptables": [{"backend": "nft", "family": 4, "text": (
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n"
        "COMMIT\n")}]}


RULE = Rule(
    meta=RuleMeta(
        id="NB311",
        name="service-without-endpoints",
        title="A Service has no endpoints: kube-proxy rejects it",
        severity=Severity.WARNING,
        applies_to=Snapshot,
        summary="kube-proxy's iptables rules REJECT a Service because no ready pod backs it.",
        rationale=(
            "When a Service has no ready endpoints, kube-proxy installs a rule that rejects its ClusterIP and port "
            "with ICMP port unreachable, so clients fail at once with \"connection refused\" instead of hanging. "
            "It looks like a network failure but is a Service whose selector matches no Ready pod."
        ),
        fix="Find why no Ready pod matches the Service's selector (its EndpointSlices are empty).",
        references=("kubernetes/kubernetes pkg/proxy/iptables/proxier.go: \"has no endpoints\" REJECT rules",),
        examples=(
            Example(name="shop/cart has no endpoints", files=(("snap.json", two_nodes(_rejecting)),)),
            Example(name="kube-proxy's chains without such a rule", files=(("snap.json", two_nodes(_served)),),
                    fires=False),
        ),
    ),
    check=check,
)
