"""The Juju k8s charm's options (canonical/k8s-operator charms/worker/k8s/charmcraft.yaml): a deploy config
file, ``juju config k8s`` output, a bundle, or the options alone; unset ranges take the charm's defaults."""

from __future__ import annotations

from pathlib import Path

from source_helpers import Reader, kinds
from test_distro_sources import cluster, ranges

from netblame.api.check import ClusterFlags, check
from netblame.sources import builtin_sources, load_paths

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_documented_deploy_config_is_read() -> None:
    loaded = load_paths([str(DATA / "distros" / "k8s-charm" / "k8s-config.yaml")], builtin_sources())
    assert not loaded.errors
    assert kinds(loaded) == {"k8s-config.yaml": "k8s-charm-config"}
    net = cluster(loaded)
    assert ranges(net) == (["192.168.0.0/16"], ["10.152.183.0/24"])
    assert net.pod_cidrs[0].origin.line == 9 and net.pod_cidrs[0].origin.default is None
    assert net.distribution is not None and net.distribution.value == "k8s-charm"
    assert any("`k8s`" in (i.note or "") for i in loaded.inputs)


def test_unset_ranges_take_the_charm_defaults_marked_as_such(read: Reader) -> None:
    net = cluster(read(config__yaml="bootstrap-datastore: dqlite\ndns-enabled: true\n"))
    assert ranges(net) == (["10.1.0.0/16"], ["10.152.183.0/24"])
    assert net.pod_cidrs[0].origin.default == "k8s charm bootstrap-pod-cidr"
    assert net.service_cidrs[0].origin.default == "k8s charm bootstrap-service-cidr"


def test_juju_config_output_reads_each_options_value(read: Reader) -> None:
    net = cluster(read(config__yaml="""
        application: k8s
        charm: k8s
        settings:
          bootstrap-pod-cidr:
            default: 10.1.0.0/16
            description: Comma-separated CIDR blocks
            source: user
            type: string
            value: 172.16.0.0/21
          bootstrap-service-cidr:
            default: 10.152.183.0/24
            source: default
            type: string
          kube-controller-manager-extra-args:
            default: ""
            source: user
            type: string
            value: node-cidr-mask-size-ipv4=26 profiling=true
        """))
    assert ranges(net) == (["172.16.0.0/21"], ["10.152.183.0/24"])
    assert net.node_mask(4).value == 26


def test_a_bundle_application_of_the_k8s_charm(read: Reader) -> None:
    loaded = read(bundle__yaml="""
        applications:
          k8s:
            charm: k8s
            channel: 1.32/stable
            num_units: 3
            options:
              bootstrap-pod-cidr: 10.100.0.0/16,fd00:100::/56
        """)
    net = cluster(loaded)
    assert ranges(net)[0] == ["10.100.0.0/16", "fd00:100::/56"]
    assert any("applications.k8s.options" in (i.note or "") for i in loaded.inputs)


def test_auto_is_left_to_the_snap_and_noted(read: Reader) -> None:
    loaded = read(config__yaml='bootstrap-pod-cidr: auto\nbootstrap-service-cidr: "10.152.183.0/24"\n')
    assert ranges(cluster(loaded)) == ([], ["10.152.183.0/24"])
    assert any("auto" in (i.note or "") for i in loaded.inputs)


def test_other_mappings_are_not_taken_for_charm_options(read: Reader) -> None:
    loaded = read(errors_ok=True, snap__yaml="pod-cidr: 10.1.0.0/16\nservice-cidr: 10.152.183.0/24\n",
                  k3s__yaml="cluster-cidr: 10.42.0.0/16\n",
                  values__yaml="applications:\n  web:\n    charm: wordpress\n    options:\n      port: 80\n")
    found = {name: kind for name, kind in kinds(loaded).items()}
    assert "k8s-charm-config" not in str(found["snap.yaml"]) and found["k3s.yaml"] == "k3s-rke2-config"
    assert found.get("values.yaml") is None and ["values.yaml" in str(e) for e in loaded.errors] == [True]


def test_a_bad_range_is_one_line_naming_file_and_line(read: Reader) -> None:
    loaded = read(errors_ok=True, config__yaml="bootstrap-datastore: dqlite\nbootstrap-pod-cidr: 10.1.0.0/33\n")
    [error] = loaded.errors
    assert "config.yaml" in str(error) and ":2" in str(error) and "\n" not in str(error)


def test_the_reported_range_is_too_small_for_twenty_nodes_and_the_fix_names_the_charm_option() -> None:
    case = DATA / "real" / "k8s-snap-1762-bootstrap-pod-cidr" / "bootstrap.yaml"
    report = check([str(case)], flags=ClusterFlags(nodes=20))
    [finding] = [f for f in report.findings if f.rule == "NB101"]
    assert "8 of 20 nodes" in finding.message and "bootstrap-pod-cidr" in finding.fix
    quiet = check([str(case)], flags=ClusterFlags(nodes=8))
    assert not [f for f in quiet.findings if f.rule == "NB101"]


def test_options_written_as_key_value_in_a_command_line(read: Reader) -> None:
    loaded = read(deploy__sh="juju deploy k8s --channel 1.32/stable \\\n  --config bootstrap-pod-cidr=10.100.0.0/16 "
                             "\\\n  --config bootstrap-service-cidr='10.101.0.0/16'\n")
    net = cluster(loaded)
    assert ranges(net) == (["10.100.0.0/16"], ["10.101.0.0/16"]) and net.service_cidrs[0].origin.line == 3


def test_prose_that_only_names_the_option_is_not_read(read: Reader) -> None:
    loaded = read(errors_ok=True, notes__md="Set bootstrap-pod-cidr before deploying; see the charm docs.\n")
    assert kinds(loaded).get("notes.md") is None
