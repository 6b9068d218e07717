"""The emitted files parse and carry the planned values under the keys each tool reads; the hand-off's
ports, MTU and routing follow the CNI's data path."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml

from netblame.dataplane.encap import OVERHEAD
from netblame.plan.emit import emit
from netblame.plan.propose import DISTRIBUTIONS, PlanRequest, make_plan
from netblame.underlay.handoff import HandoffInput, NodeRoute, make_handoff
from netblame.underlay.router import snippets


@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
@pytest.mark.parametrize("stack", ["ipv4", "dual"])
def test_distribution_files_parse_and_carry_the_plan(distribution: str, stack: str) -> None:
    plan = make_plan(PlanRequest(nodes=5, lan=("10.42.0.0/24",), distribution=distribution, cni="cilium",
                                 stack=stack))  # type: ignore[arg-type]
    files = {e.name: e.text for e in emit(plan)}
    pods = ",".join(str(f.pod_cidr) for f in plan.families)
    svcs = ",".join(str(f.service_cidr) for f in plan.families)
    if distribution == "microk8s":
        text = files["microk8s-args.txt"]
        assert f"--cluster-cidr={pods}" in text and f"--service-cluster-ip-range={svcs}" in text
        assert f"--cluster-dns={plan.dns_ip}" in text
        return
    name = next(n for n in files if n != "cilium-values.yaml")
    docs = list(yaml.safe_load_all(files[name]))
    doc = docs[0]
    if distribution == "kubeadm":
        assert doc["networking"]["podSubnet"] == pods and doc["networking"]["serviceSubnet"] == svcs
    elif distribution in ("k3s", "rke2"):
        assert doc["cluster-cidr"] == pods and doc["service-cidr"] == svcs and doc["cluster-dns"] == plan.dns_ip
    elif distribution == "k0s":
        assert doc["spec"]["network"]["podCIDR"] == str(plan.primary.pod_cidr)
        assert doc["spec"]["network"]["provider"] == "custom"
    elif distribution == "talos":
        assert doc["cluster"]["network"]["podSubnets"] == [str(f.pod_cidr) for f in plan.families]
        assert doc["cluster"]["network"]["cni"]["name"] == "none"
    values = yaml.safe_load(files["cilium-values.yaml"])
    assert values["ipam"]["operator"]["clusterPoolIPv4PodCIDRList"] == [str(plan.primary.pod_cidr)]


def test_flannel_net_conf_is_json_with_the_pod_range() -> None:
    plan = make_plan(PlanRequest(nodes=3, max_pods=300, cni="flannel"))
    conf = json.loads(next(e.text for e in emit(plan) if e.name == "net-conf.json"))
    assert conf["Network"] == str(plan.primary.pod_cidr)
    assert conf["SubnetLen"] == plan.primary.node_mask == 23  # 300 pods + 3 reserved need a /23
    assert conf["Backend"] == {"Type": "vxlan"}


@pytest.mark.parametrize(("cni", "routing", "encryption", "port", "layers"), [
    ("cilium", "vxlan", None, ("udp", "8472"), ("vxlan",)),
    ("cilium", "geneve", "wireguard", ("udp", "51871"), ("geneve", "wireguard")),
    ("calico", "ipip", None, ("ipip", None), ("ipip",)),
    ("calico", "vxlan", "wireguard", ("udp", "51820"), ("vxlan", "wireguard")),
    ("calico", "none", None, ("tcp", "179"), ()),
    ("flannel", "vxlan", None, ("udp", "8472"), ("vxlan",)),
])
def test_ports_and_mtu_follow_the_data_path(cni: str, routing: str, encryption: str | None,
                                            port: tuple[str, str | None], layers: tuple[str, ...]) -> None:
    h = make_handoff(HandoffInput(cni=cni, routing=routing, encryption=encryption, underlay_mtu=1500))
    assert port in {(p.protocol, p.port) for p in h.ports}
    assert h.mtu.encapsulation == layers
    assert h.mtu.pod_mtu == 1500 - sum(OVERHEAD[k][0] for k in layers)
    assert h.mtu.underlay_for_full_pods == 1500 + sum(OVERHEAD[k][0] for k in layers)


def test_routed_handoff_lists_one_route_per_node_range_and_the_peering() -> None:
    nodes = (NodeRoute("a", "192.168.1.11", ("10.10.0.0/24",)), NodeRoute("b", "192.168.1.12", ("10.10.1.0/24",)))
    h = make_handoff(HandoffInput(cni="calico", routing="none", nodes=nodes, router_ip="192.168.1.1", asn=65010))
    assert h.routing == "bgp"
    assert [(r.prefix, r.via) for r in h.routes] == [("10.10.0.0/24", "192.168.1.11"), ("10.10.1.0/24", "192.168.1.12")]
    out = snippets(h)
    assert "router bgp 65010" in out["frr-bgp.conf"] and " neighbor 192.168.1.12 peer-group K8S" in out["frr-bgp.conf"]
    assert "neighbor 192.168.1.11 as 65010" in out["bird-bgp.conf"]
    assert "peerIP: 192.168.1.1" in out["calico-bgp.yaml"] and "nodeToNodeMeshEnabled: false" in out["calico-bgp.yaml"]
    assert make_handoff(HandoffInput(cni="flannel", routing="vxlan", nodes=nodes)).routes == ()
    static = make_handoff(HandoffInput(cni="flannel", routing="host-gw", nodes=nodes))
    assert static.routing == "static" and "frr-bgp.conf" not in snippets(static)


def test_encryption_on_native_routing_still_needs_routes() -> None:
    nodes = (NodeRoute("a", "192.168.1.11", ("10.10.0.0/24",)),)
    h = make_handoff(HandoffInput(cni="cilium", routing="native", encryption="wireguard", nodes=nodes))
    assert h.routing == "static" and h.mtu.encapsulation == ("wireguard",) and h.mtu.pod_mtu == 1440
    assert ("udp", "51871") in {(p.protocol, p.port) for p in h.ports}


def test_written_plan_files_get_the_mode_a_shell_redirection_would(tmp_path: Path) -> None:
    from netblame.api.plan import write_files

    files = emit(make_plan(PlanRequest(nodes=3, cni="cilium")))
    kept = tmp_path / files[0].name
    kept.write_text("old")
    kept.chmod(0o604)
    old = os.umask(0o027)
    try:
        write_files(str(tmp_path), files)
    finally:
        os.umask(old)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604, "a replaced file keeps its mode"
    assert {stat.S_IMODE((tmp_path / f.name).stat().st_mode) for f in files[1:]} == {0o640}


def test_k3s_with_flannel_uses_its_bundled_flannel_not_a_second_manifest() -> None:
    files = {e.name: e.text for e in emit(make_plan(PlanRequest(nodes=3, distribution="k3s", cni="flannel")))}
    assert list(files) == ["k3s-config.yaml"]
    doc = yaml.safe_load(files["k3s-config.yaml"])
    assert doc["flannel-backend"] == "vxlan" and "disable-network-policy" not in doc


@pytest.mark.parametrize("distribution", ["kubeadm", "k3s", "rke2", "talos"])
def test_kube_router_gets_its_daemonset_args_and_a_node_allocated_range(distribution: str) -> None:
    plan = make_plan(PlanRequest(nodes=3, distribution=distribution, cni="kube-router"))
    files = {e.name: e.text for e in emit(plan)}
    args = yaml.safe_load(files["kube-router-args.yaml"])
    assert args == ["--run-router=true", "--run-firewall=true", "--run-service-proxy=false"]
    assert plan.primary.node_mask == 24 and plan.primary.cni_block is None
    if distribution == "rke2":
        assert yaml.safe_load(files["rke2-config.yaml"])["cni"] == "none"


def test_k0s_runs_its_own_kube_router() -> None:
    files = {e.name: e.text for e in emit(make_plan(PlanRequest(nodes=3, distribution="k0s", cni="kube-router")))}
    assert list(files) == ["k0s.yaml"]
    assert yaml.safe_load(files["k0s.yaml"])["spec"]["network"]["provider"] == "kuberouter"


@pytest.mark.parametrize("stack", ["ipv4", "dual", "ipv6"])
def test_antrea_conf_carries_the_service_ranges_encap_and_node_ipam(stack: str) -> None:
    plan = make_plan(PlanRequest(nodes=3, cni="antrea", stack=stack))  # type: ignore[arg-type]
    files = {e.name: e.text for e in emit(plan)}
    agent = yaml.safe_load(files["antrea-agent.conf"])
    assert agent["trafficEncapMode"] == "encap" and agent["tunnelType"] == "geneve"
    v4, v6 = plan.family(4), plan.family(6)
    assert agent.get("serviceCIDR") == (str(v4.service_cidr) if v4 else None)
    assert agent.get("serviceCIDRv6") == (str(v6.service_cidr) if v6 else None)
    assert yaml.safe_load(files["antrea-controller.conf"]) == {"nodeIPAM": {"enableNodeIPAM": False}}
    h = make_handoff(HandoffInput(cni="antrea", routing="geneve"))
    assert ("udp", "6081") in {(p.protocol, p.port) for p in h.ports} and h.mtu.encapsulation == ("geneve",)
