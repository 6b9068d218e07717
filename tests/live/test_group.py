"""Grouping a lab's namespaces into nodes, and holders' cgroup paths into pod UIDs and container ids."""

from __future__ import annotations

from netblame.live.discover import holder_from_cgroup
from netblame.live.group import group_lab, one_node
from netblame.model.snapshot import Namespace


def _ns(name: str) -> Namespace:
    return Namespace(id=name, role="other", name=name)


def test_lab_namespaces_become_nodes_pods_and_the_lan() -> None:
    names = ["nb-x-n10", "nb-x-n2-p1", "nb-x-lan", "nb-x-n2", "nb-x-rtr", "nb-x-n10-p2", "nb-y-n1", "other"]
    state = {"nodes": [{"name": "n2", "namespace": "nb-x-n2", "pod_cidr": "10.244.2.0/24"},
                       {"name": "n10", "namespace": "nb-x-n10", "pod_cidr": None}],
             "pods": [{"name": "n2-p1", "namespace": "nb-x-n2-p1", "node": "n2", "ip": "10.244.2.2"}]}
    nodes = group_lab("x", state, [_ns(n) for n in names])
    assert [(n.name, n.role, n.pod_cidrs) for n in nodes] == [
        ("n2", "node", ("10.244.2.0/24",)), ("n10", "node", ()), ("lan", "network", ())]
    n2, n10, lan = nodes
    assert [(ns.id, ns.role, ns.pod) for ns in n2.namespaces] == [("nb-x-n2", "host", None),
                                                                    ("nb-x-n2-p1", "pod", "n2-p1")]
    assert [(ns.id, ns.role, ns.pod) for ns in n10.namespaces] == [("nb-x-n10", "host", None),
                                                                     ("nb-x-n10-p2", "pod", "n10-p2")]
    assert [ns.id for ns in lan.namespaces] == ["nb-x-lan", "nb-x-rtr"]
    ids = [ns.id for node in nodes for ns in node.namespaces]
    assert len(ids) == len(set(ids)) == 6


def test_without_a_state_file_names_decide() -> None:
    nodes = group_lab("x", None, [_ns("nb-x-n1"), _ns("nb-x-n1-p3"), _ns("nb-x-lan")])
    assert [(n.name, [ns.pod for ns in n.namespaces]) for n in nodes] == [("n1", [None, "n1-p3"]), ("lan", [None])]


def test_one_machine_is_one_node() -> None:
    node = one_node("pi1", [_ns("a")])
    assert node.name == "pi1" and node.role == "node" and len(node.namespaces) == 1


def test_holders_from_both_cgroup_drivers() -> None:
    cid = "4f" * 32
    systemd = ("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b1c2d3e_4f5a_6b7c_8d9e_0f1a2b3c4d5e"
               f".slice/cri-containerd-{cid}.scope")
    h = holder_from_cgroup(42, "pause", systemd)
    assert (h.pod_uid, h.container_id) == ("0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e", cid)
    cgroupfs = f"/kubepods/besteffort/pod0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e/{cid}"
    h = holder_from_cgroup(43, "nginx", cgroupfs)
    assert (h.pod_uid, h.container_id) == ("0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e", cid)
    crio = holder_from_cgroup(44, "x", f"/kubepods.slice/kubepods-pod0b1c2d3e_4f5a_6b7c_8d9e_0f1a2b3c4d5e.slice/"
                                       f"crio-{cid}.scope")
    assert crio.container_id == cid
    plain = holder_from_cgroup(45, "sleep", "/user.slice/user-0.slice/session-1.scope")
    assert (plain.pod_uid, plain.container_id) == (None, None)
