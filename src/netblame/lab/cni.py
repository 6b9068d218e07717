"""Attach pods with the reference CNI plugins, exactly as a container runtime does.

The runtime's side of the CNI contract (CNI spec 1.0.0): run the plugin binary from ``CNI_PATH`` in
the node's network namespace with ``CNI_COMMAND`` (``ADD``/``DEL``), ``CNI_CONTAINERID``,
``CNI_NETNS`` (the pod's namespace file), ``CNI_IFNAME`` and ``CNI_PATH`` in the environment and the
network configuration as JSON on stdin; read the result JSON from stdout. The ``loopback`` plugin
brings up the pod's ``lo`` first, as containerd does. host-local keeps its allocations in the lab's
own directory, so nothing leaks into ``/var/lib/cni``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from netblame.errors import LabError
from netblame.lab import _run
from netblame.lab.layout import CNI_BRIDGE, POD_IFNAME
from netblame.lab.state import work_dir

CNI_PATH = Path(os.environ.get("NETBLAME_CNI_PATH", "/usr/lib/cni"))
CNI_VERSION = "1.0.0"


def ipam_dir(lab: str, node: str) -> Path:
    """host-local's ``dataDir`` for one node (it keeps one file per allocated address)."""
    return work_dir(lab) / "ipam" / node


def network_config(lab: str, node: str, plugin: str, subnet: str, mtu: int, *,
                   force_address: bool = False) -> dict[str, Any]:
    """The CNI network configuration a node's runtime would read for ``plugin`` with a host-local range."""
    ipam: dict[str, Any] = {"type": "host-local", "ranges": [[{"subnet": subnet}]],
                            "dataDir": str(ipam_dir(lab, node))}
    config: dict[str, Any] = {"cniVersion": CNI_VERSION, "name": f"nb-{lab}", "type": plugin, "mtu": mtu}
    if plugin == "bridge":
        # Flannel's settings (bridge cni0, hairpinMode, isDefaultGateway) and a gateway address on the bridge.
        config.update(bridge=CNI_BRIDGE, isGateway=True, isDefaultGateway=True, hairpinMode=True,
                      forceAddress=force_address)
    else:
        ipam["routes"] = [{"dst": "0.0.0.0/0"}]
    config["ipam"] = ipam
    return config


def _invoke(plugin: str, command: str, node_ns: str, pod_ns: str, ifname: str, config: dict[str, Any]) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), "CNI_COMMAND": command,
           "CNI_CONTAINERID": pod_ns, "CNI_NETNS": str(_run.NETNS_DIR / pod_ns), "CNI_IFNAME": ifname,
           "CNI_PATH": str(CNI_PATH)}
    binary = CNI_PATH / plugin
    if not binary.exists():
        raise LabError(f"CNI plugin {binary} not found (Debian package containernetworking-plugins)")
    proc = _run.run(_run.in_netns(node_ns, [str(binary)]), stdin=json.dumps(config), env=env, check=False)
    if proc.returncode != 0:
        try:
            err = json.loads(proc.stdout)
            message = f"{err.get('msg', '')} {err.get('details', '')}".strip()
        except ValueError:
            message = (proc.stderr or proc.stdout).strip()
        raise LabError(f"CNI {plugin} {command} for {pod_ns}: {message or f'exit {proc.returncode}'}")
    return proc.stdout


def _loopback_config() -> dict[str, Any]:
    return {"cniVersion": CNI_VERSION, "name": "cni-loopback", "type": "loopback"}


def add(node_ns: str, pod_ns: str, config: dict[str, Any]) -> tuple[str, int]:
    """CNI ADD of ``pod_ns`` (its ``lo``, then ``eth0``); the address the plugin gave, and its prefix length."""
    _invoke("loopback", "ADD", node_ns, pod_ns, "lo", _loopback_config())
    result = json.loads(_invoke(str(config["type"]), "ADD", node_ns, pod_ns, POD_IFNAME, config))
    ips = result.get("ips") or []
    if not ips:
        raise LabError(f"CNI {config['type']} ADD for {pod_ns} returned no address")
    address, _, length = str(ips[0]["address"]).partition("/")
    return address, int(length)


def delete(node_ns: str, pod_ns: str, config: dict[str, Any]) -> None:
    """CNI DEL of ``pod_ns``; DEL must succeed when things are already gone, so failures are ignored
    only when the namespace itself has vanished."""
    try:
        _invoke(str(config["type"]), "DEL", node_ns, pod_ns, POD_IFNAME, config)
        _invoke("loopback", "DEL", node_ns, pod_ns, "lo", _loopback_config())
    except LabError:
        if (_run.NETNS_DIR / pod_ns).exists() and (_run.NETNS_DIR / node_ns).exists():
            raise


def forget(lab: str, node: str) -> None:
    """Drop host-local's allocations of ``node`` (after every pod there was DELeted)."""
    shutil.rmtree(ipam_dir(lab, node), ignore_errors=True)
