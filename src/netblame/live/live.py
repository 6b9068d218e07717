"""Live, read-only collection of every network namespace on this machine.

Per namespace a worker thread enters the namespace (``setns`` on an fd opened read-only: nothing here can
create a namespace), then runs at most three processes that inherit it: ``ip -j -d -batch -`` (addresses
with every device's details, routes of every table for both families, IPv4 rules, neighbours, nsids),
``ip -6 -j -d rule show`` (``ip rule`` has no family keyword, so IPv6 rules need their own process) and,
where a bridge, bridge port or VXLAN device exists, ``bridge -j -d fdb show``. The same thread reads the
forwarding sysctls from /proc/sys, which answers for the reading thread's namespace.
benchmarks/bench_collect.py measures this against ``ip -n`` and ``nsenter`` variants and the usual shell
loop.
"""

from __future__ import annotations

import ctypes
import os
import platform
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from netblame.errors import CollectError, InputError
from netblame.live.discover import Discovery, NamespaceRef, discover
from netblame.live.netfilter import capture_filters
from netblame.live.nsid import nsids_of
from netblame.model.snapshot import Link, Namespace
from netblame.sources.iproute2 import (
    RawNamespace,
    forwards_by_fdb,
    loads_list,
    parse_links,
    parse_namespace,
    split_batch,
    unnamed_nsids,
)
from netblame.sources.veth_peers import Parsed, resolve_peers

CLONE_NEWNET = 0x40000000
# One batch per namespace. ``root 0.0.0.0/0`` / ``root ::/0`` select a family per command (a batch has no
# per-command -4/-6); both give exactly what ``ip -4|-6 route show table all`` gives (the offline capture).
IP_BATCH = (
    ("addr", "addr show"),
    ("route4", "route show table all root 0.0.0.0/0"),
    ("route6", "route show table all root ::/0"),
    ("rule4", "rule show"),
    ("neigh", "neigh show"),
    ("nsid", "netns list-id"),
)
IP_RULE6 = ("ip", "-6", "-j", "-d", "rule", "show")
BRIDGE_FDB = ("bridge", "-j", "-d", "fdb", "show")
IP_BATCH_INPUT = "".join(f"{cmd}\n" for _, cmd in IP_BATCH)
# Global and per-device sysctls that decide whether and how a namespace forwards.
# Also those that change netfilter's verdicts (bridged packets through iptables, conntrack's TCP pick-up,
# 127/8 routed) and ARP's answers.
SYSCTLS_GLOBAL = ("net/ipv4/ip_forward", "net/ipv6/conf/all/forwarding", "net/bridge/bridge-nf-call-iptables",
                  "net/bridge/bridge-nf-call-ip6tables", "net/netfilter/nf_conntrack_tcp_loose",
                  "net/netfilter/nf_conntrack_max")
SYSCTLS_V4_CONF = ("rp_filter", "accept_local", "forwarding", "proxy_arp", "arp_ignore", "arp_announce",
                   "route_localnet")
SYSCTLS_V6_CONF = ("forwarding", "disable_ipv6")

Progress = Callable[[str], None]

_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


@contextmanager
def entered(path: str) -> Iterator[None]:
    """Run the body (and processes it starts) in the namespace at ``path``, in this thread only."""
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        target = os.open(path, os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)
        try:
            yield
        finally:
            _setns(own)
    finally:
        os.close(own)


def _run(argv: Sequence[str], stdin: str | None = None) -> tuple[str, str | None]:
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return "", f"{argv[0]}: {exc}"
    err = done.stderr.strip()
    if done.returncode != 0:
        return done.stdout, f"`{' '.join(argv)}` failed (exit {done.returncode}): {err.splitlines()[-1] if err else ''}"
    return done.stdout, None


def read_sysctls(devices: Sequence[str], root: str = "/proc/sys") -> dict[str, str]:
    """The forwarding sysctls of the current thread's namespace (missing files are skipped)."""
    paths = list(SYSCTLS_GLOBAL)
    for dev in ("all", "default", *devices):
        paths += [f"net/ipv4/conf/{dev}/{k}" for k in SYSCTLS_V4_CONF]
        paths += [f"net/ipv6/conf/{dev}/{k}" for k in SYSCTLS_V6_CONF]
    out: dict[str, str] = {}
    for rel in paths:
        try:
            with open(f"{root}/{rel}", encoding="ascii") as fh:
                out[rel.replace("/", ".")] = fh.read().strip()
        except OSError:
            continue
    return out


