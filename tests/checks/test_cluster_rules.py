"""The NB1xx rules on ClusterNetwork objects built in code: what fires, what it says, and that every
suggested fix value passes every rule when applied."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import replace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from netblame.checks import default_registry
from netblame.checks.cluster.wording import NO_ROOM
from netblame.findings import Finding
from netblame.model.cidr import Cidr, parse_cidr
from netblame.model.cluster import ClusterNetwork, CniConfig, Conflict, NodeInfo
from netblame.model.origin import Origin, Sourced, default, flag
from netblame.plan.address import plan_addresses

F = Origin(file="kubeadm.yaml", line=5)
V = Origin(file="values.yaml", line=3)
N = Origin(file="nodes.json", object="nodes")


def c(text: str, origin: Origin = F) -> Cidr:
    return parse_cidr(text, origin)


def node(name: str, ip: str, *pods: str) -> NodeInfo:
    return NodeInfo(name=name, origin=N, addresses=(Sourced(ipaddress.ip_address(ip), N),),
                    pod_cidrs=tuple(c(p, N) for p in pods))


def cilium(*pools: str, mode: str = "cluster-pool", mask: int = 24, pool_default: bool = False) -> CniConfig:
    origin = default("cilium chart") if pool_default else V
    return CniConfig(name="cilium", origin=V, ipam_mode=Sourced(mode, V), pools=tuple(c(p, origin) for p in pools),
                     block_v4=Sourced(mask, V))


def run(cluster: ClusterNetwork) -> list[Finding]:
    return [f for rule in default_registry() if isinstance(cluster, rule.meta.applies_to) for f in rule.run(cluster)]


def ids(cluster: ClusterNetwork) -> list[str]:
    return sorted({f.rule for f in run(cluster)})


def pi_nodes(count: int = 4, with_pod: int = 1) -> tuple[NodeInfo, ...]:
    return tuple(node(f"pi-{i + 1}", f"192.168.1.{11 + i}", *([f"172.16.{i}.0/24"] if i < with_pod else []))
                 for i in range(count))


def test_nb101_story_names_the_range_mask_count_and_fix() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("172.16.0.0/24"),), service_cidrs=(c("10.96.0.0/12"),),
                             cnis=(cilium("172.16.0.0/24"),), nodes=pi_nodes())
    found = [f for f in run(cluster) if f.rule == "NB101"]
    assert len(found) == 1, "the Cilium pool equal to the pod range is one finding, not two"
    msg, fix = found[0].message, found[0].fix
    assert "172.16.0.0/24" in msg and "/24 node mask" in msg and "1 of 4 nodes" in msg and "3 are left" in msg
    assert "--pod-network-cidr 172.16.0.0/16" in fix
    assert 'ipam.operator.clusterPoolIPv4PodCIDRList: ["172.16.0.0/16"]' in fix


def test_nb101_prefix_equal_to_mask_is_an_error_alone() -> None:
    found = [f for f in run(ClusterNetwork(pod_cidrs=(c("10.244.0.0/24"),))) if f.rule == "NB101"]
    assert found and "exactly one node" in found[0].message
    assert ids(ClusterNetwork(pod_cidrs=(c("10.244.0.0/23"),))) == []


def test_nb101_counts_planned_nodes_and_dual_stack() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("10.244.0.0/22"), c("fd00:10::/62")),
                             planned_nodes=Sourced(5, flag("--nodes")))
    msgs = [f.message for f in run(cluster) if f.rule == "NB101"]
    assert any("10.244.0.0/22" in m and "4 of 5 nodes" in m for m in msgs)
    assert any("fd00:10::/62" in m and "/64 node mask" in m and "4 of 5 nodes" in m for m in msgs)


def test_nb101_quiet_when_kcm_does_not_allocate() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("10.244.0.0/24"),), allocate_node_cidrs=Sourced(False, F))
    assert "NB101" not in ids(cluster)


def test_nb101_cilium_pool_too_small_on_its_own() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), cnis=(cilium("172.16.0.0/23", mask=24),),
                             nodes=pi_nodes(4, 4))
    found = [f for f in run(cluster) if f.rule == "NB101"]
    assert len(found) == 1 and "2 of 4 nodes" in found[0].message
    assert "clusterPoolIPv4PodCIDRList" in found[0].fix


def test_nb102_kcm_message_and_cilium_pool() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("10.244.0.0/24"),), node_mask_v4=Sourced(20, F),
                             cnis=(cilium("10.0.0.0/26", mask=24),))
    found = [f for f in run(cluster) if f.rule == "NB102"]
    assert any("Invalid --cluster-cidr" in f.message for f in found)
    assert any("10.0.0.0/26" in f.message and "required IPv4 PodCIDR" in f.message for f in found)


def test_nb103_pod_and_cilium_default_pool_against_services() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), service_cidrs=(c("10.96.0.0/12"),),
                             cnis=(cilium("10.0.0.0/8", pool_default=True),))
    found = [f for f in run(cluster) if f.rule == "NB103"]
    assert len(found) == 1 and "10.0.0.0/8" in found[0].message and "10.96.0.0/12" in found[0].message
    quiet = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), service_cidrs=(c("10.96.0.0/12"),),
                           cnis=(cilium("172.16.0.0/16"),))
    assert "NB103" not in ids(quiet)


def test_nb104_groups_node_addresses_and_lan() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("192.168.0.0/16"),), lan=(c("192.168.1.0/24", flag("--lan")),),
                             nodes=tuple(node(f"n{i}", f"192.168.1.{i + 10}") for i in range(8)))
    found = [f for f in run(cluster) if f.rule == "NB104"]
    assert len(found) == 1
    assert "8 nodes" in found[0].message and "and 3 more" in found[0].message and "--lan range" in found[0].message


def test_nb104_reports_a_pool_equal_to_the_pod_range_once() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("192.168.0.0/16"),), lan=(c("192.168.1.0/24", flag("--lan")),),
                             cnis=(cilium("192.168.0.0/16"),))
    found = [f for f in run(cluster) if f.rule == "NB104"]
    assert len(found) == 1 and found[0].message.startswith("pod range 192.168.0.0/16")
    assert "--pod-network-cidr 172.16.0.0/16" in found[0].fix and '["172.16.0.0/16"]' in found[0].fix


def test_nb104_cilium_default_pool_on_a_10_lan() -> None:
    cluster = ClusterNetwork(lan=(c("10.1.0.0/16", flag("--lan")),), cnis=(cilium("10.0.0.0/8", pool_default=True),))
    found = [f for f in run(cluster) if f.rule == "NB104"]
    assert len(found) == 1 and "Cilium" in found[0].message
    assert "clusterPoolIPv4PodCIDRList" in found[0].fix


@pytest.mark.parametrize(("cni", "expect"), [
    (cilium("10.0.0.0/8", pool_default=True), "default pool 10.0.0.0/8"),
    (CniConfig(name="calico", origin=V, pools=(c("192.168.0.0/16", V),)), "Calico (ipam calico-ipam)"),
    (CniConfig(name="flannel", origin=V, pools=(c("10.244.0.0/16", V),)), "does not contain"),
    (cilium("10.0.0.0/8", mode="kubernetes"), "ignores the pool"),
])
def test_nb105_says_which_range_takes_effect(cni: CniConfig, expect: str) -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), cnis=(cni,))
    found = [f for f in run(cluster) if f.rule == "NB105"]
    assert len(found) == 1 and expect in found[0].message


def test_nb105_quiet_when_pool_matches_or_flannel_contains() -> None:
    same = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), cnis=(cilium("172.16.0.0/16"),))
    flannel = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),),
                             cnis=(CniConfig(name="flannel", origin=V, pools=(c("10.244.0.0/15", V),)),))
    assert "NB105" not in ids(same) and "NB105" not in ids(flannel)


def test_nb107_host_local_cilium_and_calico() -> None:
    assert "NB107" in ids(ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), node_mask_v4=Sourced(26, F)))
    assert "NB107" not in ids(ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), node_mask_v4=Sourced(25, F)))
    # Cilium keeps 4 of a /25: 124 >= 110; with maxPods 125 it does not fit.
    tight = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), cnis=(cilium("10.244.0.0/16", mask=25),))
    assert "NB107" not in ids(tight)
    over = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), cnis=(cilium("10.244.0.0/16", mask=25),),
                          max_pods=Sourced(125, F))
    assert next(f.fix for f in run(over) if f.rule == "NB107").startswith(
        "Cilium values `ipam.operator.clusterPoolIPv4MaskSize: 24`")
    calico = CniConfig(name="calico", origin=V, pools=(c("192.168.0.0/24", V),), block_v4=Sourced(26, V))
    small = ClusterNetwork(cnis=(calico,), planned_nodes=Sourced(3, flag("--nodes")))
    assert "NB107" in ids(small)
    assert "NB107" not in ids(ClusterNetwork(cnis=(calico,), planned_nodes=Sourced(2, flag("--nodes"))))


def test_nb107_max_pods_no_block_can_hold_asks_only_for_fewer_pods() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), cnis=(cilium("10.244.0.0/16"),),
                             max_pods=Sourced(10**10, F))
    fixes = [f.fix for f in run(cluster) if f.rule == "NB107"]
    assert fixes == ["lower kubelet `maxPods: 252`"]
    no_cni = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), max_pods=Sourced(10**10, F))
    assert [f.fix for f in run(no_cni) if f.rule == "NB107"] == ["lower kubelet `maxPods: 253`"]


def test_nb107_block_without_room_for_pods_does_not_offer_max_pods_0() -> None:
    for cluster in (ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), node_mask_v4=Sourced(31, F)),
                    ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), cnis=(cilium("10.244.0.0/16", mask=31),))):
        (fix,) = [f.fix for f in run(cluster) if f.rule == "NB107"]
        assert "maxPods: 0" not in fix and "25" in fix


def test_nb107_calico_fix_offers_only_values_that_exist() -> None:
    calico = CniConfig(name="calico", origin=V, pools=(c("10.244.0.0/20", V),), block_v4=Sourced(26, V))
    many = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), cnis=(calico,), planned_nodes=Sourced(5000, F))
    (fix,) = [f.fix for f in run(many) if f.rule == "NB107"]
    assert fix == "give the Calico IPPool a larger `spec.cidr` (a /12 or larger)"
    absurd = replace(many, planned_nodes=Sourced(10**8, F))
    (fix,) = [f.fix for f in run(absurd) if f.rule == "NB107"]
    assert "/-" not in fix and "maxPods: 0" not in fix


def test_nb108_overlap_outside_and_missing() -> None:
    flannel = CniConfig(name="flannel", origin=V, pools=(c("10.244.0.0/16", V),))
    nodes = (node("a", "192.168.1.2", "10.244.1.0/24"), node("b", "192.168.1.3", "10.244.1.0/25"),
             node("c", "192.168.1.4", "10.99.0.0/24"), node("d", "192.168.1.5"))
    cluster = ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), cnis=(flannel,), nodes=nodes)
    msgs = [f.message for f in run(cluster) if f.rule == "NB108"]
    assert any("1 node has a podCIDR overlapping another node's: b 10.244.1.0/25 with a 10.244.1.0/24" in m
               for m in msgs)
    assert any("outside" in m and "c 10.99.0.0/24" in m for m in msgs)
    assert any("1 of 4 nodes has no IPv4 podCIDR (d)" in m and 'node "d" pod cidr not assigned' in m for m in msgs)


def test_nb108_many_nodes_on_one_podcidr_is_one_finding() -> None:
    nodes = tuple(node(f"n{i}", f"192.168.1.{i + 2}", "10.244.7.0/24") for i in range(200))
    found = [f for f in run(ClusterNetwork(pod_cidrs=(c("10.244.0.0/16"),), nodes=nodes)) if f.rule == "NB108"]
    assert len(found) == 1 and "199 nodes have podCIDRs overlapping" in found[0].message
    assert "and 194 more" in found[0].message


def test_nb108_missing_is_quiet_for_cilium_cluster_pool() -> None:
    cluster = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), cnis=(cilium("172.16.0.0/16"),),
                             nodes=pi_nodes(4, 0))
    assert "NB108" not in ids(cluster)
    k8s = ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), cnis=(cilium(mode="kubernetes"),), nodes=pi_nodes(4, 0))
    assert any("required IPv4 PodCIDR not available" in f.message for f in run(k8s) if f.rule == "NB108")


def test_nb109_size_limits_and_dns() -> None:
    v4 = [f for f in run(ClusterNetwork(service_cidrs=(c("10.0.0.0/8"),))) if f.rule == "NB109"]
    assert len(v4) == 1 and "the mask must be >= 12" in v4[0].message and "10.0.0.0/12" in v4[0].fix
    v6 = [f for f in run(ClusterNetwork(service_cidrs=(c("fd00::/100"),))) if f.rule == "NB109"]
    assert len(v6) == 1 and "for 128-bit addresses, the mask must be >= 108" in v6[0].message
    assert "NB109" not in ids(ClusterNetwork(service_cidrs=(c("fd00::/108"),)))
    dns = ClusterNetwork(service_cidrs=(c("10.96.0.0/12"),),
                         cluster_dns=(Sourced(ipaddress.ip_address("10.10.0.10"), F),))
    found = [f for f in run(dns) if f.rule == "NB109"]
    assert len(found) == 1 and '`clusterDNS: ["10.96.0.10"]`' in found[0].fix
    tiny = next(f for f in run(ClusterNetwork(service_cidrs=(c("10.96.0.0/29"),))) if f.rule == "NB109")
    assert "10th address" in tiny.message


def test_nb109_small_service_range_without_room_says_so() -> None:
    """With every private range taken, the fix must not repeat the range that is too small."""
    lan = tuple(c(n, Origin(flag="--lan")) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
    tiny = next(f for f in run(ClusterNetwork(service_cidrs=(c("10.96.0.0/29"),), lan=lan)) if f.rule == "NB109")
    assert tiny.fix.startswith(NO_ROOM) and "/28 or larger" in tiny.fix and "10.96.0.0/29" not in tiny.fix


def test_nb110_names_both_origins_and_who_wins() -> None:
    conflict = Conflict("pod_cidrs (IPv4)", (Sourced("10.244.0.0/16", F), Sourced("172.16.0.0/16", V)))
    found = [f for f in run(ClusterNetwork(conflicts=(conflict,))) if f.rule == "NB110"]
    assert len(found) == 1
    assert "kubeadm.yaml:5" in found[0].message and "values.yaml:3" in found[0].message
    assert "--cluster-cidr" in found[0].message


PLAN_RULES = {"NB101", "NB102", "NB103", "NB104", "NB105", "NB107", "NB109", "NB111"}
FIXED_POOL = {"cilium": re.compile(r"cluster-pool-ipv4-cidr: ([0-9.]+/\d+)"),
              "calico": re.compile(r'CALICO_IPV4POOL_CIDR: "([0-9.]+/\d+)"')}
FIXED_MASK = re.compile(r"--node-cidr-mask-size-ipv4=(\d+)")
FIXED_VALUE = re.compile(r"--pod-network-cidr ([0-9a-f.:/,]+)|--service-cidr ([0-9a-f.:/,]+)")


def apply_fixes(cluster: ClusterNetwork, findings: list[Finding]) -> ClusterNetwork:
    """The cluster as it is once every suggested pod range, service range, node mask and pool is set
    (node podCIDRs dropped: they would be reassigned)."""
    pods, services, mask = cluster.pod_cidrs, cluster.service_cidrs, cluster.node_mask_v4
    for f in findings:
        for match in FIXED_VALUE.finditer(f.fix):
            if match.group(1):
                pods = tuple(c(t) for t in match.group(1).split(","))
            else:
                services = tuple(c(t) for t in match.group(2).split(","))
        for match in FIXED_MASK.finditer(f.fix):
            mask = Sourced(int(match.group(1)), F)
    # With a pod range, the fixes point every CNI pool at it; without one, a pool moves where its fix says.
    moved = {name: c(m.group(1)) for f in findings for name, rx in FIXED_POOL.items() for m in rx.finditer(f.fix)}
    cnis = tuple(replace(cni, pools=pods or ((moved[cni.name],) if cni.name in moved else cni.pools))
                 for cni in cluster.cnis)
    return ClusterNetwork(pod_cidrs=pods, service_cidrs=services, nodes=tuple(
        NodeInfo(name=n.name, origin=n.origin, addresses=n.addresses) for n in cluster.nodes), lan=cluster.lan,
        node_mask_v4=mask, planned_nodes=cluster.planned_nodes, cnis=cnis)


@pytest.mark.parametrize("cluster", [
    ClusterNetwork(pod_cidrs=(c("172.16.0.0/24"),), service_cidrs=(c("10.96.0.0/12"),), nodes=pi_nodes(),
                   lan=(c("192.168.1.0/24", flag("--lan")),)),
    ClusterNetwork(pod_cidrs=(c("10.96.0.0/16"),), service_cidrs=(c("10.96.0.0/12"),)),
    ClusterNetwork(pod_cidrs=(c("192.168.0.0/16"),), lan=(c("192.168.0.0/16", flag("--lan")),
                                                          c("172.16.0.0/12", flag("--lan")))),
    ClusterNetwork(pod_cidrs=(c("10.244.0.0/24"),), node_mask_v4=Sourced(20, F)),
    ClusterNetwork(pod_cidrs=(c("172.16.0.0/16"),), service_cidrs=(c("10.0.0.0/8"),)),
    ClusterNetwork(pod_cidrs=(c("fd00:10::/64"),), service_cidrs=(c("fd00:10::/100"),)),
], ids=["story", "pod-in-service", "lan", "smaller-than-block", "service-too-large", "ipv6"])
def test_suggested_values_pass_every_rule(cluster: ClusterNetwork) -> None:
    """Apply each suggested pod/service range and check again: no finding of the PLAN_RULES remains."""
    findings = run(cluster)
    assert findings
    assert [f.message for f in run(apply_fixes(cluster, findings)) if f.rule in PLAN_RULES] == []


# Random address plans, both families: no rule may crash, and applying every suggested pod and
# service range must leave none of the PLAN_RULES standing.
NETS_V4 = ["10.0.0.0/8", "10.96.0.0/12", "10.244.0.0/16", "10.244.0.0/24", "172.16.0.0/24", "172.16.0.0/12",
           "192.168.0.0/16", "192.168.1.0/24", "10.1.0.0/16", "10.0.0.0/29", "100.64.0.0/10"]
NETS_V6 = ["fd00::/104", "fd00:10::/56", "fd00:10::/64", "fd00::/100", "fd00::/108", "2001:db8::/32", "fd00::/8"]


@st.composite
def plans(draw: st.DrawFn) -> ClusterNetwork:
    families = draw(st.sampled_from([(4,), (6,), (4, 6)]))
    nets = {4: NETS_V4, 6: NETS_V6}
    pods = tuple(c(draw(st.sampled_from(nets[f]))) for f in families if draw(st.booleans()))
    services = tuple(c(draw(st.sampled_from(nets[f]))) for f in families if draw(st.booleans()))
    # (LANs covering fd00::/8, or both 10.0.0.0/8 and 172.16.0.0/12, leave no private room to suggest.)
    lan_choices = [n for n in NETS_V4 + NETS_V6 if n not in ("fd00::/8", "172.16.0.0/12")]
    lan = tuple(c(t, flag("--lan")) for t in draw(st.lists(st.sampled_from(lan_choices), max_size=2)))
    count = draw(st.integers(0, 6))
    nodes = tuple(node(f"n{i}", f"192.168.1.{10 + i}", *([f"10.244.{i}.0/24"] if draw(st.booleans()) else []))
                  for i in range(count))
    cnis = tuple(draw(st.lists(st.sampled_from([
        cilium("10.0.0.0/8", pool_default=True), cilium("172.16.0.0/16", mask=25), cilium(mode="kubernetes"),
        CniConfig(name="calico", origin=V, pools=(c("192.168.0.0/16", V),), block_v4=Sourced(26, V)),
        CniConfig(name="flannel", origin=V, pools=(c("10.244.0.0/16", V),)),
    ]), max_size=2, unique_by=lambda cni: cni.name)))
    mask = draw(st.sampled_from([None, 20, 24, 26]))
    return ClusterNetwork(pod_cidrs=pods, service_cidrs=services, lan=lan, nodes=nodes, cnis=cnis,
                          node_mask_v4=Sourced(mask, F) if mask else None,
                          planned_nodes=Sourced(draw(st.integers(1, 300)), flag("--nodes"))
                          if draw(st.booleans()) else None)


@settings(max_examples=300, deadline=None)
@given(plans())
def test_random_plans_fixes_pass_every_rule(cluster: ClusterNetwork) -> None:
    planned = plan_addresses(cluster)
    # Where the private ranges leave no room (257 nodes at a /20 node mask beside a 10.0.0.0/8 LAN), the
    # fix says so without a value; the property is about the values suggested.
    assume(all(c.family in planned.pods for c in cluster.pod_cidrs))
    assume(all(c.family in planned.services for c in cluster.service_cidrs))
    findings = run(cluster)
    assume(not any(NO_ROOM in f.fix for f in findings))
    for f in findings:
        assert f.message and f.fix and f.location
    assert [f.message for f in run(apply_fixes(cluster, findings)) if f.rule in PLAN_RULES] == []


def test_ipv6_side_of_a_dual_stack_cluster() -> None:
    """Each rule reads the IPv6 ranges on their own: only the IPv6 mistakes are reported, in IPv6 terms."""
    nodes = (NodeInfo(name="a", origin=N, addresses=(Sourced(ipaddress.ip_address("fd00:1::a"), N),),
                      pod_cidrs=(c("10.244.1.0/24", N),)),)
    flannel = CniConfig(name="flannel", origin=V, pools=(c("10.244.0.0/16", V), c("fd00:10::/56", V)))
    cluster = ClusterNetwork(
        pod_cidrs=(c("10.244.0.0/16"), c("fd00:10::/72")),          # /72 is smaller than a /64 node block
        service_cidrs=(c("10.96.0.0/12"), c("fd00:10::/112")),     # inside the IPv6 pod range
        lan=(c("fd00:1::/64", flag("--lan")),), cnis=(flannel,), nodes=nodes)
    found = {f.rule: f for f in run(cluster)}
    assert "fd00:10::/72" in found["NB102"].message and "/64 node mask" in found["NB102"].message
    assert "fd00:10::/72" in found["NB103"].message and "fd00:10::/112" in found["NB103"].message
    assert "no IPv6 podCIDR" in found["NB108"].message and "10.244" not in found["NB108"].message
    new_pods = FIXED_VALUE.search(found["NB102"].fix)
    assert new_pods is not None and new_pods.group(1).startswith("10.244.0.0/16,fd00:")
    assert "NB101" not in found and "NB104" not in found


def test_without_a_pod_range_the_fix_uses_the_range_flannel_expects() -> None:
    flannel = CniConfig(name="flannel", origin=V, pools=(c("10.244.0.0/16", V),))
    cluster = ClusterNetwork(service_cidrs=(c("10.96.0.0/12"),), cnis=(flannel,), nodes=pi_nodes(4, 0))
    [found] = [f for f in run(cluster) if f.rule == "NB108"]
    assert "no pod range is configured" in found.message
    assert found.fix.startswith("`kubeadm init --pod-network-cidr 10.244.0.0/16`") and "Flannel" not in found.fix
