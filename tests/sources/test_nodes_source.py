"""`kubectl get nodes -o json|yaml`: the same dump in both formats gives the same model."""

from __future__ import annotations

import json
from ipaddress import ip_address
from typing import Any

import pytest
import yaml
from source_helpers import Reader, cluster_of, kinds


def node(name: str, internal: str, pod_cidrs: list[str] | None, external: str | None = None) -> dict[str, Any]:
    """A Node as `kubectl get node -o json` prints it (fields netblame does not read trimmed)."""
    addresses = [{"address": internal, "type": "InternalIP"}, {"address": name, "type": "Hostname"}]
    if external:
        addresses.insert(1, {"address": external, "type": "ExternalIP"})
    spec: dict[str, Any] = {}
    if pod_cidrs:
        spec = {"podCIDR": pod_cidrs[0], "podCIDRs": pod_cidrs}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "annotations": {"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
                            "node.alpha.kubernetes.io/ttl": "0"},
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "labels": {"kubernetes.io/arch": "arm64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"},
            "name": name,
            "resourceVersion": "4242",
            "uid": "5b6c3f3e-0000-4000-8000-000000000000",
        },
        "spec": spec,
        "status": {
            "addresses": addresses,
            "capacity": {"cpu": "4", "memory": "7993328Ki", "pods": "110"},
            "nodeInfo": {"architecture": "arm64", "kubeletVersion": "v1.30.2", "osImage": "Debian GNU/Linux 12"},
        },
    }


DUMP = {
    "apiVersion": "v1",
    "kind": "List",
    "items": [
        node("pi-1", "192.168.1.11", ["10.244.0.0/24", "fd00:10:244::/64"], external="203.0.113.7"),
        node("pi-2", "192.168.1.12", ["10.244.1.0/24", "fd00:10:244:1::/64"]),
        node("pi-3", "192.168.1.13", None),
    ],
    "metadata": {"resourceVersion": ""},
}


@pytest.fixture
def both(read: Reader) -> tuple[Any, Any]:
    from_json = read(nodes__json=json.dumps(DUMP, indent=4))
    from_yaml = read(nodes__yaml=yaml.safe_dump(DUMP, sort_keys=False))
    return from_json, from_yaml


def _plain(cluster: Any) -> list[tuple[str, list[str], list[Any]]]:
    return [(n.name, [c.text for c in n.pod_cidrs], [a.value for a in n.addresses]) for n in cluster.nodes]


def test_json_and_yaml_dumps_give_equal_nodes(both: tuple[Any, Any]) -> None:
    from_json, from_yaml = (cluster_of(x) for x in both)
    assert _plain(from_json) == _plain(from_yaml)
    assert _plain(from_json) == [
        ("pi-1", ["10.244.0.0/24", "fd00:10:244::/64"], [ip_address("192.168.1.11"), ip_address("203.0.113.7")]),
        ("pi-2", ["10.244.1.0/24", "fd00:10:244:1::/64"], [ip_address("192.168.1.12")]),
        ("pi-3", [], [ip_address("192.168.1.13")]),
    ]
    assert {kind for x in both for kind in kinds(x).values()} == {"kubernetes-nodes"}


def test_origins_name_the_item_in_json_and_the_line_in_yaml(both: tuple[Any, Any]) -> None:
    from_json, from_yaml = (cluster_of(x) for x in both)
    assert from_json.nodes[1].pod_cidrs[0].origin.object == "items[1] (node pi-2)"
    origin = from_yaml.nodes[1].pod_cidrs[0].origin
    path = both[1].inputs[0].path
    with open(path) as handle:
        line = handle.read().splitlines()[origin.line - 1]
    assert line.strip() == "podCIDRs:"
    assert origin.object == "node pi-2"


def test_single_node_and_podcidr_only(read: Reader) -> None:
    one = node("worker-3", "10.0.0.3", None)
    one["spec"] = {"podCIDR": "10.244.3.0/24"}
    cluster = cluster_of(read(node__json=json.dumps(one)))
    assert [(n.name, [c.text for c in n.pod_cidrs]) for n in cluster.nodes] == [("worker-3", ["10.244.3.0/24"])]
    assert cluster.nodes[0].origin.object == "node worker-3"


def test_list_of_other_objects_is_not_nodes(read: Reader) -> None:
    loaded = read(pods__json=json.dumps({"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "x"}}]}),
                  errors_ok=True)
    assert not loaded.fragments
    assert "not a recognised input" in loaded.errors[0].message


def test_nodes_after_other_objects_in_a_list_are_read(read: Reader) -> None:
    mixed = {"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "web"}},
                                       node("worker-1", "10.0.0.1", ["10.244.1.0/24"])]}
    loaded = read(all__json=json.dumps(mixed))
    cluster = cluster_of(loaded)
    assert [n.name for n in cluster.nodes] == ["worker-1"]
    assert cluster.nodes[0].origin.object == "items[1] (node worker-1)"


def test_bad_address_is_one_clear_error(read: Reader) -> None:
    dump = json.loads(json.dumps(DUMP))
    dump["items"][2]["status"]["addresses"][0]["address"] = "192.168.1.300"
    loaded = read(nodes__json=json.dumps(dump), errors_ok=True)
    assert [str(e).rsplit("/", 1)[-1] for e in loaded.errors] == [
        "nodes.json: node pi-3: status.addresses: expected an IP address for InternalIP, got '192.168.1.300'"]
