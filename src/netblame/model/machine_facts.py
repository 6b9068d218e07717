"""What a node offers a CNI before install: architecture, kernel, kernel modules, memory, cgroups.

Read by ``collect.machine_facts`` (from this machine or a copy of another node's files); judged by
``choose``. Every fact names the file it came from.
"""

from __future__ import annotations

from enum import Enum

from netblame._record import Record, record


class ModuleState(Enum):
    """Whether a kernel module can be used on the node."""

    LOADED = "loaded"  # in /proc/modules
    BUILTIN = "built in"  # in modules.builtin
    AVAILABLE = "installable"  # in modules.dep: modprobe loads it on demand
    MISSING = "missing"


@record
class ModuleFact(Record):
    """One module's state and the file that says so."""

    name: str
    state: ModuleState
    where: str


@record
class MachineFacts(Record):
    """The facts ``choose --node`` judges.

    ``modules_known`` is False when the node's module lists could not be read (then no module is
    reported missing). ``memory_cgroup`` is None when it cannot be told, ``cgroup_file`` is the
    Raspberry Pi kernel command line file when the node has one.
    """

    root: str
    arch: str
    arch_source: str
    kernel_release: str
    kernel: tuple[int, int] | None
    kernel_source: str
    mem_total_mib: int | None
    mem_available_mib: int | None
    mem_source: str
    modules: tuple[ModuleFact, ...]
    modules_known: bool
    cmdline: str
    cmdline_source: str
    cgroup_file: str | None
    memory_cgroup: bool | None

    def module(self, name: str) -> ModuleFact | None:
        """The fact for one module name (``-`` and ``_`` are the same to the kernel)."""
        wanted = name.replace("-", "_")
        for fact in self.modules:
            if fact.name == wanted:
                return fact
        return None
