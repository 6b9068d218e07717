"""Every input that fuzzing found to crash, hang or exhaust memory, run through the real command: each
gives one clear line and a documented exit code, within the memory limit of :mod:`nbrun`."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tarfile
import threading
from pathlib import Path

import pytest
from nbrun import DATA, NOBODY, clean, nobody_python, run, world_readable_dir

KUBEADM = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: {pods}\n"
LINK = '{"ifindex":1,"name":"eth0","kind":"device","mtu":1500,"admin_up":true,"oper_state":"UP"}'


def snapshot(addresses: str = '{"dev":"eth0","family":4,"address":"10.0.0.1","prefixlen":24}',
             routes: str = "", rules: str = "") -> str:
    extra = (f',"routes":[{routes}]' if routes else "") + (f',"rules":[{rules}]' if rules else "")
    return ('{"schema":"netblame/snapshot/v1","nodes":[{"name":"n1","namespaces":[{"id":"a","role":"host",'
            f'"links":[{LINK}],"addresses":[{addresses}]{extra}}}]}}]}}')


# --- address values ---------------------------------------------------------------------------------

def test_a_unicode_digit_prefix_length_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/²"))
    line = run("check", "kubeadm.yaml", cwd=tmp_path).one_error()
    assert "kubeadm.yaml:4: networking.podSubnet:" in line and "prefix length '²' is not a number" in line


def test_a_4400_digit_prefix_length_is_one_usage_line(tmp_path: Path) -> None:
    (tmp_path / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16"))
    line = run("check", "kubeadm.yaml", "--lan", "10.0.0.0/" + "9" * 4400, cwd=tmp_path).one_error()
    assert "--lan" in line and "is longer than the 32 bits" in line and len(line) < 300


def test_node_mask_33_in_a_file_names_the_field(tmp_path: Path) -> None:
    (tmp_path / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16") + "controllerManager:\n"
                                           "  extraArgs:\n    - name: node-cidr-mask-size-ipv4\n      value: \"33\"\n")
    line = run("check", "kubeadm.yaml", cwd=tmp_path).one_error()
    assert "kubeadm.yaml:8: controllerManager.extraArgs[0].value: expected a prefix length from 1 to 32" in line


# --- YAML ----------------------------------------------------------------------------------------------

def test_a_yaml_date_that_is_no_date_is_text(tmp_path: Path) -> None:
    (tmp_path / "date.yaml").write_text("a: 2001-13-45\n")
    assert "not a recognised input" in run("check", "date.yaml", cwd=tmp_path).one_error()


def test_a_4301_digit_yaml_integer_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bigint.yaml").write_text("a: " + "9" * 4301 + "\n")
    assert "bigint.yaml:1: a number of 4301 characters" in run("check", "bigint.yaml", cwd=tmp_path).one_error()


def test_one_odd_yaml_file_does_not_abort_a_directory(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "date.yaml").write_text("a: 2001-13-45\n")
    (tmp_path / "dir" / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16"))
    done = run("check", "dir", "-o", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    clean(done)
    kinds = {i["path"]: i["kind"] for i in json.loads(done.stdout)["inputs"]}
    assert kinds["dir/kubeadm.yaml"] and kinds["dir/date.yaml"] is None


def test_a_kubelet_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    lines += ["apiVersion: kubelet.config.k8s.io/v1beta1", "kind: KubeletConfiguration", "clusterDNS: *a9"]
    (tmp_path / "config.yaml").write_text("\n".join(lines) + "\n")
    line = run("check", "config.yaml", cwd=tmp_path).one_error()
    assert "YAML aliases expand to more than 100,000 repeated values" in line


def test_yaml_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    with (tmp_path / "big.yaml").open("w") as out:
        out.write("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\ncontrollerManager:\n"
                  "  extraArgs:\n")
        i = 0
        while out.tell() < 5 * 2**20:
            out.write(f'    - name: x{i}\n      value: "10.{i % 250}.0.0/16"\n')
            i += 1
    line = run("check", "big.yaml", cwd=tmp_path).one_error()
    assert "big.yaml: file is 5.0 MiB, larger than the 4 MiB netblame reads here" in line


# --- sizes and devices ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    (("check", "/dev/zero"), "/dev/zero: more than the 4 MiB netblame reads here"),
    (("check", "--snapshot", "/dev/zero"), "/dev/zero: not a netblame snapshot"),
    (("trace", "a", "b", "--snapshot", "/dev/urandom"), "/dev/urandom: not a netblame snapshot"),
    (("dns", "--root", "root", "--file", "/dev/zero"), "/dev/zero: more than the 4 MiB"),
])
def test_a_device_is_read_with_a_cap(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    (tmp_path / "root" / "etc").mkdir(parents=True)
    (tmp_path / "root" / "etc" / "resolv.conf").write_text("nameserver 10.0.0.1\n")
    assert expected in run(*args, cwd=tmp_path).one_error()


def test_a_sparse_dump_over_the_limit_inside_a_directory_exits_2(tmp_path: Path) -> None:
    (tmp_path / "dump").mkdir()
    (tmp_path / "dump" / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16"))
    with (tmp_path / "dump" / "pods.json").open("wb") as out:
        out.write(b'{"apiVersion": "v1", "kind": "List", "items": [')
        out.truncate(1100 * 2**20)  # sparse: 1.1 GB that takes no disk
    done = run("check", "dump", "-o", "json", cwd=tmp_path)
    assert done.returncode == 2
    line = done.one_error()
    assert "dump/pods.json: file is 1100.0 MiB, larger than the 512 MiB" in line
    assert {i["path"] for i in json.loads(done.stdout)["inputs"]} == {"dump/kubeadm.yaml"}


def test_10000_nodes_sharing_an_internal_ip_stay_linear(tmp_path: Path) -> None:
    items = [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": f"node-{i}"},
              "spec": {"podCIDR": f"10.{i >> 8}.{i % 256}.0/24", "podCIDRs": [f"10.{i >> 8}.{i % 256}.0/24"]},
              "status": {"addresses": [{"address": "192.168.1.10", "type": "InternalIP"}]}} for i in range(10000)]
    (tmp_path / "nodes.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    done = run("check", "nodes.json", "-o", "json", cwd=tmp_path)  # quadratic: 3.6 GB, past the limit
    assert done.returncode in (0, 1), done.stderr[-2000:]
    clean(done)
    assert json.loads(done.stdout)["inputs"][0]["kind"] == "kubernetes-nodes"


# --- dns --root ----------------------------------------------------------------------------------------

def test_a_resolv_conf_symlink_to_a_name_too_long_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "root" / "etc").mkdir(parents=True)
    (tmp_path / "root" / "etc" / "resolv.conf").symlink_to("a" * 300)
    line = run("dns", "--root", "root", cwd=tmp_path).one_error()
    assert line.startswith("netblame: error: root: nothing readable to diagnose: root/etc/a")
    assert "a name longer than the system allows" in line


def test_a_resolv_conf_linking_to_itself_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "root" / "etc").mkdir(parents=True)
    (tmp_path / "root" / "etc" / "resolv.conf").symlink_to("resolv.conf")
    line = run("dns", "--root", "root", cwd=tmp_path).one_error()
    assert "root/etc/resolv.conf: cannot read: a symlink to itself" in line


def test_a_lease_named_with_a_unicode_digit_is_read(tmp_path: Path) -> None:
    leases = tmp_path / "root" / "run" / "systemd" / "netif" / "leases"
    leases.mkdir(parents=True)
    (tmp_path / "root" / "etc").mkdir()
    (tmp_path / "root" / "etc" / "resolv.conf").write_text("nameserver 10.0.0.1\n")
    (leases / "²").write_text("ADDRESS=10.0.0.5\nLIFETIME=3600\nDNS=10.0.0.1\nDOMAINNAME=lab\n")
    done = run("dns", "--root", "root", "-o", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    clean(done)
    json.loads(done.stdout)


def test_an_unsearchable_directory_as_nobody_is_one_line() -> None:
    python, env = nobody_python()
    with world_readable_dir() as work:
        (work / "root" / "etc").mkdir(parents=True)
        (work / "root" / "etc" / "resolv.conf").write_text("nameserver 10.0.0.1\n")
        (work / "root").chmod(0o755)
        (work / "root" / "etc").chmod(0)
        line = run("dns", "--root", "root", cwd=work, user=NOBODY, python=python, env=env).one_error()
    assert "root/etc: cannot search this directory: Permission denied" in line


# --- collect --import ----------------------------------------------------------------------------------

def _capture(tmp_path: Path, **files: str) -> Path:
    host = tmp_path / "cap" / "host"
    host.mkdir(parents=True)
    (host / "addr.json").write_text("[]")
    for name, text in files.items():
        (host / name.replace("_", ".")).write_text(text)
    return tmp_path / "cap"


def test_an_inode_file_holding_a_unicode_digit_is_one_line(tmp_path: Path) -> None:
    _capture(tmp_path, inode="²\n")
    line = run("collect", "--import", "cap", "-o", str(tmp_path / "out.json"), cwd=tmp_path).one_error()
    assert "cap/host/inode:1: expected the namespace's inode number" in line
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize(("name", "text", "field", "expected"), [
    ("route4_json", '[{"dst":"10.0.0.0/8","flags":5}]', "flags", "is a number; expected a list of words"),
    ("addr_json", '[{"ifname":"eth0","addr_info":["x"]}]', "addr_info", "expected a list of objects"),
    ("neigh_json", '[{"dst":"10.0.0.1","state":5}]', "state", "expected a word or a list of words"),
    ("fdb_json", '[{"mac":"aa:bb:cc:dd:ee:ff","ifname":[1]}]', "ifname", "is a list; expected text"),
    ("addr_json", '[{"ifname":"eth0","linkinfo":[1]}]', "linkinfo", "is a list; expected an object"),
])
def test_wrong_json_types_in_ip_captures_name_the_field(tmp_path: Path, name: str, text: str, field: str,
                                                        expected: str) -> None:
    host = tmp_path / "cap" / "host"
    host.mkdir(parents=True)
    (host / "addr.json").write_text("[]")
    (host / name.replace("_", ".")).write_text(text)
    line = run("collect", "--import", "cap", "-o", str(tmp_path / "out.json"), cwd=tmp_path).one_error()
    assert f"cap/host/{name.replace('_', '.')}: item 0: field '{field}'" in line and expected in line


def test_an_unreadable_capture_file_as_nobody_is_one_line() -> None:
    python, env = nobody_python()
    with world_readable_dir() as work:
        _capture(work, route4_json="[]")
        for sub in (work / "cap", work / "cap" / "host"):
            sub.chmod(0o755)
        (work / "cap" / "host" / "addr.json").chmod(0o644)
        (work / "cap" / "host" / "route4.json").chmod(0)
        out = work / "out"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        line = run("collect", "--import", "cap", "-o", str(out / "o.json"), cwd=work, user=NOBODY, python=python,
                   env=env).one_error()
    assert "cap/host/route4.json: cannot read: Permission denied" in line


@pytest.mark.parametrize("name", ["truncated.tar.gz", "zlib-error.tar.gz"])
def test_a_damaged_tarball_is_one_line(tmp_path: Path, name: str) -> None:
    line = run("collect", "--import", str(DATA / name), "-o", str(tmp_path / "out.json")).one_error()
    assert f"{name}: not a readable tarball" in line


def test_a_tarball_imports_on_the_system_python() -> None:
    """Debian 12's python3 (3.11.2, which the README installs with) has no extractall(filter=)."""
    python, env = nobody_python()
    with world_readable_dir() as work:
        shutil.copy(DATA / "capture.tar.gz", work / "capture.tar.gz")
        (work / "capture.tar.gz").chmod(0o644)
        work.chmod(0o777)
        done = run("collect", "--import", "capture.tar.gz", "-o", "out.json", cwd=work, user=NOBODY,
                   python=python, env=env)
        assert done.returncode == 0, done.stderr
        clean(done)
        assert json.loads((work / "out.json").read_text())["nodes"][0]["namespaces"][0]["id"] == "host"


