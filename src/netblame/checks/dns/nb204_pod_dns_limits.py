"""NB204: the pod search list or nameserver list exceeds what kubelet passes on."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.dns.chain import MAX_NAMESERVERS, kubelet_view, pod_resolv, search_limits
from netblame.findings import Diagnostic
from netblame.findings import Severity as Sev
from netblame.model.dns import DnsSetup

KUBELET = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\n"
           "clusterDomain: cluster.local\nresolvConf: /etc/resolv.conf\n")
SEARCH = " ".join(f"site{i}.corp.example.com" for i in range(1, 31))


def check(setup: DnsSetup) -> Iterator[Diagnostic]:
    """What kubelet drops from the pod resolv.conf for ClusterFirst (search) and Default (nameservers) pods."""
    view = kubelet_view(setup)
    if view is None:
        return
    max_paths, max_chars, why = search_limits(setup)
    cluster = pod_resolv(setup, "ClusterFirst")
    if cluster is not None and cluster.dropped_search:
        yield Diagnostic(
            message=(f"a ClusterFirst pod's search list would be {len(cluster.wanted_search)} domains, "
                     f"{len(' '.join(cluster.wanted_search))} characters (3 cluster domains plus the host's from "
                     f"{view.resolv_conf.value}); the limit is {max_paths} domains / {max_chars} characters ({why}), "
                     f"so kubelet drops {' '.join(cluster.dropped_search)} and records a DNSConfigForming event "
                     "\"Search Line limits were exceeded\""),
            fix=(f"shorten the node's search list in {view.resolv_conf.value} to at most {max_paths - 3} domains "
                 f"(where it comes from: DHCP option 119 or `Domains=`), or give kubelet a resolvConf file of its own"),
            location=view.resolv_conf.origin)
    host = pod_resolv(setup, "Default")
    if host is not None and host.dropped_nameservers:
        yield Diagnostic(
            message=(f"{view.resolv_conf.value} lists {MAX_NAMESERVERS + len(host.dropped_nameservers)} nameservers; "
                     f"kubelet keeps the first {MAX_NAMESERVERS} ({' '.join(host.nameservers)}) for pods with "
                     f"dnsPolicy Default and drops {' '.join(host.dropped_nameservers)} "
                     "(event \"Nameserver limits were exceeded\")"),
            fix=f"list at most {MAX_NAMESERVERS} nameservers in the file kubelet reads ({view.resolv_conf.value})",
            severity=Sev.INFO, location=view.resolv_conf.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB204",
        name="pod-dns-limits-exceeded",
        title="Pod search list or nameservers exceed kubelet's limits",
        severity=Sev.WARNING,
        also=((Sev.INFO, "when kubelet drops nameservers past the third for pods with dnsPolicy Default"),),
        applies_to=DnsSetup,
        summary="The host search list plus the three cluster domains exceeds 32 domains / 2,048 characters "
                "(6 / 256 before ExpandedDNSConfig), or the host file lists more than 3 nameservers.",
        rationale=(
            "kubelet builds a ClusterFirst pod's search list as `<ns>.svc.<domain> svc.<domain> <domain>` followed "
            "by the host's search domains, then cuts it to the limits: first to the maximum number of domains, then "
            "domains longer than 253 characters, then from the end until the line fits. Names that rely on the "
            "dropped domains stop resolving in pods while they still resolve on the node. Only the first 3 "
            "nameservers reach a pod."
        ),
        fix="Shorten the node's search list (or give kubelet a resolvConf of its own) and keep at most 3 "
            "nameservers in the file kubelet reads.",
        references=(
            "kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (formDNSSearchFitsLimits, "
            "generateSearchesForDNSClusterFirst)",
            "kubernetes/kubernetes pkg/apis/core/validation/validation.go (MaxDNSSearchPaths 32, "
            "MaxDNSSearchListChars 2048, MaxDNSNameservers 3)",
            "kubernetes/website feature-gates/ExpandedDNSConfig.md (beta 1.26, GA 1.28)",
        ),
        examples=(
            Example(name="30 host search domains",
                    files=(("config.yaml", KUBELET), ("resolv.conf", f"nameserver 10.98.0.1\nsearch {SEARCH}\n"))),
            Example(name="7 host search domains on Kubernetes 1.25",
                    files=(("config.yaml", KUBELET),
                           ("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"
                                            "kubernetesVersion: v1.25.16\n"),
                           ("resolv.conf", "nameserver 10.98.0.1\nsearch a.lab b.lab c.lab d.lab e.lab f.lab "
                                           "g.lab\n"))),
            Example(name="7 host search domains on Kubernetes 1.29",
                    files=(("config.yaml", KUBELET),
                           ("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"
                                            "kubernetesVersion: v1.29.2\n"),
                           ("resolv.conf", "nameserver 10.98.0.1\nsearch a.lab b.lab c.lab d.lab e.lab f.lab "
                                           "g.lab\n")),
                    fires=False),
        ),
    ),
    check=check,
)
