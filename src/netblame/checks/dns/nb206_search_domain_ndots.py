"""NB206: a node search domain that, with ndots:5, catches external names inside pods."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.dns.chain import host_resolv, kubelet_resolv, kubelet_view, pod_resolv
from netblame.findings import Diagnostic, Severity
from netblame.model.dns import DnsSetup

KUBELET = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\n"
           "clusterDomain: cluster.local\nresolvConf: /etc/resolv.conf\n")
EXAMPLE_NAME = "www.example.com"


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """Host search domains that ClusterFirst pods inherit (with ndots:5), and observed wildcard answers."""
    wildcards = {w.domain.rstrip("."): w for w in setup.wildcards}
    view = kubelet_view(setup)
    pod = pod_resolv(setup, "ClusterFirst") if view is not None else None
    if view is not None and pod is not None and "ndots:5" in pod.options:
        domain = view.cluster_domain.value.rstrip(".") if view.cluster_domain else None
        inherited = [s for s in pod.search if domain is None or not (s == domain or s.endswith("." + domain))]
        host = kubelet_resolv(setup, view).file
        where = {s.value.rstrip("."): s.origin for s in host.search} if host else {}
        for name in inherited:
            seen = wildcards.get(name)
            observed = (f"; a wildcard record was observed: {seen.query} -> {' '.join(seen.answer)} from {seen.server}"
                        if seen else "; if that domain has a wildcard record, pods get its answer")
            yield Diagnostic(
                message=(f"pods inherit the node search domain {name} from {view.resolv_conf.value} with ndots:5, so "
                         f"an external name such as {EXAMPLE_NAME} is tried as "
                         f"{EXAMPLE_NAME}.{name.rstrip('.')}. before it is tried as written{observed}"),
                fix=(f"keep {name} out of the file kubelet reads (resolvConf), or set `dnsConfig: {{options: [{{name: "
                     f"ndots, value: \"1\"}}]}}` in pods that resolve external names, or remove the wildcard record; "
                     "names written with a trailing dot are never expanded"),
                severity=Severity.ERROR if seen else None, location=where.get(name, view.resolv_conf.origin))
    etc = host_resolv(setup)
    if etc is not None and etc.ndots > 1:
        for name, seen in wildcards.items():
            if name in etc.search_names:
                yield Diagnostic(
                    message=(f"the node resolves with ndots:{etc.ndots} and searches {name}, which has a wildcard "
                             f"record ({seen.query} -> {' '.join(seen.answer)} from {seen.server}): external names "
                             "with fewer dots resolve inside it"),
                    fix=f"remove `ndots:{etc.ndots}` from the options in /etc/resolv.conf's source, or the wildcard",
                    severity=Severity.ERROR, location=etc.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB206",
        name="search-domain-with-ndots",
        title="Node search domain catches external names in pods (ndots:5)",
        severity=Severity.WARNING,
        also=((Severity.ERROR, "when a wildcard record was observed in the search domain"),),
        applies_to=DnsSetup,
        summary="A node search domain reaches ClusterFirst pods, whose resolv.conf has ndots:5, so names with "
                "fewer than 5 dots are tried inside that domain first; with a wildcard record they resolve there.",
        rationale=(
            "kubelet appends the host's search domains to a ClusterFirst pod's search list and sets ndots:5. A stub "
            "resolver tries a name with fewer than ndots dots in every search domain before trying it as written, "
            "so `www.example.com` becomes `www.example.com.lab.` first. When `lab` has a wildcard record (common "
            "on home routers), that answer wins and pods talk to the wrong host; without one, every external lookup "
            "costs extra queries."
        ),
        fix="Keep the node's search domain out of kubelet's resolvConf, lower ndots in the pods that need external "
            "names (dnsConfig), or remove the wildcard record.",
        references=(
            "kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (defaultDNSOptions ndots:5, "
            "generateSearchesForDNSClusterFirst)",
            "man resolv.conf(5): ndots",
        ),
        examples=(
            Example(name="host search domain reaches pods",
                    files=(("config.yaml", KUBELET), ("resolv.conf", "nameserver 10.98.0.1\nsearch lab\n"))),
            Example(name="no host search domain",
                    files=(("config.yaml", KUBELET), ("resolv.conf", "nameserver 10.98.0.1\n")), fires=False),
        ),
    ),
    check=check,
)
