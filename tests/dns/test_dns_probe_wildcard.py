"""`netblame dns --probe` feeds NB206: dnsmasq in a namespace offers the search domain `lab` by DHCP
and answers every name under it (a wildcard, `--address=/lab/...`); the node already searches `lab`,
so pods (ndots:5) would resolve external names inside it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from dhcplab import dhcp_link, run

pytestmark = pytest.mark.root

WILDCARD = "10.9.9.9"
KUBELET = ("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nclusterDNS:\n- 10.96.0.10\n"
           "clusterDomain: cluster.local\n")


def test_probe_observes_the_wildcard_of_an_offered_domain(tmp_path: Path) -> None:
    with dhcp_link(f"nbt-dns-w{os.getpid() % 10000}", 42, tmp_path) as link:
        link.dnsmasq("--domain=home.arpa", "--dhcp-option=option:domain-search,lab",
                     f"--dhcp-option=option:dns-server,{link.ip(1)}")
        # a second dnsmasq on the same link serves DNS only, answering every name under lab
        log = tmp_path / "dns.log"
        proc = link._spawn(["dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                            f"--interface={link.srv_if}", "--bind-interfaces", f"--address=/lab/{WILDCARD}",
                            "--log-facility=-"], log)
        link.wait_for(log, "cleared cache", proc)
        run("ip", "-n", link.cli, "addr", "add", f"{link.ip(9)}/24", "dev", "eth0")
        root = tmp_path / "root"
        (root / "etc").mkdir(parents=True)
        (root / "etc/resolv.conf").write_text(f"nameserver {link.ip(1)}\nsearch lab home.arpa\n")
        (root / "var/lib/kubelet").mkdir(parents=True)
        (root / "var/lib/kubelet/config.yaml").write_text(KUBELET)
        done = link.netblame("dns", "--root", str(root), "--probe", "eth0", "-o", "json")
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    (iface,) = doc["chain"]["interfaces"]
    assert iface["name"] == "eth0" and iface["offers"][0]["search"] == ["lab"]
    assert "NB201" not in {f["rule"] for f in doc["findings"]}
    nb206 = {f["message"].split(" from ")[0].rsplit(" ", 1)[-1]: f for f in doc["findings"] if f["rule"] == "NB206"}
    assert set(nb206) == {"lab", "home.arpa"}
    assert nb206["lab"]["severity"] == "error"
    assert WILDCARD in nb206["lab"]["message"] and "www.example.com.lab." in nb206["lab"]["message"]
    assert nb206["home.arpa"]["severity"] == "warning"  # no wildcard seen there
