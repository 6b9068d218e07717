"""``netblame report``: the page both sides read, as HTML (self-contained, printable) or Markdown.

Every value shown comes from the user's files or machines and is escaped (``html.escape`` here, the
map's JSON escaped by :mod:`netblame.render.map_html`). The hand-off section is ``netblame handoff``'s text
for the report's own inputs (:mod:`netblame.render.handoff_view`), escaped like everything else.
"""

from __future__ import annotations

import html
import re
from typing import Any

from netblame.render import handoff_view
from netblame.render.map_html import MAP_BODY, asset, map_scripts
from netblame.summary import Summary

PRINT_CSS = """
body.nb-report { font: 15px/1.45 system-ui, sans-serif; color: #1d2733; margin: 0 auto; max-width: 1200px;
  padding: 16px; }
.nb-report h1 { font-size: 22px; } .nb-report h2 { border-bottom: 2px solid #22303f; padding-bottom: 2px; }
.nb-report table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; }
.nb-report th, .nb-report td { border: 1px solid #ccd3da; padding: 3px 6px; text-align: left; vertical-align: top; }
.nb-report code, .nb-report pre { background: #f3f5f7; white-space: pre-wrap; word-break: break-word; }
.nb-top { font-size: 18px; padding: 10px 12px; border-radius: 6px; background: #e8f5e9; }
.nb-top.nb-bad { background: #fdecea; }
.nb-report .nb-map { height: 80vh; border: 1px solid #ccd3da; }
.nb-finding { border-left: 4px solid #a15c00; padding: 2px 10px; margin: 8px 0; }
.nb-finding.nb-error { border-color: #b3261e; }
@media print {
  .nb-report .nb-map, .nb-noprint { display: none; }
  body.nb-report { max-width: none; font-size: 11pt; }
  .nb-finding, tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""

WHO = {"network": "Network side (switches, router, DHCP/DNS servers)",
       "node": "Node side (the machine: devices, routes, sysctls, resolver)",
       "cluster config": "Cluster config (kubeadm, CNI, kubelet settings)"}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _flatten(prefix: str, value: Any, rows: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, rows)
    elif isinstance(value, list) and value and any(isinstance(x, (dict, list)) for x in value):
        for i, v in enumerate(value):
            _flatten(f"{prefix}[{i}]", v, rows)
    elif value not in (None, [], {}, ""):
        rows.append((prefix, ", ".join(map(str, value)) if isinstance(value, list) else str(value)))


def dns_rows(dns: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The DNS chain as (where, value) rows, in chain order."""
    rows: list[tuple[str, str]] = []
    if dns is not None:
        _flatten("", dns, rows)
    return rows


def _tail_sections(s: Summary) -> list[str]:
    """The address plan, the DNS chain and the hand-off."""
    out: list[str] = []
    out.append('<h2 id="plan">Address plan</h2>')
    if s.plan:
        out.append("<table><tr><th>what</th><th>value</th><th>from</th></tr>")
        out.extend(f"<tr><td>{_e(a)}</td><td>{_e(b)}</td><td>{_e(c)}</td></tr>" for a, b, c in s.plan)
        out.append("</table>")
    else:
        out.append("<p>No cluster configuration among the inputs.</p>")
    out.append('<h2 id="dns">DNS chain</h2>')
    rows = dns_rows(s.dns)
    if rows:
        out.append("<table><tr><th>where</th><th>value</th></tr>")
        out.extend(f"<tr><td>{_e(a)}</td><td>{_e(b)}</td></tr>" for a, b in rows)
        out.append("</table>")
    else:
        out.append("<p>No node DNS files among the inputs (give them, or <code>--root DIR</code>).</p>")
    out.append('<h2 id="handoff">Hand-off to the network</h2>')
    if s.handoff is not None:
        out.append(f'<pre class="nb-handoff">{_e(handoff_view.text(s.handoff))}</pre>')
    else:
        out.append("<p>Nothing for the network side yet: give the cluster's files or a snapshot.</p>")
    return out


