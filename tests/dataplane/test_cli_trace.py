"""``netblame trace`` from the command line: hop list, JSON schema, exit codes, bad input, the story."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
from tests.clirun import invoke
from tests.dataplane.build import cluster, edit_ns, ns_of, pod_ip
from tests.dataplane.harness import lab_name

from netblame.live.snapshot_io import save_snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def snap_file(tmp_path: Path) -> Path:
    path = tmp_path / "lab.json"
    save_snapshot(cluster("vxlan", nodes=3), path)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = invoke(*args)
    return result.exit_code, result.stdout, result.stderr


def run_process(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI as users run it (errors become one line and exit 2 only in the entry point)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "netblame", *args], check=False, capture_output=True, text=True,
                          env=env)


def test_hop_list_shows_namespaces_devices_routes_and_the_nested_header(snap_file: Path) -> None:
    code, out, _ = run("trace", "n1-p1", "n3-p2", "--snapshot", str(snap_file))
    assert code == 0
    assert "devices: veth1 -> cni0 -> flannel.1 -> eth0" in out
    assert "10.244.2.0/24 via 10.244.2.0 dev flannel.1 (table main)" in out
    assert "outer VXLAN VNI 1: 192.168.50.11 -> 192.168.50.13 udp/8472 (+50 bytes)" in out
    assert out.rstrip().splitlines()[-1].startswith("DELIVERED: n1-p1 (10.244.0.2) reaches n3-p2 (10.244.2.3)")


def test_json_follows_the_documented_schema(snap_file: Path) -> None:
    code, out, _ = run("trace", "n1-p1", "10.244.1.3", "--proto", "udp", "--dport", "53", "--snapshot",
                       str(snap_file), "-o", "json")
    doc = json.loads(out)
    assert code == 0 and doc["schema"] == "netblame/trace/v1" and doc["disposition"] == "DELIVERED"
    assert doc["flow"]["proto"] == "udp" and doc["flow"]["dport"] == 53
    assert [h["label"] for h in doc["hops"]] == ["n1-p1", "nb-n1", "lan", "nb-n2", "n2-p2"]
    assert doc["branches"][0]["hops"] == doc["hops"]
    documented = (ROOT / "docs" / "trace-schema.md").read_text()
    for key in [*doc, *doc["hops"][0], *doc["hops"][0]["steps"][0], *doc["hops"][1]["encap"][0]]:
        assert f"`{key}`" in documented, key


def test_a_dropped_packet_exits_1_and_names_the_place(tmp_path: Path) -> None:
    snap = cluster("host-routes")
    snap = edit_ns(snap, "n1", routes=tuple(r for r in ns_of(snap, "n1").routes if r.dst != "10.244.1.0/24"))
    path = tmp_path / "s.json"
    save_snapshot(snap, path)
    code, out, _ = run("trace", "n1-p1", pod_ip(snap, "n2-p1"), "--snapshot", str(path))
    assert code == 1
    assert out.rstrip().splitlines()[-1] == (
        "NO_ROUTE: nb-n1 has no route to 10.244.1.2, so the packet from n1-p1 (10.244.0.2) is dropped there, "
        "although 10.244.1.2 lies in node n2's pod range 10.244.1.0/24.")


def test_ns_dev_source_and_df(snap_file: Path) -> None:
    code, out, _ = run("trace", "nb-n1:eth0", "192.168.50.12", "--size", "1600", "--df", "--snapshot",
                       str(snap_file))
    assert code == 1 and "MTU_EXCEEDED" in out and "EMSGSIZE" in out


@pytest.mark.parametrize(("args", "message"), [
    (["n9-p9", "n1-p1"], "source 'n9-p9' is neither an address nor a pod"),
    (["n1-p1", "nb-n1:eth9"], "nb-n1 has no device 'eth9'"),
    (["10.9.9.9", "n1-p1"], "source address 10.9.9.9 is not on any device"),
])
def test_bad_endpoints_are_one_line_and_exit_2(snap_file: Path, args: list[str], message: str) -> None:
    proc = run_process("trace", *args, "--snapshot", str(snap_file))
    assert proc.returncode == 2 and proc.stdout == ""
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_an_address_held_twice(tmp_path: Path) -> None:
    snap = cluster("host-routes")
    n2p1 = ns_of(snap, "n2-p1")
    twin = msgspec.structs.replace(n2p1.addresses[0], address=pod_ip(snap, "n1-p1"))
    path = tmp_path / "s.json"
    save_snapshot(edit_ns(snap, "n2-p1", addresses=(*n2p1.addresses, twin)), path)
    proc = run_process("trace", pod_ip(snap, "n1-p1"), "n2-p2", "--snapshot", str(path))
    assert proc.returncode == 2 and "is held by 2 namespaces (n1-p1, n2-p1)" in proc.stderr
    code, out, _ = run("trace", "n2-p2", pod_ip(snap, "n1-p1"), "--snapshot", str(path))
    assert code == 0 and "10.244.0.2 (held by 2 namespaces)" in out.splitlines()[0]


def test_exactly_one_source_of_state(snap_file: Path) -> None:
    code, _, err = run("trace", "n1-p1", "n2-p1")
    assert code == 2 and "exactly one of --snapshot FILE, --live or --lab NAME" in err


def test_missing_pod_on_a_node_without_a_range(tmp_path: Path) -> None:
    snap = cluster("host-routes", nodes=2)
    nodes = tuple(msgspec.structs.replace(n, pod_cidrs=(), namespaces=tuple(
        ns for ns in n.namespaces if ns.role != "pod")) if n.name == "n2" else n for n in snap.nodes)
    path = tmp_path / "s.json"
    save_snapshot(msgspec.structs.replace(snap, nodes=nodes), path)
    code, out, _ = run("trace", "n1-p1", "n2-p1", "--snapshot", str(path))
    assert code == 1
    assert out.rstrip().splitlines()[-1] == (
        "NO_ROUTE: n2-p1 cannot be reached because node n2 has no pod range (n1 took 10.244.0.0/24), so n2 runs "
        "no pods and no node has a route to it.")


@pytest.mark.root
def test_story_lab_explains_why_the_second_node_has_no_path() -> None:
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    from netblame import lab

    name = lab_name("trstory")
    lab.down(name)
    try:
        lab.up(lab.LabSpec(name=name, pod_cidr="172.16.0.0/24", node_mask=24, nodes=4))
        code, out, _ = run("trace", "n1-p1", "n2-p1", "--lab", name)
        assert code == 1
        assert out.rstrip().splitlines()[-1] == (
            "NO_ROUTE: n2-p1 cannot be reached because node n2 has no pod range: the pod range 172.16.0.0/24 cut "
            "into /24 node ranges holds 1 for 4 nodes and n1 took 172.16.0.0/24 (give --pod-cidr a /22, or "
            "--node-mask 26), so n2 runs no pods and no node has a route to it.")
        code, out, _ = run("trace", "n1-p1", "172.16.1.2", "--lab", name, "-o", "json")
        doc = json.loads(out)
        assert code == 1 and doc["disposition"] == "NO_ROUTE" and doc["hops"][-1]["label"] == f"nb-{name}-n1"
        assert "n2, n3, n4 have no pod range" in doc["explanation"]
    finally:
        lab.down(name)


def test_the_command_is_one_library_call() -> None:
    from netblame.dataplane import Dataplane, Disposition
    from netblame.dataplane.verdict import trace_between

    snap = cluster("vxlan", nodes=2)
    answer = trace_between(Dataplane(snap), "n1-p1", "n2-p1", proto="udp", dport=53)
    assert answer.result.disposition is Disposition.DELIVERED and answer.result.flow.dport == 53
    assert answer.src_label == f"n1-p1 ({pod_ip(snap, 'n1-p1')})"
    assert answer.explanation.startswith(f"{answer.src_label} reaches {answer.dst_label} via ")


def test_an_unparseable_pod_range_does_not_stop_the_explanation(tmp_path: Path) -> None:
    snap = cluster("host-routes")
    snap = edit_ns(snap, "n1", routes=tuple(r for r in ns_of(snap, "n1").routes if r.dst != "10.244.1.0/24"))
    nodes = tuple(msgspec.structs.replace(n, pod_cidrs=("10.244.0.0/33",)) if n.name == "n1" else n
                  for n in snap.nodes)
    path = tmp_path / "s.json"
    save_snapshot(msgspec.structs.replace(snap, nodes=nodes), path)
    code, out, _ = run("trace", "n1-p1", pod_ip(snap, "n2-p1"), "--snapshot", str(path))
    assert code == 1
    assert out.rstrip().splitlines()[-1].endswith("although 10.244.1.2 lies in node n2's pod range 10.244.1.0/24.")


def test_an_address_as_source_is_the_host_that_owns_it_sending_unbound(snap_file: Path) -> None:
    # n1's LAN address: the route to n2's pods leaves by flannel.1, not by the device holding the address.
    code, out, _ = run("trace", "192.168.50.11", "n2-p1", "--snapshot", str(snap_file))
    assert code == 0, out
    assert "source address 192.168.50.11" in out.splitlines()[0]
    assert "devices: flannel.1 -> eth0" in out


def test_namespace_device_as_source_is_a_socket_bound_to_it(snap_file: Path) -> None:
    # Bound to eth0, no route to n2's pods leads out of it: the kernel assumes the destination is on link there.
    code, out, _ = run("trace", "n1:eth0", "n2-p1", "--snapshot", str(snap_file))
    assert code == 1
    assert "the socket is bound to eth0" in out and "NEIGHBOR_FAILED" in out


def test_mark_option(snap_file: Path) -> None:
    code, out, _ = run("trace", "n1-p1", "n2-p1", "--mark", "0x10", "--snapshot", str(snap_file), "-o", "json")
    assert code == 0 and json.loads(out)["flow"]["mark"] == 16
    bad = run_process("trace", "n1-p1", "n2-p1", "--mark", "ten", "--snapshot", str(snap_file))
    # A usage error: the option named, no traceback.
    assert bad.returncode == 2 and "Invalid value for --mark: expected a number" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_policy_rule_skipped_for_the_packets_mark_is_said(tmp_path: Path) -> None:
    from netblame.model.snapshot import PolicyRule as Rule

    snap = cluster("vxlan")
    snap = edit_ns(snap, "n1", rules=(Rule(family=4, priority=0, action="lookup", table="local"),
                                      Rule(family=4, priority=100, action="blackhole", fwmark=0x10),
                                      Rule(family=4, priority=32766, action="lookup", table="main")))
    path = tmp_path / "s.json"
    save_snapshot(snap, path)
    code, out, _ = run("trace", "n1-p1", "n2-p1", "--snapshot", str(path))
    assert code == 0 and "policy rule 100 (fwmark 0x10) was skipped" in out
    code, out, _ = run("trace", "n1-p1", "n2-p1", "--mark", "16", "--snapshot", str(path))
    assert code == 0  # the mark is scrubbed on the veth into n1: only the pod's own lookups see it
