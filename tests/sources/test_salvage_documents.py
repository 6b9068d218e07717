"""A multi-document YAML file with one broken document: the others are still read, and the broken one is an
input error naming its line (exit 2 with the findings of the documents that were read)."""

from __future__ import annotations

from pathlib import Path

import netblame

GOOD = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
networking:
  podSubnet: 10.244.0.0/24
controllerManager:
  extraArgs:
  - name: node-cidr-mask-size
    value: "20"
"""
BROKEN = """\
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
  usages:
  - signing
   groups: wrong
"""


def test_a_broken_document_leaves_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "kubeadm.yaml"
    path.write_text(BROKEN + "---\n" + GOOD)
    report = netblame.check([str(path)])
    assert [f.rule for f in report.findings] == ["NB102"]
    assert report.findings[0].location is not None and report.findings[0].location.line == 12
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.line == 7 and "not valid YAML" in error.message and "other documents were read" in error.message


def test_a_single_broken_document_is_only_an_error(tmp_path: Path) -> None:
    path = tmp_path / "kubeadm.yaml"
    path.write_text(BROKEN)
    report = netblame.check([str(path)])
    assert not report.findings
    assert len(report.errors) == 1 and "other documents" not in report.errors[0].message