def render_report_html(s: Summary) -> str:
    """The report page."""
    bad = s.verdict.side != "none"
    out = [f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_e(s.title)}</title>',
           f"<style>{asset('map.css')}{PRINT_CSS}</style></head>",
           '<body class="nb-report">', f"<h1>{_e(s.title)}</h1>",
           f'<p class="nb-top{" nb-bad" if bad else ""}" id="verdict"><strong>Verdict:</strong> '
           f"{_e(s.verdict.sentence)}</p>"]
    if len(s.verdict.evidence) > 1:
        out.append("<details><summary>Evidence</summary><ul>")
        out.extend(f"<li>{_e(e)}</li>" for e in s.verdict.evidence)
        out.append("</ul></details>")
    out.append('<h2 id="findings">Findings and fixes, by who acts</h2>')
    for who, found in s.by_audience:
        out.append(f"<h3>{_e(WHO[who])}</h3>")
        if not found:
            out.append("<p>Nothing to do.</p>")
        for f in found:
            out.append(f'<div class="nb-finding nb-{_e(f.severity.label)}"><p><strong>{_e(f.severity.label)} '
                       f"{_e(f.rule)}</strong> {_e(f.title)} <em>({_e(f.location)})</em></p>"
                       f"<p>{_e(f.message)}</p><p>Fix: <code>{_e(f.fix)}</code></p></div>")
    if s.report.errors:
        out.append("<h3>Inputs that could not be read</h3><ul>")
        out.extend(f"<li>{_e(e)}</li>" for e in s.report.errors)
        out.append("</ul>")
    if s.topology is not None:
        out.append('<h2 id="map">Map</h2><p class="nb-noprint">Click a device for its details; double-click a '
                   "node to open it; pick a trace to see its path.</p>")
        out.append(MAP_BODY.format(extra=" nb-embedded"))
    if s.traces:
        out.append('<h2 id="traces">Traces</h2>')
        for t in s.traces:
            out.append(f"<h3>{_e(t.src)} &rarr; {_e(t.dst)}: {_e(t.disposition)}</h3><p>{_e(t.explanation)}</p><ol>")
            for h in t.hops:
                devs = " -> ".join(v.split(":", 2)[-1] for v in h.vertices)
                extra = "".join(f"<br>NAT: {_e(n)}" for n in h.nat) + (f"<br>stops: {_e(h.stop)}" if h.stop else "")
                out.append(f"<li>{_e(h.label)} [node {_e(h.node)}]: {_e(devs)}"
                           f"{' <strong>(dropped here)</strong>' if h.dropped else ''}{extra}</li>")
            out.append("</ol>")
    out.extend(_tail_sections(s))
    out.append("<h2>Inputs</h2><ul>")
    out.extend(f"<li>{_e(i.path)}: {_e(i.kind or 'skipped')}</li>" for i in s.report.inputs)
    out.append("</ul>")
    if s.topology is not None:
        out.append(map_scripts(s.topology))
    out.append("</body></html>\n")
    return "\n".join(out)


def _md(text: object) -> str:
    """Markdown-safe inline text: HTML and Markdown specials escaped, one line."""
    out = html.escape(str(text), quote=False).replace("\n", " ")
    for ch in "\\`*_[]|#":
        out = out.replace(ch, "\\" + ch)
    return out


def render_report_md(s: Summary) -> str:
    """The same report as Markdown, for an issue tracker."""
    out = [f"# {_md(s.title)}", "", f"**Verdict:** {_md(s.verdict.sentence)}", ""]
    out.extend(f"- {_md(e)}" for e in s.verdict.evidence[1:])
    out += ["", "## Findings and fixes, by who acts", ""]
    for who, found in s.by_audience:
        out += [f"### {_md(WHO[who])}", ""]
        if not found:
            out += ["Nothing to do.", ""]
        for f in found:
            out += [f"- **{f.severity.label} {f.rule}** {_md(f.title)} ({_md(f.location)})",
                    f"  {_md(f.message)}", f"  Fix: {_md(f.fix)}", ""]
    if s.traces:
        out += ["## Traces", ""]
        for t in s.traces:
            out += [f"### {_md(t.src)} -> {_md(t.dst)}: {t.disposition}", "", _md(t.explanation), ""]
            for i, h in enumerate(t.hops, 1):
                devs = " -> ".join(v.split(":", 2)[-1] for v in h.vertices)
                out.append(f"{i}. {_md(h.label)} \\[node {_md(h.node)}\\]: {_md(devs)}"
                           + (" **(dropped here)**" if h.dropped else ""))
                out.extend(f"   - NAT: {_md(n)}" for n in h.nat)
                if h.stop:
                    out.append(f"   - stops: {_md(h.stop)}")
            out.append("")
    out += ["## Address plan", ""]
    if s.plan:
        out += ["| what | value | from |", "|---|---|---|"]
        out.extend(f"| {_md(a)} | {_md(b)} | {_md(c)} |" for a, b, c in s.plan)
    else:
        out.append("No cluster configuration among the inputs.")
    out += ["", "## DNS chain", ""]
    rows = dns_rows(s.dns)
    if rows:
        out += ["| where | value |", "|---|---|"]
        out.extend(f"| {_md(a)} | {_md(b)} |" for a, b in rows)
    else:
        out.append("No node DNS files among the inputs.")
    out += ["", "## Hand-off to the network", ""]
    if s.handoff is not None:
        text = handoff_view.text(s.handoff)
        fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
        out += [fence, text.rstrip("\n"), fence]  # a code block: the names in it stay text
    else:
        out.append("Nothing for the network side yet: give the cluster's files or a snapshot.")
    out.append("")
    return "\n".join(out)
