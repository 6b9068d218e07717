"""Dataplane tests: the kernel-agreement tally, printed as the run's very last line."""

from __future__ import annotations

import pytest
from tests.dataplane.harness import TALLY


def pytest_unconfigure(config: pytest.Config) -> None:
    """After pytest's own summary: ``trace agreement: A/N probes (P%)`` when probes ran."""
    if not TALLY.total and not TALLY.undecided:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    line = (f"trace agreement: {TALLY.agreed}/{TALLY.total} probes ({100.0 * TALLY.agreed / TALLY.total:.1f}%); "
            f"{TALLY.undecided} more the model could not decide (named at their hop)")
    for text in [line, *(f"  undecided: {u}" for u in TALLY.undecided_probes)]:
        if reporter is not None:
            reporter.write_line(text)
        else:
            print(text)
