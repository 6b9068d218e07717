"""Run a real firewall program (Docker's daemon, firewalld) confined to one network namespace and a private
mount namespace, until it has written its ruleset, then stop it.

The program sees the namespace's own sysfs, a private ``/run`` and a scratch directory for its state; it never
sees the host's network namespace, ``/var/lib/docker`` or ``/run/docker.sock``. Every process left in the
program's session is killed by its id when the program is stopped."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from netblame import lab

CACHE = Path(os.environ.get("NETBLAME_DEB_CACHE", "/var/cache/netblame-tests/debs"))


def _script(scratch: Path, path: list[Path], command: list[str], setup: str) -> str:
    """The shell run inside the new mount namespace: fresh sysfs (this network namespace's devices) with the
    host's cgroup mounts bound back, a private /run, then the program."""
    cg = scratch / "cgroup"
    return "\n".join([
        "set -e",
        "mount --make-rprivate /",
        f"mkdir -p {cg} && mount --rbind /sys/fs/cgroup {cg}",
        "mount -t sysfs sysfs /sys",
        f"mount --rbind {cg} /sys/fs/cgroup",
        "mount -t tmpfs tmpfs /run",
        f"export PATH={':'.join(str(p) for p in path)}:$PATH",
        setup,
        "exec " + shlex.join(command),
    ])


def _session(sid: int) -> list[int]:
    """Processes in session ``sid`` (the program and whatever it started)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                pids.append(int(entry.name))
    return pids


@contextmanager
def confined(netns: str, scratch: Path, path: list[Path], command: list[str], ready: Callable[[], bool],
             setup: str = "", timeout: float = 40.0) -> Iterator[Path]:
    """Run ``command`` in the named network namespace (``ip netns``) and a private mount namespace until
    ``ready()`` holds, then stop it and everything it started; yields the program's log. Raises with the log's
    tail when it has not in ``timeout`` seconds."""
    log = scratch / "log"
    script = scratch / "run.sh"
    script.write_text(_script(scratch, path, command, setup))
    with open(log, "wb") as out:
        proc = subprocess.Popen(["nsenter", f"--net=/run/netns/{netns}", "unshare", "-m", "--propagation", "private",
                                 "sh", str(script)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                tail = log.read_text(errors="replace").splitlines()[-15:]
                raise AssertionError(f"{command[0]} wrote no ruleset in {timeout:.0f} s:\n" + "\n".join(tail))
            time.sleep(0.3)
    finally:
        stop(proc)
    yield log


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the program, then SIGKILL to anything left in its session."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
    for pid in _session(proc.pid):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)


@contextmanager
def lab_node(name: str, style: str, index: int) -> Iterator[tuple[str, Path]]:
    """A lab of ``style`` brought up for one test module: yields the namespace of its node ``index`` and a scratch
    directory; both are removed afterwards, however the test ends."""
    if os.geteuid() != 0:
        pytest.skip("builds network namespaces: needs root")
    lab.down(name)
    scratch = Path(tempfile.mkdtemp(prefix=f"netblame-{name}-"))
    try:
        state = lab.up(lab.LabSpec(name=name, style=style))  # type: ignore[arg-type]
        yield state.nodes[index].namespace, scratch
    finally:
        lab.down(name)
        shutil.rmtree(scratch, ignore_errors=True)
