"""``netblame plan`` as library calls: propose a new cluster's address plan, emit the distribution's and
the CNI's configuration for it, and write those files (all or none)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from netblame._io import mode_for
from netblame.errors import InputError
from netblame.plan.emit import Emitted, emit
from netblame.plan.propose import CNIS, DISTRIBUTIONS, ClusterPlan, PlanRequest, make_plan

__all__ = ["CNIS", "DISTRIBUTIONS", "ClusterPlan", "Emitted", "PlanRequest", "emit", "make_plan", "write_files"]


def write_files(directory: str, files: list[Emitted]) -> None:
    """Write every file or none: targets that cannot be replaced are refused first, each file goes to a
    temporary file beside its target, and only when all were written are they renamed into place."""
    target = Path(directory)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--write: cannot create directory {directory}: {exc.strerror}") from None
    blocked = [e.name for e in files if (target / e.name).exists() and not (target / e.name).is_file()]
    if blocked:
        raise InputError(f"--write: {directory}/{blocked[0]} exists and is not a file; nothing was written")
    temps: list[tuple[str, Path]] = []
    try:
        for e in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{e.name}.", suffix=".tmp", dir=target)
            temps.append((tmp, target / e.name))
            with os.fdopen(fd, "w") as handle:
                handle.write(e.text)
            os.chmod(tmp, mode_for(target / e.name))
    except OSError as exc:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"--write: cannot write into {directory}: {exc.strerror}") from None
    try:
        for tmp, final in temps:
            os.replace(tmp, final)
    except OSError as exc:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise InputError(f"--write: cannot write into {directory}: {exc.strerror}") from None
