"""``netblame explain``: a rule's page, or what a log line (or a whole log) means.

Exit codes: 0 the rule exists or at least one line was recognised; 1 no line was recognised;
2 bad usage, an unknown rule ID or an unreadable log file.
"""

from __future__ import annotations

import re
import sys

from netblame import exit_codes
from netblame.cli._output import output_option, say
from netblame.cli._usage import bad_value
from netblame.cli.parsing import Command, Namespace, Parser, path

EXIT_UNRECOGNISED = exit_codes.FINDINGS
_RULE_ID = re.compile(r"^[A-Za-z]{2}\d{3}$")

DESCRIPTION = """Explain a rule (e.g. NB101), a log line, or a whole log.

A rule ID prints the rule's page. Any other TEXT is matched against the known networking error
lines of kube-controller-manager, kubeadm, kubelet, kube-proxy, Flannel, Cilium, Calico and
CoreDNS; `-` reads a log from stdin and --file LOG from a file (one summary per pattern, with
counts and first line numbers). Exit 0 when recognised, 1 when not, 2 on bad usage."""


def arguments(parser: Parser) -> None:
    parser.argument("RULE|LOGLINE|-", dest="text", nargs="?")
    parser.option("--file", dest="log_file", value=path(dir_okay=False),
                  help="Read a whole log; print one summary per recognised pattern.")
    parser.flag("--list", dest="list_rules", help="List every rule.")
    parser.flag("--patterns", dest="list_patterns", help="List every recognised log pattern.")
    output_option(parser, "text", "json")


def run(args: Namespace) -> None:
    from netblame.api.explain import explain_line, explain_lines, patterns, rules
    from netblame.render.explain_logs import match_text, summary_json

    text: str | None = args.text
    if args.list_patterns:
        sys.stdout.writelines(f"{pattern.id:<38} {pattern.component.value}\n" for pattern in patterns())
        return
    if args.log_file is not None or text == "-":
        _explain_log(args.log_file, args.output)
        return
    if args.list_rules or text is None:
        sys.stdout.writelines(f"{rule.meta.id}  {rule.meta.severity.label:<7}  {rule.meta.title}\n"
                              for rule in rules())
        return
    if _RULE_ID.match(text.strip()):
        _explain_rule(text.strip())
        return
    if "\n" in text.strip():
        _print_summary(text.splitlines(), "text", args.output)
        return
    match = explain_line(text)
    if match is None:
        say("netblame: no known log pattern matches this line (netblame explain --patterns lists them)")
        sys.exit(EXIT_UNRECOGNISED)
    sys.stdout.write(summary_json(explain_lines([text])) if args.output == "json" else match_text(match))


def _explain_rule(rule_id: str) -> None:
    from netblame.api.explain import rule_page, rules

    page = rule_page(rule_id)
    if page is None:
        known = ", ".join(r.meta.id for r in rules())
        raise bad_value("RULE_ID", f"no rule {rule_id!r}; known rules: {known}")
    sys.stdout.write(page)


def _explain_log(log_file: str | None, output: str) -> None:
    if log_file is None:
        _print_summary(sys.stdin.read().splitlines(), "stdin", output)
        return
    from pathlib import Path

    from netblame.api.explain import read_log

    try:
        lines = read_log(Path(log_file))
    except OSError as exc:
        raise bad_value("--file", f"{log_file}: cannot read ({exc.strerror})") from None
    _print_summary(lines, log_file, output)


def _print_summary(lines: list[str], name: str, output: str) -> None:
    from netblame.api.explain import explain_lines
    from netblame.render.explain_logs import summary_json, summary_text

    summary = explain_lines(lines)
    sys.stdout.write(summary_json(summary) if output == "json" else summary_text(summary, name))
    if not summary.counts:
        sys.exit(EXIT_UNRECOGNISED)


COMMAND = Command(DESCRIPTION, arguments, run)
