"""``lab service add|remove``: the outside host it adds is a real NodePort client (a TCP connection from it to every
node's node port completes, with a listener on each endpoint), and remove takes it away again. The oracle is
plain ``ip netns exec`` subprocesses, not the code under test."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from lab_oracle import lab_name

from netblame import lab
from netblame.lab import firewall
from netblame.lab.state import LabState

pytestmark = pytest.mark.root

LISTEN = ("import socket, sys\ns = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
          "s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(16); print('ready', flush=True)\n"
          "while True:\n    c, _ = s.accept(); c.close()\n")
CONNECT = ("import socket, sys\ns = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)\n"
           "s.close()\n")


@pytest.fixture(scope="module")
def served(build_lab: object) -> Iterator[LabState]:
    name = lab_name("lts")
    build_lab(name=name, style="vxlan")  # type: ignore[operator]
    firewall.service_add(name)
    try:
        yield lab.load(name)
    finally:
        if lab.load(name).service is not None:
            firewall.service_remove(name)


def _netns(ns: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["ip", "netns", "exec", ns, *argv], capture_output=True, text=True, check=False)


def test_outside_host_sits_on_the_lan_with_its_address(served: LabState) -> None:
    svc = served.service
    assert svc is not None and svc.outside_namespace == f"nb-{served.name}-out"
    links = json.loads(subprocess.run(["ip", "-n", svc.outside_namespace, "-j", "addr", "show", "eth0"],
                                      capture_output=True, text=True, check=True).stdout)
    assert [a["local"] for a in links[0]["addr_info"] if a["family"] == "inet"] == [svc.outside_ip]
    assert svc.outside_ip not in {n.uplink_ip for n in served.nodes}
    for node in served.nodes:  # on the LAN: every node answers it
        assert _netns(svc.outside_namespace, "ping", "-n", "-q", "-c1", "-W1", node.uplink_ip).returncode == 0


def test_a_tcp_connection_from_outside_to_every_node_port_completes(served: LabState) -> None:
    svc = served.service
    assert svc is not None and svc.outside_namespace is not None
    endpoints = [p.namespace for p in served.pods if p.ip in svc.endpoints]
    servers = [subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, "-c", LISTEN, str(svc.target_port)],
                                stdout=subprocess.PIPE, text=True) for ns in endpoints]
    try:
        for server in servers:
            assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        for node in served.nodes:
            for _ in range(4):  # each connection takes a random endpoint; every one must answer
                done = _netns(svc.outside_namespace, sys.executable, "-c", CONNECT, node.uplink_ip,
                              str(svc.node_port))
                assert done.returncode == 0, (node.name, done.stderr)
    finally:
        for server in servers:
            server.terminate()
            server.wait()
            if server.stdout is not None:
                server.stdout.close()


def test_remove_takes_the_outside_host_away(served: LabState) -> None:
    svc = served.service
    assert svc is not None
    firewall.service_remove(served.name)
    time.sleep(0.1)
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    assert f"{svc.outside_namespace} " not in names + " " and lab.load(served.name).service is None
    lan_ports = _netns(served.lan_namespace, "ip", "-o", "link", "show").stdout
    assert " out@" not in lan_ports
