"""Every style builds a lab whose pods reach each other across nodes, as the state file describes it."""

from __future__ import annotations

import ipaddress
import json
import subprocess
from collections.abc import Callable

import pytest
from lab_oracle import broken_pairs, lab_name, ping

from netblame.lab.state import STATE_DIR, LabState, load

pytestmark = pytest.mark.root

LABS: dict[str, dict[str, object]] = {
    "ltv": {"style": "vxlan", "cni": "bridge"}, "ltr": {"style": "routed", "cni": "ptp"},
    "lth": {"style": "host-routes", "cni": "bridge"}, "lthp": {"style": "host-routes", "cni": "ptp"},
    "ltrr": {"style": "routed", "cni": "bridge", "route_reflector": True},
}


@pytest.fixture(scope="module", params=sorted(LABS))
def built(request: pytest.FixtureRequest, build_lab: Callable[..., LabState]) -> LabState:
    return build_lab(name=lab_name(request.param), **LABS[request.param])


def _ip_json(namespace: str, *args: str) -> list[dict[str, object]]:
    out = subprocess.run(["ip", "-j", "-n", namespace, *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out) if out.strip() else []


def test_every_pod_reaches_every_other_pod(built: LabState) -> None:
    assert broken_pairs(built) == set()
    # not only the first pod of each node: every pod pair across nodes
    failures = [(a.name, b.name) for a in built.pods for b in built.pods
                if a.node != b.node and b.ip and not ping(a.namespace, b.ip)]
    assert failures == []


def test_state_file_matches_the_kernel(built: LabState) -> None:
    state = load(built.name)
    assert state.complete and len(state.nodes) == 3 and len(state.pods) == 6
    for pod in state.pods:
        node = state.node(pod.node)
        assert pod.ip is not None and node.pod_cidr is not None
        assert ipaddress.ip_address(pod.ip) in ipaddress.ip_network(node.pod_cidr)
        addrs = _ip_json(pod.namespace, "addr", "show", "eth0")
        assert [(a["local"], a["prefixlen"]) for a in addrs[0]["addr_info"] if a["family"] == "inet"] == [
            (pod.ip, pod.prefixlen)]
        assert addrs[0]["mtu"] == state.pod_mtu
    for node in state.nodes:
        uplink = _ip_json(node.namespace, "addr", "show", node.uplink_dev)[0]
        assert node.uplink_ip in [a["local"] for a in uplink["addr_info"]]


def test_style_specific_path(built: LabState) -> None:
    """Node n1 reaches n2's pod range the way the style says."""
    n2 = built.node("n2")
    routes = _ip_json(built.node("n1").namespace, "route", "show", "exact", str(n2.pod_cidr))
    assert len(routes) == 1, routes
    route = routes[0]
    if built.style == "vxlan":
        assert route["dev"] == "flannel.1" and "onlink" in route.get("flags", [])
        link = _ip_json(built.node("n1").namespace, "-d", "link", "show", "flannel.1")[0]["linkinfo"]["info_data"]
        assert (link["id"], link["port"]) == (1, 8472)
        fdb = subprocess.run(["bridge", "-j", "-n", built.node("n1").namespace, "fdb", "show", "dev", "flannel.1"],
                             capture_output=True, text=True, check=True).stdout
        assert {"mac": n2.vtep_mac, "dst": n2.uplink_ip} in [{"mac": e["mac"], "dst": e.get("dst")}
                                                              for e in json.loads(fdb)]
    else:
        assert (route["gateway"], route["dev"]) == (n2.uplink_ip, "eth0")
        assert route.get("protocol") == ("bird" if built.style == "routed" else None)


@pytest.mark.parametrize("lab_id", [k for k, v in LABS.items() if v["style"] == "routed"])
def test_bgp_sessions(lab_id: str, build_lab: Callable[..., LabState]) -> None:
    """Full mesh: every node peers with the two others; with a route reflector, only with the reflector."""
    built = build_lab(name=lab_name(lab_id), **LABS[lab_id])  # the module's lab of that id, built once
    work = STATE_DIR / built.name

    def established(speaker: str) -> list[str]:
        out = subprocess.run(["birdc", "-s", str(work / f"bird-{speaker}.ctl"), "show", "protocols"],
                             capture_output=True, text=True, check=True).stdout
        return sorted(line.split()[0] for line in out.splitlines() if "Established" in line)

    if built.route_reflector:
        assert built.router_namespace == f"nb-{built.name}-rtr"
        assert established("rtr") == ["peer_n1", "peer_n2", "peer_n3"]
        assert [established(n.name) for n in built.nodes] == [["peer_rtr"]] * 3
    else:
        assert built.router_namespace is None
        assert [established(n.name) for n in built.nodes] == [
            ["peer_n2", "peer_n3"], ["peer_n1", "peer_n3"], ["peer_n1", "peer_n2"]]
