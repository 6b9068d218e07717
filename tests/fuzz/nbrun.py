"""Running the real ``netblame`` command on a bad input, the way a user does, within bounded memory.

Every run gets an address-space limit (``RLIMIT_AS``): an input that makes netblame read without end
or build a quadratic structure fails the test by running out of memory, never by being slow. The
timeout is only a guard against a hang, far above any honest run on a loaded machine; no test here
measures speed.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import site
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "fuzz"
MEMORY = 1536 * 2**20  # bytes of address space: Python with its imports needs ~300 MB
HANG_GUARD = 900  # seconds; a guard against a hang, not a measurement
NOBODY = 65534

# Documented exit codes (docs/report-schema.md): what any run may end with.
DOCUMENTED = {0, 1, 2}
ERROR_LINE = re.compile(r"^(netblame: error: |error: |Error: )")
REPR = re.compile(r"(?<![\w'\"])(None|\[\]|\{\})(?![\w'\"])")


@dataclass
class Done:
    """A finished run: exit code and both streams."""

    returncode: int
    stdout: str
    stderr: str

    def error_lines(self) -> list[str]:
        """The lines of either stream that report an error."""
        return [line for line in (self.stdout + "\n" + self.stderr).splitlines() if ERROR_LINE.match(line)]

    def one_error(self, code: int = 2) -> str:
        """Assert exit ``code``, no traceback, no internal error, exactly one error line; return it."""
        assert self.returncode == code, (self.returncode, self.stderr[-2000:])
        clean(self)
        lines = self.error_lines()
        assert len(lines) == 1, lines
        return lines[0]


def clean(done: Done) -> None:
    """No traceback, no internal error, no Python repr in anything said to the user."""
    both = done.stdout + done.stderr
    assert "Traceback" not in both, both[-3000:]
    assert "internal error" not in both, both[-3000:]
    for line in done.error_lines():
        assert not REPR.search(line), line


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(*args: str, cwd: Path | None = None, memory: bool = True, user: int | None = None,
        python: Sequence[str] | None = None, env: dict[str, str] | None = None) -> Done:
    """``netblame ARGS`` as a separate process (as ``user`` when given), with the memory limit."""
    command = [*(python or (sys.executable,)), "-m", "netblame", *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    environment = {**os.environ, "NETBLAME_DEBUG": "", "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    environment.pop("NETBLAME_DEBUG")
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, errors="replace", timeout=HANG_GUARD,
                          preexec_fn=_limits if memory else None, env=environment, check=False)
    return Done(done.returncode, done.stdout, done.stderr)


def nobody_python() -> tuple[list[str], dict[str, str]]:
    """A Python that the ``nobody`` user can run netblame with: the system's (Debian 12's 3.11.2, as the
    README installs with) given this environment's packages, when its version matches; else skip."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("runs netblame as nobody: needs root and setpriv")
    system = "/usr/bin/python3"
    probe = subprocess.run([system, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                           text=True, check=False) if Path(system).exists() else None
    if probe is None or probe.stdout.strip() != str(tuple(sys.version_info[:2])):
        pytest.skip("no system python3 of this Python's version for the nobody user")
    env = {"PYTHONPATH": ":".join([str(ROOT / "src"), *site.getsitepackages()])}
    check = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", system, "-c",
                            "import netblame.cli.main, msgspec, orjson, yaml, rich"], capture_output=True, text=True,
                           env={**os.environ, **env}, check=False)
    if check.returncode != 0:
        pytest.skip(f"nobody cannot import netblame from this checkout: {check.stderr.strip()[-200:]}")
    return [system], env


@contextmanager
def world_readable_dir() -> Iterator[Path]:
    """A directory under /tmp that ``nobody`` can enter (pytest's tmp_path is private to root)."""
    path = Path(tempfile.mkdtemp(prefix="nbt-nobody-"))
    try:
        path.chmod(0o755)
        yield path
    finally:
        for sub in path.rglob("*"):
            if sub.is_dir() and not sub.is_symlink():
                sub.chmod(0o755)
        shutil.rmtree(path, ignore_errors=True)
