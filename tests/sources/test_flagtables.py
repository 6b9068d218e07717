"""The flag tables (sources/_flagtables.py): every name is a well-formed flag, the Kubernetes components' tables
are complete (any other name is unknown), a flag Kubernetes removed carries its release, and real command lines
(tests/data/flags, the corpus) pass without a single unknown flag."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.model.flags import FlagNote
from netblame.sources import builtin_sources, load_paths
from netblame.sources.flags import NEAR_MISS, TABLES, FlagTable, closest, parse_words

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "flags"
KUBERNETES = ("kube-apiserver", "kube-controller-manager", "kubelet", "kube-proxy", "kubeadm init", "kubeadm join")
COMPLETE = (*KUBERNETES, "flanneld", "cilium-agent", "cilium-operator")
FLAG = re.compile(r"^([A-Z]|[a-z0-9]+([-_][a-z0-9]+)*)$")  # flanneld: log_backtrace_at; cilium-agent: -D
RELEASE = re.compile(r"^v1\.\d+$")


def unknown(program: str, words: list[str]) -> list[FlagNote]:
    """The unknown-flag notes of ``program`` run with ``words``."""
    return [n for n in parse_words(program, words).notes if n.problem == "unknown"]


def every_flag(table: FlagTable) -> list[str]:
    return sorted(table.values | table.switches)


@pytest.mark.parametrize("program", sorted(TABLES))
def test_every_name_is_a_well_formed_flag(program: str) -> None:
    table = TABLES[program]
    assert table.program == program
    bad = [name for name in every_flag(table) if not FLAG.match(name)]
    assert bad == []
    assert table.values.isdisjoint(table.switches)  # a flag either takes a value or is a switch
    for name, release in table.removed.items():
        assert FLAG.match(name) and RELEASE.match(release), (name, release)
        assert not table.known(name), name  # a removed flag is not also a flag the program has


@pytest.mark.parametrize("program", KUBERNETES)
def test_kubernetes_tables_are_complete_and_read_underscores_as_dashes(program: str) -> None:
    table = TABLES[program]
    assert table.complete and table.word_sep
    assert len(every_flag(table)) >= 25
    for name in every_flag(table):
        assert table.known(name.replace("-", "_"))  # pflag's WordSepNormalizeFunc: --log_dir is --log-dir


@pytest.mark.parametrize("program", COMPLETE)
def test_every_flag_of_the_table_is_taken(program: str) -> None:
    table = TABLES[program]
    words = [f"--{name}=1" for name in every_flag(table)]
    assert unknown(program, words) == []


@settings(max_examples=200, deadline=None)
@given(program=st.sampled_from(COMPLETE), data=st.data())
def test_a_misspelt_flag_is_unknown_with_a_close_hint(program: str, data: st.DataObject) -> None:
    table = TABLES[program]
    name = data.draw(st.sampled_from([n for n in every_flag(table) if len(n) >= 8]))
    at = data.draw(st.integers(0, len(name) - 1))
    typo = name[:at] + name[at + 1:]  # one letter dropped
    if table.known(typo) or table.removed_in(typo):
        return  # dropping a letter gave another real flag (or a removed one)
    [note] = unknown(program, [f"--{typo}=1"])
    assert note.flag == typo and note.removed_in is None
    assert note.hint is not None and table.known(note.hint)
    assert note.hint == closest(typo, table)


@settings(max_examples=100, deadline=None)
@given(program=st.sampled_from(COMPLETE), word=st.from_regex(r"zz[a-z]{3,12}-[a-z]{3,8}", fullmatch=True))
def test_a_name_the_program_never_had_is_unknown(program: str, word: str) -> None:
    [note] = unknown(program, [f"--{word}", "value"])
    assert (note.flag, note.removed_in) == (word, None)
    assert note.hint is None  # nothing is NEAR_MISS-close to a name starting with zz
    assert NEAR_MISS > 0.5


@pytest.mark.parametrize(("program", "flag", "release"), [
    ("kubelet", "network-plugin", "v1.24"), ("kubelet", "cni-bin-dir", "v1.24"), ("kubelet", "cni-conf-dir", "v1.24"),
    ("kubelet", "container-runtime", "v1.27"), ("kubelet", "logtostderr", "v1.26"), ("kubelet", "log_dir", "v1.26"),
    ("kube-apiserver", "logtostderr", "v1.26"), ("kube-controller-manager", "log-file", "v1.26"),
    ("kube-proxy", "cleanup-iptables", "v1.16"), ("kube-proxy", "resource-container", "v1.16"),
    ("kubelet", "containerized", "v1.16"),
])
def test_a_removed_flag_says_when(program: str, flag: str, release: str) -> None:
    [note] = unknown(program, [f"--{flag}=x", "--v=2"])
    assert (note.flag, note.removed_in, note.hint) == (flag, release, None)


def test_kube_proxy_still_has_klog_flags() -> None:
    assert unknown("kube-proxy", ["--logtostderr=false", "--log_dir=/var/log", "--v=2"]) == []


def test_flanneld_table_is_complete_and_tells_underscore_from_dash() -> None:
    """flanneld parses with Go's flag package: no WordSepNormalizeFunc, so --ip_masq is not --ip-masq."""
    table = TABLES["flanneld"]
    assert table.complete and not table.word_sep
    assert table.known("log_backtrace_at") and not table.known("log-backtrace-at")
    [note] = unknown("flanneld", ["--ip_masq"])
    assert (note.flag, note.hint) == ("ip_masq", "ip-masq")


