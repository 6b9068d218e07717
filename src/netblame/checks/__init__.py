"""Rules: one module per rule (``nbNNN_<slug>.py``), discovered by :func:`discover`.

ID ranges: NB1xx address planning, NB2xx DNS, NB3xx node data plane, NB4xx CNI configuration,
NB5xx physical-network hand-off.
"""

from netblame.checks._engine import (
    Example,
    Registry,
    Rule,
    RuleMeta,
    RuleRun,
    Selection,
    default_registry,
    discover,
    registry_for,
    rule_packages,
    run_rules,
)

__all__ = ["Example", "Registry", "Rule", "RuleMeta", "RuleRun", "Selection", "default_registry",
           "discover", "registry_for", "rule_packages", "run_rules"]
