"""The pure parsers and analyses of the resolver chain."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from netblame.dns.chain import expand, fit_search, pod_resolv
from netblame.dns.networkd import matches, unit_for, use_domains
from netblame.dns.resolve import expansions
from netblame.live.dns_tree import read_tree
from netblame.model.dns import STUB_RESOLV, DnsSetup, KubeletDns, ResolvConf
from netblame.model.origin import Origin, Sourced
from netblame.sources.corefile import is_coredns_configmap, parse_coredns_configmap, parse_corefile
from netblame.sources.ini import parse_ini
from netblame.sources.kubelet import parse_kubelet_flags
from netblame.sources.loader import parse_documents
from netblame.sources.networkd import build_unit, parse_dhclient_lease
from netblame.sources.resolvconf import parse_resolv_conf


def test_resolv_conf_last_search_wins_and_unknown_lines_are_kept() -> None:
    text = "search one two\nnameserver 10.0.0.1\ndomain three\noptions ndots:3 edns0\nUseDomains=true\n"
    conf = parse_resolv_conf(text, "r")
    assert conf.search_names == ("three",)
    assert conf.ndots == 3
    assert [n.value for n in conf.nameservers] == ["10.0.0.1"]
    assert [(u.value, u.origin.line) for u in conf.unknown] == [("UseDomains=true", 5)]


def test_resolv_conf_header_names_the_file() -> None:
    conf = parse_resolv_conf(f"# This is {STUB_RESOLV} managed by man:systemd-resolved(8).\nsearch .\n", "x")
    assert conf.node_path == STUB_RESOLV and conf.generated_by == "systemd-resolved"
    assert conf.search_names == ()


def _unit(name: str, text: str, *dropins: str) -> object:
    return build_unit("network", name, parse_ini(text, name),
                      [(f"{i}.conf", parse_ini(d, f"{i}.conf")) for i, d in enumerate(dropins)])


def test_use_domains_precedence_dhcpv4_then_legacy_then_network() -> None:
    base = "[Match]\nName=eth0\n[Network]\nDHCP=yes\nUseDomains=route\n"
    assert use_domains(_unit("a", base)).value == "route"  # type: ignore[arg-type]
    legacy = _unit("a", base + "[DHCP]\nUseDomains=false\n")
    assert use_domains(legacy).value == "no"  # type: ignore[arg-type]
    assert use_domains(_unit("a", base + "[DHCP]\nUseDomains=no\n[DHCPv4]\nUseDomains=yes\n")).value == "yes"  # type: ignore[arg-type]
    unset = use_domains(_unit("a", "[Match]\nName=eth0\n"))  # type: ignore[arg-type]
    assert unset.value == "no" and unset.origin.default


def test_dropins_apply_after_the_file_in_order() -> None:
    unit = _unit("10-eth0.network", "[Match]\nName=eth0\n[DHCPv4]\nUseDomains=no\n", "[DHCPv4]\nUseDomains=yes\n",
                 "[DHCPv4]\nUseDomains=route\n")
    found = use_domains(unit)  # type: ignore[arg-type]
    assert found.value == "route" and found.origin.file == "1.conf"


def test_match_globs_and_first_file_wins() -> None:
    any_en = _unit("20-en.network", "[Match]\nName=en*\n")
    not_lo = _unit("10-notlo.network", "[Match]\nName=!lo wl*\n")
    assert matches(any_en, "enp1s0") and not matches(any_en, "eth0")  # type: ignore[arg-type]
    assert matches(not_lo, "eth0") and not matches(not_lo, "wlan0")  # type: ignore[arg-type]
    assert unit_for([not_lo, any_en], "enp1s0") is not_lo  # type: ignore[list-item]


def test_etc_hides_a_same_named_file_in_run(tmp_path: Path) -> None:
    for directory, value in (("etc", "yes"), ("run", "no")):
        target = tmp_path / directory / "systemd" / "network" / "10-eth0.network"
        target.parent.mkdir(parents=True)
        target.write_text(f"[Match]\nName=eth0\n[DHCPv4]\nUseDomains={value}\n")
    dropin = tmp_path / "run/systemd/network/10-eth0.network.d/50-x.conf"
    dropin.parent.mkdir(parents=True)
    dropin.write_text("[DHCPv4]\nUseDomains=route\n")
    setup = read_tree(str(tmp_path))
    (unit,) = setup.networks
    assert unit.path.endswith("etc/systemd/network/10-eth0.network")
    assert use_domains(unit).value == "route"


def test_dhclient_lease_takes_the_last_block() -> None:
    text = ('lease {\n  interface "eth0";\n  fixed-address 10.0.0.5;\n  option domain-name "old";\n}\n'
            'lease {\n  interface "eth0";\n  fixed-address 10.0.0.6;\n  option domain-search "lab.", "home.arpa.";\n'
            '  option domain-name "home.arpa";\n}\n')
    lease = parse_dhclient_lease(text, "l")
    assert lease is not None and lease.address == "10.0.0.6"
    assert lease.domains == ("home.arpa", "lab")


def test_kubelet_flags() -> None:
    text = ('KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/c.sock --resolv-conf=/run/x '
            '--cluster-dns=10.96.0.10,fd00::a"\n')
    flags = parse_kubelet_flags(text, "f")
    assert flags.from_flags and flags.resolv_conf is not None and flags.resolv_conf.value == "/run/x"
    assert [d.value for d in flags.cluster_dns] == ["10.96.0.10", "fd00::a"]


def test_corefile_in_its_configmap_keeps_file_lines(corpus: Path) -> None:
    path = corpus / "coredns" / "coredns-configmap.kubeadm.yaml"
    (doc,) = parse_documents(path.read_text(), str(path))
    assert is_coredns_configmap(doc.data)
    core = parse_coredns_configmap(doc.data, str(path))
    (forward,) = core.forwards
    assert forward.zone == "." and [t.value for t in forward.targets] == ["/etc/resolv.conf"]
    assert path.read_text().splitlines()[forward.origin.line - 1].strip().startswith("forward . /etc/resolv.conf")
    assert core.loop is not None
    plain = parse_corefile((corpus / "coredns" / "Corefile.kubeadm").read_text(), "Corefile")
    assert plain.forwards[0].origin.line == 13


def _setup(search: tuple[str, ...], servers: tuple[str, ...] = ("10.0.0.1",)) -> DnsSetup:
    o = Origin(file="x")
    resolv = ResolvConf(node_path="/etc/resolv.conf", origin=o, nameservers=tuple(Sourced(s, o) for s in servers),
                        search=tuple(Sourced(s, o) for s in search))
    kubelet = KubeletDns(origin=o, cluster_dns=(Sourced("10.96.0.10", o),), cluster_domain=Sourced("cluster.local", o))
    return DnsSetup(resolv_files=(resolv,), kubelet=(kubelet,))


def test_pod_resolv_as_kubelet_writes_it() -> None:
    setup = _setup(("lab", "cluster.local", "home.arpa"), ("1.1.1.1", "8.8.8.8", "9.9.9.9", "10.0.0.1"))
    pod = pod_resolv(setup, "ClusterFirst", "web")
    assert pod is not None
    assert pod.search == ("web.svc.cluster.local", "svc.cluster.local", "cluster.local", "lab", "home.arpa")
    assert pod.nameservers == ("10.96.0.10",) and pod.options == ("ndots:5",)
    host = pod_resolv(setup, "Default")
    assert host is not None and host.nameservers == ("1.1.1.1", "8.8.8.8", "9.9.9.9")
    assert host.dropped_nameservers == ("10.0.0.1",)


DOMAIN = st.from_regex(r"[a-z][a-z0-9-]{0,70}(\.[a-z]{1,20}){0,3}", fullmatch=True)


@given(st.lists(DOMAIN, max_size=60), st.sampled_from([(32, 2048), (6, 256)]))
def test_fit_search_keeps_a_prefix_within_the_limits(search: list[str], limits: tuple[int, int]) -> None:
    max_paths, max_chars = limits
    kept = fit_search(search, max_paths, max_chars)
    assert len(kept) <= max_paths
    assert len(" ".join(kept)) <= max_chars
    assert kept == [s for s in search[:max_paths] if len(s) <= 253][: len(kept)]
    if len(search) <= max_paths and len(" ".join(search)) <= max_chars:
        assert kept == search


@given(st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8}){0,6}", fullmatch=True), st.lists(DOMAIN, max_size=6, unique=True),
       st.integers(min_value=1, max_value=15))
def test_expand_orders_by_ndots(name: str, search: list[str], ndots: int) -> None:
    candidates = expand(name, tuple(search), ndots)
    assert len(candidates) == len(search) + 1
    assert candidates.count(f"{name}.") == 1
    first_is_absolute = candidates[0] == f"{name}."
    assert first_is_absolute == (name.count(".") >= ndots or not search)
    assert expand(name + ".", tuple(search), ndots) == [name + "."]


def test_tree_records_the_dropins_it_applied(tmp_path: Path) -> None:
    unit_file = tmp_path / "etc/systemd/network/10-eth0.network"
    unit_file.parent.mkdir(parents=True)
    unit_file.write_text("[Match]\nName=eth0\n[Network]\nDHCP=yes\n")
    dropin = tmp_path / "etc/systemd/network/10-eth0.network.d/50-x.conf"
    dropin.parent.mkdir(parents=True)
    dropin.write_text("[DHCPv4]\nUseDomains=yes\n")
    (unit,) = read_tree(str(tmp_path)).networks
    assert unit.dropins == (str(dropin),)
    assert [e.key for e in unit.entries] == ["Name", "DHCP", "UseDomains"]


def test_pod_ndots_is_read_as_glibc_reads_the_host_options() -> None:
    # Without clusterDNS a ClusterFirst pod keeps the host's options; the last ndots wins.
    conf = parse_resolv_conf("nameserver 10.0.0.1\nsearch lab\noptions ndots:1 ndots:3\n", "r")
    setup = DnsSetup(resolv_files=(conf,), kubelet=(KubeletDns(origin=Origin(file="k")),))
    node, pod = expansions(setup, "nas")
    assert node.ndots == pod.ndots == 3


def test_only_names_under_the_cluster_domain_are_internal() -> None:
    conf = parse_resolv_conf("nameserver 10.0.0.1\nsearch mycluster.local\n", "r")
    kubelet = KubeletDns(origin=Origin(file="k"), cluster_dns=(Sourced("10.96.0.10", Origin(file="k")),),
                         cluster_domain=Sourced("cluster.local", Origin(file="k")))
    _, pod = expansions(DnsSetup(resolv_files=(conf,), kubelet=(kubelet,)), "nas")
    internal = {c.name: c.internal for c in pod.candidates}
    assert internal["nas.default.svc.cluster.local."] and internal["nas.cluster.local."]
    assert not internal["nas.mycluster.local."] and not internal["nas."]
