"""NB110: two inputs set one setting to different values."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.cluster.wording import source_of
from netblame.findings import Diagnostic, Severity
from netblame.model.cluster import ClusterNetwork

# Which value takes effect, per setting (the key is the Conflict's setting without its family).
WINS = {
    "pod_cidrs": ("kube-controller-manager carves node blocks from the --cluster-cidr in its own static pod manifest; "
                  "kubeadm's networking.podSubnet only reaches that manifest when kubeadm writes it (init, upgrade)"),
    "service_cidrs": ("kube-apiserver gives Services addresses from its own --service-cluster-ip-range; kubeadm's "
                      "networking.serviceSubnet only reaches the manifests when kubeadm writes them (init, upgrade)"),
    "node_mask_v4": "kube-controller-manager uses its own --node-cidr-mask-size-ipv4 (default 24)",
    "node_mask_v6": "kube-controller-manager uses its own --node-cidr-mask-size-ipv6 (default 64)",
    "allocate_node_cidrs": "kube-controller-manager uses its own --allocate-node-cidrs",
    "max_pods": "each kubelet uses the maxPods of the configuration it was started with",
    "dns_domain": "kubelet's clusterDomain and CoreDNS's Corefile decide the domain pods see",
    "planned_nodes": "netblame checks against the first value",
}
LABEL = {
    "pod_cidrs": "pod range", "service_cidrs": "service range", "node_mask_v4": "IPv4 node mask",
    "node_mask_v6": "IPv6 node mask", "allocate_node_cidrs": "allocate-node-cidrs", "max_pods": "maxPods",
    "dns_domain": "DNS domain", "planned_nodes": "planned node count",
}


def check(cluster: ClusterNetwork) -> Iterator[Diagnostic]:
    """One diagnostic per conflict the merge recorded."""
    for conflict in cluster.conflicts:
        key, _, family = conflict.setting.partition(" ")
        label = f"{LABEL.get(key, key)} {family}".strip()
        first, *others = conflict.values
        listed = "; ".join(f"{v.value} ({source_of(v.origin)})" for v in conflict.values)
        wins = WINS.get(key, "the component that reads the setting uses its own copy")
        yield Diagnostic(
            message=(f"{label} is set differently by {len(conflict.values)} inputs: {listed}. In the cluster, "
                     f"{wins}. netblame checked {first.value} from {source_of(first.origin)}"),
            fix="; ".join(f"set {first.value} in {source_of(o.origin)} (it says {o.value})" for o in others)
            + ", or change the first input instead, so every input says the same",
            location=others[0].origin if others else first.origin,
        )


KUBEADM = ("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n"
           "  podSubnet: {pods}\n  serviceSubnet: 10.96.0.0/12\n")

RULE = Rule(
    meta=RuleMeta(
        id="NB110",
        name="conflicting-settings",
        title="Inputs disagree on a setting",
        severity=Severity.WARNING,
        applies_to=ClusterNetwork,
        summary=("Two inputs set the same setting to different values, such as a kubeadm config and the "
                 "kube-controller-manager manifest naming different pod ranges."),
        rationale=(
            "Each component reads only its own copy of a setting: kube-controller-manager its manifest's flags, "
            "kube-apiserver its own, kubelet its configuration file. kubeadm writes those copies once, at init or "
            "upgrade, so a later edit of the kubeadm config (or of one manifest) leaves the cluster running with "
            "a different value than the files suggest. netblame checks the first value it read; the others may be "
            "what actually runs."
        ),
        fix="Make every input carry the same value (the finding names each input and what it says).",
        references=(
            "kubernetes/kubernetes cmd/kubeadm/app/phases/controlplane/manifests.go (getControllerManagerCommand)",
        ),
        examples=(
            Example(name="two kubeadm configs with different pod ranges",
                    files=(("a/kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16")),
                           ("b/kubeadm.yaml", KUBEADM.format(pods="172.16.0.0/16")))),
            Example(name="two kubeadm configs that agree",
                    files=(("a/kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16")),
                           ("b/kubeadm.yaml", KUBEADM.format(pods="10.244.0.0/16"))), fires=False),
        ),
    ),
    check=check,
)
