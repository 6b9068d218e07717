"""NB113: a flag that takes a value was given none."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.findings import Diagnostic, Severity
from netblame.model.flags import FlagNote


def check(note: FlagNote) -> Iterator[Diagnostic]:
    """Report a value flag at the end of a command line, or followed by another flag."""
    if note.problem != "missing-value":
        return
    if note.taken is None:
        what = f"--{note.flag} is the last argument and has no value: {note.program} stops with \"flag needs an " \
               f"argument: --{note.flag}\""
    else:
        what = (f"--{note.flag} has no value: {note.program} takes the next argument, {note.taken}, as its value, "
                "which is not one")
    yield Diagnostic(message=what, fix=f"give the value: --{note.flag}=VALUE (or remove the flag).",
                     location=note.origin)


RULE = Rule(
    meta=RuleMeta(
        id="NB113",
        name="component-flag-without-value",
        title="A flag that needs a value has none",
        severity=Severity.ERROR,
        applies_to=FlagNote,
        summary="A flag that takes a value (a range, an address, a number) is written without one.",
        rationale=(
            "pflag, which Kubernetes components use, fails with \"flag needs an argument\" when a value flag ends the "
            "command line, and takes the next argument as the value when another flag follows, so `--cluster-cidr "
            "--allocate-node-cidrs=true` sets the pod range to the text of the next flag. A line lost in a `\\` "
            "continuation or a variable that expanded to nothing leaves exactly this."
        ),
        fix="Write the value after the flag (--flag=value), or remove the flag.",
        references=("spf13/pflag flag.go (parseLongArg: 'flag needs an argument')",),
        examples=(
            Example(name="--pod-network-cidr at the end of a kubeadm init line",
                    files=(("init.sh", "kubeadm init --service-cidr 10.96.0.0/12 --pod-network-cidr\n"),)),
            Example(name="--cluster-cidr followed by another flag",
                    files=(("kcm.sh", "kube-controller-manager --cluster-cidr --allocate-node-cidrs=true\n"),)),
            Example(name="values given", fires=False,
                    files=(("init.sh", "kubeadm init --service-cidr 10.96.0.0/12 \\\n"
                                       "  --pod-network-cidr 10.244.0.0/16\n"),)),
        ),
    ),
    check=check,
)
