"""Reading a node's resolver chain from its file tree (``/`` or a copy of /etc, /run and /var/lib
under another root). Files are chosen by location here; their content is read by the same sources
``netblame check`` uses (:mod:`netblame.sources.dns`). A missing file is a note, never an error; one
that is there but cannot be read (permissions, a symlink loop, a name too long, too large) is recorded
as unreadable, which the exit code reports."""

from __future__ import annotations

import errno
import fnmatch
import os
import socket
import stat
from dataclasses import replace
from pathlib import Path, PurePosixPath

from netblame._io import TooLargeError, display_path
from netblame.errors import InputError
from netblame.model.dns import ETC_RESOLV, RESOLVED_FILES, DnsSetup, Interface, Note, merge_dns
from netblame.model.origin import Origin, Sourced
from netblame.sources.dns import documents, read_dns
from netblame.sources.loader import read_text
from netblame.sources.networkd import apply_dropins

NETWORK_DIRS = ("/etc/systemd/network", "/run/systemd/network", "/usr/local/lib/systemd/network",
                "/usr/lib/systemd/network", "/lib/systemd/network")
RESOLVED_CONF = "/etc/systemd/resolved.conf"
RESOLVED_DROPIN_DIRS = ("/etc/systemd/resolved.conf.d", "/run/systemd/resolved.conf.d",
                        "/usr/lib/systemd/resolved.conf.d")
NETPLAN_DIRS = ("/etc/netplan", "/run/netplan", "/lib/netplan")
GLOBS: tuple[tuple[str, str], ...] = (
    ("/run/systemd/netif/leases", "*"),
    ("/run/systemd/netif/links", "*"),
    ("/var/lib/dhcp", "dhclient*.leases"),
    ("/var/lib/NetworkManager", "*.lease"),
    ("/etc/NetworkManager/system-connections", "*.nmconnection"),
    ("/run/NetworkManager/system-connections", "*.nmconnection"),
    ("/etc/network/interfaces.d", "*"),
    ("/etc/coredns", "Corefile*"),
)
SINGLE_FILES = ("/etc/network/interfaces", "/var/lib/kubelet/config.yaml", "/var/lib/kubelet/kubeadm-flags.env",
                "/etc/default/kubelet", "/etc/sysconfig/kubelet", "/etc/kubernetes/manifests/kube-apiserver.yaml",
                "/etc/os-release", "/var/lib/dpkg/status")
# systemd-resolved's files whose absence is worth a note when /etc/resolv.conf links to one of them.
EXPECTED = frozenset(RESOLVED_FILES[:2])


