"""Property tests: for each kind of input netblame reads, generated (often broken) inputs never give a
traceback, an internal error or a Python repr; the exit code is a documented one, and a refusal is one
line. Each property runs a bounded number of examples (``max_examples``), never against a deadline.

The command runs in this process (``netblame.cli.main.main``, the console script's function) so that a
few hundred examples stay affordable; :mod:`test_regressions` runs the real process on the known cases.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from nbrun import DATA, DOCUMENTED, ERROR_LINE, REPR

from netblame.cli.main import main

EXAMPLES = 60


def invoke(*argv: str, cwd: Path) -> tuple[int, str, str]:
    """Run ``netblame ARGV`` in ``cwd``; return exit code, stdout and stderr."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        else:
            code = 0
    out.flush()
    return code, out.buffer.getvalue().decode(), err.getvalue()  # type: ignore[attr-defined]


def assert_sound(code: int, stdout: str, stderr: str, *, text: bool = True) -> None:
    """A documented exit code, no traceback or internal error, no Python repr in what people read (every
    line of text output; the error lines of JSON output, where ``[]`` is JSON), and one line when refused."""
    both = stdout + stderr
    assert "Traceback" not in both and "internal error" not in both, both[-2000:]
    assert code in DOCUMENTED, (code, both[-2000:])
    errors = [line for line in both.splitlines() if ERROR_LINE.match(line)]
    for line in both.splitlines() if text else errors:
        assert not REPR.search(line), line
    if code == 2 and not stdout.strip():
        assert len(errors) >= 1, stderr


# Values that look like what the fields hold, values that are almost right, and junk of every JSON type.
CIDRISH = st.one_of(
    st.sampled_from(["10.244.0.0/16", "10.96.0.0/12", "fd00::/48", "192.168.1.0/24", "10.0.0.0/8", "0.0.0.0/0",
                     "10.244.0.0/33", "10.244.0.0/²", "10.244.0.0", "300.1.1.1/8", "::/0", "10.0.0.0/-1", ""]),
    st.builds(lambda a, b, c, d, p: f"{a}.{b}.{c}.{d}/{p}", *[st.integers(0, 300)] * 4, st.integers(0, 40)),
)
JUNK = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False),
                              st.text(max_size=20)),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)
VALUE = st.one_of(CIDRISH, JUNK)
INTISH = st.one_of(st.integers(-5, 300), st.sampled_from(["24", "33", "²", "0x18", "1e3", "", "-1"]), JUNK)


def _write(work: Path, name: str, text: str | bytes) -> None:
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogateescape")


def _run_in_dir(files: dict[str, str | bytes], *argv: str) -> None:
    with tempfile.TemporaryDirectory(prefix="nbt-fuzz-") as tmp:
        work = Path(tmp)
        for name, text in files.items():
            _write(work, name, text)
        assert_sound(*invoke(*argv, cwd=work), text="json" not in argv)


def _yaml(data: Any) -> str:
    try:
        return yaml.safe_dump(data, sort_keys=False)
    except yaml.YAMLError:
        return str(data)


@settings(max_examples=EXAMPLES)
@given(pods=VALUE, services=VALUE, mask=INTISH, max_pods=INTISH, tail=st.text(max_size=40))
def test_kubeadm_yaml(pods: Any, services: Any, mask: Any, max_pods: Any, tail: str) -> None:
    cluster = {"apiVersion": "kubeadm.k8s.io/v1beta4", "kind": "ClusterConfiguration",
               "networking": {"podSubnet": pods, "serviceSubnet": services},
               "controllerManager": {"extraArgs": [{"name": "node-cidr-mask-size-ipv4", "value": mask}]}}
    kubelet = {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration", "maxPods": max_pods,
               "clusterDNS": [services], "resolvConf": tail}
    text = _yaml(cluster) + "---\n" + _yaml(kubelet)
    _run_in_dir({"kubeadm.yaml": text}, "check", "kubeadm.yaml")
    _run_in_dir({"dir/kubeadm.yaml": text, "dir/extra.yaml": tail}, "check", "dir", "-o", "json")


@settings(max_examples=EXAMPLES)
@given(nodes=st.lists(st.fixed_dictionaries({"name": st.one_of(st.text(max_size=6), JUNK), "cidr": VALUE,
                                             "address": st.one_of(st.sampled_from(["192.168.1.10", "fd00::1"]),
                                                                  VALUE)}), max_size=6),
       wrap=st.booleans())
def test_nodes_json(nodes: list[dict[str, Any]], wrap: bool) -> None:
    items = [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": n["name"]},
              "spec": {"podCIDR": n["cidr"], "podCIDRs": [n["cidr"]]},
              "status": {"addresses": [{"type": "InternalIP", "address": n["address"]}]}} for n in nodes]
    doc = {"apiVersion": "v1", "kind": "List", "items": items} if wrap else {"kind": "NodeList", "items": items}
    _run_in_dir({"nodes.json": json.dumps(doc)}, "check", "nodes.json", "--lan", "192.168.1.0/24")


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data[:3]):
            out += _paths(value, (*prefix, i))
    return out


BASE = json.loads((DATA / "nb302-base.json").read_text())
BASE_PATHS = [p for p in _paths(BASE) if p]


