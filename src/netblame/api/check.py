"""``netblame check`` as a library call: read inputs, assemble model subjects, run rules, report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from netblame._gc import gc_paused
from netblame.checks import Registry, run_rules
from netblame.errors import InputError
from netblame.findings import InputProblem, InputRecord, Report
from netblame.model.cidr import parse_cidr
from netblame.model.cluster import ClusterNetwork
from netblame.model.dns import DnsSetup, merge_dns
from netblame.model.merge import merge_cluster
from netblame.model.origin import Sourced, flag
from netblame.sources import builtin_sources, load_paths


@dataclass(frozen=True, slots=True)
class ClusterFlags:
    """What no file says, given on the command line."""

    nodes: int | None = None
    lan: tuple[str, ...] = ()
    node_mask: int | None = None
    max_pods: int | None = None


def flags_fragment(flags: ClusterFlags) -> ClusterNetwork:
    """The cluster fragment the command-line flags describe (raises InputError on a bad value)."""
    lan = tuple(parse_cidr(text, flag("--lan"), what="a network range for --lan") for text in flags.lan)
    mask = flags.node_mask
    if mask is not None and not 1 <= mask <= 128:
        raise InputError(f"--node-mask: expected a prefix length from 1 to 128, got {mask}")
    mask_v4 = Sourced(mask, flag("--node-mask")) if mask is not None and mask <= 32 else None
    mask_v6 = Sourced(mask, flag("--node-mask")) if mask is not None and mask > 32 else None
    return ClusterNetwork(
        planned_nodes=Sourced(flags.nodes, flag("--nodes")) if flags.nodes is not None else None,
        lan=lan,
        node_mask_v4=mask_v4,
        node_mask_v6=mask_v6,
        max_pods=Sourced(flags.max_pods, flag("--max-pods")) if flags.max_pods is not None else None,
    )


def _assemble_cluster(fragments: list[ClusterNetwork], extra: ClusterNetwork | None) -> list[object]:
    if not fragments:
        return []
    return [merge_cluster([*fragments, extra] if extra is not None else fragments)]


# Model types whose fragments are folded into one subject per run; every other fragment type is a
# subject of its own. Other subsystems add their own assemblers here.
Assembler = Callable[[list[object]], list[object]]
ASSEMBLERS: dict[type, Assembler] = {
    DnsSetup: lambda group: [merge_dns(group)],  # type: ignore[arg-type]
}


def assemble(fragments: Sequence[object], cluster_flags: ClusterNetwork | None = None) -> list[object]:
    """Group fragments by model type and fold each group into subjects for the rules."""
    groups: dict[type, list[object]] = {}
    for fragment in fragments:
        groups.setdefault(type(fragment), []).append(fragment)
    subjects: list[object] = []
    for kind, group in groups.items():
        if kind is ClusterNetwork:
            subjects.extend(_assemble_cluster(group, cluster_flags))  # type: ignore[arg-type]
        elif kind in ASSEMBLERS:
            subjects.extend(ASSEMBLERS[kind](group))
        else:
            subjects.extend(group)
    return subjects


def check(paths: Sequence[str], *, flags: ClusterFlags | None = None, extra: Sequence[object] = (),
          extra_inputs: Sequence[InputRecord] = (), extra_errors: Sequence[InputProblem] = (),
          registry: Registry | None = None) -> Report:
    """Check ``paths`` (files or directories) plus already-built model objects in ``extra``; the
    caller's record of where those came from (``extra_inputs``) and of what it could not read
    (``extra_errors``) go into the report with the rest.

    The cyclic garbage collector is paused for the run: a large dump (5,000 nodes) is a million
    small objects, which the collector would otherwise scan again and again while the model is
    built, for nothing (none of them form cycles). It is restored as it was, even on an exception.
    """
    with gc_paused():
        return _check(paths, flags, extra, extra_inputs, extra_errors, registry)


def _check(paths: Sequence[str], flags: ClusterFlags | None, extra: Sequence[object],
           extra_inputs: Sequence[InputRecord], extra_errors: Sequence[InputProblem],
           registry: Registry | None) -> Report:
    loaded = load_paths(paths, builtin_sources())
    errors = list(loaded.errors)
    cluster_flags: ClusterNetwork | None = None
    try:
        cluster_flags = flags_fragment(flags or ClusterFlags())
    except InputError as exc:
        errors.append(InputProblem(str(exc)))
    subjects = assemble([*loaded.fragments, *extra], cluster_flags)
    findings, ran = run_rules(subjects, registry)
    return Report(findings=findings, inputs=(*loaded.inputs, *extra_inputs), errors=(*errors, *extra_errors),
                  rules_run=ran)
