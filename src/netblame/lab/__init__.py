"""A real miniature cluster network built out of network namespaces (docs/lab.md).

The Python API (every call needs root)::

    from netblame import lab
    state = lab.up(lab.LabSpec(name="demo", style="vxlan"))   # -> LabState, also written to the state file
    lab.status("demo")                                        # -> LabStatus
    lab.fault("demo", "missing-route", node="n2")             # -> FaultState
    lab.heal("demo", "missing-route")                         # or lab.heal("demo") for every fault
    lab.down("demo")                                          # idempotent; also after a crashed up

``lab.load(name)`` reads the state file (``/run/netblame/labs/<name>.json``, format in docs/lab.md).
"""

from __future__ import annotations

from netblame.lab.build import down, up
from netblame.lab.faults import FAULTS, heal
from netblame.lab.faults import apply as fault
from netblame.lab.layout import LabSpec, make_layout
from netblame.lab.overview import LabStatus, status
from netblame.lab.state import STATE_DIR, FaultState, LabState, NodeState, PodState, load, state_path

__all__ = ["FAULTS", "STATE_DIR", "FaultState", "LabSpec", "LabState", "LabStatus", "NodeState", "PodState", "down",
           "fault", "heal", "load", "make_layout", "state_path", "status", "up"]
