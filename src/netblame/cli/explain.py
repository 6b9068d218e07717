"""``netblame explain``."""

from __future__ import annotations

import click

from netblame.checks import default_registry
from netblame.checks.docs import render_page


@click.command("explain")
@click.argument("rule_id", required=False)
@click.option("--list", "list_rules", is_flag=True, help="List every rule.")
def explain_cmd(rule_id: str | None, list_rules: bool) -> None:
    """Print the documentation page of RULE_ID (e.g. NB101): what it checks, why, the fix, examples."""
    registry = default_registry()
    if list_rules or rule_id is None:
        for rule in registry:
            click.echo(f"{rule.meta.id}  {rule.meta.severity.label:<7}  {rule.meta.title}")
        return
    found = registry.get(rule_id)
    if found is None:
        known = ", ".join(r.meta.id for r in registry)
        raise click.BadParameter(f"no rule {rule_id!r}; known rules: {known}", param_hint="RULE_ID")
    click.echo(render_page(found), nl=False)
