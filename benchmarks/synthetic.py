"""Synthetic ``kubectl get nodes -o json`` output in the real format (a ``List`` of ``Node`` objects
as kubectl prints them), deterministic for a given seed. Used by the benchmarks."""

from __future__ import annotations

import ipaddress
import random
import uuid
from typing import Any


def node_item(name: str, internal_ip: str, pod_cidrs: list[str], *, rng: random.Random, control_plane: bool = False,
              arch: str = "arm64", ready: bool = True) -> dict[str, Any]:
    """One Node object with the fields kubectl prints for a kubeadm node (v1.31, containerd)."""
    labels = {
        "beta.kubernetes.io/arch": arch,
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": arch,
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    taints: list[dict[str, str]] = []
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
        taints.append({"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"})
    if not ready:
        taints.append({"effect": "NoSchedule", "key": "node.kubernetes.io/not-ready"})
    spec: dict[str, Any] = {}
    if pod_cidrs:
        spec["podCIDR"] = pod_cidrs[0]
        spec["podCIDRs"] = pod_cidrs
    if taints:
        spec["taints"] = taints
    stamp = "2026-11-28T19:02:11Z"
    ready_condition = (
        {"lastHeartbeatTime": stamp, "lastTransitionTime": stamp, "message": "kubelet is posting ready status",
         "reason": "KubeletReady", "status": "True", "type": "Ready"}
        if ready else
        {"lastHeartbeatTime": stamp, "lastTransitionTime": stamp,
         "message": "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                    "message:Network plugin returns error: cni plugin not initialized",
         "reason": "KubeletNotReady", "status": "False", "type": "Ready"})
    pressure = [
        {"lastHeartbeatTime": stamp, "lastTransitionTime": stamp, "message": f"kubelet has {what}",
         "reason": reason, "status": "False", "type": kind}
        for kind, reason, what in (
            ("MemoryPressure", "KubeletHasSufficientMemory", "sufficient memory available"),
            ("DiskPressure", "KubeletHasNoDiskPressure", "no disk pressure"),
            ("PIDPressure", "KubeletHasSufficientPID", "sufficient PID available"))
    ]
    resources = {"cpu": "4", "ephemeral-storage": "61091660Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                 "hugepages-32Mi": "0", "hugepages-64Ki": "0", "memory": "8245588Ki", "pods": "110"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "creationTimestamp": stamp,
            "labels": labels,
            "name": name,
            "resourceVersion": str(rng.randrange(10_000, 999_999)),
            "uid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        },
        "spec": spec,
        "status": {
            "addresses": [{"address": internal_ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": {**resources, "memory": "8143188Ki", "ephemeral-storage": "56302146611"},
            "capacity": resources,
            "conditions": [*pressure, ready_condition],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": [],
            "nodeInfo": {
                "architecture": arch,
                "bootID": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.6.62+rpt-rpi-2712" if arch == "arm64" else "6.1.0-28-amd64",
                "kubeProxyVersion": "",
                "kubeletVersion": "v1.31.3",
                "machineID": f"{rng.getrandbits(128):032x}",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": f"{rng.getrandbits(128):032x}",
            },
        },
    }


def node_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``List`` kubectl wraps ``get nodes -o json`` output in."""
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


def cluster_nodes(count: int, *, seed: int = 2026, pod_range: str = "10.64.0.0/10", mask: int = 24,
                  lan: str = "10.0.0.0/16") -> dict[str, Any]:
    """``count`` ready amd64 nodes on ``lan``, each with the next /``mask`` block of ``pod_range``."""
    rng = random.Random(seed)
    pods = ipaddress.ip_network(pod_range).subnets(new_prefix=mask)
    hosts = ipaddress.ip_network(lan).hosts()
    items = [node_item(f"node-{i:05d}", str(next(hosts)), [str(next(pods))], rng=rng, control_plane=i < 3,
                       arch="amd64") for i in range(count)]
    return node_list(items)
