"""Rule documentation pages, generated from each rule's metadata and examples.

``python -m netblame.checks.docs DIR`` writes ``DIR/<ID>.md`` and an index; a test regenerates them
and fails when the committed pages drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from netblame.checks._engine import Example, Registry, Rule, default_registry


def _fence(name: str) -> str:
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith(".json"):
        return "json"
    if name.endswith((".network", ".conf", ".netdev")):
        return "ini"
    return "text"


def _example(example: Example) -> list[str]:
    lines = [f"### {example.name}", ""]
    for name, content in example.files:
        lines += [f"`{name}`:", "", f"```{_fence(name)}", content.rstrip("\n"), "```", ""]
    command = " ".join(["netblame check", *(n for n, _ in example.files), *example.args])
    lines += [f"`{command}`", ""]
    return lines


def render_page(rule: Rule) -> str:
    """The Markdown page of one rule."""
    m = rule.meta
    lines = [
        f"# {m.id} {m.name}",
        "",
        f"**{m.title}** · severity: {m.severity.label}"
        + "".join(f" ({severity.label} {when})" for severity, when in m.also) + f" · since {m.since}"
        + ("" if m.default_enabled else " · off by default"),
        "",
        m.summary,
        "",
        "## Why it matters",
        "",
        m.rationale,
        "",
        "## How to fix",
        "",
        m.fix,
        "",
    ]
    bad = [e for e in m.examples if e.fires]
    good = [e for e in m.examples if not e.fires]
    if bad:
        lines += ["## Problematic configuration", ""]
        for example in bad:
            lines += _example(example)
    if good:
        lines += ["## Correct configuration", ""]
        for example in good:
            lines += _example(example)
    if m.references:
        lines += ["## References", ""]
        lines += [f"- {ref}" for ref in m.references]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def render_index(registry: Registry) -> str:
    """The rules index page."""
    lines = ["# Rules", "", "Generated from the rule modules; do not edit by hand.", "",
             "| rule | name | severity | title |", "|---|---|---|---|"]
    for rule in registry:
        m = rule.meta
        lines.append(f"| [{m.id}]({m.id}.md) | {m.name} | {m.severity.label} | {m.title} |")
    return "\n".join(lines) + "\n"


def generate(registry: Registry) -> dict[str, str]:
    """File name -> content for every page."""
    pages = {f"{rule.meta.id}.md": render_page(rule) for rule in registry}
    pages["README.md"] = render_index(registry)
    return pages


def main(argv: list[str]) -> int:
    """Write the pages into the directory named by ``argv[0]``."""
    if len(argv) != 1:
        print("usage: python -m netblame.checks.docs DIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    pages = generate(default_registry())
    for stale in out.glob("NB*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, content in pages.items():
        (out / name).write_text(content)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
