"""Bad input through `netblame check`: one clear line naming file, line and what was expected;
exit 2 when nothing could be checked; never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from netblame.cli.main import main

KUBEADM = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nnetworking:\n  podSubnet: {pods}\n"
CALICO_NODE = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: calico-node
spec:
  template:
    spec:
      containers:
      - name: calico-node
        env:
        - name: CALICO_IPV4POOL_CIDR
          value: "{pool}"
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["check", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    assert isinstance(code, int)
    assert "Traceback" not in out + err and "internal error" not in err
    return code, out, err


def error_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("error: ")]


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("notyaml.yaml", "apiVersion: v1\nkind: [Pod\nmetadata: {}\n", "notyaml.yaml:3: not valid YAML"),
    ("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\n",
     "secret.yaml: not a recognised input (kind 'Secret'); expected one of:"),
    ("prefix.yaml", KUBEADM.format(pods="10.0.0.0/33"),
     "prefix.yaml:4: networking.podSubnet: expected a pod subnet such as 10.244.0.0/16, got '10.0.0.0/33' "
     "(prefix length 33 is longer than the 32 bits of an IPv4 address)"),
    ("octet.yaml", KUBEADM.format(pods="10.0.0.256/8"),
     "octet.yaml:4: networking.podSubnet: expected a pod subnet such as 10.244.0.0/16, got '10.0.0.256/8' "
     "('10.0.0.256' is not an IP address)"),
    ("calico.yaml", CALICO_NODE.format(pool="fd00:10:244::/48"),
     "calico.yaml:12: spec.template.spec.containers[0].env[0].value: expected an IPv4 CIDR for an IPv4 pool "
     "CIDR (CALICO_IPV4POOL_CIDR), got IPv6 'fd00:10:244::/48'"),
    ("empty.yaml", "\n\n", "empty.yaml: file is empty; expected a configuration file"),
    ("binary.dat", "\0\1\2 kubeadm", "binary.dat: binary file; expected text"),
])
def test_one_clear_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, text: str,
                                   expected: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    code, out, _ = run(capsys, str(path))
    assert code == 2
    (line,) = error_lines(out)
    assert line.startswith(f"error: {tmp_path}/")
    assert expected in line, line


def test_json_output_keeps_the_error_in_the_report_and_one_line_on_stderr(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "kubeadm.yaml"
    path.write_text(KUBEADM.format(pods="10.0.0.0/33"))
    code, out, err = run(capsys, str(path), "-o", "json")
    assert code == 2
    report = json.loads(out)
    assert report["findings"] == [] and report["inputs"] == []
    assert [(e["file"], e["line"]) for e in report["errors"]] == [(str(path), 4)]
    assert len(err.strip().splitlines()) == 1 and err.startswith("netblame: error: ")


def test_a_bad_file_next_to_a_good_one_does_not_stop_the_check(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(KUBEADM.format(pods="10.0.0.0/33"))
    (tmp_path / "good.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16"))
    code, out, _ = run(capsys, str(tmp_path / "bad.yaml"), str(tmp_path / "good.yaml"))
    assert code == 2  # the good file was checked, but the run is incomplete: never a clean pass
    assert len(error_lines(out)) == 1 and "1 input(s) read" in out


def test_directory_of_500_unrelated_files_is_listed_as_skipped(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    for i in range(500):
        suffix = (".txt", ".yaml", ".json", ".conf", ".md")[i % 5]
        content = ("notes {i}\n", "app: demo-{i}\nreplicas: 2\n", '{{"name": "x{i}"}}\n', "[section]\nkey={i}\n",
                   "# Title {i}\n")[i % 5]
        (tmp_path / f"file{i:03d}{suffix}").write_text(content.format(i=i))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 2
    skipped = [line for line in out.splitlines() if line.startswith("skipped ")]
    assert len(skipped) == 501
    assert any("image.png: binary file" in line for line in skipped)
    (line,) = error_lines(out)
    assert line == ("error: nothing to check: none of the 501 file(s) is an input netblame recognises; expected "
                    "configuration files such as a kubeadm config, Kubernetes objects, CNI settings or node network "
                    "and DNS files")


def test_pipe_in_a_directory_is_skipped_not_waited_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "kubeadm.yaml").write_text(KUBEADM.format(pods="10.244.0.0/16"))
    code, out, _ = run(capsys, str(tmp_path), "-v")
    assert code == 0
    assert f"skipped {tmp_path / 'pipe'}: not a regular file" in out


@pytest.mark.parametrize(("name", "head", "expected"), [
    ("big.yaml", b"networking:\n", "file is 50.0 MiB, larger than the 4 MiB netblame reads here"),
    ("big.json", b"[", "big.json:1: not valid JSON"),
])
def test_a_50_mb_file_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str,
                                        head: bytes, expected: str) -> None:
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.write(head)
        handle.write(b"0123456789abcdef, " * (52_400_000 // 18))
    code, out, _ = run(capsys, str(path))
    assert code == 2
    (line,) = error_lines(out)
    assert expected in line, line


def test_yaml_nested_too_deeply_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 3000 + "]" * 3000 + "\n")
    code, out, _ = run(capsys, str(path))
    assert code == 2
    assert error_lines(out) == [f"error: {path}: YAML nested too deeply to read; expected a configuration file"]


def test_nested_aliases_in_an_embedded_document_are_refused_in_one_line(capsys: pytest.CaptureFixture[str],
                                                                        tmp_path: Path) -> None:
    lines = ["apiVersion: kubeadm.k8s.io/v1beta3", "kind: ClusterConfiguration",
             "networking: {podSubnet: 10.244.0.0/16}", "l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "cm.yaml"
    path.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubeadm-config\ndata:\n"
                    "  ClusterConfiguration: |\n" + "".join(f"    {line}\n" for line in lines))
    code, out, _ = run(capsys, str(path), "-o", "json")
    assert code == 2  # 10**9 values from a few hundred bytes: an alias bomb, refused before it is walked
    (error,) = json.loads(out)["errors"]
    assert "YAML aliases expand to more than 100,000 repeated values" in error["message"]
