"""Pausing CPython's cyclic garbage collector around bulk loads."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block and restore it as it was, even on an exception.

    Loading a large snapshot or dump allocates millions of small acyclic objects; the collector would
    otherwise rescan them again and again for nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
