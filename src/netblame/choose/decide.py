"""Pick a CNI: rule out what cannot run, rank what can, and say why (pure; no I/O).

A candidate is ruled out by a blocker: an architecture it has no images for, a kernel older than it
needs, a need it does not provide, or (with node facts) a kernel module the node cannot load. Among
the rest, fewer warnings win (RAM below what the install's distribution asks), then fewer needs met
only partly, then not having to change the Kubernetes distribution, then the smaller memory request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from netblame.choose.model import NEEDS, Arch, Candidate, Support
from netblame.choose.table import CANDIDATES, K3S_REQ
from netblame.model.machine_facts import MachineFacts, ModuleState

RPI_MEMORY_CGROUP = ("https://github.com/raspberrypi/linux/commit/9b0efcc1ec497b2985c6aaa60cd97f0d2d96d203 "
                     "(the memory cgroup is off by default; enable with cgroup_enable=memory)")


class Level(Enum):
    """How bad a problem is for one candidate."""

    BLOCKER = "blocker"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """What would break or strain a candidate, and the source that says so."""

    level: Level
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Constraints:
    """What the user told ``choose`` (or the node showed): all optional."""

    arch: Arch | None = None
    kernel: tuple[int, int] | None = None
    ram_mib: int | None = None
    nodes: int | None = None
    needs: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Assessment:
    """One candidate judged against the constraints."""

    candidate: Candidate
    problems: tuple[Problem, ...]
    met: tuple[str, ...]
    partial: tuple[str, ...]

    @property
    def blockers(self) -> tuple[Problem, ...]:
        """Problems that rule the candidate out."""
        return tuple(p for p in self.problems if p.level is Level.BLOCKER)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems that make it a worse fit."""
        return tuple(p for p in self.problems if p.level is Level.WARNING)

    @property
    def viable(self) -> bool:
        """Nothing rules it out."""
        return not self.blockers


@dataclass(frozen=True, slots=True)
class Decision:
    """Every candidate ranked (viable first), the pick, why, and what it costs."""

    constraints: Constraints
    ranked: tuple[Assessment, ...]
    node: MachineFacts | None
    node_problems: tuple[Problem, ...] = ()
    reasons: tuple[str, ...] = ()
    trade_offs: tuple[str, ...] = field(default_factory=tuple)

    @property
    def recommended(self) -> Assessment | None:
        """The best viable candidate, if any."""
        first = self.ranked[0] if self.ranked else None
        return first if first is not None and first.viable else None


def _fmt_kernel(version: tuple[int, int]) -> str:
    return f"{version[0]}.{version[1]}"


def _module_problems(candidate: Candidate, needs: frozenset[str], node: MachineFacts) -> list[Problem]:
    if not node.modules_known:
        return [Problem(Level.WARNING, f"cannot tell which kernel modules {node.root} can load (no "
                        f"lib/modules/{node.kernel_release})", candidate.modules.source)]
    wanted = list(candidate.modules.value)
    if "encryption" in needs:
        wanted += candidate.encryption_modules.value
    problems = []
    for entry in wanted:
        options = entry.split("|")
        facts = [node.module(name) for name in options]
        if any(f is not None and f.state is not ModuleState.MISSING for f in facts):
            continue
        where = next((f.where for f in facts if f is not None), node.root)
        cell = candidate.encryption_modules if entry in candidate.encryption_modules.value else candidate.modules
        problems.append(Problem(Level.BLOCKER, f"kernel module {' or '.join(options)} is not loaded, not built in "
                                f"and not installable (not in {where})" + (f"; {cell.note}" if cell.note else ""),
                                cell.source))
    return problems


def assess(candidate: Candidate, constraints: Constraints, node: MachineFacts | None = None) -> Assessment:
    """Judge one candidate."""
    problems: list[Problem] = []
    if constraints.arch is not None and constraints.arch not in candidate.archs.value:
        shipped = ", ".join(sorted(a.value for a in candidate.archs.value))
        problems.append(Problem(Level.BLOCKER, f"no {constraints.arch.value} images (only {shipped})",
                                candidate.archs.source))
    minimum = candidate.min_kernel.value
    if constraints.kernel is not None and minimum is not None and constraints.kernel < minimum:
        problems.append(Problem(Level.BLOCKER, f"kernel {_fmt_kernel(constraints.kernel)} is older than the "
                                f"{_fmt_kernel(minimum)} it needs", candidate.min_kernel.source))
    met, partial = [], []
    for need in (n for n in NEEDS if n in constraints.needs):
        cell = candidate.feature(need)
        if cell.value is Support.YES:
            met.append(need)
        elif cell.value is Support.PARTIAL:
            partial.append(need)
        else:
            problems.append(Problem(Level.BLOCKER, f"no {need}" + (f" ({cell.note})" if cell.note else ""),
                                    cell.source))
    asked = candidate.min_node_ram_mib
    if constraints.nodes == 1 and candidate.single_node_ram_mib is not None:
        asked = candidate.single_node_ram_mib
    if constraints.ram_mib is not None and constraints.ram_mib < asked.value:
        problems.append(Problem(Level.WARNING, f"{constraints.ram_mib} MiB per node is below the {asked.value} MiB "
                                f"asked ({asked.note})", asked.source))
    if node is not None:
        problems += _module_problems(candidate, constraints.needs, node)
        if candidate.distribution == "k3s" and node.memory_cgroup is False:
            problems.append(Problem(Level.BLOCKER, "the memory cgroup is off: add cgroup_memory=1 "
                                    "cgroup_enable=memory to " + (node.cgroup_file or "the kernel command line")
                                    + " and reboot; k3s does not start without it", K3S_REQ))
    return Assessment(candidate, tuple(problems), tuple(met), tuple(partial))


