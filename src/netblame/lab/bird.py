"""The ``routed`` style: BIRD 2 in every node namespace with a pod range, over the LAN either a full iBGP
mesh (like Calico's default node-to-node mesh) or sessions to a route reflector, BIRD in the router
namespace; each node announces its pod range and exports the routes it learns into the kernel
(``proto bird``, metric 32, BIRD's kernel-protocol default).

A node's configuration is derived from the lab state (its range, and the ``missing-route`` faults that
keep a learnt route out of its kernel table), so a fault or heal rewrites the files and runs
``birdc configure``; :func:`sync` then waits until every node's kernel table holds what it should.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from netblame.errors import LabError
from netblame.lab import _run
from netblame.lab.layout import BGP_ASN, lan_router_ip, router_namespace
from netblame.lab.state import LabState, NodeState, work_dir

CONVERGE_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Speaker:
    """A BIRD instance: a node's, or the route reflector's in the router namespace (``node`` None)."""

    name: str
    namespace: str
    ip: str
    node: NodeState | None


def _files(state: LabState, name: str) -> tuple[Path, Path, Path, Path]:
    base = work_dir(state.name) / f"bird-{name}"
    return (base.with_suffix(".conf"), base.with_suffix(".ctl"), base.with_suffix(".pid"),
            base.with_suffix(".log"))


def speakers(state: LabState) -> list[Speaker]:
    """The nodes running BIRD (those the plan gave a pod range: BIRD keeps running while a fault takes it),
    then the route reflector, when the lab has one."""
    out = [Speaker(n.name, n.namespace, n.uplink_ip, n) for n in state.nodes
           if n.pod_cidr is not None or _files(state, n.name)[0].exists()]
    if state.route_reflector:
        out.append(Speaker("rtr", router_namespace(state.name), lan_router_ip(state.lan_cidr), None))
    return out


def peers(state: LabState, speaker: Speaker) -> list[Speaker]:
    """Whom ``speaker`` has a BGP session with: every other node (full mesh), or the reflector and its clients."""
    everyone = speakers(state)
    if not state.route_reflector:
        return [p for p in everyone if p.name != speaker.name]
    if speaker.node is None:
        return [p for p in everyone if p.node is not None]
    return [p for p in everyone if p.node is None]


def suppressed(state: LabState, node: NodeState) -> list[str]:
    """Prefixes kept out of ``node``'s kernel table by ``missing-route`` faults."""
    return sorted({str(f.undo["prefix"]) for f in state.faults if f.name == "missing-route" and f.node == node.name})


TIMERS = "  hold time 6; keepalive time 2; connect delay time 1; connect retry time 2; error wait time 1, 4;\n"


def config(state: LabState, speaker: Speaker) -> str:
    """BIRD 2 configuration for ``speaker``."""
    _, _, _, log = _files(state, speaker.name)
    sessions = "".join(f"protocol bgp peer_{p.name} from nbpeer {{ neighbor {p.ip} as {BGP_ASN}; }}\n"
                       for p in peers(state, speaker))
    head = f'log "{log}" all;\nrouter id {speaker.ip};\nprotocol device {{ scan time 10; }}\n'
    template = f"template bgp nbpeer {{\n  local {speaker.ip} as {BGP_ASN};\n  direct;\n{TIMERS}"
    node = speaker.node
    if node is None:  # the reflector: reflects every client's routes to the others, installs nothing
        return f"{head}{template}  rr client;\n  ipv4 {{ import all; export all; }};\n}}\n{sessions}"
    hidden = suppressed(state, node)
    drop = f"if net ~ [ {', '.join(hidden)} ] then reject; " if hidden else ""
    announce = f"  route {node.pod_cidr} blackhole;\n" if node.pod_cidr else ""
    return (f"{head}"
            "protocol kernel {\n"
            f"  ipv4 {{ import none; export filter {{ {drop}if source = RTS_BGP then accept; reject; }}; }};\n"
            "}\n"
            f"protocol static pod_range {{\n  ipv4;\n{announce}}}\n"
            f"{template}"
            "  ipv4 { import all; export where source = RTS_STATIC; next hop self; gateway direct; };\n"
            "}\n"
            f"{sessions}")


def _birdc(state: LabState, speaker: Speaker, *args: str) -> str:
    _, ctl, _, _ = _files(state, speaker.name)
    return _run.run(["birdc", "-s", str(ctl), *args]).stdout


def start(state: LabState) -> None:
    """Write every speaker's configuration, start BIRD in its namespace, wait for convergence."""
    everyone = speakers(state)
    for speaker in everyone:
        _files(state, speaker.name)[0].write_text(config(state, speaker))
    for speaker in everyone:
        conf, ctl, pid, _ = _files(state, speaker.name)
        _run.run(_run.in_netns(speaker.namespace, ["bird", "-c", str(conf), "-s", str(ctl), "-P", str(pid)]))
    wait(state)


def sync(state: LabState) -> None:
    """Rewrite changed configurations, ``birdc configure`` them, wait for the kernel tables to follow."""
    for speaker in speakers(state):
        conf = _files(state, speaker.name)[0]
        text = config(state, speaker)
        if conf.read_text() != text:
            conf.write_text(text)
            out = _birdc(state, speaker, "configure")
            if "Reconfigured" not in out and "Reconfiguration in progress" not in out:
                raise LabError(f"BIRD on {speaker.name} refused the new configuration: "
                               f"{out.strip().splitlines()[-1]}")
    wait(state)


def expected_routes(state: LabState, node: NodeState) -> set[str]:
    """The pod ranges ``node``'s kernel table should hold from BIRD (its own announcement beats a learnt
    route for the same range: static routes have the higher BIRD preference)."""
    others = [p.node for p in speakers(state) if p.node is not None and p.name != node.name]
    learnt = {n.pod_cidr for n in others if n.pod_cidr is not None}
    return learnt - {node.pod_cidr} - set(suppressed(state, node))


def _kernel_routes(node: NodeState) -> set[str]:
    return {str(r["dst"]) for r in _run.ip_json(node.namespace, "route", "show", "proto", "bird")}


def wait(state: LabState, timeout: float = CONVERGE_TIMEOUT) -> None:
    """Until every BGP session is Established and every node's kernel table holds exactly its expected routes."""
    deadline = time.monotonic() + timeout
    everyone = speakers(state)
    pending: list[str] = []
    while time.monotonic() < deadline:
        pending = []
        for speaker in everyone:
            protocols = _birdc(state, speaker, "show", "protocols")
            sessions = [line for line in protocols.splitlines() if line.startswith("peer_")]
            if len(sessions) != len(peers(state, speaker)) or any("Established" not in s for s in sessions):
                pending.append(f"{speaker.name}: BGP not established")
            elif speaker.node is not None:
                have, want = _kernel_routes(speaker.node), expected_routes(state, speaker.node)
                if have != want:
                    pending.append(f"{speaker.name}: routes {sorted(have)}, expected {sorted(want)}")
        if not pending:
            return
        time.sleep(0.2)
    raise LabError(f"BGP did not converge in {timeout:.0f}s: {'; '.join(pending)}")


def pidfiles(lab: str) -> list[Path]:
    """Pid files of the lab's BIRD daemons (for ``down``)."""
    return sorted(work_dir(lab).glob("bird-*.pid"))
