"""Running iproute2, sysctl and plugins, in a namespace or in batches; failures become one-line LabErrors."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from netblame.errors import LabError

NETNS_DIR = Path("/run/netns")
T = TypeVar("T")
R = TypeVar("R")


def run(argv: Sequence[str], *, stdin: str | None = None, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``argv``; on failure (when ``check``) raise :class:`LabError` with the command and its stderr."""
    try:
        proc = subprocess.run(list(argv), input=stdin, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise LabError(f"{argv[0]} not found: the lab needs iproute2, util-linux (nsenter), bird2 and "
                       "containernetworking-plugins") from None
    if check and proc.returncode != 0:
        message = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        raise LabError(f"{' '.join(argv[:6])}{' ...' if len(argv) > 6 else ''}: "
                       f"{message[-1] if message else f'exit {proc.returncode}'}")
    return proc


def in_netns(namespace: str, argv: Sequence[str]) -> list[str]:
    """``argv`` run inside the named network namespace (``nsenter``: no mount namespace games)."""
    return ["nsenter", f"--net={NETNS_DIR / namespace}", *argv]


def ip_batch(namespace: str | None, lines: Iterable[str], *, force: bool = False) -> None:
    """One ``ip -batch`` process for many commands, in ``namespace`` (None: the current one)."""
    text = "".join(f"{line}\n" for line in lines)
    if not text:
        return
    argv = ["ip"] + (["-n", namespace] if namespace else []) + (["-force"] if force else []) + ["-batch", "-"]
    run(argv, stdin=text, check=not force)


def bridge_batch(namespace: str, lines: Iterable[str], *, force: bool = False) -> None:
    """One ``bridge -batch`` process (FDB entries) in ``namespace``; ``force`` goes on past failing lines."""
    text = "".join(f"{line}\n" for line in lines)
    if text:
        run(["bridge", "-n", namespace] + (["-force"] if force else []) + ["-batch", "-"], stdin=text,
            check=not force)


def ip_json(namespace: str, *args: str) -> list[dict[str, object]]:
    """``ip -j`` output as a list of objects."""
    import orjson

    out = run(["ip", "-j", "-n", namespace, *args]).stdout.strip()
    data = orjson.loads(out) if out else []
    return data if isinstance(data, list) else []


def set_sysctls(namespace: str, values: dict[str, str]) -> None:
    """Write sysctls inside ``namespace`` (the ``net.*`` tree is per namespace)."""
    if values:
        run(in_netns(namespace, ["sysctl", "-q", "-w", *(f"{k}={v}" for k, v in values.items())]))


def get_sysctls(namespace: str, keys: Sequence[str]) -> dict[str, str]:
    """Read sysctls inside ``namespace``."""
    out = run(in_netns(namespace, ["sysctl", "-n", *keys])).stdout.split("\n")
    return {key: value.strip() for key, value in zip(keys, out, strict=False)}


def namespaces_with_prefix(prefix: str) -> list[str]:
    """Named network namespaces whose name starts with ``prefix``."""
    try:
        names = os.listdir(NETNS_DIR)
    except FileNotFoundError:
        return []
    return sorted(name for name in names if name.startswith(prefix))


def parallel(fn: Callable[[T], R], items: Iterable[T], workers: int = 8) -> list[R]:
    """``fn`` over ``items`` in a few threads (the work is in child processes); first error wins."""
    todo = list(items)
    if len(todo) <= 1:
        return [fn(item) for item in todo]
    with ThreadPoolExecutor(max_workers=min(workers, len(todo))) as pool:
        return list(pool.map(fn, todo))
