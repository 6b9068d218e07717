"""A real node's DNS state, produced by the real software (shared recipe "real-networkd").

netplan YAML -> ``netplan generate --root-dir`` -> the ``.network`` file; systemd-networkd (Debian's
``systemd``) runs it on ``eth0`` of the client namespace against the dnsmasq of a :class:`~dhcplab.Link`;
systemd-resolved, run from its unpacked Debian package (never installed on the host), writes
``stub-resolv.conf`` and ``resolv.conf``. Both run inside a private mount namespace with tmpfs over
``/run/systemd`` and ``/etc/systemd/network``, so nothing reaches the host. Their state files are
copied out while they run (networkd deletes its lease when it stops) and laid under a ROOT directory
with the matching ``/etc`` files, as a tarball of a broken node's ``/etc`` and ``/run`` would be.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
from dataclasses import dataclass
from pathlib import Path

from dhcplab import Link, extracted_deb, need_binary, run

NETWORKD = "/lib/systemd/systemd-networkd"
NETPLAN_FILE = "etc/netplan/50-cloud-init.yaml"
GENERATED = "run/systemd/network/10-netplan-eth0.network"

# Runs as root inside `ip netns exec <client> unshare -m --propagation private`.
_SCRIPT = r"""
set -eu
mount -o remount,ro,bind /sys            # read-only /sys: networkd assumes no udev (recipe)
mkdir -p /run/systemd /etc/systemd/network
mount -t tmpfs tmpfs /run/systemd
mount -t tmpfs tmpfs /etc/systemd/network
# no system bus: networkd and resolved must not claim their names on the host's D-Bus
if [ -d /run/dbus ]; then mount -t tmpfs tmpfs /run/dbus; fi
mkdir -p /run/systemd/network /run/systemd/netif/links /run/systemd/netif/leases /run/systemd/netif/lldp
cp "$NETWORK_FILE" /run/systemd/network/
chown -R systemd-network:systemd-network /run/systemd/netif
mkdir -p /run/systemd/resolve && chown systemd-resolve:systemd-resolve /run/systemd/resolve
printf '# no foreign DNS configuration in this namespace\n' > "$OUT/.resolv.conf"
mount --bind "$OUT/.resolv.conf" /etc/resolv.conf
export SYSTEMD_LOG_TARGET=console
"$NETWORKD" >"$OUT/.networkd.log" 2>&1 & net=$!
"$RESOLVED" >"$OUT/.resolved.log" 2>&1 & res=$!
trap 'kill $net $res 2>/dev/null; wait $net $res 2>/dev/null || true' EXIT
for _ in $(seq 200); do
    if grep -qs "^nameserver $DNS_SERVER" /run/systemd/resolve/resolv.conf \
       && grep -qs '^ADDRESS=' /run/systemd/netif/leases/*; then
        sleep 0.3   # let resolved finish writing both files
        mkdir -p "$OUT/run/systemd"
        cp -a /run/systemd/netif /run/systemd/resolve "$OUT/run/systemd/"
        exit 0
    fi
    sleep 0.1
done
echo "networkd/resolved did not reach the expected state within 20 s" >&2
exit 1
"""


@dataclass(frozen=True)
class Node:
    """The ROOT directory and the real state files in it."""

    root: Path
    ifindex: int

    def _state(self, kind: str) -> dict[str, str]:
        text = (self.root / "run/systemd/netif" / kind / str(self.ifindex)).read_text()
        return dict(line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#"))

    def lease(self) -> dict[str, str]:
        return self._state("leases")

    def link_state(self) -> dict[str, str]:
        return self._state("links")

    def resolved(self, name: str) -> str:
        return (self.root / "run/systemd/resolve" / name).read_text()

    def network_file(self) -> str:
        return (self.root / GENERATED).read_text()


def ensure_resolve_user() -> None:
    """systemd-resolved refuses to run as root; its system user is created once (recipe)."""
    try:
        pwd.getpwnam("systemd-resolve")
    except KeyError:
        run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "systemd-resolve")


def build_node(link: Link, root: Path, netplan_yaml: str) -> Node:
    """Render ``netplan_yaml`` with real netplan, run networkd and resolved on it, lay the state under ``root``."""
    netplan = need_binary("netplan")
    need_binary(NETWORKD)
    resolved = extracted_deb("systemd-resolved", "lib/systemd/systemd-resolved")
    ensure_resolve_user()
    yaml = root / NETPLAN_FILE
    yaml.parent.mkdir(parents=True, exist_ok=True)
    yaml.write_text(netplan_yaml)
    yaml.chmod(0o600)  # netplan warns about world-readable files
    shutil.rmtree(root / "run", ignore_errors=True)
    run(netplan, "generate", "--root-dir", str(root))
    env = {**os.environ, "NETWORK_FILE": str(root / GENERATED), "OUT": str(root), "NETWORKD": NETWORKD,
           "RESOLVED": str(resolved), "DNS_SERVER": link.ip(1)}
    done = run("ip", "netns", "exec", link.cli, "unshare", "-m", "--propagation", "private", "bash", "-c", _SCRIPT,
               check=False, env=env)
    if done.returncode != 0:
        logs = "".join((root / name).read_text(errors="replace")[-3000:]
                       for name in (".networkd.log", ".resolved.log") if (root / name).exists())
        raise AssertionError(f"real node failed: {done.stderr}\n{logs}")
    for scratch in (".resolv.conf", ".networkd.log", ".resolved.log"):
        (root / scratch).unlink(missing_ok=True)
    resolv = root / "etc/resolv.conf"
    resolv.unlink(missing_ok=True)
    resolv.symlink_to("../run/systemd/resolve/stub-resolv.conf")
    shown = json.loads(run("ip", "-n", link.cli, "-j", "link", "show", "eth0").stdout)
    return Node(root, int(shown[0]["ifindex"]))
