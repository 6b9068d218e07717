"""Component flags in any text: command lines, scripts, units, YAML lists, args files; what a program would
not take (unknown flags, a value flag without a value, values filled in later)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from source_helpers import Reader, kinds

from netblame.api.check import assemble
from netblame.model.cluster import ClusterNetwork
from netblame.model.flags import FlagNote
from netblame.sources import builtin_sources, load_paths
from netblame.sources.cmdline import invocations

DATA = Path(__file__).resolve().parent.parent / "data" / "distros"


def cluster(loaded: object) -> ClusterNetwork:
    subjects = [s for s in assemble(loaded.fragments) if isinstance(s, ClusterNetwork)]  # type: ignore[attr-defined]
    assert len(subjects) == 1, subjects
    return subjects[0]


def notes(loaded: object) -> list[FlagNote]:
    return [f for f in loaded.fragments if isinstance(f, FlagNote)]  # type: ignore[attr-defined]


def test_kubeadm_init_line_with_continuations_and_quotes(read: Reader) -> None:
    loaded = read(init__sh="""
        #!/bin/sh
        sudo kubeadm init --pod-network-cidr=10.244.0.0/24 \\
            --service-cidr "10.96.0.0/16" \\
            --upload-certs && echo done
        """)
    assert kinds(loaded) == {"init.sh": "component-flags"}
    net = cluster(loaded)
    assert [(c.text, c.origin.line) for c in net.pod_cidrs] == [("10.244.0.0/24", 2)]
    assert [(c.text, c.origin.line) for c in net.service_cidrs] == [("10.96.0.0/16", 3)]
    assert net.allocate_node_cidrs is not None and net.allocate_node_cidrs.value
    assert notes(loaded) == []


def test_kubeadm_init_without_service_cidr_takes_kubeadms_default(read: Reader) -> None:
    net = cluster(read(init__sh="kubeadm init --pod-network-cidr 10.244.0.0/16\n"))
    service = net.service_cidrs[0]
    assert service.text == "10.96.0.0/12" and service.origin.default == "kubeadm networking.serviceSubnet"


def test_systemd_unit_execstart_and_environment(read: Reader) -> None:
    loaded = read(kcm__service="""
        [Service]
        Environment="KUBELET_EXTRA_ARGS=--max-pods=250 --cluster-dns 10.32.0.10"
        ExecStart=/usr/local/bin/kube-controller-manager \\
          --allocate-node-cidrs=true \\
          --cluster-cidr=10.200.0.0/16 \\
          --node-cidr-mask-size=25
        """)
    net = cluster(loaded)
    assert net.max_pods is not None and (net.max_pods.value, net.max_pods.origin.line) == (250, 2)
    assert [str(a.value) for a in net.cluster_dns] == ["10.32.0.10"]
    assert net.node_mask_v4 is not None and (net.node_mask_v4.value, net.node_mask_v4.origin.line) == (25, 6)
    assert net.pod_cidrs[0].text == "10.200.0.0/16"


def test_yaml_command_list_and_ansible_task(read: Reader) -> None:
    loaded = read(tasks__yaml="""
        - name: controller manager by hand
          containers:
            - command:
              - kube-controller-manager
              - --cluster-cidr=10.50.0.0/16
              args:
              - --node-cidr-mask-size-ipv4=26
        - name: init
          shell: kubeadm init --service-cidr 10.60.0.0/16 --pod-network-cidr={{ pod_cidr }}
        """)
    net = cluster(loaded)
    assert net.pod_cidrs[0].text == "10.50.0.0/16" and net.pod_cidrs[0].origin.line == 5
    assert net.node_mask_v4 is not None and net.node_mask_v4.origin.line == 7
    assert net.service_cidrs[0].text == "10.60.0.0/16"
    [note] = notes(loaded)
    assert (note.problem, note.flag, note.value) == ("unresolved", "pod-network-cidr", "{{pod_cidr}}")


def test_k3s_install_one_liner(read: Reader) -> None:
    net = cluster(read(install__sh=(
        "curl -sfL https://get.k3s.io | sh -s - server --cluster-cidr 10.52.0.0/16 --flannel-backend host-gw\n")))
    assert net.pod_cidrs[0].text == "10.52.0.0/16"
    assert [(c.name, c.routing.value if c.routing else None) for c in net.cnis] == [("flannel", "host-gw")]


def test_value_flag_at_the_end_is_missing_not_true(read: Reader) -> None:
    loaded = read(init__sh="kubeadm init --service-cidr 10.96.0.0/12 --pod-network-cidr\n")
    [note] = notes(loaded)
    assert (note.problem, note.flag, note.taken, note.origin.line) == ("missing-value", "pod-network-cidr", None, 1)
    assert cluster(loaded).pod_cidrs == ()


def test_value_flag_followed_by_a_flag(read: Reader) -> None:
    loaded = read(kcm__sh="kube-controller-manager --cluster-cidr --allocate-node-cidrs=true\n")
    [note] = notes(loaded)
    assert (note.problem, note.taken) == ("missing-value", "--allocate-node-cidrs=true")


def test_switch_does_not_swallow_the_next_argument(read: Reader) -> None:
    loaded = read(k3s__sh="k3s server --cluster-init --cluster-cidr 10.60.0.0/16\n")
    assert cluster(loaded).pod_cidrs[0].text == "10.60.0.0/16"
    assert notes(loaded) == []


def test_unknown_flags_are_noted_with_the_closest_name(read: Reader) -> None:
    loaded = read(k3s__sh="k3s server --cluster-cider 10.60.0.0/16 --frobnicate\n",
                  kcm__sh="kube-controller-manager --service-cluster-ip-rang=10.96.0.0/12 --horizontal-thing=1\n",
                  flannel__sh="flanneld --kube-subnet-mgr --ifacee=eth0 --frobnicate\n",
                  operator__sh="cilium-operator --config-dirr=/tmp/cilium/config-map --frobnicate\n")
    found = {(n.program, n.flag, n.hint) for n in notes(loaded) if n.problem == "unknown"}
    # every table is complete: each unknown name is noted, with the closest name when one is close
    assert found == {("k3s server", "cluster-cider", "cluster-cidr"), ("k3s server", "frobnicate", None),
                     ("kube-controller-manager", "service-cluster-ip-rang", "service-cluster-ip-range"),
                     ("kube-controller-manager", "horizontal-thing", None), ("flanneld", "ifacee", "iface"),
                     ("flanneld", "frobnicate", None), ("cilium-operator", "config-dirr", "config-dir"),
                     ("cilium-operator", "frobnicate", None)}


def test_a_program_name_alone_is_not_a_command_line() -> None:
    assert invocations("kineUser: kube-apiserver\nname: kubelet\n") == []


def test_real_k3s_bootstrap_script() -> None:
    loaded = load_paths([str(DATA / "k3s" / "k3s-bootstrap.sh")], builtin_sources())
    assert not loaded.errors
    net = cluster(loaded)
    assert [(c.text, c.origin.line) for c in net.pod_cidrs] == [("10.1.0.0/16", 6)]
    assert [(c.text, c.origin.line) for c in net.service_cidrs] == [("10.2.0.0/16", 7)]
    assert [(str(a.value), a.origin.line) for a in net.cluster_dns] == [("10.2.0.10", 8)]
    assert net.distribution is not None and net.distribution.value == "k3s"
    [flannel] = net.cnis
    assert flannel.routing is not None and flannel.routing.value == "vxlan"
    assert flannel.routing.origin.default == "k3s --flannel-backend"
    assert notes(loaded) == []


def test_real_microk8s_args_files() -> None:
    loaded = load_paths([str(DATA / "microk8s" / "args")], builtin_sources())
    assert not loaded.errors
    net = cluster(loaded)
    assert [(c.text, c.origin.line) for c in net.pod_cidrs] == [("10.1.0.0/16", 2)]
    assert [(c.text, c.origin.line) for c in net.service_cidrs] == [("10.152.183.0/24", 2)]
    assert notes(loaded) == []  # ${SNAP_DATA} paths are not values netblame reads


_FLAG_NAMES = st.sampled_from(["cluster-cidr", "service-cluster-ip-range", "node-cidr-mask-size-ipv4",
                               "cluster-name", "bind-address"])
_VALUES = st.from_regex(r"[a-z0-9./]{1,12}", fullmatch=True)


@settings(max_examples=80, deadline=None)
@given(flags=st.lists(st.tuples(_FLAG_NAMES, _VALUES, st.booleans(), st.booleans()), min_size=1, max_size=6,
                      unique_by=lambda f: f[0]))
def test_any_layout_of_a_command_line_reads_back_the_same_values_and_lines(
        flags: list[tuple[str, str, bool, bool]]) -> None:
    """Whatever the layout (``=`` or a blank, a ``\\`` continuation or not), each flag's value and line come back."""
    lines = ["kube-controller-manager"]
    expected: dict[str, tuple[str, int]] = {}
    for name, value, equals, newline in flags:
        arg = f"--{name}={value}" if equals else f"--{name} {value}"
        if newline:
            lines[-1] += " \\"
            lines.append("    " + arg)
        else:
            lines[-1] += " " + arg
        expected[name] = (value, len(lines))
    [inv] = invocations("\n".join(lines) + "\n")
    got: dict[str, tuple[str, int]] = {}
    args = list(inv.args)
    i = 0
    while i < len(args):
        name, eq, value = args[i].text.lstrip("-").partition("=")
        if not eq:
            i += 1
            value = args[i].text
        got[name] = (value, args[i].line)
        i += 1
    assert got == expected


def test_words_that_only_contain_a_program_name_are_not_command_lines() -> None:
    text = ("kubeletVersion: v1.31.4+k3s1\nmessage: kubelet has sufficient memory available\n"
            "k3s.io/node-args: '[\"server\"]'\n")
    assert invocations(text) == []


def test_docker_run_of_the_k3s_image() -> None:
    [inv] = invocations("docker run --privileged rancher/k3s:v1.30.4-k3s1 server --cluster-cidr 10.30.0.0/16\n")
    assert inv.program == "k3s server" and [t.text for t in inv.args] == ["--cluster-cidr", "10.30.0.0/16"]


def test_flow_sequence_command() -> None:
    [inv] = invocations('    command: ["kube-apiserver", "--service-cluster-ip-range=10.0.0.0/24", "--v=2"]\n')
    assert inv.program == "kube-apiserver"
    assert [(t.text, t.line) for t in inv.args] == [("--service-cluster-ip-range=10.0.0.0/24", 1), ("--v=2", 1)]
