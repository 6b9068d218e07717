"""Offline import: a directory (or tarball) of per-namespace iproute2 captures -> namespaces.

Layout (docs/offline-capture.md shows the command that writes it): one directory per namespace, named
after it (``host`` for the host's), holding ``addr.json`` (``ip -j -d addr show``; ``link.json`` alone is
accepted too), ``route4.json``/``route6.json`` (``ip -j -d -4|-6 route show table all``),
``rule4.json``/``rule6.json``, ``neigh.json``, ``nsid.json`` (``ip -j netns list-id``), ``fdb.json``
(``bridge -j -d fdb show``), the packet filters (``nft.json``: ``nft -j list ruleset``; ``iptables-nft.txt``,
``ip6tables-nft.txt``, ``iptables-legacy.txt``, ``ip6tables-legacy.txt``: ``iptables-nft-save -c`` and the
like), ``sysctl.txt`` (``grep -H . ...`` under /proc/sys) and optionally ``inode``.
Files go through the same parser as live collection.
"""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

from netblame._io import display_path, read_capped
from netblame.errors import InputError
from netblame.model.snapshot import Namespace, NamespaceRole
from netblame.sources.iproute2 import RawNamespace, parse_namespace, parse_sysctl_text
from netblame.sources.veth_peers import resolve_peers

FILES = {"addr": "addr.json", "link": "link.json", "route4": "route4.json", "route6": "route6.json",
         "rule4": "rule4.json", "rule6": "rule6.json", "neigh": "neigh.json", "nsid": "nsid.json",
         "fdb": "fdb.json", "nft": "nft.json", "iptables-nft": "iptables-nft.txt",
         "ip6tables-nft": "ip6tables-nft.txt", "iptables-legacy": "iptables-legacy.txt",
         "ip6tables-legacy": "ip6tables-legacy.txt"}
MAX_FILE = 256 * 1024 * 1024
UNNAMED = re.compile(r"^netns-[0-9]+$")
INODE = re.compile(r"[0-9]{1,20}")
MAX_MEMBERS = 100_000  # files in a capture tarball: a node has hundreds of namespaces, not millions


def _read(path: Path, shown: Path) -> str:
    data = read_capped(path, MAX_FILE, display_path(shown), "iproute2 JSON output")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start}); expected iproute2 JSON output",
                         file=display_path(shown)) from None


def read_capture_dir(directory: Path, shown: Path | None = None) -> RawNamespace:
    """One namespace's capture directory as raw texts (missing files are noted, not fatal).

    ``shown`` is the directory as the user knows it, for messages (inside a tarball: the tarball's path)."""
    shown = shown or directory
    raw = RawNamespace()
    for kind, name in FILES.items():
        path = directory / name
        if path.is_file():
            raw.texts[kind] = _read(path, shown / name)
            raw.files[kind] = display_path(shown / name)
    if "addr" not in raw.texts and "link" not in raw.texts:
        raw.errors.append(f"{shown}: neither addr.json nor link.json; devices unknown")
    sysctl = directory / "sysctl.txt"
    if sysctl.is_file():
        raw.sysctls = parse_sysctl_text(_read(sysctl, shown / "sysctl.txt"))
    return raw


def _inode(path: Path, shown: Path) -> int | None:
    if not path.is_file():
        return None
    text = _read(path, shown).strip()
    if not INODE.fullmatch(text):  # ASCII digits: str.isdigit() also takes "²", which int() refuses
        raise InputError(f"expected the namespace's inode number (digits), got {text[:40]!r}",
                         file=display_path(shown), line=1)
    return int(text)


def _namespace_dirs(root: Path) -> list[Path]:
    if any((root / f).is_file() for f in ("addr.json", "link.json")):
        return [root]
    dirs = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    found = [d for d in dirs if any((d / f).is_file() for f in ("addr.json", "link.json"))]
    if not found and len(dirs) == 1:
        return _namespace_dirs(dirs[0])  # a tarball usually holds one top directory
    return found


def import_dir(path: str) -> list[Namespace]:
    """Read a capture directory or tarball into namespaces (veth peers resolved across them)."""
    root = Path(path)
    if not root.exists():
        raise InputError("no such file or directory", file=path)
    if root.is_dir():
        return _import_tree(root, root)
    with tempfile.TemporaryDirectory(prefix="netblame-import-") as tmp:
        try:
            with tarfile.open(root) as tar:
                _extract(tar, Path(tmp))
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            why = "it ends early" if isinstance(exc, EOFError) else (exc.strerror or str(exc)
                                                                      if isinstance(exc, OSError) else str(exc))
            raise InputError(f"not a readable tarball ({why}); expected a capture directory or .tar.gz",
                             file=path) from None
        return _import_tree(Path(tmp), root)


def _extract(tar: tarfile.TarFile, dest: Path) -> None:
    """Extract the directories and regular files of a capture tarball, nothing else.

    Done by hand rather than with ``extractall(filter="data")``: the ``filter`` argument exists only from
    Python 3.11.4 (and 3.12), and Debian 12 ships 3.11.2. Links, devices and names that leave ``dest``
    (absolute, or with ``..``) are skipped; files are capped as the directory import caps them."""
    for count, member in enumerate(tar, start=1):
        if count > MAX_MEMBERS:
            raise tarfile.TarError(f"more than {MAX_MEMBERS:,} members")
        parts = Path(member.name).parts
        if not parts or member.name.startswith("/") or ".." in parts:
            continue
        target = dest.joinpath(*parts)
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
        elif member.isfile():
            if member.size > MAX_FILE:
                raise tarfile.TarError(f"{member.name} is larger than {MAX_FILE // 2**20} MiB")
            handle = tar.extractfile(member)
            if handle is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with handle, open(target, "wb") as out:
                shutil.copyfileobj(handle, out)


def _import_tree(root: Path, shown: Path) -> list[Namespace]:
    """The captures below ``root``; messages name files below ``shown`` (the tarball, for an extracted one)."""
    dirs = _namespace_dirs(root)
    if not dirs:
        raise InputError("no namespace captures found (expected directories holding addr.json; "
                         "see docs/offline-capture.md)", file=str(shown))
    parsed = []
    for d in dirs:
        where = Path(display_path(shown / d.relative_to(root)))
        raw = read_capture_dir(d, where)
        inode = _inode(d / "inode", where / "inode")
        role: NamespaceRole = "host" if d.name == "host" else ("pod" if d.name.startswith("cni-") else "other")
        name = display_path(d.name)  # a directory name that is not UTF-8 keeps its bytes as \\xff escapes
        named = role != "host" and not UNNAMED.match(name)
        raw.strict = True  # a damaged capture file is an input error, not a gap in the snapshot
        parsed.append(parse_namespace(raw, ns_id=name, role=role, name=name if named else None, inode=inode))
    return resolve_peers(parsed)
