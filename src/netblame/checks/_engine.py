"""The rule engine: rule metadata, the registry that discovers rules, and the runner.

One rule is one module named ``nbNNN_<slug>.py`` somewhere under :mod:`netblame.checks`, holding a
module-level ``RULE = Rule(meta=RuleMeta(...), check=check)``. The registry imports every such
module (no import-time side effects elsewhere, no hand-kept list) and refuses duplicate IDs. Rules
declare the model type they read (``applies_to``); the runner hands each rule only those subjects.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from netblame.findings import Diagnostic, Finding, Severity

Audience = Literal["network", "node", "cluster config"]
AUDIENCES: tuple[Audience, ...] = ("network", "node", "cluster config")
AUDIENCE_BY_RANGE: dict[str, Audience] = {"1": "cluster config", "2": "node", "3": "node", "4": "cluster config",
                                          "5": "network"}
RULE_ID = re.compile(r"^NB[1-5]\d\d$")
RULE_MODULE = re.compile(r"^nb(\d{3})_[a-z0-9_]+$")
DOC_BASE = "docs/rules"


@dataclass(frozen=True, slots=True)
class Example:
    """A documented example that is also a test: input files, extra ``check`` arguments, and whether
    the rule must fire on it (``bad``) or stay quiet (``good``)."""

    name: str
    files: tuple[tuple[str, str], ...]
    args: tuple[str, ...] = ()
    fires: bool = True


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """Everything about a rule except its logic. Docs pages are generated from this."""

    id: str
    name: str
    title: str
    severity: Severity
    applies_to: type
    summary: str
    rationale: str
    fix: str
    references: tuple[str, ...]
    examples: tuple[Example, ...]
    since: str = "0.1.0"
    default_enabled: bool = True
    audience: Audience | None = None

    @property
    def who(self) -> Audience:
        """Who acts on the fix: ``audience`` when the rule says, else the default of its ID range
        (NB1xx and NB4xx the cluster config, NB2xx and NB3xx the node, NB5xx the network)."""
        if self.audience is not None:
            return self.audience
        return AUDIENCE_BY_RANGE.get(self.id[2:3], "cluster config")

    @property
    def doc(self) -> str:
        """Path of the generated doc page, relative to the project root."""
        return f"{DOC_BASE}/{self.id}.md"


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule: metadata plus a pure check function over one model object."""

    meta: RuleMeta
    check: Callable[[Any], Iterable[Diagnostic]]

    def run(self, subject: object) -> Iterator[Finding]:
        """Run the check on ``subject`` and wrap each diagnostic into a finding."""
        for diag in self.check(subject):
            yield Finding(
                rule=self.meta.id,
                severity=diag.severity or self.meta.severity,
                title=self.meta.title,
                message=diag.message,
                fix=diag.fix,
                location=diag.location,
                doc=self.meta.doc,
            )


class DuplicateRuleError(ValueError):
    """Two rule modules declare the same ID."""


@dataclass
class Registry:
    """The rules known to one run, by ID."""

    rules: dict[str, Rule] = field(default_factory=dict)

    def add(self, rule: Rule) -> None:
        """Register ``rule``; a second rule with the same ID is an error."""
        if not RULE_ID.match(rule.meta.id):
            raise ValueError(f"rule ID {rule.meta.id!r} is not NB + three digits in 100-599")
        if rule.meta.id in self.rules:
            raise DuplicateRuleError(f"rule {rule.meta.id} is defined twice")
        self.rules[rule.meta.id] = rule

    def get(self, rule_id: str) -> Rule | None:
        """The rule with this ID (case-insensitive), or None."""
        return self.rules.get(rule_id.upper())

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self.rules.values(), key=lambda r: r.meta.id))

    def __len__(self) -> int:
        return len(self.rules)


def discover(package: str = "netblame.checks") -> Registry:
    """Import every ``nbNNN_*`` module under ``package`` and register its ``RULE``."""
    registry = Registry()
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        leaf = info.name.rsplit(".", 1)[-1]
        if not RULE_MODULE.match(leaf):
            continue
        module = importlib.import_module(info.name)
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, Rule):
            raise TypeError(f"{info.name} has no module-level RULE")
        if leaf[2:5] != rule.meta.id[2:]:
            raise ValueError(f"{info.name} declares {rule.meta.id}; module and ID must agree")
        registry.add(rule)
    return registry


_DEFAULT: Registry | None = None


def default_registry() -> Registry:
    """The built-in rules (discovered once per process)."""
    global _DEFAULT  # noqa: PLW0603 - a cache of an immutable result, not shared mutable state
    if _DEFAULT is None:
        _DEFAULT = discover()
    return _DEFAULT


def run_rules(subjects: Sequence[object], registry: Registry | None = None,
              select: Callable[[Rule], bool] | None = None) -> tuple[tuple[Finding, ...], tuple[str, ...]]:
    """Run every applicable rule over ``subjects``; return findings (worst first) and rule IDs run.

    ``select`` picks the rules to run; without it, the rules enabled by default run."""
    reg = registry or default_registry()
    findings: list[Finding] = []
    ran: list[str] = []
    for rule in reg:
        if not (select(rule) if select is not None else rule.meta.default_enabled):
            continue
        targets = [s for s in subjects if isinstance(s, rule.meta.applies_to)]
        if not targets:
            continue
        ran.append(rule.meta.id)
        for subject in targets:
            findings.extend(rule.run(subject))
    findings.sort(key=lambda f: (-f.severity, f.rule, str(f.location)))
    return tuple(findings), tuple(ran)
