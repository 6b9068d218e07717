"""What the NB1xx rules find in the real upstream files of the shared corpus, each file checked on its
own, and a few real files checked together the way a user would combine them."""

from __future__ import annotations

from pathlib import Path

import pytest

from netblame.api.check import ClusterFlags, check

# Rules expected per corpus file (relative to the corpus root). Files that are not cluster inputs
# (DNS, netplan, networkd) are another subsystem's; they must simply produce no NB1xx finding.
EXPECTED: dict[str, set[str]] = {
    # podSubnet 10.244.0.0/24 with node-cidr-mask-size 20: kube-controller-manager refuses to start.
    "kubeadm/v1beta4-docs-clusterconfiguration.yaml": {"NB102"},
    # The same page's whole example: one bootstrap token is mis-indented (not valid YAML as published), and
    # the ClusterConfiguration beside it is read all the same.
    "kubeadm/v1beta4-docs-full-example.yaml": {"NB102"},
    # serviceSubnet 10.196.0.0/12 is really 10.192.0.0/12.
    "kubeadm/k8s-testdata-controlplane-incomplete.yaml": {"NB106"},
    "kubeadm/k8s-testdata-controlplane-defaulted.yaml": {"NB106"},
    "calico/calico-yaml-excerpt.yaml": set(),
    "calico/custom-resources.yaml": set(),
    "cilium/values-main-2025-12.yaml": set(),
    "cilium/values-v1.12-dev-2022-11.yaml": set(),
    "flannel/kube-flannel.yml": set(),
}


def nb1(paths: list[Path], flags: ClusterFlags | None = None) -> dict[str, list[str]]:
    report = check([str(p) for p in paths], flags=flags)
    out: dict[str, list[str]] = {}
    for f in report.findings:
        if f.rule.startswith("NB1"):
            out.setdefault(f.rule, []).append(f.message)
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_corpus_file_alone(corpus: Path, name: str) -> None:
    assert set(nb1([corpus / name])) == EXPECTED[name]


def test_every_other_corpus_file_has_no_address_finding(corpus: Path) -> None:
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.name != "SOURCES.md"):
        if str(path.relative_to(corpus)) not in EXPECTED:
            assert nb1([path]) == {}, path


def test_docs_example_names_the_mask_and_the_kcm_message(corpus: Path) -> None:
    [message] = nb1([corpus / "kubeadm/v1beta4-docs-clusterconfiguration.yaml"])["NB102"]
    assert "10.244.0.0/24" in message and "/20 node mask" in message and "Invalid --cluster-cidr" in message


def test_calico_default_pool_on_a_192_168_lan(corpus: Path) -> None:
    """Calico's default 192.168.0.0/16 (custom-resources.yaml) on a home LAN of 192.168.1.0/24."""
    found = nb1([corpus / "calico/custom-resources.yaml"], ClusterFlags(lan=("192.168.1.0/24",)))
    assert set(found) == {"NB104"}
    assert "192.168.0.0/16" in found["NB104"][0] and "192.168.1.0/24" in found["NB104"][0]


def test_cilium_defaults_with_kubeadm_defaults(corpus: Path) -> None:
    """The chart's cluster-pool 10.0.0.0/8 (values.yaml) contains kubeadm's service range and ignores its pod range."""
    found = nb1([corpus / "kubeadm/k8s-testdata-controlplane-incomplete.yaml",
                 corpus / "cilium/values-main-2025-12.yaml"])
    assert {"NB103", "NB105", "NB106"} <= set(found)
    assert any("10.0.0.0/8" in m and "10.196.0.0/12" in m for m in found["NB103"])
    assert any("10.148.0.0/16" in m and "own pool 10.0.0.0/8" in m for m in found["NB105"])


def test_flannel_manifest_with_a_pod_range_outside_its_network(corpus: Path, tmp_path: Path) -> None:
    kubeadm = tmp_path / "kubeadm.yaml"
    kubeadm.write_text("apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n"
                       "networking:\n  podSubnet: 10.10.0.0/16\n")
    found = nb1([kubeadm, corpus / "flannel/kube-flannel.yml"])
    assert set(found) == {"NB105"}
    assert "10.244.0.0/16" in found["NB105"][0]
