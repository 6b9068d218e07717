"""Read what a node offers a CNI, read-only: architecture, kernel release, kernel modules (loaded, built
in, installable), memory, the kernel command line and the memory cgroup.

``root`` is ``/`` for this machine or a directory holding a copy of another node's ``/proc``, ``/boot``
and ``/lib/modules`` files (``proc/sys/kernel/arch``, ``proc/sys/kernel/osrelease``, ``proc/meminfo``,
``proc/modules``, ``proc/cmdline``, ``proc/cgroups``, ``boot/firmware/cmdline.txt``,
``lib/modules/<release>/modules.builtin`` and ``modules.dep``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from netblame.errors import InputError
from netblame.model.machine_facts import MachineFacts, ModuleFact, ModuleState

# uname -m -> the Debian/Kubernetes architecture name
_ARCH = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64", "armv7l": "armv7",
         "armv8l": "armv7", "armhf": "armv7"}
_PI_CMDLINE = ("boot/firmware/cmdline.txt", "boot/cmdline.txt")


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", file=str(path)) from None


def _arch(root: Path) -> tuple[str, str]:
    path = root / "proc/sys/kernel/arch"
    text = _read(path)
    if text is None and root == Path("/"):
        return _ARCH.get(os.uname().machine, os.uname().machine), "uname -m"
    if text is None:
        raise InputError("missing: --root needs the node's proc/sys/kernel/arch (`uname -m` output)", file=str(path))
    machine = text.strip()
    return _ARCH.get(machine, machine), str(path)


def parse_kernel(release: str) -> tuple[int, int] | None:
    """``6.1.21-v7+`` -> (6, 1); None when the release does not start with two numbers."""
    found = re.match(r"(\d+)\.(\d+)", release.strip())
    return (int(found.group(1)), int(found.group(2))) if found else None


def _kernel(root: Path) -> tuple[str, str]:
    path = root / "proc/sys/kernel/osrelease"
    text = _read(path)
    if text is None and root == Path("/"):
        return os.uname().release, "uname -r"
    if text is None:
        raise InputError("missing: --root needs the node's proc/sys/kernel/osrelease (`uname -r` output)",
                         file=str(path))
    return text.strip(), str(path)


def _meminfo(root: Path) -> tuple[int | None, int | None, str]:
    path = root / "proc/meminfo"
    text = _read(path) or ""
    values: dict[str, int] = {}
    for line in text.splitlines():
        found = re.match(r"(MemTotal|MemAvailable):\s+(\d+)\s*kB", line)
        if found:
            values[found.group(1)] = int(found.group(2)) // 1024
    return values.get("MemTotal"), values.get("MemAvailable"), str(path)


def _module_name(entry: str) -> str:
    """``kernel/drivers/net/vxlan/vxlan.ko.xz`` -> ``vxlan``; the kernel treats ``-`` as ``_``."""
    base = entry.rsplit("/", 1)[-1]
    base = re.sub(r"\.ko(\.(xz|zst|gz))?$", "", base)
    return base.replace("-", "_")


def _modules(root: Path, release: str, wanted: Iterable[str]) -> tuple[tuple[ModuleFact, ...], bool]:
    loaded_path = root / "proc/modules"
    loaded = {line.split()[0] for line in (_read(loaded_path) or "").splitlines() if line.strip()}
    moddir = next((d for d in (root / "lib/modules" / release, root / "usr/lib/modules" / release) if d.is_dir()),
                  None)
    builtin: set[str] = set()
    available: set[str] = set()
    if moddir is not None:
        builtin = {_module_name(line) for line in (_read(moddir / "modules.builtin") or "").splitlines() if line}
        available = {_module_name(line.split(":", 1)[0])
                     for line in (_read(moddir / "modules.dep") or "").splitlines() if ":" in line}
    facts = []
    for name in sorted({w.replace("-", "_") for w in wanted}):
        if name in loaded:
            facts.append(ModuleFact(name, ModuleState.LOADED, str(loaded_path)))
        elif name in builtin:
            facts.append(ModuleFact(name, ModuleState.BUILTIN, str(moddir / "modules.builtin") if moddir else ""))
        elif name in available:
            facts.append(ModuleFact(name, ModuleState.AVAILABLE, str(moddir / "modules.dep") if moddir else ""))
        else:
            where = str(moddir) if moddir else str(root / "lib/modules" / release)
            facts.append(ModuleFact(name, ModuleState.MISSING, where))
    return tuple(facts), moddir is not None


def _memory_cgroup(root: Path, cmdline: str, pi_file: str | None) -> bool | None:
    cgroups = _read(root / "proc/cgroups")
    if cgroups:
        for line in cgroups.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[0] == "memory":
                return parts[3] == "1"
    controllers = _read(root / "sys/fs/cgroup/cgroup.controllers")
    if controllers is not None:
        return "memory" in controllers.split()
    words = cmdline.split()
    if "cgroup_disable=memory" in words:
        return False
    if pi_file is not None:
        # Raspberry Pi kernels leave the memory cgroup off unless cgroup_enable=memory is given
        return "cgroup_enable=memory" in words
    return None


def read_machine_facts(root: Path, modules: Iterable[str]) -> MachineFacts:
    """The facts of the node whose files are under ``root``, for the given module names."""
    if not root.is_dir():
        raise InputError("not a directory (expected a copy of a node's /proc, /boot and /lib/modules)",
                         file=str(root))
    arch, arch_source = _arch(root)
    release, kernel_source = _kernel(root)
    total, available, mem_source = _meminfo(root)
    facts, known = _modules(root, release, modules)
    cmdline_path = root / "proc/cmdline"
    cmdline = (_read(cmdline_path) or "").strip()
    pi_file = next((str(root / p) for p in _PI_CMDLINE if (root / p).is_file()), None)
    if pi_file is not None and not cmdline:
        cmdline = (_read(Path(pi_file)) or "").strip()
    return MachineFacts(
        root=str(root), arch=arch, arch_source=arch_source, kernel_release=release, kernel=parse_kernel(release),
        kernel_source=kernel_source, mem_total_mib=total, mem_available_mib=available, mem_source=mem_source,
        modules=facts, modules_known=known, cmdline=cmdline, cmdline_source=str(cmdline_path),
        cgroup_file=pi_file, memory_cgroup=_memory_cgroup(root, cmdline, pi_file),
    )
