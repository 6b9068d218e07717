"""Commands that need root, run as a real unprivileged user (``nobody`` via setpriv): each says in one
line that it lacks the rights and exits 2, instead of reporting on the little it could read."""

from __future__ import annotations

import pytest
from nbrun import DATA, NOBODY, nobody_python, run, world_readable_dir


@pytest.mark.parametrize("args", [
    ("collect", "-o", "out.json"),
    ("check", "--live"),
    ("trace", "1.1.1.1", "2.2.2.2", "--live"),
])
def test_a_command_needing_root_says_so_as_nobody(args: tuple[str, ...]) -> None:
    python, env = nobody_python()
    with world_readable_dir() as work:
        work.chmod(0o777)
        line = run(*args, cwd=work, user=NOBODY, python=python, env=env).one_error()
        assert not (work / "out.json").exists()
    assert "not allowed to enter other network namespaces (needs root or CAP_SYS_ADMIN)" in line


def test_offline_commands_work_as_nobody() -> None:
    python, env = nobody_python()
    with world_readable_dir() as work:
        done = run("trace", "10.244.1.2", "10.244.2.2", "--snapshot", str(DATA / "ipv6-pod.json"), cwd=work,
                   user=NOBODY, python=python, env=env)
    assert done.returncode in (0, 1), done.stderr
