"""Reading inputs with a ceiling, and writing outputs without ever replacing what is not a file.

Reading: a size from ``stat`` means nothing for a device or a pipe (``/dev/zero`` says 0 bytes and never
ends), so every input is read with a cap of one byte more than its limit and refused when it reaches it.

Writing: a regular file (or a new path) is written to a temporary file beside it and renamed into place,
so a reader never sees half of it. Anything else is never renamed over: a device or a FIFO
(``-o /dev/null``) is written through, a symlink is followed to what it names, and a directory is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from netblame.errors import InputError

_HEAD = 4096


class TooLargeError(InputError):
    """An input larger than netblame reads: always an input problem, also when met in a directory."""


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text that can always be shown and written as UTF-8: a byte of a file name that is not
    UTF-8 (kept by Python as a lone surrogate) is shown as ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_capped(path: Path, limit: int | Callable[[bytes], int], display: str, expected: str) -> bytes:
    """At most ``limit`` bytes of ``path``; :class:`TooLargeError` when it holds more, :class:`InputError`
    naming the OS's reason when it cannot be read.

    ``limit`` may depend on the first bytes (JSON may be larger than YAML): then it is a function of the
    first 4 KiB. A regular file over the limit is refused on its size without being read."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
            cap = limit(head) if callable(limit) else limit
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > cap:  # a regular file's size can be trusted
                raise _too_large(cap, display, expected, info.st_size)
            data = head + handle.read(max(cap + 1 - len(head), 0))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=display) from None
    if len(data) > cap:
        raise _too_large(cap, display, expected, None)
    return data


def _too_large(cap: int, display: str, expected: str, size: int | None) -> TooLargeError:
    what = f"file is {size / 2**20:.1f} MiB, larger than" if size is not None else "more than"
    return TooLargeError(f"{what} the {cap // 2**20} MiB netblame reads here; expected {expected}", file=display)


def write_output(data: bytes, path: str | Path, perms: int | None = None) -> None:
    """Write ``data`` to ``path``: atomically for a regular file or a new path, straight through for a
    device or FIFO, through a symlink to its target; a directory is refused. ``perms`` sets the permissions
    of the file written; without it a replaced file keeps its mode and a new one gets what ``open()`` would
    give it (0666 less the umask), as a shell redirection does."""
    shown = str(path)
    target = Path(os.path.realpath(path))  # a symlink is followed: its target is written, the link kept
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=shown) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise InputError("cannot write: is a directory; expected a file name", file=shown)
    if mode is not None and not stat.S_ISREG(mode):
        try:  # a device, FIFO or socket: written through, never replaced
            with open(target, "wb") as handle:
                handle.write(data)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", file=shown) from None
        return
    _replace_atomically(data, target, shown, perms)


def mode_for(target: Path) -> int:
    """The mode a file written in place of ``target`` gets: the replaced file's, else 0666 less the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it (Linux reports it in /proc/self/status)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _replace_atomically(data: bytes, target: Path, shown: str, perms: int | None) -> None:
    import tempfile  # only a command that writes a file needs it (with shutil, random and the compressors)

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=shown) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, perms if perms is not None else mode_for(target))
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", file=shown) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
