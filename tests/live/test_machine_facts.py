"""Reading a node's facts for ``choose --node`` from copies of three nodes' files (Raspberry Pi 3 armv7,
Raspberry Pi 4 arm64 on Ubuntu, Debian amd64) and from this machine; bad roots are one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from netblame.errors import InputError
from netblame.live.machine_facts import parse_kernel, read_machine_facts
from netblame.model.machine_facts import ModuleState

ROOTS = Path(__file__).parent.parent / "data" / "choose" / "roots"
WANTED = ("vxlan", "br_netfilter", "wireguard", "ip_set", "ip_vs", "ipip", "ip_tables", "nf_tables", "openvswitch")


def test_pi3_armv7() -> None:
    facts = read_machine_facts(ROOTS / "pi3-armv7", WANTED)
    assert (facts.arch, facts.kernel_release, facts.kernel) == ("armv7", "6.1.21-v7+", (6, 1))
    assert facts.mem_total_mib == 900 and facts.mem_available_mib == 673
    states = {m.name: m.state for m in facts.modules}
    assert states["br_netfilter"] is ModuleState.LOADED
    assert states["vxlan"] is ModuleState.AVAILABLE  # vxlan.ko.xz in modules.dep
    assert states["openvswitch"] is ModuleState.AVAILABLE
    assert facts.memory_cgroup is True
    assert facts.cgroup_file is not None and facts.cgroup_file.endswith("boot/firmware/cmdline.txt")


def test_pi4_ubuntu_without_extra_modules() -> None:
    facts = read_machine_facts(ROOTS / "pi4-arm64", WANTED)
    assert (facts.arch, facts.kernel) == ("arm64", (5, 15))
    states = {m.name: m.state for m in facts.modules}
    assert states["vxlan"] is ModuleState.MISSING
    assert states["ip_vs"] is ModuleState.MISSING
    assert states["ip_tables"] is ModuleState.LOADED
    assert states["wireguard"] is ModuleState.AVAILABLE
    assert facts.memory_cgroup is False


def test_amd64_cgroup_v2_and_builtin_modules() -> None:
    facts = read_machine_facts(ROOTS / "amd64", ("udp_tunnel", "wireguard", "vxlan"))
    states = {m.name: m.state for m in facts.modules}
    assert states == {"udp_tunnel": ModuleState.BUILTIN, "wireguard": ModuleState.LOADED,
                      "vxlan": ModuleState.AVAILABLE}
    assert facts.memory_cgroup is True and facts.cgroup_file is None
    assert facts.mem_total_mib == 15932


def test_module_names_treat_dash_and_underscore_alike(tmp_path: Path) -> None:
    (tmp_path / "proc/sys/kernel").mkdir(parents=True)
    (tmp_path / "proc/sys/kernel/arch").write_text("x86_64\n")
    (tmp_path / "proc/sys/kernel/osrelease").write_text("6.1.0\n")
    (tmp_path / "lib/modules/6.1.0").mkdir(parents=True)
    (tmp_path / "lib/modules/6.1.0/modules.dep").write_text("kernel/net/netfilter/xt-foo.ko.zst:\n")
    facts = read_machine_facts(tmp_path, ("xt_foo",))
    assert facts.modules[0].state is ModuleState.AVAILABLE
    assert facts.module("xt-foo") is facts.modules[0]


def test_a_root_without_lib_modules_does_not_claim_modules_are_missing(tmp_path: Path) -> None:
    (tmp_path / "proc/sys/kernel").mkdir(parents=True)
    (tmp_path / "proc/sys/kernel/arch").write_text("aarch64\n")
    (tmp_path / "proc/sys/kernel/osrelease").write_text("6.6.31+rpt-rpi-v8\n")
    facts = read_machine_facts(tmp_path, ("vxlan",))
    assert facts.modules_known is False and facts.memory_cgroup is None


def test_missing_osrelease_is_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "proc/sys/kernel").mkdir(parents=True)
    (tmp_path / "proc/sys/kernel/arch").write_text("x86_64\n")
    with pytest.raises(InputError) as raised:
        read_machine_facts(tmp_path, ())
    assert "proc/sys/kernel/osrelease" in str(raised.value) and "\n" not in str(raised.value)


def test_this_machine_is_read_without_error() -> None:
    facts = read_machine_facts(Path("/"), ("vxlan",))
    assert facts.arch and facts.kernel_release


@pytest.mark.parametrize(("release", "expected"), [("6.1.21-v7+", (6, 1)), ("5.15.0-1012-raspi", (5, 15)),
                                                   ("4.19", (4, 19)), ("garbage", None)])
def test_parse_kernel(release: str, expected: tuple[int, int] | None) -> None:
    assert parse_kernel(release) == expected
