"""Lab tests build real namespaces: root only, lab names start with "lt" (plus a per-run suffix, see
lab_oracle.lab_name), every lab is torn down in a finally.

The oracle is the kernel: lab_oracle.py pings from inside pod namespaces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

from netblame import lab
from netblame.lab.state import LabState


@pytest.fixture(autouse=True)
def _need_root(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("root") and os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")


@pytest.fixture(scope="module")
def build_lab() -> Iterator[Callable[..., LabState]]:
    """Build labs (once per name) for a module; every one is torn down at the end, even when a test failed."""
    built: list[str] = []

    def make(**kwargs: object) -> LabState:
        if os.geteuid() != 0:
            pytest.skip("builds network namespaces: needs root")
        spec = lab.LabSpec(**kwargs)  # type: ignore[arg-type]
        if spec.name in built:  # pytest may set a parametrized module fixture up again for the same value
            return lab.load(spec.name)
        built.append(spec.name)
        return lab.up(spec)

    try:
        yield make
    finally:
        for name in built:
            lab.down(name)