@settings(max_examples=EXAMPLES)
@given(where=st.lists(st.sampled_from(BASE_PATHS), min_size=1, max_size=3),
       values=st.lists(st.one_of(VALUE, st.sampled_from(["bogus", "abc", "fe80::1", "10.0.0.1", -1, 2**40])),
                       min_size=3, max_size=3))
def test_snapshot_json(where: list[tuple[Any, ...]], values: list[Any]) -> None:
    snap = json.loads(json.dumps(BASE))
    for path, value in zip(where, values, strict=False):
        node: Any = snap
        for key in path:
            parent = node
            ok = (isinstance(node, dict) and key in node) or (isinstance(node, list) and isinstance(key, int)
                                                               and key < len(node))
            if not ok:
                break
            node = node[key]
        else:
            parent[path[-1]] = value
    text = json.dumps(snap)
    _run_in_dir({"snap.json": text}, "check", "--snapshot", "snap.json")
    _run_in_dir({"snap.json": text}, "trace", "n1-p1", "n2-p1", "--snapshot", "snap.json")


ROW_KEYS = ["ifname", "ifindex", "flags", "mtu", "operstate", "linkinfo", "addr_info", "dst", "gateway", "dev",
            "metric", "table", "type", "state", "mac", "master", "lladdr", "priority", "action", "goto", "link",
            "link_index", "link_netnsid", "address", "link_type", "nexthops", "via", "prefsrc", "src"]


@settings(max_examples=EXAMPLES)
@given(kind=st.sampled_from(["addr.json", "route4.json", "route6.json", "rule4.json", "neigh.json", "fdb.json",
                             "nsid.json", "sysctl.txt", "inode"]),
       rows=st.lists(st.dictionaries(st.sampled_from(ROW_KEYS), VALUE, max_size=6), max_size=4),
       raw=st.one_of(st.none(), st.text(max_size=30)))
def test_ip_json_captures(kind: str, rows: list[dict[str, Any]], raw: str | None) -> None:
    text = raw if raw is not None or kind in ("sysctl.txt", "inode") else json.dumps(rows)
    files: dict[str, str | bytes] = {"cap/host/addr.json": "[]", f"cap/host/{kind}": text or ""}
    _run_in_dir(files, "collect", "--import", "cap", "-o", "out.json", "-q")


LINE = st.one_of(st.sampled_from(["nameserver 10.0.0.1", "nameserver 127.0.0.53", "search lab home.arpa",
                                  "options ndots:5 edns0", "options ndots:²", "domain x", "nameserver fe80::1%eth0",
                                  "[Network]", "DNS=10.0.0.1", "Domains=~.", "UseDomains=yes", "[DHCPv4]",
                                  "ADDRESS=10.0.0.5", "DOMAINNAME=lab", "DNS=bogus", "LIFETIME=x"]),
                 st.text(max_size=30).filter(lambda t: "\n" not in t))


@settings(max_examples=EXAMPLES)
@given(resolv=st.lists(LINE, max_size=6), network=st.lists(LINE, max_size=6), lease=st.lists(LINE, max_size=6),
       lease_name=st.sampled_from(["2", "²", "eth0", "10"]), netplan=st.one_of(VALUE, st.text(max_size=40)))
def test_dns_files(resolv: list[str], network: list[str], lease: list[str], lease_name: str, netplan: Any) -> None:
    files: dict[str, str | bytes] = {
        "root/etc/resolv.conf": "\n".join(resolv) + "\n",
        "root/etc/systemd/network/10-eth0.network": "[Match]\nName=eth0\n" + "\n".join(network) + "\n",
        f"root/run/systemd/netif/leases/{lease_name}": "\n".join(lease) + "\n",
        "root/etc/netplan/50-cloud-init.yaml": _yaml({"network": {"version": 2, "ethernets": {
            "eth0": {"dhcp4": True, "nameservers": {"addresses": [netplan]}, "dhcp4-overrides": netplan}}}}),
    }
    _run_in_dir(files, "dns", "--root", "root", "-o", "json")


ENDS = st.one_of(st.sampled_from(["n1-p1", "n2-p1", "n1", "n1:eth0", "n1:nope", "10.244.1.2", "10.244.2.2",
                                  "192.168.1.12", "8.8.8.8", "fd00::2", "fe80::1", "::", "x", "", "n1-p1:eth0"]),
                 st.text(max_size=12))


@settings(max_examples=EXAMPLES)
@given(src=ENDS, dst=ENDS, proto=st.sampled_from(["icmp", "udp", "tcp"]),
       dport=st.one_of(st.none(), st.integers(-1, 70000)), size=st.one_of(st.none(), st.integers(-1, 70000)),
       output=st.sampled_from(["table", "json"]))
def test_trace_arguments(src: str, dst: str, proto: str, dport: int | None, size: int | None, output: str) -> None:
    argv = ["trace", src, dst, "--snapshot", str(DATA / "nb302-base.json"), "--proto", proto, "-o", output]
    if dport is not None:
        argv += ["--dport", str(dport)]
    if size is not None:
        argv += ["--size", str(size)]
    with tempfile.TemporaryDirectory(prefix="nbt-fuzz-") as tmp:
        code, out, err = invoke(*argv, cwd=Path(tmp))
    assert_sound(code, out, err, text=output != "json")
