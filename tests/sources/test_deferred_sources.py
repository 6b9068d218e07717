"""A source whose module is loaded only for a document that passes a cheap content test (a DeferredSource)
must still read every document its real source accepts: the test must hold for each of them. Checked over
every file of the examples, the test data and, where it is laid beside the project, the shared corpus; and a
check of a kubeadm configuration with a node list must not load those modules at all (nor the DNS records: a
ClusterConfiguration gives the DNS model only the Kubernetes version)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from netblame.errors import InputError
from netblame.sources import DeferredSource, Document, builtin_sources
from netblame.sources.loader import parse_documents, read_text, salvage_documents

ROOT = Path(__file__).resolve().parents[2]
TREES = [ROOT / "examples", ROOT / "tests" / "data", ROOT.parent / "shared" / "corpus"]
DEFERRED = [s for s in builtin_sources() if isinstance(s, DeferredSource)]
# Kinds the trees hold no file of (their tests write them inline), as the sources' own tests give them.
INLINE = {
    "minikube.json": '{"Name": "minikube", "KubernetesConfig": {"ServiceCIDR": "10.96.0.0/12"}}',
    "kustomization.yaml": """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
helmCharts:
- name: cilium
  valuesInline:
    ipam:
      mode: kubernetes
""",
    "chart.yaml": """apiVersion: helm.cattle.io/v1
kind: HelmChart
metadata:
  name: cilium
  namespace: kube-system
spec:
  chart: cilium
  valuesContent: |-
    ipam:
      mode: kubernetes
""",
}


def documents() -> Iterator[Document]:
    """Every document of every readable text file in the trees and of :data:`INLINE`, parsed as the loader
    parses it."""
    for name, text in INLINE.items():
        yield from parse_documents(text, name)
    for tree in TREES:
        for path in sorted(p for p in tree.rglob("*") if p.is_file()) if tree.is_dir() else ():
            try:
                text = read_text(path, str(path))
            except InputError:
                continue
            try:
                yield from parse_documents(text, str(path))
            except InputError:
                yield from salvage_documents(text, str(path)) or [Document(path=str(path), text=text, data=None)]


@pytest.fixture(scope="module")
def every_document() -> list[Document]:
    return list(documents())


def test_each_stand_in_names_a_real_source() -> None:
    assert {s.source().kind for s in DEFERRED} == {s.kind for s in DEFERRED}
    assert len(DEFERRED) >= 10


@pytest.mark.parametrize("stand_in", DEFERRED, ids=lambda s: s.kind)
def test_content_test_holds_for_every_document_the_source_accepts(stand_in: DeferredSource,
                                                                   every_document: list[Document]) -> None:
    real = stand_in.source()
    accepted = [d for d in every_document if real.accepts(d)]
    missed = [f"{d.path} (document {d.index})" for d in accepted if not stand_in.sniff(d)]
    assert missed == []
    assert accepted, f"no test data of kind {stand_in.kind}: the content test is not exercised"


def test_a_kubeadm_check_loads_no_deferred_source_module_and_no_dns_record() -> None:
    code = ("import sys, json; from netblame.api.check import check; check(['examples/pi-cluster']); "
            "print(json.dumps(sorted(sys.modules)))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    modules = set(json.loads(done.stdout))
    assert {"netblame.sources.kubeadm", "netblame.model.dns", "netblame.checks.dns"} <= modules
    assert "netblame.model.dns_records" not in modules
    assert sorted(f"netblame.sources.{s.module}" for s in DEFERRED
                  if f"netblame.sources.{s.module}" in modules) == []
