"""NB112: a flag the program does not have (most often a misspelling)."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.findings import Diagnostic, Severity
from netblame.model.flags import FlagNote


def _refusal(note: FlagNote, who: str, refuses: str) -> str:
    """``who refuses to start``, after how the tool hands the program the entries of a setting."""
    said = f"{who} {refuses} to start (\"unknown flag: --{note.flag}\")"
    if note.setting:
        return f"{note.passed_by} passes each entry of {note.setting} to {note.program} as a flag, and {said}"
    return said


def _remove(note: FlagNote) -> str:
    return f"remove `{note.flag}` from {note.setting}" if note.setting else f"remove --{note.flag}"


def check(note: FlagNote) -> Iterator[Diagnostic]:
    """Report an unknown flag with the closest one the program has, or the release that removed it."""
    if note.problem != "unknown":
        return
    if note.removed_in:
        yield Diagnostic(
            message=(f"{note.program} has no flag --{note.flag}: it was removed in Kubernetes {note.removed_in}. "
                     f"{_refusal(note, f'{note.program} {note.removed_in} and later', 'refuse')}"),
            fix=f"{_remove(note)}: {note.program} {note.removed_in} and later do not have it.",
            location=note.origin,
        )
        return
    guess = f"; did you mean --{note.hint}?" if note.hint else "."
    if note.hint and note.setting:
        fix = f"in {note.setting}, write `{note.hint}` instead of `{note.flag}`"
    elif note.hint:
        fix = f"write --{note.hint} instead of --{note.flag}"
    else:
        fix = f"{_remove(note)}, or check `{note.program} --help` for the flag you meant"
    refusal = _refusal(note, "it" if note.setting else "The program", "refuses")
    if note.program.partition(" ")[0] in ("k3s", "rke2"):
        refusal += ", or, in its config file, the setting is ignored"
    yield Diagnostic(
        message=f"{note.program} has no flag --{note.flag}{guess} {refusal}",
        fix=fix + ".",
        location=note.origin,
        severity=Severity.WARNING if note.hint is None else None,
    )


RULE = Rule(
    meta=RuleMeta(
        id="NB112",
        name="unknown-component-flag",
        title="A flag the program does not have",
        severity=Severity.ERROR,
        also=((Severity.WARNING, "when no flag of the program is close enough to name as the one meant and no "
                                 "release is known to have removed it"),),
        applies_to=FlagNote,
        summary=("A command line, unit, script, k3s/RKE2 config (a key, or a flag in kubelet-arg and the other "
                 "-arg settings), kubeadm configuration (extraArgs, kubeletExtraArgs) or a k0s or Talos extraArgs "
                 "setting gives a component a flag it does not have."),
        rationale=(
            "Kubernetes components parse flags with pflag and stop at the first unknown one (\"unknown flag: "
            "--cluster-cider\"); k3s and RKE2 do the same on the command line. A misspelt range flag is the worst "
            "case: where the program does start (a config key k3s does not know), the value silently never applies "
            "and the default is used instead. netblame compares each flag with the program's flag list and names the "
            "closest real one. kubeadm passes each control-plane component its extraArgs entries as flags (in its "
            "static pod's command), and the kubelet its kubeletExtraArgs, so a name there that the program does not "
            "have stops it the same way: the static pod restarts over and over, and a kube-apiserver that never "
            "starts makes `kubeadm init` wait for it until it times out. k0s (spec.controllerManager.extraArgs) and "
            "Talos (cluster.controllerManager, cluster.apiServer, cluster.proxy and machine.kubelet extraArgs) pass "
            "theirs on the same way. For kube-apiserver, "
            "kube-controller-manager, kubelet, kube-proxy, kubeadm, flanneld, "
            "cilium-agent and cilium-operator the list is every flag of the program's reference page or flag "
            "definitions, so any other name is reported, and a flag Kubernetes "
            "removed (kubelet's --network-plugin in v1.24, klog's --logtostderr in v1.26) is named with the release "
            "that removed it."
        ),
        fix="Use the flag name the program has (the finding names the closest one).",
        references=("spf13/pflag flag.go (unknown flag error)", "k3s-io/docs docs/cli/server.md",
                    "kubernetes/website content/en/docs/setup/production-environment/tools/kubeadm/"
                    "control-plane-flags.md (extraArgs are the component's flags, without their dashes)",
                    "rancher/rke2-docs docs/reference/server_config.md",
                    "kubernetes/website content/en/docs/reference/command-line-tools-reference/ (kube-apiserver, "
                    "kube-controller-manager, kubelet, kube-proxy)",
                    "kubernetes/website content/en/docs/reference/setup-tools/kubeadm/generated/",
                    "kubernetes/kubernetes CHANGELOG/CHANGELOG-1.24.md (dockershim flags removed from the kubelet; "
                    "insecure-serving flags from kube-apiserver and kube-controller-manager)",
                    "kubernetes/website content/en/docs/concepts/cluster-administration/system-logs.md (klog flags "
                    "removed in v1.26)"),
        examples=(
            Example(name="a misspelt --cluster-cidr on kube-controller-manager",
                    files=(("kcm.sh", "kube-controller-manager --allocate-node-cidrs \\\n"
                                      "  --cluster-cider=10.244.0.0/16\n"),)),
            Example(name="a k3s config key that does not exist",
                    files=(("config.yaml", "cluster-cidr: 10.42.0.0/16\nflannel-backed: host-gw\n"),)),
            Example(name="a kubelet flag that is not misspelt but does not exist",
                    files=(("10-kubeadm.conf", "[Service]\n"
                                               "Environment=\"KUBELET_EXTRA_ARGS=--pod-network-cidr=10.244.0.0/16\"\n"),)),
            Example(name="a kubelet flag removed with dockershim",
                    files=(("kubelet.env", "KUBELET_ARGS=\"--network-plugin=cni --max-pods=110\"\n"),)),
            Example(name="a kubelet flag misspelt in a k3s config's kubelet-arg",
                    files=(("config.yaml", "cluster-cidr: 10.42.0.0/16\nkubelet-arg:\n  - max-pod=200\n"),)),
            Example(name="a misspelt flag in a kubeadm ClusterConfiguration's controllerManager.extraArgs",
                    files=(("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"
                                            "networking:\n  podSubnet: 10.244.0.0/16\ncontrollerManager:\n"
                                            "  extraArgs:\n    node-cidr-mask-sise: \"25\"\n"),)),
            Example(name="a removed kubelet flag in a v1beta4 InitConfiguration's kubeletExtraArgs",
                    files=(("init.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n"
                                         "nodeRegistration:\n  kubeletExtraArgs:\n    - name: network-plugin\n"
                                         "      value: cni\n"),)),
            Example(name="correct flags", fires=False,
                    files=(("kcm.sh", "kube-controller-manager --allocate-node-cidrs \\\n"
                                      "  --cluster-cidr=10.244.0.0/16\n"),)),
            Example(name="correct kubeadm extraArgs, and a scheduler's, whose flags are not listed", fires=False,
                    files=(("kubeadm.yaml", "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                                            "controllerManager:\n  extraArgs:\n    - name: node-cidr-mask-size\n"
                                            "      value: \"25\"\napiServer:\n  extraArgs:\n"
                                            "    - name: service-node-port-range\n      value: 30000-32767\n"
                                            "scheduler:\n  extraArgs:\n    - name: bind-address\n"
                                            "      value: 0.0.0.0\n"),)),
        ),
    ),
    check=check,
)
