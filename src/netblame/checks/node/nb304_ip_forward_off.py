"""NB304: IP forwarding is off on a node that routes pod traffic."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.checks.node.common import hosts, pod_addresses, pod_ranges, sysctl_cmd, where
from netblame.checks.node.examples import Data, host, two_nodes
from netblame.findings import Diagnostic, Severity
from netblame.model.snapshot import Snapshot

KEYS = {4: "net.ipv4.ip_forward", 6: "net.ipv6.conf.all.forwarding"}


def check(snapshot: Snapshot) -> Iterator[Diagnostic]:
    for node in snapshot.nodes:
        families = {ip.version for _, ip in pod_addresses(node)} | {n.version for n in pod_ranges(node)}
        for ns in hosts(node):
            for family in sorted(families):
                key = KEYS[family]
                if ns.sysctls.get(key) != "0":
                    continue
                yield Diagnostic(
                    message=(f"{key} is 0 on node {node.name}, which holds pods or a pod range "
                             f"(IPv{family}): the kernel does not forward between its pods and the other nodes, "
                             "so pods only reach their own node"),
                    fix=(f"turn it on: `{sysctl_cmd(ns, key + '=1')}`, and keep it on across reboots with "
                         f"`echo {key} = 1 > /etc/sysctl.d/99-kubernetes.conf` (kubeadm's preflight check "
                         "requires it)"),
                    location=where(node, ns),
                )


def _off(data: Data) -> None:
    host(data, 2)["sysctls"]["net.ipv4.ip_forward"] = "0"


RULE = Rule(
    meta=RuleMeta(
        id="NB304",
        name="ip-forward-off",
        title="IP forwarding off on a node that routes pods",
        severity=Severity.ERROR,
        applies_to=Snapshot,
        summary="net.ipv4.ip_forward (or net.ipv6.conf.all.forwarding) is 0 on a node that holds pods.",
        rationale=(
            "Every packet between a pod and anything outside its node is forwarded by the node's kernel, from the "
            "pod's veth or bridge to the uplink or tunnel device. With forwarding off the kernel drops these "
            "packets: pods reach their own node and nothing else. Forwarding is often switched off by a "
            "hardening profile, a sysctl.d file applied after kubelet started, or a reboot that lost a runtime "
            "setting."
        ),
        fix="Set the sysctl to 1 now and in /etc/sysctl.d so that it survives reboots.",
        references=(
            "Linux Documentation/networking/ip-sysctl.rst: ip_forward, conf/all/forwarding",
            "kubeadm preflight (kubernetes/kubernetes cmd/kubeadm/app/preflight/checks.go) refuses such a node: "
            "[ERROR FileContent--proc-sys-net-ipv4-ip_forward]: /proc/sys/net/ipv4/ip_forward contents are not "
            "set to 1",
        ),
        examples=(
            Example(name="forwarding switched off on n2", files=(("snap.json", two_nodes(_off)),)),
            Example(name="forwarding on", files=(("snap.json", two_nodes()),), fires=False),
        ),
    ),
    check=check,
)