class Tree:
    """Reads files below ``root`` and collects fragments and notes."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        self.parts: list[DnsSetup] = []
        self._unreadable: set[str] = set()

    def host(self, node_path: str) -> Path:
        """Where ``node_path`` of the node is on this machine."""
        return self.root / node_path.lstrip("/")

    def read(self, node_path: str, *, ifindex: int | None = None, quiet: bool = False) -> bool:
        """Read one file; True when something DNS-related was found in it."""
        path = self.host(node_path)
        display = display_path(path)
        kind = self.kind(path)
        if kind != "file":
            if kind is None and not quiet:
                self.parts.append(note(f"{node_path} not present", display))
            return False
        try:
            text = read_text(path, display)
        except TooLargeError as exc:
            self.unreadable(display, exc.message)
            return False
        except InputError as exc:
            if exc.message.startswith("cannot read"):
                self.unreadable(display, exc.message)
            else:
                self.parts.append(note(exc.message, display, exc.line))
            return False
        docs, parse_error = documents(text, display)
        found = read_dns(docs)
        if found is None:
            if parse_error is not None:
                self.parts.append(note(parse_error.message, display, parse_error.line))
            self.parts.append(note(f"{node_path}: not a file netblame recognises here, skipped", display))
            return False
        self.parts.append(_placed(found[1], node_path, ifindex))
        return True

    def unreadable(self, display: str, reason: str) -> None:
        """Record a file or directory that is there but cannot be read (once)."""
        if display not in self._unreadable:
            self._unreadable.add(display)
            self.parts.append(DnsSetup(unreadable=(Note(reason, Origin(file=display)),)))

    def _blocker(self, path: Path) -> Path:
        """The directory between the root and ``path`` that cannot be searched, else ``path`` itself."""
        for ancestor in reversed(path.parents):
            if ancestor.is_relative_to(self.root) and ancestor != self.root.parent and \
                    os.path.isdir(ancestor) and not os.access(ancestor, os.X_OK):
                return ancestor
        return path

    def kind(self, path: Path) -> str | None:
        """"file" or "dir" for what can be read; None when absent; "unreadable" (recorded) otherwise."""
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return None
        except NotADirectoryError:
            return None
        except PermissionError as exc:
            blocker = self._blocker(path)
            what = "cannot search this directory" if blocker != path else "cannot read"
            self.unreadable(display_path(blocker), f"{what}: {exc.strerror}")
            return "unreadable"
        except OSError as exc:
            why = ("a symlink loop" if exc.errno == errno.ELOOP
                   else "a name longer than the system allows" if exc.errno == errno.ENAMETOOLONG
                   else exc.strerror or str(exc))
            self.unreadable(display_path(path), f"cannot read: {why}")
            return "unreadable"
        return "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else "other"

    def listing(self, node_dir: str, pattern: str) -> list[str]:
        """Node paths of the files in ``node_dir`` matching ``pattern``, sorted by name."""
        base = self.host(node_dir)
        if self.kind(base) != "dir":
            return []
        try:
            names = sorted(entry.name for entry in os.scandir(base))
        except OSError as exc:
            self.unreadable(display_path(base), f"cannot list: {exc.strerror or exc}")
            return []
        return [str(PurePosixPath(node_dir) / name) for name in names
                if fnmatch.fnmatchcase(name, pattern) and self.kind(base / name) == "file"]


def note(message: str, display: str, line: int | None = None) -> DnsSetup:
    """A fragment holding one note."""
    return DnsSetup(notes=(Note(message, Origin(file=display, line=line)),))


def _placed(setup: DnsSetup, node_path: str, ifindex: int | None) -> DnsSetup:
    """What the file's location adds to its content: where a resolv.conf lives on the node, and the
    interface index a lease or link state file is named after."""
    if node_path.endswith("resolv.conf"):
        setup = replace(setup, resolv_files=tuple(replace(r, node_path=node_path) for r in setup.resolv_files))
    if ifindex is not None:
        setup = replace(setup, leases=tuple(replace(x, ifindex=ifindex) for x in setup.leases),
                        links=tuple(replace(x, ifindex=ifindex) for x in setup.links))
    return setup


def _etc_resolv(tree: Tree) -> None:
    path = tree.host(ETC_RESOLV)
    try:
        target = os.readlink(path)
    except OSError as exc:  # not a link (EINVAL), absent, or below a directory that cannot be searched
        if exc.errno not in (errno.EINVAL, errno.ENOENT, errno.ENOTDIR):
            tree.kind(path)  # records why, naming the directory that cannot be searched
            return
        target = None
    if target is not None:
        node_target = os.path.normpath(os.path.join("/etc", target)).replace("/var/run/", "/run/", 1)
        if node_target == ETC_RESOLV:  # a link to itself: every read of it fails with ELOOP
            tree.unreadable(display_path(path), "cannot read: a symlink to itself")
            return
        tree.parts.append(DnsSetup(etc_resolv_link=Sourced(node_target,
                                                           Origin(file=display_path(path), object="symlink"))))
        if node_target not in RESOLVED_FILES:
            tree.read(node_target)
        return
    tree.read(ETC_RESOLV)


def _units(tree: Tree, dirs: tuple[str, ...], suffix: str) -> dict[str, str]:
    """File name -> node path, an earlier directory hiding a same-named file in a later one."""
    chosen: dict[str, str] = {}
    for directory in dirs:
        for node_path in tree.listing(directory, f"*{suffix}"):
            chosen.setdefault(PurePosixPath(node_path).name, node_path)
    return dict(sorted(chosen.items()))


def _with_dropins(tree: Tree, node_path: str, dropin_dirs: tuple[str, ...]) -> None:
    """Read a unit and its drop-ins, and join them into one unit fragment."""
    before = len(tree.parts)
    tree.read(node_path)
    dropins = _units(tree, dropin_dirs, ".conf")
    for dropin in dropins.values():
        tree.read(dropin, quiet=True)
    found = tree.parts[before:]
    units = [u for part in found for u in part.units]
    if len(units) > 1:
        unit = apply_dropins(units[0], units[1:])
        tree.parts[before:] = [DnsSetup(units=(unit,), notes=tuple(n for part in found for n in part.notes))]


def read_tree(root: str, *, live_interfaces: bool = False) -> DnsSetup:
    """The resolver chain of the node whose files are below ``root``."""
    tree = Tree(root)
    _etc_resolv(tree)
    linked = any(part.etc_resolv_link is not None and part.etc_resolv_link.value in RESOLVED_FILES
                 for part in tree.parts)
    for node_path in RESOLVED_FILES:
        tree.read(node_path, quiet=not linked or node_path not in EXPECTED)
    if tree.kind(tree.host(RESOLVED_CONF)) == "file" or any(tree.listing(d, "*.conf") for d in RESOLVED_DROPIN_DIRS):
        _with_dropins(tree, RESOLVED_CONF, RESOLVED_DROPIN_DIRS)
    for name, node_path in _units(tree, NETWORK_DIRS, ".network").items():
        _with_dropins(tree, node_path, tuple(f"{d}/{name}.d" for d in NETWORK_DIRS))
    for node_path in _units(tree, NETPLAN_DIRS, ".yaml").values():
        tree.read(node_path)
    for directory, pattern in GLOBS:
        for node_path in tree.listing(directory, pattern):
            leaf = PurePosixPath(node_path).name
            tree.read(node_path, ifindex=int(leaf) if leaf.isascii() and leaf.isdigit() else None)
    for node_path in SINGLE_FILES:
        tree.read(node_path, quiet=True)
    if live_interfaces:
        tree.parts.append(live_interface_names())
    return merge_dns([DnsSetup(root=str(tree.root)), *tree.parts])


def live_interface_names() -> DnsSetup:
    """This machine's interfaces by name and index (the network namespace netblame runs in)."""
    return DnsSetup(interfaces=tuple(Interface(name, index, Origin(object="live interface"))
                                     for index, name in socket.if_nameindex()))
