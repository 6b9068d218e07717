"""The report for people: findings grouped by severity, each with its fix, then a summary.

The findings table is drawn here line by line rather than by rich's ``Table``: rich measures and lays
out every cell through its renderables (about half a millisecond a row), so 60,000 findings took half
a minute; breaking lines at spaces and writing styled lines is linear and some fifty times faster.
The look is rich's: heavy header, a rule between rows, the rule column at most 24 wide.
"""

from __future__ import annotations

from rich.console import COLOR_SYSTEMS, Console
from rich.style import Style
from rich.text import Text

from netblame.findings import Finding, Report, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_RULE_WIDTH = 24
_HEADERS = ("rule", "where, what is wrong, and the fix")

# A line of a cell: (text, style name or "") pieces.
_Piece = tuple[str, str]
_Line = list[_Piece]


def render_table(report: Report, console: Console, *, verbose: bool = False) -> None:
    """Print ``report`` to ``console``."""
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        group = [f for f in report.findings if f.severity == severity]
        if group:
            _findings_table(severity, group, console)
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


def _findings_table(severity: Severity, group: list[Finding], console: Console) -> None:
    style = _STYLE[severity]
    left = min(_RULE_WIDTH, max(len(_HEADERS[0]), *(len(f.rule) for f in group)))
    left = max(left, min(_RULE_WIDTH, max(len(f.title) for f in group)))
    right = max(console.width - left - 7, 20)
    paint = _painter(console)
    out = [paint(f"{severity.label.upper()} ({len(group)})", style)]
    out.append(f"┏{'━' * (left + 2)}┳{'━' * (right + 2)}┓")
    out.append(f"┃ {paint(_HEADERS[0].ljust(left), 'bold')} ┃ {paint(_HEADERS[1].ljust(right), 'bold')} ┃")
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
    console.file.write("\n".join(out) + "\n")
    console.file.flush()


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
        wrapped = _fold(text, width)
        lead, lead_style = paragraph[0]
        rest_style = paragraph[-1][1]
        for k, line in enumerate(wrapped):
            if k == 0 and len(paragraph) > 1 and line.startswith(lead.rstrip()):
                head = line[:len(lead)]
                lines.append([(head, lead_style), (line[len(head):], rest_style)])
            else:
                lines.append([(line, rest_style if len(paragraph) > 1 else lead_style)])
    return lines


def _fold(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` (a longer word is cut), greedily as
    :func:`textwrap.wrap` does, but with string searches instead of its per-word loop."""
    lines: list[str] = []
    text = text.strip()
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut <= 0:
            lines.append(text[:width])
            text = text[width:].lstrip()
        else:
            lines.append(text[:cut].rstrip())
            text = text[cut + 1:].lstrip()
    lines.append(text)
    return lines


def _show(line: _Line, width: int, paint: _Paint) -> str:
    used = sum(len(t) for t, _ in line)
    return "".join(paint(t, s) for t, s in line) + " " * max(width - used, 0)


class _Paint:
    """Text in a style, as ANSI codes for a colour terminal and plain otherwise."""

    def __init__(self, console: Console) -> None:
        self.system = console.color_system
        self.cache: dict[str, Style] = {}

    def __call__(self, text: str, style: str) -> str:
        if not style or self.system is None or not text:
            return text
        parsed = self.cache.get(style)
        if parsed is None:
            parsed = self.cache[style] = Style.parse(style)
        return parsed.render(text, color_system=COLOR_SYSTEMS[self.system])


def _painter(console: Console) -> _Paint:
    return _Paint(console)
