"""Dataplane tests: a scratch namespace to load rulesets into, and the kernel-agreement tally, printed as the
run's very last line."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest
from tests.dataplane.harness import TALLY


@pytest.fixture
def scratch() -> Iterator[str]:
    """An empty network namespace of this run's, removed afterwards."""
    if os.geteuid() != 0:
        pytest.skip("loads rulesets into a network namespace: needs root")
    name = f"nf-rulesets-{os.getpid()}"
    subprocess.run(["ip", "netns", "add", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], check=False)


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
