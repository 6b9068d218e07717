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
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field
from typing import Any, Literal

from netblame._record import Record, record
from netblame.errors import InputError
from netblame.findings import Diagnostic, Finding, RunFailure, Severity, one_line

Audience = Literal["network", "node", "cluster config"]
AUDIENCES: tuple[Audience, ...] = ("network", "node", "cluster config")
AUDIENCE_BY_RANGE: dict[str, Audience] = {"1": "cluster config", "2": "node", "3": "node", "4": "cluster config",
                                          "5": "network"}
RULE_ID = re.compile(r"^NB[1-5]\d\d$")
RULE_MODULE = re.compile(r"^nb(\d{3})_[a-z0-9_]+$")
RULE_SELECTOR = re.compile(r"^NB(?:[1-5]\d{0,2})?$")
DOC_BASE = "docs/rules"


@record
class Example(Record):
    """A documented example that is also a test: input files, extra ``check`` arguments, and whether
    the rule must fire on it (``bad``) or stay quiet (``good``)."""

    name: str
    files: tuple[tuple[str, str], ...]
    args: tuple[str, ...] = ()
    fires: bool = True


@record
class RuleMeta(Record):
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
    also: tuple[tuple[Severity, str], ...] = ()
    """Other severities some findings of this rule carry, each with when (shown on the doc page)."""
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


@record
class Rule(Record):
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


@record
class Registry(Record):
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
_BY_PACKAGE: dict[str, Registry] = {}


def rule_packages(package: str = "netblame.checks") -> dict[str, str]:
    """Each rule package under ``package`` and the model type its rules read (``module:Class``, the
    package's ``SUBJECT``), found without importing a rule."""
    root = importlib.import_module(package)
    out: dict[str, str] = {}
    for info in pkgutil.iter_modules(root.__path__, prefix=f"{package}."):
        if info.ispkg:
            subject = getattr(importlib.import_module(info.name), "SUBJECT", None)
            if isinstance(subject, str):
                out[info.name] = subject
    return out


def registry_for(subjects: Sequence[object]) -> Registry:
    """The built-in rules that read one of ``subjects``' types: only their packages are imported, so a
    check of cluster files does not load the DNS or data-plane rules. A subject type whose module was
    never imported has no instances, so neither its module nor its rules are loaded for it."""
    registry = Registry()
    for name, subject in rule_packages().items():
        module, _, attr = subject.partition(":")
        if module not in sys.modules:
            continue
        kind = getattr(sys.modules[module], attr)
        if not any(isinstance(s, kind) for s in subjects):
            continue
        if name not in _BY_PACKAGE:
            _BY_PACKAGE[name] = discover(name)
        for rule in _BY_PACKAGE[name]:
            registry.add(rule)
    return registry


def default_registry() -> Registry:
    """The built-in rules (discovered once per process)."""
    global _DEFAULT  # noqa: PLW0603 - a cache of an immutable result, not shared mutable state
    if _DEFAULT is None:
        _DEFAULT = discover()
    return _DEFAULT


@record
class Selection(Record):
    """Which rules run: ``select`` and ``ignore`` hold rule IDs or ID prefixes (``NB2``, ``NB30``).

    Without ``select``, every rule enabled by default runs. With it, the rules whose ID starts with one
    of its entries run; a rule that is off by default runs only when named by its full ID. ``ignore``
    then takes rules out the same way (by ID or prefix)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Selection:
        """A selection from user input: entries upper-cased, blanks dropped, each checked."""
        def clean(items: Sequence[str], what: str) -> tuple[str, ...]:
            out = tuple(i.strip().upper() for item in items for i in item.split(",") if i.strip())
            bad = [i for i in out if not RULE_SELECTOR.match(i)]
            if bad:
                raise InputError(f"{what}: {bad[0]} is not a rule ID or ID prefix (expected NB, NB2, NB20 or NB201)")
            return out
        return cls(clean(select, "--select"), clean(ignore, "--ignore"))

    def picks(self, rule: Rule) -> bool:
        """True when ``rule`` runs under this selection."""
        rule_id = rule.meta.id
        if any(rule_id.startswith(i) for i in self.ignore):
            return False
        if not self.select:
            return rule.meta.default_enabled
        if rule_id in self.select:
            return True
        return rule.meta.default_enabled and any(rule_id.startswith(s) for s in self.select)


@record
class RuleRun(Record):
    """What running the rules gave: findings (worst first), the IDs of the rules that ran, and the
    rules that raised."""

    findings: tuple[Finding, ...] = ()
    ran: tuple[str, ...] = ()
    failures: tuple[RunFailure, ...] = ()


def run_rules(subjects: Sequence[object], registry: Registry | None = None,
              selection: Selection | None = None) -> RuleRun:
    """Run every rule ``selection`` picks (by default, the rules enabled by default) over the subjects it
    applies to. A rule that raises is recorded as a :class:`~netblame.findings.RunFailure` and the others still run."""
    # None means the default rules; an empty registry means none (a Registry with no rules is falsy)
    reg = registry if registry is not None else (_DEFAULT if _DEFAULT is not None else registry_for(subjects))
    chosen = selection or Selection()
    findings: list[Finding] = []
    ran: list[str] = []
    failures: list[RunFailure] = []
    for rule in reg:
        if not chosen.picks(rule):
            continue
        targets = [s for s in subjects if isinstance(s, rule.meta.applies_to)]
        if not targets:
            continue
        ran.append(rule.meta.id)
        for subject in targets:
            try:
                findings.extend(list(rule.run(subject)))
            except Exception as exc:
                failures.append(RunFailure(f"rule {rule.meta.id}", one_line(exc)))
    findings.sort(key=lambda f: (-f.severity, f.rule, str(f.location)))
    return RuleRun(tuple(findings), tuple(ran), tuple(failures))
