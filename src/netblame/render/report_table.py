"""The report for people: findings grouped by severity, each with its fix, then a summary."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from netblame.findings import Report, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_table(report: Report, console: Console, *, verbose: bool = False) -> None:
    """Print ``report`` to ``console``."""
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        table = Table(title=Text(f"{severity.label.upper()} ({len(group)})", style=_STYLE[severity]),
                      title_justify="left", show_lines=True, expand=True)
        table.add_column("rule", style=_STYLE[severity], max_width=24)
        table.add_column("where, what is wrong, and the fix", overflow="fold", ratio=1)
        for f in group:
            body = Text()
            body.append(str(f.location), style="bold")
            body.append("\n")
            body.append(f.message)
            body.append("\nfix: ", style="bold green")
            body.append(f.fix)
            table.add_row(f"{f.rule}\n{f.title}", body)
        console.print(table)
    for problem in report.errors:
        console.print(Text(f"error: {problem}", style="red"), soft_wrap=True)
    for failure in report.failures:
        console.print(Text(f"error: {failure}", style="red"), soft_wrap=True)
    read = [i for i in report.inputs if i.kind]
    skipped = [i for i in report.inputs if not i.kind]
    for item in read:
        if verbose or item.note:
            note = f": {item.note}" if item.note else ""
            console.print(Text(f"read {item.path} ({item.kind}){note}", style="dim"), soft_wrap=True)
    for item in skipped:
        console.print(Text(f"skipped {item.path}: {item.note}", style="dim"), soft_wrap=True)
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    summary = (f"{len(read)} input(s) read, {len(skipped)} skipped, {len(report.errors)} unreadable; "
               f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
               f"{counts[Severity.INFO]} note(s)")
    console.print(summary)
    if report.incomplete:
        console.print(Text(f"incomplete: {len(report.failures)} rule(s) or source(s) failed, so findings may be "
                           "missing", style="bold red"), soft_wrap=True)
    if report.findings:
        ids = " ".join(sorted({f.rule for f in report.findings}))
        console.print(Text(f"For more on a rule: netblame explain <RULE>  ({ids})", style="dim"))
