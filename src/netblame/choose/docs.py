"""docs/choose.md, generated from the CNI table: every cell with its source.

``python -m netblame.choose.docs docs/choose.md`` writes it; a test fails when the page drifts.
"""

from __future__ import annotations

import sys

from netblame._generated import write_page
from netblame.choose.model import Cell
from netblame.choose.table import CANDIDATES

INTRO = """\
# Choosing a CNI: `netblame choose`

`netblame choose` compares the CNIs a small cluster would consider (Cilium, Calico, Flannel, k3s with
its bundled Flannel, kube-router, Antrea) against your nodes and needs, recommends one with its reasons
and trade-offs, and prints its install steps. Every fact comes from the table below; every cell names
the upstream page or file it was read from.

```sh
netblame choose --arch armv7 --ram-per-node 1G               # a Raspberry Pi 3
netblame choose --arch arm64 --ram-per-node 4G               # a Raspberry Pi 4, nothing special needed
netblame choose --arch amd64 --need l7-policy,encryption     # an amd64 node that needs both
netblame choose --node                                       # read this machine (read-only)
netblame choose --root /path/to/copy-of-a-node -o json       # read another node's files
```

Options: `--arch amd64|arm64|armv7`, `--kernel VERSION`, `--ram-per-node SIZE` (`1G`, `4GiB`,
`512M`), `--nodes N` (with 1, a k3s server must fit too), `--need LIST` (comma-separated, repeatable:
`policy`, `l7-policy`, `encryption`, `bgp`, `kube-proxy-replacement`, `observability`, `ipv6`,
`dual-stack`, `multicast`, `windows`), `--node`, `--root DIR`, `-o table|json`. Flags given
explicitly win over what `--node` reads.

## How it decides

1. A candidate is **ruled out** by a blocker: no images for the architecture, a kernel older than it
   needs, a need it does not provide, or (with `--node`) a kernel module the node cannot load (not in
   `/proc/modules`, `modules.builtin` or `modules.dep`), or, for k3s, the memory cgroup switched off.
2. Among the rest, **fewer warnings** win (RAM per node below what the distribution of its install
   steps asks: kubeadm 2 GB per machine, a k3s agent 512 MB), then **fewer needs met only partly**
   (alpha/beta features, add-ons), then **not changing the distribution** (k3s's Flannel comes with
   k3s), then the **smaller memory request** of the CNI's own pods.
3. The output says why the pick won and why each other candidate lost or was ruled out, each reason
   with its source; the trade-offs list what the pick does not do.

`--node` reads, read-only: `uname -m` (or `proc/sys/kernel/arch` under `--root`), the kernel release,
the modules each candidate needs (`vxlan`, `br_netfilter`, `wireguard`, `ip_tables`/`nf_tables`,
`ip_set`, `ip_vs`, `ipip`, `openvswitch`), `/proc/meminfo`, `/proc/cmdline`, `/proc/cgroups` or
`/sys/fs/cgroup/cgroup.controllers`, and a Raspberry Pi's `/boot/firmware/cmdline.txt` (or
`/boot/cmdline.txt`). The Raspberry Pi kernel leaves the memory cgroup off unless the command line
says `cgroup_enable=memory`
(https://github.com/raspberrypi/linux/commit/9b0efcc1ec497b2985c6aaa60cd97f0d2d96d203).

## The next step: `netblame plan`

The output ends with the `netblame plan` command that plans the pick, ready to copy: its distribution
(kubeadm, which the install steps use, or k3s for k3s's bundled Flannel), its CNI, the node count
given with `--nodes` and the IP stack the needs ask for (`dual-stack` gives `--dual-stack`, `ipv6` alone
`--ipv6`):

```console
$ netblame choose --arch armv7 --ram-per-node 1G --nodes 4
...
Next, plan its address ranges and write its configuration:
  $ netblame plan --nodes 4 --distribution k3s --cni flannel
```

Without `--nodes` the command says `--nodes <nodes>`: put in the number of nodes. Every CNI the table
can recommend is one `netblame plan --cni` takes ([plan.md](plan.md)); a test runs each candidate's
command and checks the files it writes with `netblame check`.

## The network cells

The "network" cell of each CNI is the hand-off's port table (`netblame.underlay.ports.CNI_PORTS`,
[handoff.md](handoff.md#ports-and-protocols)) written out: every port the CNI may need, each with the
condition under which it does ("default tunnel", "with encryption", "with Hubble"). `netblame handoff`
lists the rows that fit a cluster's data path, so the two views cannot disagree; a test checks, for
every CNI, that both name the same ports. The cell keeps its own source, the CNI's requirements page.

Exit codes: `0` a candidate fits, `1` none does, `2` bad usage or unreadable node files (one line).

`-o json` prints `netblame/choose/v1`: `constraints`, `node` (the facts read, with each module's state
and the file that says so), `node_problems`, `recommended` (a key), `reasons`, `trade_offs`, `install`
(`steps`, `source`) and `candidates`, each with `key`, `name`, `verdict` (`recommended`, `fits`,
`ruled out`), `met`, `partial`, `problems` (`level`, `text`, `source`) and `cells` (every cell as
`value`, `source`, `note`), and last `plan_command` (the `netblame plan` command above, or `null` when
nothing fits).

## The table
"""


def _value(cell: Cell[object]) -> str:
    value = cell.value
    if isinstance(value, frozenset):
        return ", ".join(sorted(getattr(v, "value", str(v)) for v in value))
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return f"{value[0]}.{value[1]}"
    if isinstance(value, tuple):
        return "; ".join(f"`{v}`" for v in value) or "(none)"
    if value is None:
        return "(not stated)"
    return str(getattr(value, "value", value))


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_doc() -> str:
    """The whole page."""
    lines = [INTRO]
    for candidate in CANDIDATES:
        lines += [f"### {candidate.name}", "", "| fact | value | note | source |", "|---|---|---|---|"]
        for name, cell in candidate.cells():
            lines.append(f"| {name} | {_cell(_value(cell))} | {_cell(cell.note)} | {_cell(cell.source)} |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Write the page to the path given."""
    return write_page(argv, render_doc, "python -m netblame.choose.docs docs/choose.md")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
