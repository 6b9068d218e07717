"""``netblame check`` as a library call: read inputs (files, snapshots, live state, a node's DNS tree),
assemble model subjects, run the selected rules, report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from netblame._gc import gc_paused
from netblame._record import Record, record
from netblame.checks import Registry, Selection, run_rules
from netblame.errors import InputError, UsageError
from netblame.findings import InputProblem, InputRecord, Report
from netblame.model.cidr import parse_cidr
from netblame.model.cluster import ClusterNetwork
from netblame.model.dns import DnsSetup, merge_dns
from netblame.model.merge import merge_cluster
from netblame.model.origin import Sourced, flag
from netblame.model.provenance import cluster_values
from netblame.sources import builtin_sources, load_paths
from netblame.sources.k3s import DistroInput
from netblame.sources.k3s import fold as fold_distro
from netblame.sources.supersede import without_superseded


@record
class ClusterFlags(Record):
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
    if extra is not None and extra.node_mask_v6 is not None:
        families = {c.family for f in fragments for c in f.pod_cidrs}
        if families == {4}:  # a mask past 32 bits is an IPv6 mask: here it would silently do nothing
            raise InputError(f"--node-mask: /{extra.node_mask_v6.value} is longer than the 32 bits of an IPv4 "
                             "address, and the pod range is IPv4 only; expected a prefix length from 1 to 32")
    return [merge_cluster([*fragments, extra] if extra is not None else fragments)]


# Model types whose fragments are folded into one subject per run; every other fragment type is a
# subject of its own. Other subsystems add their own assemblers here.
Assembler = Callable[[list[object]], list[object]]
ASSEMBLERS: dict[type, Assembler] = {
    DnsSetup: lambda group: [merge_dns(group)],  # type: ignore[arg-type]
}


# Inputs that become cluster fragments only together (k3s/RKE2 config files, drop-ins and flags combine
# before their defaults apply).
PRE_ASSEMBLERS: dict[type, Callable[[list[object]], list[ClusterNetwork]]] = {
    DistroInput: fold_distro,  # type: ignore[dict-item]
}


def assemble(fragments: Sequence[object], cluster_flags: ClusterNetwork | None = None) -> list[object]:
    """Group fragments by model type and fold each group into subjects for the rules."""
    groups: dict[type, list[object]] = {}
    fragments = without_superseded(fragments)
    for kind, pre in PRE_ASSEMBLERS.items():
        group = [f for f in fragments if type(f) is kind]
        if group:
            fragments = [*(f for f in fragments if type(f) is not kind), *pre(group)]
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


Warn = Callable[[str], None]


def check(paths: Sequence[str] = (), *, flags: ClusterFlags | None = None, snapshots: Sequence[str] = (),
          live: bool = False, lab: str | None = None, root: str | None = None, select: Sequence[str] = (),
          ignore: Sequence[str] = (), registry: Registry | None = None, extra: Sequence[object] = (),
          warn: Warn | None = None) -> Report:
    """Check files and directories (``paths``, recognised by content), snapshot files (``snapshots``),
    this machine's namespaces (``live``; only lab ``lab``'s with it), a copied node tree's DNS files
    (``root``) and already-built model objects (``extra``), and report every finding.

    ``flags`` says what no file says; ``select``/``ignore`` pick rules by ID or prefix. A bad flag or
    selector raises :class:`~netblame.errors.UsageError`; an input that cannot be read is an entry of
    the report's ``errors``; a rule or source that raises is an entry of its ``failures``. ``warn``
    receives what live collection could not read.

    The cyclic garbage collector is paused for the run: a large dump (5,000 nodes) is a million
    small objects, which the collector would otherwise scan again and again while the model is
    built, for nothing (none of them form cycles). It is restored as it was, even on an exception.
    """
    if lab is not None and not live:
        raise UsageError("--lab goes with --live")
    try:
        cluster_flags = flags_fragment(flags or ClusterFlags())
        selection = Selection.of(select, ignore)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    with gc_paused():
        inputs: list[InputRecord] = []
        errors: list[InputProblem] = []
        subjects = [*extra, *_snapshots(snapshots, live, lab, inputs, errors, warn)]
        if root is not None:
            from netblame.dns.view import files_read
            from netblame.live.dns_tree import read_tree

            setup = read_tree(root)
            subjects.append(setup)
            inputs += [InputRecord(path, "node DNS") for path in files_read(setup)]
        loaded = load_paths(paths, builtin_sources())
        assembled = assemble([*loaded.fragments, *subjects], cluster_flags)
        run = run_rules(assembled, registry, selection)
        values = tuple(v for s in assembled if isinstance(s, ClusterNetwork) for v in cluster_values(s))
        return Report(findings=run.findings, inputs=(*loaded.inputs, *inputs), errors=(*loaded.errors, *errors),
                      rules_run=run.ran, failures=(*loaded.failures, *run.failures), values=values)


def _snapshots(files: Sequence[str], live: bool, lab: str | None, inputs: list[InputRecord],
               errors: list[InputProblem], warn: Warn | None) -> list[object]:
    """Snapshots to check: read from files and/or collected live now."""
    out: list[object] = []
    for path in files:
        from netblame.sources.snapshot import load_snapshot

        try:
            out.append(load_snapshot(path))
        except InputError as exc:
            errors.append(InputProblem(exc.message, exc.file, exc.line))
        else:
            inputs.append(InputRecord(path, "netblame-snapshot"))
    if live:
        from netblame.live.run import collect_snapshot

        snapshot, problems = collect_snapshot(lab=lab, progress=None)
        out.append(snapshot)
        inputs.append(InputRecord("live" if lab is None else f"live (lab {lab})", "netblame-snapshot"))
        for problem in problems:
            if warn is not None:
                warn(problem)
    return out


def rule_registry() -> Registry:
    """Every registered rule (what a SARIF report describes)."""
    from netblame.checks import default_registry

    return default_registry()
