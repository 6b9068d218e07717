"""``netblame explain``: a rule's page, or what a log line (or a whole log) means.

Exit codes: 0 the rule exists or at least one line was recognised; 1 no line was recognised;
2 bad usage, an unknown rule ID or an unreadable log file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from netblame import exit_codes
from netblame.api.explain import explain_line, explain_lines, patterns, read_log, rule_page, rules
from netblame.cli._output import output_option
from netblame.render.explain_logs import match_text, summary_json, summary_text

EXIT_UNRECOGNISED = exit_codes.FINDINGS
_RULE_ID = re.compile(r"^[A-Za-z]{2}\d{3}$")


@click.command("explain")
@click.argument("text", required=False, metavar="RULE|LOGLINE|-")
@click.option("--file", "log_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Read a whole log; print one summary per recognised pattern.")
@click.option("--list", "list_rules", is_flag=True, help="List every rule.")
@click.option("--patterns", "list_patterns", is_flag=True, help="List every recognised log pattern.")
@output_option("text", "json")
def explain_cmd(text: str | None, log_file: Path | None, list_rules: bool, list_patterns: bool,
                output: str) -> None:
    """Explain a rule (e.g. NB101), a log line, or a whole log.

    A rule ID prints the rule's page. Any other TEXT is matched against the known networking error
    lines of kube-controller-manager, kubeadm, kubelet, kube-proxy, Flannel, Cilium, Calico and
    CoreDNS; `-` reads a log from stdin and --file LOG from a file (one summary per pattern, with
    counts and first line numbers). Exit 0 when recognised, 1 when not, 2 on bad usage.
    """
    if list_patterns:
        for pattern in patterns():
            click.echo(f"{pattern.id:<38} {pattern.component.value}")
        return
    if log_file is not None or text == "-":
        _explain_log(log_file, output)
        return
    if list_rules or text is None:
        for rule in rules():
            click.echo(f"{rule.meta.id}  {rule.meta.severity.label:<7}  {rule.meta.title}")
        return
    if _RULE_ID.match(text.strip()):
        _explain_rule(text.strip())
        return
    if "\n" in text.strip():
        _print_summary(text.splitlines(), "text", output)
        return
    match = explain_line(text)
    if match is None:
        click.echo("netblame: no known log pattern matches this line (netblame explain --patterns lists them)",
                   err=True)
        sys.exit(EXIT_UNRECOGNISED)
    if output == "json":
        click.echo(summary_json(explain_lines([text])), nl=False)
    else:
        click.echo(match_text(match), nl=False)


def _explain_rule(rule_id: str) -> None:
    page = rule_page(rule_id)
    if page is None:
        known = ", ".join(r.meta.id for r in rules())
        raise click.BadParameter(f"no rule {rule_id!r}; known rules: {known}", param_hint="RULE_ID")
    click.echo(page, nl=False)


def _explain_log(log_file: Path | None, output: str) -> None:
    if log_file is None:
        _print_summary(sys.stdin.read().splitlines(), "stdin", output)
        return
    try:
        lines = read_log(log_file)
    except OSError as exc:
        raise click.BadParameter(f"{log_file}: cannot read ({exc.strerror})", param_hint="--file") from None
    _print_summary(lines, str(log_file), output)


def _print_summary(lines: list[str], name: str, output: str) -> None:
    summary = explain_lines(lines)
    click.echo(summary_json(summary) if output == "json" else summary_text(summary, name), nl=False)
    if not summary.counts:
        sys.exit(EXIT_UNRECOGNISED)
