"""docs/explain.md, generated from the pattern catalogue.

``python -m netblame.logs.docs docs/explain.md`` writes it; a test regenerates it and fails when the
committed page drifts from the code.
"""

from __future__ import annotations

import sys

from netblame._generated import write_page
from netblame.logs import PATTERNS

INTRO = """\
# Explaining log lines: `netblame explain`

`netblame explain` takes a rule ID, one log line, or a whole log:

```sh
netblame explain NB101                      # the rule's page, as before
netblame explain 'E0519 ... failed to acquire lease: node "k8s-test-2" pod cidr not assigned'
netblame explain --file kube-controller-manager.log
journalctl -u kubelet | netblame explain -
netblame explain --patterns                 # every pattern it knows
```

A single line prints the pattern it matched, what it means in the cluster's terms, what to run next
(a netblame rule or command) and the upstream source of the message. A log (`--file LOG`, or `-` for
stdin, or text with several lines) prints one block per recognised pattern with its count and the
number and text of the first line that matched, in order of first appearance.

Every pattern is a regular expression built from the upstream format string (Go verbs `%s`/`%v` match
any text, `%d` digits, `%q` a quoted string whose quotes may be escaped by a structured logger). Each
pattern's example, tested in `tests/logs/`, is a line users pasted in the thread named beside it, or
the format string instantiated.

Exit codes: `0` a rule was shown or at least one line was recognised; `1` nothing was recognised (one
line on stderr says so); `2` bad usage, an unknown rule ID or an unreadable file.

`-o json` prints `netblame/explain/v1`:

```json
{"schema": "netblame/explain/v1", "lines_read": 120, "recognised_lines": 7,
 "patterns": [{"id": "kcm-allocate-cidr-failed", "component": "kube-controller-manager",
               "meaning": "...", "next": "...", "rules": ["NB101"], "source": "...",
               "count": 5, "first_line": 12, "first_text": "E0312 ..."}]}
```

## Patterns
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_doc() -> str:
    """The whole page."""
    lines = [INTRO]
    lines += ["| id | component | format string(s) | source | example from | next |",
              "|---|---|---|---|---|---|"]
    for p in PATTERNS:
        formats = "<br>".join(f"`{_cell(f)}`" for f in p.formats)
        lines.append(f"| `{p.id}` | {p.component.value} | {formats} | {_cell(p.source)} | "
                     f"{_cell(p.example_source)} | {_cell(p.next_step)} |")
    lines.append("")
    lines.append(f"{len(PATTERNS)} patterns.")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Write the page to the path given."""
    return write_page(argv, render_doc, "python -m netblame.logs.docs docs/explain.md")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
