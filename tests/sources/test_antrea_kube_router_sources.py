"""Antrea's antrea-agent.conf / antrea-controller.conf (alone and in the antrea-config ConfigMap) and
kube-router's container args: what ``netblame plan`` writes for them, and what their manifests carry
(key names: antrea-io/antrea build/charts/antrea/conf/*.conf; cloudnativelabs/kube-router
daemonset/kubeadm-kuberouter.yaml and docs/user-guide.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from source_helpers import Reader, cluster_of, kinds

from netblame import ClusterFlags, check

AGENT = """\
trafficEncapMode: "encap"
tunnelType: "geneve"
serviceCIDR: "10.96.0.0/12"
serviceCIDRv6: "fd00::/112"
"""

CONTROLLER_IPAM = """\
nodeIPAM:
  enableNodeIPAM: true
  clusterCIDRs:
    - 10.10.0.0/24
  serviceCIDR: ""
  nodeCIDRMaskSizeIPv4: 24
"""

CONFIGMAP = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: antrea-config
  namespace: kube-system
data:
  antrea-agent.conf: |
    trafficEncapMode: "encap"
    serviceCIDR: "10.43.0.0/16"
  antrea-controller.conf: |
    nodeIPAM:
      enableNodeIPAM: false
      clusterCIDRs:
      - 10.99.0.0/16
"""


def test_agent_conf_gives_the_service_ranges_with_their_lines(read: Reader) -> None:
    loaded = read(**{"antrea-agent__conf": AGENT})
    assert kinds(loaded) == {"antrea-agent.conf": "antrea-conf"}
    cluster = cluster_of(loaded)
    assert [(c.text, c.origin.line) for c in cluster.service_cidrs] == [("10.96.0.0/12", 3), ("fd00::/112", 4)]
    assert cluster.pod_cidrs == ()


def test_controller_node_ipam_gives_pod_ranges_and_the_mask(read: Reader) -> None:
    cluster = cluster_of(read(**{"antrea-controller__conf": CONTROLLER_IPAM}))
    assert [(c.text, c.origin.line) for c in cluster.pod_cidrs] == [("10.10.0.0/24", 4)]
    mask = cluster.node_mask_v4
    assert mask is not None and (mask.value, mask.origin.line) == (24, 6)


def test_node_ipam_that_serves_one_node_is_found(tmp_path: Path) -> None:
    (tmp_path / "antrea-controller.conf").write_text(CONTROLLER_IPAM)
    report = check([str(tmp_path)], flags=ClusterFlags(nodes=3))
    assert "NB101" in {f.rule for f in report.findings}


def test_configmap_reads_both_files_and_ignores_ipam_that_is_off(read: Reader) -> None:
    loaded = read(antrea__yaml=CONFIGMAP)
    assert kinds(loaded) == {"antrea.yaml": "antrea-configmap"}
    cluster = cluster_of(loaded)
    assert [(c.text, c.origin.line) for c in cluster.service_cidrs] == [("10.43.0.0/16", 9)]
    assert cluster.pod_cidrs == ()


def test_a_bad_range_is_one_line_naming_file_line_and_field(read: Reader) -> None:
    loaded = read(errors_ok=True, **{"antrea-agent__conf": 'tunnelType: geneve\nserviceCIDR: "10.96.0.0/33"\n'})
    (error,) = loaded.errors
    assert error.line == 2 and "serviceCIDR" in str(error) and "\n" not in str(error)


def test_kube_router_args_are_read_with_their_optional_pod_range(read: Reader) -> None:
    loaded = read(args__yaml="- --run-router=true\n- --run-firewall=true\n- --cluster-cidr=10.32.0.0/12\n")
    assert kinds(loaded) == {"args.yaml": "kube-router-args"}
    assert [(c.text, c.origin.line) for c in cluster_of(loaded).pod_cidrs] == [("10.32.0.0/12", 3)]


@pytest.mark.parametrize("text", ["- --v=2\n- --kubeconfig=/x\n", "tunnel: geneve\n", "- run-router\n"])
def test_lookalikes_are_not_taken(read: Reader, text: str) -> None:
    loaded = read(errors_ok=True, x__yaml=text)
    assert kinds(loaded).get("x.yaml") not in ("kube-router-args", "antrea-conf")