def test_a_tarball_member_leaving_the_directory_is_not_written(tmp_path: Path) -> None:
    tarball = tmp_path / "evil.tar.gz"
    with tarfile.open(tarball, "w:gz") as tar:
        for name, text in (("cap/host/addr.json", b"[]"), ("../escaped", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(text)
            tar.addfile(info, fileobj=__import__("io").BytesIO(text))
    done = run("collect", "--import", str(tarball), "-o", str(tmp_path / "out.json"), "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path.parent / "escaped").exists()


# --- snapshots and trace -------------------------------------------------------------------------------

@pytest.mark.parametrize(("src", "dst"), [("fd00::2", "10.244.2.2"), ("10.244.1.2", "fd00::2")])
def test_trace_refuses_mixed_ip_versions(src: str, dst: str) -> None:
    line = run("trace", src, dst, "--snapshot", str(DATA / "ipv6-pod.json")).one_error()
    assert "a packet has one IP version" in line


@pytest.mark.parametrize("args", [("trace", "a", "b", "--snapshot", "snap.json"), ("check", "--snapshot", "snap.json")])
def test_invalid_utf8_in_a_snapshot_is_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "snap.json").write_bytes(b'{"schema":"netblame/snapshot/v1","nodes":[{"name":"\xc7x"}]}')
    assert "snap.json: not UTF-8 text (byte" in run(*args, cwd=tmp_path).one_error()


@pytest.mark.parametrize(("text", "field"), [
    (snapshot(rules='{"family":4,"priority":0,"action":"goto","table":"abc"}'), "rules[0].table"),
    (snapshot(routes='{"family":4,"table":"main","type":"unicast","dst":"0.0.0.0/0","gateway":"bogus",'
                     '"dev":"eth0"}'), "routes[0].gateway"),
    (snapshot(addresses='{"dev":"eth0","family":4,"address":"bogus","prefixlen":24}'), "addresses[0].address"),
])
@pytest.mark.parametrize("command", ["trace", "check"])
def test_a_bad_value_in_a_snapshot_names_the_field(tmp_path: Path, text: str, field: str, command: str) -> None:
    (tmp_path / "snap.json").write_text(text)
    args = ("trace", "a", "10.0.0.2", "--snapshot", "snap.json") if command == "trace" else (
        "check", "--snapshot", "snap.json")
    line = run(*args, cwd=tmp_path).one_error()
    assert f"snap.json: nodes[0].namespaces[0].{field}: expected" in line


def test_60000_routes_to_one_prefix_are_inserted_in_order(tmp_path: Path) -> None:
    n = 60000
    routes = ",".join('{"family":4,"table":"main","type":"unicast","dst":"0.0.0.0/0","gateway":"10.0.0.254",'
                      f'"dev":"eth0","metric":{n - i}}}' for i in range(n))
    (tmp_path / "snap.json").write_text(snapshot(routes=routes))
    done = run("trace", "a", "8.8.8.8", "--snapshot", "snap.json", "-o", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # leaves the snapshot: not known to be delivered
    clean(done)
    assert json.loads(done.stdout)


def test_tens_of_thousands_of_findings_as_a_table(tmp_path: Path) -> None:
    snap = json.loads((DATA / "nb302-base.json").read_text())
    pod = next(ns for node in snap["nodes"] for ns in node["namespaces"] if ns["id"] == "n1-p1")
    pod["addresses"] += [{"dev": "eth0", "family": 4, "address": f"172.{i >> 16}.{(i >> 8) & 255}.{i & 255}",
                          "prefixlen": 32} for i in range(1, 20001)]
    (tmp_path / "snap.json").write_text(json.dumps(snap))
    done = run("check", "--snapshot", "snap.json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    clean(done)
    rows = done.stdout.count("\n│ NB302 ")
    assert rows >= 20000 and f"ERROR ({rows})" in done.stdout


# --- names that are not UTF-8 ---------------------------------------------------------------------------

BAD = os.fsdecode(b"bad\xffname")


def test_non_utf8_file_names_in_a_report(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / f"{BAD}.txt").write_text("a: 1\n")
    (tmp_path / "dir" / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16"))
    done = run("check", "dir", "-o", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "dir/bad\\xffname.txt" in {i["path"] for i in json.loads(done.stdout)["inputs"]}


def test_non_utf8_namespace_directory_in_an_import(tmp_path: Path) -> None:
    for name in ("host", BAD):
        (tmp_path / "cap" / name).mkdir(parents=True)
        (tmp_path / "cap" / name / "addr.json").write_text("[]")
    done = run("collect", "--import", "cap", "-o", "out.json", "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    ids = {ns["id"] for ns in json.loads((tmp_path / "out.json").read_text())["nodes"][0]["namespaces"]}
    assert ids == {"host", "bad\\xffname"}


def test_non_utf8_lease_name_in_dns_json(tmp_path: Path) -> None:
    leases = tmp_path / "root" / "run" / "systemd" / "netif" / "leases"
    leases.mkdir(parents=True)
    (tmp_path / "root" / "etc").mkdir()
    (tmp_path / "root" / "etc" / "resolv.conf").write_text("nameserver 10.0.0.1\n")
    (leases / BAD).write_text("ADDRESS=10.0.0.5\nLIFETIME=3600\nDNS=10.0.0.1\nDOMAINNAME=lab\n")
    done = run("dns", "--root", "root", "-o", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    clean(done)
    assert "bad\\\\xffname" in done.stdout


# --- output targets --------------------------------------------------------------------------------------

def _import_to(tmp_path: Path, target: Path) -> None:
    _capture(tmp_path)
    done = run("collect", "--import", "cap", "-o", str(target), "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


@pytest.mark.root
def test_output_to_a_device_writes_through_it(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("mknod needs root")
    null = tmp_path / "fakenull"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    _import_to(tmp_path, null)
    assert stat.S_ISCHR(null.lstat().st_mode), "the device was replaced by a file"


def test_output_to_a_fifo_writes_through_it(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    _import_to(tmp_path, fifo)
    reader.join(timeout=300)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(got[0])["schema"] == "netblame/snapshot/v1"


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("old")
    (tmp_path / "link.json").symlink_to("real.json")
    _import_to(tmp_path, tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink()
    assert json.loads((tmp_path / "real.json").read_text())["schema"] == "netblame/snapshot/v1"


def test_output_gets_the_mode_a_shell_redirection_would(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        _import_to(tmp_path, tmp_path / "new.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640, "a new file: 0666 less the umask"
    kept = tmp_path / "kept.json"
    kept.write_text("old")
    kept.chmod(0o604)
    assert run("collect", "--import", "cap", "-o", str(kept), "-q", cwd=tmp_path).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604, "a replaced file keeps its mode"


def test_output_to_a_directory_is_refused(tmp_path: Path) -> None:
    _capture(tmp_path)
    (tmp_path / "out").mkdir()
    line = run("collect", "--import", "cap", "-o", "out", cwd=tmp_path).one_error()
    assert "out: cannot write: is a directory" in line


def test_a_pod_range_that_is_not_one_does_not_break_the_mtu_rule(tmp_path: Path) -> None:
    snap = json.loads((DATA / "nb302-base.json").read_text())
    snap["nodes"][0]["pod_cidrs"] = ["10.244.0.0/33"]
    (tmp_path / "snap.json").write_text(json.dumps(snap))
    done = run("check", "--snapshot", "snap.json", "-o", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert not json.loads(done.stdout).get("incomplete"), "no rule may raise on it"
