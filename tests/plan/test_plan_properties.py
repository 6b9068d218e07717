"""``netblame plan``: for random node counts, growth figures and LAN sets, every file it emits passes
``netblame check`` (the library call, on the written files), and the ranges keep the promises the output
makes (private space, clear of every listed network, room for every node)."""

from __future__ import annotations

import ipaddress
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netblame import ClusterFlags, check
from netblame.api.check import assemble
from netblame.errors import InputError
from netblame.ipmath import PRIVATE_V4, PRIVATE_V6, contains, overlaps
from netblame.model.cluster import ClusterNetwork
from netblame.plan.emit import emit
from netblame.plan.propose import CNIS, PlanRequest, make_plan
from netblame.sources import builtin_sources, load_paths

# The distributions besides kubeadm whose emitted configuration netblame's own readers read back
# (sources/k3s.py, sources/distros.py; MicroK8s's per-file edits "args/kube-apiserver: --flag=..." through
# sources/flagtext.py, as the component flags they are, without naming the distribution).
READ_BACK = ("k3s", "rke2", "k0s", "talos", "microk8s")


@st.composite
def private_nets(draw: st.DrawFn) -> str:
    """A LAN-like private IPv4 network anywhere in RFC 1918, /12 (a large VPN) to /28."""
    pool = draw(st.sampled_from(PRIVATE_V4))
    prefix = draw(st.integers(min_value=max(pool.prefixlen, 12), max_value=28))
    offset = draw(st.integers(min_value=0, max_value=(1 << (prefix - pool.prefixlen)) - 1))
    base = int(pool.network_address) + (offset << (32 - prefix))
    return str(ipaddress.IPv4Network((base, prefix)))


requests = st.builds(
    PlanRequest,
    nodes=st.integers(min_value=1, max_value=3000),
    growth=st.integers(min_value=0, max_value=2000),
    max_pods=st.sampled_from([16, 64, 110, 250, 500]),
    lan=st.lists(private_nets(), min_size=0, max_size=3).map(tuple),
    avoid=st.lists(st.sampled_from(["100.64.0.0/10", "10.8.0.0/24", "172.18.0.0/16", "192.168.0.0/16"]),
                   max_size=2, unique=True).map(tuple),
    cni=st.sampled_from([None, *CNIS]),
    distribution=st.sampled_from(["kubeadm", "kubeadm", *READ_BACK]),
    stack=st.sampled_from(["ipv4", "ipv4", "dual", "ipv6"]),
)


def _check_written(req: PlanRequest) -> tuple[list[str], int]:
    plan = make_plan(req)
    with tempfile.TemporaryDirectory() as tmp:
        for e in emit(plan):
            (Path(tmp) / e.name).write_text(e.text)
        report = check([tmp], flags=ClusterFlags(nodes=req.nodes + req.growth, lan=req.lan + req.avoid,
                                                 max_pods=req.max_pods))
    assert not report.errors, [str(e) for e in report.errors]
    skipped = [i.path for i in report.inputs if i.kind is None]
    assert not skipped, f"no reader for {skipped}"  # every file plan writes is one netblame reads
    return [f"{f.rule}: {f.message}" for f in report.findings], len(report.inputs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests)
def test_everything_plan_emits_passes_check(req: PlanRequest) -> None:
    findings, read = _check_written(req)
    assert findings == []
    assert read >= 1


@settings(max_examples=150, deadline=None)
@given(requests)
def test_ranges_are_private_clear_and_large_enough(req: PlanRequest) -> None:
    plan = make_plan(req)
    avoided = [ipaddress.ip_network(t) for t in (*req.lan, *req.avoid)] + [ipaddress.ip_network("172.17.0.0/16")]
    for fam in plan.families:
        private = PRIVATE_V4 if fam.family == 4 else PRIVATE_V6
        for net in (fam.pod_cidr, fam.service_cidr):
            assert any(contains(p, net) for p in private), net
            assert not any(overlaps(net, a) for a in avoided), net
        assert not overlaps(fam.pod_cidr, fam.service_cidr)
        assert fam.node_capacity >= req.nodes + req.growth
        assert fam.node_capacity == 1 << (fam.node_mask - fam.pod_cidr.prefixlen)
        assert fam.pods_per_node == req.max_pods  # the node mask is chosen to hold maxPods
    assert ipaddress.ip_address(plan.dns_ip) in plan.primary.service_cidr


