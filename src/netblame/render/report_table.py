"""The report for people: findings grouped by severity, each with its fix, then a summary.

The findings table is drawn here line by line rather than by rich's ``Table``: rich measures and lays
out every cell through its renderables (about half a millisecond a row), so 60,000 findings took half
a minute; breaking lines at spaces and writing styled lines is linear and some fifty times faster.
The look is rich's: heavy header, a rule between rows, the rule column at most 24 wide. It writes to a
:class:`~netblame.render.terminal.Terminal`, not a rich console, so ``check`` never imports rich.
"""

from __future__ import annotations

from collections.abc import Callable

from netblame.findings import Finding, Report, Severity
from netblame.render.terminal import Terminal, fold

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_RULE_WIDTH = 24
_HEADERS = ("rule", "where, what is wrong, and the fix")

# A line of a cell: (text, style name or "") pieces.
_Piece = tuple[str, str]
_Line = list[_Piece]


def render_table(report: Report, out: Terminal, *, verbose: bool = False) -> None:
    """Write ``report`` to ``out``."""
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity == severity]
        if group:
            _findings_table(severity, group, out)
    for problem in report.errors:
        out.line(f"error: {problem}", "red")
    for failure in report.failures:
        out.line(f"error: {failure}", "red")
    read = [i for i in report.inputs if i.kind]
    skipped = [i for i in report.inputs if not i.kind]
    for item in read:
        if verbose or item.note:
            note = f": {item.note}" if item.note else ""
            out.line(f"read {item.path} ({item.kind}){note}", "dim")
    for item in skipped:
        out.line(f"skipped {item.path}: {item.note}", "dim")
    counts = {s: sum(1 for f in report.findings if f.severity == s) for s in Severity}
    out.wrapped(f"{len(read)} input(s) read, {len(skipped)} skipped, {len(report.errors)} unreadable; "
                f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
                f"{counts[Severity.INFO]} note(s)")
    if report.incomplete:
        out.line(f"incomplete: {len(report.failures)} rule(s) or source(s) failed, so findings may be missing",
                 "bold red")
    if report.findings:
        ids = " ".join(sorted({f.rule for f in report.findings}))
        out.wrapped(f"For more on a rule: netblame explain <RULE>  ({ids})", "dim")
    out.file.flush()


def _findings_table(severity: Severity, group: list[Finding], term: Terminal) -> None:
    style = _STYLE[severity]
    left = min(_RULE_WIDTH, max(len(_HEADERS[0]), *(len(f.rule) for f in group)))
    left = max(left, min(_RULE_WIDTH, max(len(f.title) for f in group)))
    right = max(term.width - left - 7, 20)
    paint = term.paint
    out = [paint(f"{severity.label.upper()} ({len(group)})", style)]
    out.append(f"┏{'━' * (left + 2)}┳{'━' * (right + 2)}┓")
    head = [fold(_HEADERS[0], left), fold(_HEADERS[1], right)]  # folded too on a narrow terminal
    for j in range(max(map(len, head))):
        name, text = (cell[j] if j < len(cell) else "" for cell in head)
        out.append(f"┃ {paint(name.ljust(left), 'bold')} ┃ {paint(text.ljust(right), 'bold')} ┃")
    out.append(f"┡{'━' * (left + 2)}╇{'━' * (right + 2)}┩")
    between = f"├{'─' * (left + 2)}┼{'─' * (right + 2)}┤"
    for i, finding in enumerate(group):
        if i:
            out.append(between)
        rule_lines = _wrap([[(finding.rule, style)], [(finding.title, style)]], left)
        body_lines = _wrap(_body(finding), right)
        for j in range(max(len(rule_lines), len(body_lines))):
            a = rule_lines[j] if j < len(rule_lines) else []
            b = body_lines[j] if j < len(body_lines) else []
            out.append(f"│ {_show(a, left, paint)} │ {_show(b, right, paint)} │")
    out.append(f"└{'─' * (left + 2)}┴{'─' * (right + 2)}┘")
    term.file.write("\n".join(out) + "\n")


def _body(finding: Finding) -> list[_Line]:
    """The body cell's paragraphs: where (bold), what is wrong, and the fix after a green "fix:"."""
    paragraphs: list[_Line] = [[(str(finding.location), "bold")]]
    paragraphs.extend([(part, "")] for part in finding.message.split("\n"))
    fix = finding.fix.split("\n")
    paragraphs.append([("fix: ", "bold green"), (fix[0], "")])
    paragraphs.extend([(part, "")] for part in fix[1:])
    return paragraphs


def _wrap(paragraphs: list[_Line], width: int) -> list[_Line]:
    """Each paragraph wrapped to ``width`` columns (long words folded). A paragraph is one styled piece,
    or a styled lead-in (``fix: ``) and plain text: the lead-in keeps its style on the first line."""
    lines: list[_Line] = []
    for paragraph in paragraphs:
        text = "".join(t for t, _ in paragraph)
        wrapped = fold(text, width)
        lead, lead_style = paragraph[0]
        rest_style = paragraph[-1][1]
        for k, line in enumerate(wrapped):
            if k == 0 and len(paragraph) > 1 and line.startswith(lead.rstrip()):
                head = line[:len(lead)]
                lines.append([(head, lead_style), (line[len(head):], rest_style)])
            else:
                lines.append([(line, rest_style if len(paragraph) > 1 else lead_style)])
    return lines


def _show(line: _Line, width: int, paint: Callable[[str, str], str]) -> str:
    used = sum(len(t) for t, _ in line)
    return "".join(paint(t, s) for t, s in line) + " " * max(width - used, 0)