def _rank_key(a: Assessment) -> tuple[int, int, int, int, int]:
    memory = a.candidate.memory_mib.value
    return (0 if a.viable else 1, len(a.warnings), len(a.partial), 1 if a.candidate.distribution else 0,
            memory if memory is not None else 1 << 20)


def _node_problems(node: MachineFacts) -> tuple[Problem, ...]:
    if node.memory_cgroup is False and node.cgroup_file is not None:
        return (Problem(Level.WARNING, f"memory cgroup is off on this Raspberry Pi kernel ({node.cmdline_source} "
                        f"lacks cgroup_enable=memory); add cgroup_memory=1 cgroup_enable=memory to "
                        f"{node.cgroup_file}", RPI_MEMORY_CGROUP + "; " + K3S_REQ),)
    return ()


def _why_lower(other: Assessment, best: Assessment) -> str:
    if other.blockers:
        return f"{other.blockers[0].text} [{other.blockers[0].source}]"
    if len(other.warnings) > len(best.warnings):
        return f"{other.warnings[0].text} [{other.warnings[0].source}]"
    if len(other.partial) > len(best.partial):
        cell = other.candidate.feature(other.partial[0])
        return f"{other.partial[0]} only partly: {cell.note} [{cell.source}]"
    if other.candidate.distribution and not best.candidate.distribution:
        return f"means running {other.candidate.distribution} instead of the distribution you have"
    memory = other.candidate.memory_mib
    if memory.value is None:
        return f"no memory request to compare: {memory.note} [{memory.source}]"
    return f"heavier: {memory.note} [{memory.source}]"


def _reasons(best: Assessment, constraints: Constraints, others: tuple[Assessment, ...]) -> tuple[str, ...]:
    c = best.candidate
    out = []
    if constraints.arch is not None:
        out.append(f"runs on {constraints.arch.value} [{c.archs.source}]")
    if constraints.kernel is not None:
        floor = c.min_kernel.value
        out.append(f"kernel {_fmt_kernel(constraints.kernel)} is enough"
                   + (f" (needs {_fmt_kernel(floor)})" if floor else f" ({c.min_kernel.note})")
                   + f" [{c.min_kernel.source}]")
    if constraints.ram_mib is not None:
        out.append(f"{constraints.ram_mib} MiB per node covers the {c.min_node_ram_mib.value} MiB asked "
                   f"({c.min_node_ram_mib.note}) [{c.min_node_ram_mib.source}]")
    for need in best.met:
        cell = c.feature(need)
        out.append(f"provides {need}" + (f": {cell.note}" if cell.note else "") + f" [{cell.source}]")
    for need in best.partial:
        cell = c.feature(need)
        out.append(f"provides {need} only partly: {cell.note} [{cell.source}]")
    if not constraints.needs and all(len(o.warnings) == len(best.warnings) for o in others if o.viable):
        mem = c.memory_mib
        out.append(f"nothing special is needed, so the lightest that fits wins: {mem.note} [{mem.source}]")
    for other in others:
        state = "ruled out" if not other.viable else "ranks lower"
        out.append(f"{other.candidate.name} {state}: {_why_lower(other, best)}")
    return tuple(out)


def _trade_offs(best: Assessment, constraints: Constraints) -> tuple[str, ...]:
    c = best.candidate
    out = [f"{p.text} [{p.source}]" for p in best.warnings]
    for need in NEEDS:
        if need in constraints.needs:
            continue
        cell = c.feature(need)
        if cell.value is not Support.YES:
            out.append(f"{'only partial' if cell.value is Support.PARTIAL else 'no'} {need}"
                       + (f" ({cell.note})" if cell.note else "") + f" [{cell.source}]")
    if constraints.kernel is None and c.min_kernel.value is not None:
        out.append(f"needs kernel {_fmt_kernel(c.min_kernel.value)} or later [{c.min_kernel.source}]")
    if c.memory_mib.value is None:
        out.append(f"memory: {c.memory_mib.note} [{c.memory_mib.source}]")
    if c.min_node_ram_mib.note:
        out.append(f"{c.min_node_ram_mib.note} [{c.min_node_ram_mib.source}]")
    if c.modules.note:
        out.append(f"kernel: {c.modules.note} [{c.modules.source}]")
    return tuple(out)


def decide(constraints: Constraints, node: MachineFacts | None = None,
           candidates: tuple[Candidate, ...] = CANDIDATES) -> Decision:
    """Rank every candidate and explain the pick."""
    unknown = constraints.needs - set(NEEDS)
    if unknown:
        raise ValueError(f"unknown need(s): {', '.join(sorted(unknown))}")
    ranked = tuple(sorted((assess(c, constraints, node) for c in candidates), key=_rank_key))
    node_problems = _node_problems(node) if node is not None else ()
    best = ranked[0] if ranked and ranked[0].viable else None
    if best is None:
        return Decision(constraints, ranked, node, node_problems)
    return Decision(constraints, ranked, node, node_problems, _reasons(best, constraints, ranked[1:]),
                    _trade_offs(best, constraints))