@settings(max_examples=60, deadline=None)
@given(requests.filter(lambda r: r.distribution in READ_BACK))
def test_each_distributions_file_reads_back_as_the_plan(req: PlanRequest) -> None:
    """k3s/RKE2 config.yaml, k0s.yaml, the Talos patch and MicroK8s's args edits, read by netblame's
    readers, give back exactly the pod and service ranges the plan chose, in every family."""
    plan = make_plan(req)
    with tempfile.TemporaryDirectory() as tmp:
        (main, *_) = emit(plan)
        (Path(tmp) / main.name).write_text(main.text)
        loaded = load_paths([tmp], builtin_sources())
    assert not loaded.errors, [str(e) for e in loaded.errors]
    read = next(s for s in assemble(loaded.fragments) if isinstance(s, ClusterNetwork))
    if req.distribution != "microk8s":
        assert read.distribution is not None and read.distribution.value == req.distribution
    assert {c.text for c in read.pod_cidrs} == {str(f.pod_cidr) for f in plan.families}
    assert {c.text for c in read.service_cidrs} == {str(f.service_cidr) for f in plan.families}


@settings(max_examples=40, deadline=None)
@given(requests.filter(lambda r: r.cni == "antrea" or (r.cni == "kube-router" and r.distribution != "k0s")))
def test_each_cni_file_reads_back_as_the_plan(req: PlanRequest) -> None:
    """Antrea's antrea-agent.conf gives back the service ranges the plan chose (antrea-controller.conf leaves
    node IPAM to kube-controller-manager: no pod range of its own), kube-router's args no range at all: its
    pods take each node's podCIDR. (k0s deploys kube-router itself: no file.)"""
    plan = make_plan(req)
    cni_files = emit(plan)[1:]
    with tempfile.TemporaryDirectory() as tmp:
        for e in cni_files:
            (Path(tmp) / e.name).write_text(e.text)
        loaded = load_paths([tmp], builtin_sources())
    assert not loaded.errors, [str(e) for e in loaded.errors]
    assert len(loaded.inputs) == len(cni_files) and all(i.kind for i in loaded.inputs)
    read = [s for s in assemble(loaded.fragments) if isinstance(s, ClusterNetwork)]
    services = {c.text for s in read for c in s.service_cidrs}
    pods = {c.text for s in read for c in s.pod_cidrs}
    assert pods == set() and cni_files
    assert services == ({str(f.service_cidr) for f in plan.families} if req.cni == "antrea" else set())


def test_the_story_plan() -> None:
    """The story's cluster: four Raspberry Pis on 192.168.1.0/24 with Cilium."""
    req = PlanRequest(nodes=4, lan=("192.168.1.0/24",), cni="cilium")
    plan = make_plan(req)
    findings, _ = _check_written(req)
    assert findings == []
    assert plan.primary.pod_cidr == ipaddress.ip_network("172.16.0.0/16")
    story = [r for r in plan.rejected if r.choice == "pod range 172.16.0.0/24"]
    assert story and "1 of 4 nodes" in story[0].reason


def test_every_distribution_emits_its_file() -> None:
    names = {d: [e.name for e in emit(make_plan(PlanRequest(nodes=3, distribution=d, cni="calico")))]
             for d in ("kubeadm", "k3s", "rke2", "k0s", "microk8s", "talos")}
    assert names["kubeadm"][0] == "kubeadm.yaml" and names["talos"][0] == "talos-patch.yaml"
    assert all("calico-installation.yaml" in n for n in names.values())


def test_default_that_collides_is_rejected_with_its_reason() -> None:
    plan = make_plan(PlanRequest(nodes=3, lan=("10.42.7.0/24",), distribution="k3s"))
    assert not overlaps(plan.primary.pod_cidr, ipaddress.ip_network("10.42.7.0/24"))
    assert any(r.choice == "k3s's default pod range 10.42.0.0/16" and "10.42.7.0/24" in r.reason
               for r in plan.rejected)


def test_tight_private_space_still_plans_with_less_headroom() -> None:
    """Hypothesis found it: LANs over 172.16/12 and all of 10/8 leave only 192.168/16, which must hold both."""
    plan = make_plan(PlanRequest(nodes=1, max_pods=16, lan=("172.16.0.0/12", "10.0.0.0/9", "10.128.0.0/9")))
    fam = plan.primary
    assert contains(ipaddress.ip_network("192.168.0.0/16"), fam.pod_cidr)
    assert contains(ipaddress.ip_network("192.168.0.0/16"), fam.service_cidr)
    assert not overlaps(fam.pod_cidr, fam.service_cidr) and fam.node_capacity >= 1


def test_no_private_space_left_is_one_clear_error() -> None:
    with pytest.raises(InputError, match="no free private IPv4 ranges for the pods and the services"):
        make_plan(PlanRequest(nodes=3, lan=("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")))
