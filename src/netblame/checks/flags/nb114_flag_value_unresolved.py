"""NB114: a flag value is a shell variable or a template, so it cannot be checked."""

from __future__ import annotations

from collections.abc import Iterator

from netblame.checks._engine import Example, Rule, RuleMeta
from netblame.findings import Diagnostic, Severity
from netblame.model.flags import FlagNote


def check(note: FlagNote) -> Iterator[Diagnostic]:
    """Say which value was not checked, so that a quiet report is not read as a clean one."""
    if note.problem != "unresolved":
        return
    yield Diagnostic(
        message=(f"--{note.flag}={note.value} for {note.program} is filled in later (a shell variable or a "
                 "template), so netblame did not check it; rules that need it ran on the tool's default or not at all"),
        fix=(f"check the rendered file instead (the script's output, the generated unit), or give the value: "
             f"--{note.flag}=<the value it takes>."),
        location=note.origin,
    )


RULE = Rule(
    meta=RuleMeta(
        id="NB114",
        name="component-flag-value-unresolved",
        title="A flag value netblame could not check",
        severity=Severity.INFO,
        applies_to=FlagNote,
        summary="A flag's value is a shell variable, a command substitution or a template placeholder.",
        rationale=(
            "Scripts, Ansible tasks and Makefiles often write `--pod-network-cidr=$POD_CIDR` or "
            "`{{ pod_cidr }}`. The value the cluster gets is decided when the script runs, so netblame cannot check "
            "it; saying so keeps a report without findings from looking like a clean bill of health."
        ),
        fix="Check the rendered output, or put the value in the command line netblame reads.",
        references=("docs/sources.md (component flags)",),
        examples=(
            Example(name="an Ansible task with a Jinja placeholder",
                    files=(("tasks.yaml", "- name: init\n"
                                          "  command: kubeadm init --pod-network-cidr={{ pod_cidr }}\n"),)),
            Example(name="a literal value", fires=False,
                    files=(("tasks.yaml", "- name: init\n"
                                          "  command: kubeadm init --pod-network-cidr=10.244.0.0/16\n"),)),
        ),
    ),
    check=check,
)
