"""Find every network namespace on this machine, read-only.

Named namespaces are the entries of /run/netns (``ip netns add``, containerd's ``cni-*``); unnamed ones are
only held by processes (/proc/PID/ns/net); the host's is /proc/1/ns/net. One namespace may be reachable
under many paths, so they are told apart by the identity of the namespace file (``st_dev``, ``st_ino``).
Nothing here opens a namespace for writing or creates one.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from netblame.model.snapshot import Holder, NamespaceRole

NETNS_DIR = "/run/netns"
PROC = "/proc"

_POD_UID = re.compile(r"pod([0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12})")
_CONTAINER = re.compile(r"(?:cri-containerd-|crio-|docker-)([0-9a-f]{64})\.scope$|/([0-9a-f]{64})$")


@dataclass
class NamespaceRef:
    """One namespace found on the machine: a path to open it by, its name, role and holders."""

    key: tuple[int, int]
    path: str
    id: str
    role: NamespaceRole
    name: str | None = None
    holders: list[Holder] = field(default_factory=list)


@dataclass
class Discovery:
    """Every namespace found, and what could not be looked at (without root: most of /proc)."""

    namespaces: list[NamespaceRef]
    errors: list[str] = field(default_factory=list)
    denied: int = 0
    """Processes whose namespace could not be looked at (permission denied)."""


def holder_from_cgroup(pid: int, comm: str, cgroup: str | None) -> Holder:
    """A holder with the pod UID and CRI container id its cgroup path shows, where it shows them.

    Both cgroup drivers are understood: cgroupfs (``/kubepods/burstable/pod<uid>/<id>``) and systemd
    (``/kubepods.slice/...-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope``, ``crio-<id>``).
    """
    pod_uid = container = None
    if cgroup:
        found = _POD_UID.search(cgroup)
        pod_uid = found.group(1).replace("_", "-") if found else None
        cid = _CONTAINER.search(cgroup)
        container = (cid.group(1) or cid.group(2)) if cid else None
    return Holder(pid=pid, comm=comm, cgroup=cgroup, pod_uid=pod_uid, container_id=container)


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def _cgroup_path(text: str | None) -> str | None:
    """The unified (v2) path, else the first controller's path, of /proc/PID/cgroup."""
    if not text:
        return None
    lines = [ln.split(":", 2) for ln in text.splitlines() if ln.count(":") >= 2]
    paths = [p for h, _, p in lines if h == "0"] or [p for _, _, p in lines]
    return paths[0] if paths else None


def _key(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_dev, st.st_ino)


def _host(proc: str, errors: list[str]) -> NamespaceRef:
    try:
        return NamespaceRef(_key(f"{proc}/1/ns/net"), f"{proc}/1/ns/net", "host", "host")
    except OSError as exc:
        errors.append(f"cannot read {proc}/1/ns/net ({exc.strerror}); taking this process's namespace as the host's")
        return NamespaceRef(_key(f"{proc}/self/ns/net"), f"{proc}/self/ns/net", "host", "host")


def _named(netns_dir: str, found: dict[tuple[int, int], NamespaceRef], errors: list[str]) -> None:
    try:
        names = sorted(os.listdir(netns_dir))
    except FileNotFoundError:
        return
    except OSError as exc:
        errors.append(f"cannot list {netns_dir}: {exc.strerror}")
        return
    for name in names:
        path = f"{netns_dir}/{name}"
        try:
            key = _key(path)
        except OSError as exc:
            errors.append(f"cannot read {path}: {exc.strerror}")
            continue
        if key in found:
            found[key].name = found[key].name or name
            continue
        role: NamespaceRole = "pod" if name.startswith("cni-") else "other"
        found[key] = NamespaceRef(key, path, name, role, name)


def _held(proc: str, host_key: tuple[int, int], found: dict[tuple[int, int], NamespaceRef],
          errors: list[str]) -> int:
    denied = 0
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        path = f"{proc}/{entry}/ns/net"
        try:
            key = _key(path)
        except PermissionError:
            denied += 1
            continue
        except OSError:
            continue  # the process has gone
        if key == host_key:
            continue  # the host's namespace: held by nearly every process, not worth listing
        ref = found.get(key)
        if ref is None:
            ref = found[key] = NamespaceRef(key, path, f"netns-{key[1]}", "other")
        comm = (_read(f"{proc}/{entry}/comm") or "").strip()
        holder = holder_from_cgroup(int(entry), comm, _cgroup_path(_read(f"{proc}/{entry}/cgroup")))
        ref.holders.append(holder)
        if holder.pod_uid or holder.container_id:
            ref.role = "pod"
    if denied:
        errors.append(f"{denied} processes' namespaces could not be looked at (permission denied)")
    return denied


def discover(netns_dir: str = NETNS_DIR, proc: str = PROC) -> Discovery:
    """Every network namespace: the host's, the named ones, and those only processes hold."""
    errors: list[str] = []
    host = _host(proc, errors)
    found = {host.key: host}
    _named(netns_dir, found, errors)
    denied = _held(proc, host.key, found, errors)
    return Discovery(sorted(found.values(), key=lambda r: (r.role != "host", r.id)), errors, denied)