def test_flanneld_documented_options_and_manifest_line_are_quiet() -> None:
    """Every option of flannel's configuration page (tests/data/flags/SOURCES.md) and the args of its Kubernetes
    manifest (``/opt/bin/flanneld --ip-masq --kube-subnet-mgr --healthz-port=8081``) are flags flanneld takes,
    each read as the page says: a switch or a flag with a value."""
    lines = (DATA / "flannel-configuration-options.txt").read_text().splitlines()
    words = [line.split(": ", 1)[0] for line in lines]
    assert len(words) == 18
    assert unknown("flanneld", words) == []
    table = TABLES["flanneld"]
    for word in words:
        name, _, value = word.lstrip("-").partition("=")
        assert table.known(name), name
        assert table.takes_value(name) == (value not in ("", "false")), name
    manifest = (ROOT / "tests" / "data" / "real" / "upstream-kube-flannel" / "kube-flannel.yml").read_text()
    args = re.search(r"- /opt/bin/flanneld\n\s+args:\n((?:\s+- --\S+\n)+)", manifest)
    assert args is not None
    manifest_words = re.findall(r"--\S+", args.group(1))
    assert manifest_words == ["--ip-masq", "--kube-subnet-mgr", "--healthz-port=8081"]
    assert unknown("flanneld", manifest_words) == []
    assert parse_words("flanneld", manifest_words).notes == []


def test_cilium_agent_chart_line_and_old_release_flags_are_quiet() -> None:
    """The agent's args in Cilium's Helm chart (tests/data/flags/SOURCES.md), flags of the v1.9 and v1.12 pages
    the newer page no longer lists, and --kube-proxy-replacement in both its old string and new bool forms."""
    text = (DATA / "cilium-agent-daemonset-args.txt").read_text()
    words = re.findall(r"- (--\S+)", text)
    assert words == ["--config-dir=/tmp/cilium/config-map"]
    parsed = parse_words("cilium-agent", words)
    assert parsed.notes == []
    table = TABLES["cilium-agent"]
    assert table.complete and not table.word_sep
    old = ["--tunnel=vxlan", "--native-routing-cidr", "10.0.0.0/8", "--kube-proxy-replacement=strict",
           "--enable-node-port", "-t", "geneve", "--masquerade=false"]
    new = ["--routing-mode=native", "--tunnel-protocol", "geneve", "--kube-proxy-replacement", "-D",
           "--devices=eth+", "--enable-ipv4-big-tcp"]
    assert parse_words("cilium-agent", old).notes == []
    assert parse_words("cilium-agent", new).notes == []
    [note] = unknown("cilium-agent", ["--routing-mdoe=native"])
    assert note.hint == "routing-mode"


def test_cilium_operator_takes_its_cloud_flags_and_the_generic_name_reads_the_same_table() -> None:
    table = TABLES["cilium-operator"]
    assert table.complete
    words = ["--config-dir=/tmp/cilium/config-map", "--aws-release-excess-ips", "--eni-tags", "a=b",
             "--cluster-pool-ipv4-cidr=10.0.0.0/8", "--kube-proxy-replacement=true", "-D"]
    assert parse_words("cilium-operator", words).notes == []
    [note] = unknown("cilium-operator", ["--cluster-pool-ipv4-mask=24"])
    assert note.hint == "cluster-pool-ipv4-mask-size"


def journal_command(line: str) -> tuple[str, list[str]]:
    """The program and its words from a k3s journal line ``... msg="Running kubelet --a=b ..."``."""
    found = re.search(r'msg="Running (kube-apiserver|kube-controller-manager|kubelet|kube-proxy) ([^"]*)"', line)
    assert found, line
    return found.group(1), shlex.split(found.group(2))


def test_k3s_command_lines_have_no_unknown_flag() -> None:
    lines = (DATA / "k3s-cis-1.8-journal.log").read_text().splitlines()
    programs = set()
    for line in lines:
        program, words = journal_command(line)
        programs.add(program)
        assert len(words) > 20
        assert unknown(program, words) == [], program
    assert programs == {"kube-apiserver", "kubelet"}


def flag_notes(paths: list[Path]) -> list[FlagNote]:
    loaded = load_paths([str(p) for p in paths], builtin_sources())
    return [f for f in loaded.fragments if isinstance(f, FlagNote) and f.problem == "unknown"]


def test_real_inputs_have_no_unknown_flag_but_the_removed_one() -> None:
    """Real files (tests/data/flags/SOURCES.md): kubeadm v1.33's controller-manager manifest and the k3s hardening
    guide's config (flags handed on by kube-apiserver-arg, kubelet-arg, ...) are clean; the kubelet drop-in from a
    Docker-to-containerd guide still passes --container-runtime, which v1.27 removed."""
    kinds = {Path(i.path).name: i.kind for i in load_paths([str(DATA)], builtin_sources()).inputs}
    assert kinds["k3s-hardening-config.yaml"] == "k3s-rke2-config"
    assert kinds["kubeadm-1.33-kube-controller-manager.yaml"] == "control-plane-pod"
    notes = flag_notes([DATA])
    assert [(n.program, n.flag, n.removed_in) for n in notes] == [("kubelet", "container-runtime", "v1.27")]
    assert notes[0].origin.file is not None and notes[0].origin.file.endswith("cncamp-10-kubeadm.conf")


def test_repository_inputs_have_no_unknown_flag() -> None:
    """Every file under tests/data and examples that holds component flags (static pods from kubeadm, scripts with
    kubeadm init, distribution args files) uses flags the programs have."""
    notes = flag_notes([ROOT / "tests" / "data", ROOT / "examples"])
    assert [(n.origin.file, n.program, n.flag) for n in notes if n.origin.file and "/flags/" not in n.origin.file] == []


def test_upstream_corpus_has_no_unknown_flag(corpus: Path) -> None:
    assert flag_notes([corpus]) == []
