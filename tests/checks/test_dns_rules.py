"""Rule details the documented examples do not pin down: what exactly each rule says and drops."""

from __future__ import annotations

from netblame.checks import default_registry
from netblame.findings import Finding, Severity
from netblame.model.dns import DnsSetup, merge_dns
from netblame.sources.dns import documents, read_dns

KUBELET = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\n"
           "clusterDomain: cluster.local\n")


def setup_of(**files: str) -> DnsSetup:
    parts = []
    for name, text in files.items():
        found = read_dns(documents(text, name)[0])
        assert found is not None, name
        parts.append(found[1])
    return merge_dns(parts)


def findings(rule: str, setup: DnsSetup) -> list[Finding]:
    found = default_registry().get(rule)
    assert found is not None
    return list(found.run(setup))


def test_nb202_use_domains_in_network_section_is_a_note() -> None:
    setup = setup_of(unit="[Match]\nName=eth0\n[Network]\nDHCP=yes\nUseDomains=yes\n[Route]\nUseDomains=yes\n")
    got = sorted((f.severity, f.location.line) for f in findings("NB202", setup))
    assert got == [(Severity.INFO, 5), (Severity.WARNING, 7)]


def test_nb204_names_the_domains_kubelet_drops_under_legacy_limits() -> None:
    setup = setup_of(kubelet=KUBELET, resolv="nameserver 10.0.0.1\nsearch a.lab b.lab c.lab d.lab\n",
                     kubeadm="apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"
                             "kubernetesVersion: v1.24.0\n")
    (finding,) = findings("NB204", setup)
    assert "7 domains" in finding.message and "drops d.lab and" in finding.message
    assert "6 domains / 256 characters" in finding.message


def test_nb204_counts_nameservers_for_default_pods() -> None:
    setup = setup_of(kubelet=KUBELET, resolv="nameserver 10.0.0.1\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n"
                                             "nameserver 10.0.0.4\n")
    (finding,) = findings("NB204", setup)
    assert finding.severity == Severity.INFO and "drops 10.0.0.4" in finding.message


def test_nb205_local_and_made_up() -> None:
    setup = setup_of(resolv="nameserver 10.0.0.1\nsearch office.local lab home.arpa example.com\n")
    got = {f.message.split("search domain ")[1].split(":")[0].split(",")[0]: f for f in findings("NB205", setup)}
    assert set(got) == {"office.local", "lab"}
    assert got["office.local"].severity == Severity.WARNING and "office.home.arpa" in got["office.local"].fix
    assert got["lab"].severity == Severity.INFO and "lab.home.arpa" in got["lab"].fix


def test_nb207_loopback_with_scheme_and_port() -> None:
    core = ".:53 {\n    forward . dns://127.0.0.1:5353 10.0.0.1\n}\n"
    (finding,) = findings("NB207", setup_of(Corefile=core))
    assert "dns://127.0.0.1:5353" in finding.message and "without the loop plugin" in finding.message
    assert findings("NB207", setup_of(Corefile=core.replace("dns://127.0.0.1:5353 ", ""))) == []


def test_nb203_flags_win_over_the_config_file() -> None:
    setup = setup_of(kubelet=KUBELET + "resolvConf: /run/systemd/resolve/stub-resolv.conf\n",
                     flags='KUBELET_EXTRA_ARGS="--resolv-conf=/run/systemd/resolve/resolv.conf"\n')
    assert findings("NB203", setup) == []
    flipped = setup_of(kubelet=KUBELET + "resolvConf: /run/systemd/resolve/resolv.conf\n",
                       flags='KUBELET_EXTRA_ARGS="--resolv-conf=/run/systemd/resolve/stub-resolv.conf"\n')
    (finding,) = findings("NB203", flipped)
    assert "127.0.0.53" in finding.message and finding.location.object == "--resolv-conf"


def test_nb206_names_the_candidate_of_each_domain() -> None:
    setup = setup_of(kubelet=KUBELET, resolv="nameserver 10.0.0.1\nsearch home.arpa arpa\n")
    messages = sorted(f.message for f in findings("NB206", setup))
    assert len(messages) == 2
    assert "tried as www.example.com.arpa. before" in messages[0]
    assert "tried as www.example.com.home.arpa. before" in messages[1]


def test_nb207_loopback_over_tls_and_ipv6() -> None:
    core = ".:53 {\n    forward . tls://127.0.0.1:853 [::1]:53 10.0.0.1\n}\n"
    got = sorted(f.location.line for f in findings("NB207", setup_of(Corefile=core)))
    assert len(got) == 2


def test_nb207_share_of_looping_queries_follows_the_forward_policy() -> None:
    core = (".:53 {\n    kubernetes cluster.local\n    forward . /etc/resolv.conf {\n       policy %s\n    }\n"
            "    loop\n}\n")
    resolv = "nameserver 127.0.0.1\nnameserver 192.168.1.1\n"
    (sequential,) = findings("NB207", setup_of(Corefile=core % "sequential", resolv=resolv))
    assert "every query goes to it first" in sequential.message and sequential.severity.label == "warning"
    (round_robin,) = findings("NB207", setup_of(Corefile=core % "round_robin", resolv=resolv))
    assert "one query in 2 goes to it" in round_robin.message
    (second,) = findings("NB207", setup_of(Corefile=core % "sequential",
                                           resolv="nameserver 192.168.1.1\nnameserver 127.0.0.1\n"))
    assert "whenever the servers before it fail" in second.message
    (default,) = findings("NB207", setup_of(Corefile=core.replace(" {\n       policy %s\n    }", ""), resolv=resolv))
    assert "policy random, the default" in default.message


def test_nb207_host_coredns_fix_names_only_real_upstream_addresses() -> None:
    resolv = "nameserver 127.0.0.1\nnameserver xx.xx.xx.xx\nnameserver 192.168.1.1\n"
    (finding,) = findings("NB207", setup_of(Corefile=". {\n    forward . /etc/resolv.conf\n}\n", resolv=resolv))
    assert "`forward . 192.168.1.1`" in finding.fix
    assert findings("NB207", setup_of(Corefile=".:5353 {\n    forward . /etc/resolv.conf\n}\n", resolv=resolv)) == []
