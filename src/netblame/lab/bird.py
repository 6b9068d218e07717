"""The ``routed`` style: BIRD 2 in every node namespace with a pod range, a full iBGP mesh over the LAN
(like Calico's default node-to-node mesh), each node announcing its pod range and exporting the routes
it learns into the kernel (``proto bird``, metric 32, BIRD's kernel-protocol default).

A node's configuration is derived from the lab state (its range, and the ``missing-route`` faults that
keep a learnt route out of its kernel table), so a fault or heal rewrites the files and runs
``birdc configure``; :func:`sync` then waits until every node's kernel table holds what it should.
"""

from __future__ import annotations

import time
from pathlib import Path

from netblame.errors import LabError
from netblame.lab import _run
from netblame.lab.plan import BGP_ASN
from netblame.lab.state import LabState, NodeState, work_dir

CONVERGE_TIMEOUT = 30.0


def _files(state: LabState, node: NodeState) -> tuple[Path, Path, Path, Path]:
    base = work_dir(state.name) / f"bird-{node.name}"
    return (base.with_suffix(".conf"), base.with_suffix(".ctl"), base.with_suffix(".pid"),
            base.with_suffix(".log"))


def speakers(state: LabState) -> list[NodeState]:
    """The nodes running BIRD: those the plan gave a pod range (BIRD keeps running while a fault takes it)."""
    return [n for n in state.nodes if n.pod_cidr is not None or _files(state, n)[0].exists()]


def suppressed(state: LabState, node: NodeState) -> list[str]:
    """Prefixes kept out of ``node``'s kernel table by ``missing-route`` faults."""
    return sorted({str(f.undo["prefix"]) for f in state.faults if f.name == "missing-route" and f.node == node.name})


def config(state: LabState, node: NodeState) -> str:
    """BIRD 2 configuration for ``node``."""
    _, _, _, log = _files(state, node)
    hidden = suppressed(state, node)
    drop = f"if net ~ [ {', '.join(hidden)} ] then reject; " if hidden else ""
    announce = f"  route {node.pod_cidr} blackhole;\n" if node.pod_cidr else ""
    peers = "".join(f"protocol bgp peer_{p.name} from mesh {{ neighbor {p.uplink_ip} as {BGP_ASN}; }}\n"
                    for p in speakers(state) if p.name != node.name)
    return (f'log "{log}" all;\n'
            f"router id {node.uplink_ip};\n"
            "protocol device { scan time 10; }\n"
            "protocol kernel {\n"
            f"  ipv4 {{ import none; export filter {{ {drop}if source = RTS_BGP then accept; reject; }}; }};\n"
            "}\n"
            f"protocol static pod_range {{\n  ipv4;\n{announce}}}\n"
            "template bgp mesh {\n"
            f"  local {node.uplink_ip} as {BGP_ASN};\n"
            "  direct;\n"
            "  hold time 6; keepalive time 2; connect delay time 1; connect retry time 2; error wait time 1, 4;\n"
            "  ipv4 { import all; export where source = RTS_STATIC; next hop self; gateway direct; };\n"
            "}\n"
            f"{peers}")


def _birdc(state: LabState, node: NodeState, *args: str) -> str:
    _, ctl, _, _ = _files(state, node)
    return _run.run(["birdc", "-s", str(ctl), *args]).stdout


def start(state: LabState) -> None:
    """Write every speaker's configuration, start BIRD in its namespace, wait for convergence."""
    nodes = speakers(state)
    for node in nodes:
        conf, ctl, pid, _ = _files(state, node)
        conf.write_text(config(state, node))
    for node in nodes:
        conf, ctl, pid, _ = _files(state, node)
        _run.run(_run.in_netns(node.namespace, ["bird", "-c", str(conf), "-s", str(ctl), "-P", str(pid)]))
    wait(state)


def sync(state: LabState) -> None:
    """Rewrite changed configurations, ``birdc configure`` them, wait for the kernel tables to follow."""
    for node in speakers(state):
        conf, _, _, _ = _files(state, node)
        text = config(state, node)
        if conf.read_text() != text:
            conf.write_text(text)
            out = _birdc(state, node, "configure")
            if "Reconfigured" not in out and "Reconfiguration in progress" not in out:
                raise LabError(f"BIRD on {node.name} refused the new configuration: {out.strip().splitlines()[-1]}")
    wait(state)


def expected_routes(state: LabState, node: NodeState) -> set[str]:
    """The pod ranges ``node``'s kernel table should hold from BIRD (its own announcement beats a learnt
    route for the same range: static routes have the higher BIRD preference)."""
    learnt = {p.pod_cidr for p in speakers(state) if p.name != node.name and p.pod_cidr is not None}
    return learnt - {node.pod_cidr} - set(suppressed(state, node))


def _kernel_routes(node: NodeState) -> set[str]:
    return {str(r["dst"]) for r in _run.ip_json(node.namespace, "route", "show", "proto", "bird")}


def wait(state: LabState, timeout: float = CONVERGE_TIMEOUT) -> None:
    """Until every BGP session is Established and every kernel table holds exactly its expected routes."""
    deadline = time.monotonic() + timeout
    nodes = speakers(state)
    pending: list[str] = []
    while time.monotonic() < deadline:
        pending = []
        for node in nodes:
            protocols = _birdc(state, node, "show", "protocols")
            sessions = [line for line in protocols.splitlines() if line.startswith("peer_")]
            if len(sessions) != len(nodes) - 1 or any("Established" not in line for line in sessions):
                pending.append(f"{node.name}: BGP not established")
            elif _kernel_routes(node) != expected_routes(state, node):
                pending.append(f"{node.name}: routes {sorted(_kernel_routes(node))}, "
                               f"expected {sorted(expected_routes(state, node))}")
        if not pending:
            return
        time.sleep(0.2)
    raise LabError(f"BGP did not converge in {timeout:.0f}s: {'; '.join(pending)}")


def pidfiles(lab: str) -> list[Path]:
    """Pid files of the lab's BIRD daemons (for ``down``)."""
    return sorted(work_dir(lab).glob("bird-*.pid"))
