"""Help text laid out as people know it from click-based tools: a ``Usage:`` line, the description
indented by two, an ``Options:`` and a ``Commands:`` table. Plain text only, so that ``netblame --help``
is answered without importing argparse or any command."""

from __future__ import annotations

MAX_WIDTH = 100
_COL_MAX = 30  # a first column wider than this puts its text on the next line


def width(columns: int) -> int:
    """The width help is filled to on a terminal ``columns`` wide."""
    return max(min(columns, MAX_WIDTH) - 2, 50)


def wrap(text: str, width: int, indent: str) -> list[str]:
    """Paragraphs of ``text`` (separated by blank lines) filled to ``width`` greedily, as textwrap does
    (without importing it and re), words (and flags such as ``--node-cidr-mask-size``) kept whole. A
    paragraph whose first line is ``\\b`` keeps its lines as written (examples, lists)."""
    out: list[str] = []
    for number, paragraph in enumerate(p for p in text.split("\n\n") if p.strip()):
        if number:
            out.append("")
        lines = paragraph.strip("\n").splitlines()
        if lines[0].strip() == "\b":
            out += [f"{indent}{line}".rstrip() for line in lines[1:]]
            continue
        line = ""
        for word in " ".join(part.strip() for part in lines).split(" "):
            if not word:  # a second space between words stays, inside a line
                line += " " if line else ""
                continue
            joined = f"{line} {word}" if line else word
            if line and len(indent) + len(joined) > width:
                out.append(indent + line.rstrip())
                line = word
            else:
                line = joined
        if line:
            out.append(indent + line.rstrip())
    return out


def table(rows: list[tuple[str, str]], width: int) -> list[str]:
    """Two columns at indent 2; a first cell wider than 30 puts its text on the next line."""
    first = min(max(len(name) for name, _ in rows), _COL_MAX) + 2
    text_width = max(width - first - 2, 10)
    out: list[str] = []
    for name, text in rows:
        lines = wrap(text, text_width, "") or [""]
        if len(name) > first - 2:
            out.append(f"  {name}")
            out += [f"{'':{first + 2}}{line}" for line in lines if text]
            continue
        out.append(f"  {name:<{first - 2}}  {lines[0]}".rstrip())
        out += [f"{'':{first + 2}}{line}" for line in lines[1:]]
    return out


def page(usage: str, description: str, options: list[tuple[str, str]], commands: list[tuple[str, str]],
         columns: int) -> str:
    """A whole help page for a terminal ``columns`` wide."""
    fill = width(columns)
    lines = [usage]
    if description:
        lines += ["", *wrap(description, fill, "  ")]
    lines += ["", "Options:", *table(options, fill)]
    if commands:
        lines += ["", "Commands:", *table(commands, fill)]
    return "\n".join(lines) + "\n"