def capture_here(what: str) -> RawNamespace:
    """Capture the namespace the calling thread is in."""
    raw = RawNamespace()
    out, err = _run(["ip", "-j", "-d", "-batch", "-"], IP_BATCH_INPUT)
    texts, errors = split_batch(out, [k for k, _ in IP_BATCH], what)
    raw.texts.update(texts)
    raw.errors += [e for e in (err, *errors) if e]
    links = _links(raw.texts.get("addr", ""))
    runs = [("rule6", IP_RULE6)] + ([("fdb", BRIDGE_FDB)] if forwards_by_fdb(links) else [])
    for kind, argv in runs:
        out, err = _run(argv)
        raw.texts[kind] = out
        if err:
            raw.errors.append(err)
    filters, errors = capture_filters(_run)
    raw.texts.update(filters)
    raw.errors += errors
    raw.sysctls = read_sysctls([lk.name for lk in links])
    return raw


def _links(addr_json: str) -> list[Link]:
    """The devices, to know which per-device sysctls to read and whether ``bridge fdb`` can tell anything."""
    try:
        return parse_links(loads_list(addr_json, "addr"), "")[0]
    except InputError:  # reported by the parser; here it only means no per-device sysctls
        return []


def capture(ref: NamespaceRef, unnamed: dict[str, str] | None = None) -> RawNamespace:
    """Capture one namespace; what cannot be read is recorded, never raised.

    ``unnamed`` (id -> path) are the namespaces without a name in /run/netns: nsids this one has for
    them are looked up from inside it, so veths into them can be matched exactly.
    """
    try:
        with entered(ref.path):
            raw = capture_here(ref.id)
            raw.nsid_ids = nsids_of({k: v for k, v in (unnamed or {}).items() if k != ref.id},
                                    unnamed_nsids(raw.texts.get("nsid", "")))
            return raw
    except OSError as exc:
        return RawNamespace(errors=[f"cannot enter namespace {ref.id} ({ref.path}): {exc.strerror}"])


def collect_namespaces(found: Discovery | None = None, *, only: Callable[[NamespaceRef], bool] | None = None,
                       workers: int = 4, progress: Progress | None = None) -> tuple[list[Namespace], list[str]]:
    """Collect every namespace found (or those ``only`` selects); return namespaces and machine-level errors."""
    found = found or discover()
    refs = [r for r in found.namespaces if only is None or only(r)]
    errors = list(found.errors)
    can_enter = _can_setns()
    if not can_enter:
        own = os.stat("/proc/self/ns/net")
        readable = [r for r in refs if r.key == (own.st_dev, own.st_ino)] or refs[:1]
        left_out = len(refs) - len(readable)
        if left_out or found.denied:  # a near-empty snapshot would pass for the node's: refuse instead
            raise CollectError(
                "not allowed to enter other network namespaces (needs root or CAP_SYS_ADMIN): only this process's "
                f"own could be read, {left_out} other(s) and the namespaces of {found.denied} process(es) could not;"
                " run as root, or capture as root and `netblame collect --import` it (docs/offline-capture.md)")
        refs = readable
    unnamed = {r.id: r.path for r in found.namespaces if r.name is None}
    done = 0
    lock = threading.Lock()

    def one(ref: NamespaceRef) -> Parsed:
        nonlocal done
        raw = capture(ref, unnamed) if can_enter else capture_here(ref.id)
        parsed = parse_namespace(raw, ns_id=ref.id, role=ref.role, name=ref.name, inode=ref.key[1],
                                 holders=ref.holders)
        with lock:
            done += 1
            if progress is not None:
                progress(f"collected {done}/{len(refs)} namespaces")
        return parsed

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        parsed = list(pool.map(one, refs))
    return resolve_peers(parsed), errors


def _can_setns() -> bool:
    try:
        with entered("/proc/self/ns/net"):
            return True
    except OSError:
        return False


def versions() -> tuple[str | None, str]:
    """``ip -V`` and the kernel release, recorded in every snapshot."""
    out, err = _run(["ip", "-V"])
    return (out.strip() if not err else None), platform.release()


def require_tools() -> None:
    """Fail with one clear line when iproute2 is missing."""
    from shutil import which

    missing = [t for t in ("ip", "bridge") if which(t) is None]
    if missing:
        raise CollectError(f"{', '.join(missing)} not found on PATH; install iproute2 (Debian/Ubuntu: "
                           "apt-get install iproute2)")


__all__ = ["capture", "collect_namespaces", "entered", "read_sysctls", "require_tools", "versions"]
