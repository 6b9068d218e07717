"""``netblame dns``: the node's resolver chain and its findings; ``dns resolve``; ``dns probe``."""

from __future__ import annotations

import importlib
import sys

import click

from netblame import Severity, exit_codes
from netblame.cli._output import console, exit_code, output_option, selection_options, usage

_SUBCOMMANDS = {"resolve": ("netblame.cli.dns", "resolve_cmd"), "probe": ("netblame.cli.dns_probe", "probe_cmd")}


class DnsGroup(click.Group):
    """Subcommands load lazily; ``probe`` exists only when the DHCP probe is part of the build."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(n for n in _SUBCOMMANDS if self.get_command(ctx, n) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _SUBCOMMANDS:
            return None
        module, attr = _SUBCOMMANDS[cmd_name]
        try:
            command = getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError:
            return None
        return command if isinstance(command, click.Command) else None


def root_option(func: click.decorators.FC) -> click.decorators.FC:
    """``--root DIR``: read the node's files below DIR (every dns subcommand takes it)."""
    return click.option("--root", default="/", show_default=True, metavar="DIR",
                        type=click.Path(exists=True, file_okay=False, path_type=str),
                        help="Read the node's files below DIR (a copy of its /etc, /run and /var/lib).")(func)


def _check_interface(iface: str) -> None:
    from netblame.api.dns import interface_exists

    if not interface_exists(iface):
        raise click.BadParameter(f"no interface {iface!r} in this network namespace", param_hint="--probe")


@click.group("dns", cls=DnsGroup, invoke_without_command=True)
@root_option
@click.option("--probe", "probe_iface", metavar="IFACE",
              help="Also ask the DHCP server on IFACE what it offers (live, needs root) and test the offered "
                   "domains for wildcard records.")
@click.option("--probe-timeout", type=click.FloatRange(min=0.5, max=60), default=5.0, show_default=True,
              help="Seconds to collect DHCP offers (dnsmasq holds a first offer about 3 s).")
@click.option("--file", "files", multiple=True, type=click.Path(exists=True, path_type=str), metavar="PATH",
              help="An extra input read by content, e.g. the CoreDNS ConfigMap (repeatable).")
@output_option("table", "json")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Lowest severity that makes the exit code 1.")
@selection_options
@click.pass_context
def dns_cmd(ctx: click.Context, root: str, probe_iface: str | None, probe_timeout: float, files: tuple[str, ...],
            output: str, fail_on: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> None:
    """Show the node's resolver chain (DHCP lease and offers, networkd/netplan/NetworkManager/ifupdown,
    systemd-resolved, /etc/resolv.conf, kubelet and the pod resolv.conf it writes, CoreDNS) and run the
    NB2xx rules over it. Read-only.

    \b
    Examples:
      netblame dns
      netblame dns --root ./node1-etc-run --file coredns-cm.yaml
      sudo netblame dns --probe eth0
      netblame dns resolve nas --query
    """
    if ctx.invoked_subcommand is not None:
        return
    if probe_iface is None and ctx.get_parameter_source("probe_timeout") == click.core.ParameterSource.COMMANDLINE:
        raise click.UsageError("--probe-timeout goes with --probe IFACE")
    from netblame.api.dns import diagnose_dns

    if probe_iface is not None:
        _check_interface(probe_iface)
        click.echo(f"probing DHCP on {probe_iface} for {probe_timeout:g}s...", err=True)
    with usage():
        dns = diagnose_dns(root, files=files, probe=probe_iface, probe_timeout=probe_timeout, select=select,
                           ignore=ignore)
    for problem in dns.report.errors:
        click.echo(f"netblame: error: {problem}", err=True)
    if output == "json":
        from netblame.render.dns_json import render_dns_json

        sys.stdout.write(render_dns_json(dns))
    else:
        from netblame.render.dns_chain import render_setup
        from netblame.render.report_table import render_table

        out = console()
        out.print(f"Resolver chain of {'this machine' if root == '/' else root}", style="bold")
        render_setup(dns.setup, out)
        out.print()
        render_table(dns.report, out)
    sys.exit(exit_code(dns.report, Severity.from_label(fail_on), exit_zero=False))


@click.command("resolve")
@click.argument("name")
@root_option
@click.option("--pod-namespace", default="default", show_default=True, help="Namespace of the pod to expand for.")
@click.option("--query", is_flag=True, help="Ask the real servers for each candidate and mark the answer that wins.")
@click.option("--server", "servers", multiple=True, metavar="IP[#PORT]",
              help="Ask this server instead of the configured ones (repeatable).")
@output_option("table", "json")
def resolve_cmd(name: str, root: str, pod_namespace: str, query: bool, servers: tuple[str, ...],
                output: str) -> None:
    """Show how NAME expands through the search list with the configured ndots, on the node and in a
    ClusterFirst pod; with --query, ask each candidate and mark the winner. Search domains that answer
    for any name (wildcard records) are reported as NB206."""
    from netblame.api.dns import resolve_name

    found = resolve_name(root, name, namespace=pod_namespace, servers=servers, query=query)
    if output == "json":
        from netblame.render.dns_json import render_resolve_json

        sys.stdout.write(render_resolve_json(name, found))
    else:
        from netblame.render.dns_chain import render_expansions
        from netblame.render.report_table import render_table

        out = console()
        render_expansions(list(found.expansions), out)
        if found.findings:
            render_table(found.report, out)
    sys.exit(exit_codes.FINDINGS if found.findings else exit_codes.OK)
