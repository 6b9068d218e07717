"""Numbers written as text in inputs. ``str.isdigit`` is true for "²", which ``int`` refuses, and ``int``
refuses more than 4,300 digits: so every number read from text goes through :func:`small_int`."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")


def small_int(text: str) -> int | None:
    """``text`` (blanks around it allowed) as an integer of at most 18 ASCII digits, else None."""
    text = text.strip()
    return int(text) if _NUMBER.fullmatch(text) else None
