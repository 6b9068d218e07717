"""Shared fixtures: where the shared corpus lives, and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# No test may depend on the machine's speed: a loaded 2-core CI machine runs examples many times slower
# than a laptop. Hypothesis's per-example deadline is off for the whole suite, and the health check that
# fails a slow data generator is too; every property test bounds its work with max_examples instead.
# Under CI the examples are derandomized: the same inputs every run, so a pipeline's result depends on
# the change, not on the draw (local runs keep exploring new inputs).
settings.register_profile("netblame", deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          derandomize=os.environ.get("CI") == "true")
settings.load_profile("netblame")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "upstream"


@pytest.fixture
def corpus() -> Path:
    """The upstream corpus beside the project (../shared); skip where it is absent."""
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":  # CI lays shared/ beside the project: its absence is a broken set-up
            pytest.fail(f"upstream corpus not found at {CORPUS}; CI must lay shared/ beside the project")
        pytest.skip(f"upstream corpus not found at {CORPUS} (shared/ is laid beside the project in CI)")
    return CORPUS
