"""Where the human renderers of ``check`` write: a text stream, its width and whether it takes ANSI
styles. Decided as rich decides for its consoles, without importing rich (some 75 ms at start-up):

- styles only on a terminal (``isatty``), or anywhere when ``FORCE_COLOR`` is set and not empty
  (``FORCE_COLOR=`` turns them off: force-color.org); never when ``TERM`` is ``dumb`` or ``unknown``;
- ``NO_COLOR`` set and not empty keeps bold and dim but drops the colours (no-color.org);
- the width of the terminal (``COLUMNS`` first), and 120 columns when the stream is not a terminal, so
  pipes and CI logs get the same lines on every machine.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # as in netblame/__init__.py: typing is not imported for --help
if TYPE_CHECKING:
    from typing import TextIO

# style name -> (attribute codes, colour code): the few styles the renderers use
_CODES = {"bold": ("1", ""), "dim": ("2", ""), "red": ("", "31"), "green": ("", "32"), "yellow": ("", "33"),
          "cyan": ("", "36")}
PIPE_WIDTH = 120


class Terminal:
    """A stream with its ``width`` and whether it is ``styled`` (``coloured``: with colours too)."""

    def __init__(self, file: TextIO, width: int, *, styled: bool = False, coloured: bool = False) -> None:
        self.file = file
        self.width = width
        self.styled = styled
        self.coloured = coloured and styled
        self._cache: dict[str, str] = {}

    @classmethod
    def stdout(cls) -> Terminal:
        """Standard output, as the environment describes it (see the module's notes)."""
        file = sys.stdout
        try:
            tty = file.isatty()
        except ValueError:  # a closed stream
            tty = False
        force = os.environ.get("FORCE_COLOR")
        terminal = force != "" if force is not None else tty
        styled = terminal and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")
        width = columns() if tty else PIPE_WIDTH
        return cls(file, width, styled=styled, coloured=os.environ.get("NO_COLOR", "") == "")

    def paint(self, text: str, style: str) -> str:
        """``text`` in ``style`` (e.g. ``"bold red"``), or as it is when the stream takes no styles."""
        if not style or not text or not self.styled:
            return text
        start = self._cache.get(style)
        if start is None:
            attrs = [_CODES[word][0] for word in style.split() if _CODES[word][0]]
            colours = [_CODES[word][1] for word in style.split() if _CODES[word][1]] if self.coloured else []
            codes = ";".join(attrs + colours)
            start = self._cache[style] = f"\x1b[{codes}m" if codes else ""
        return f"{start}{text}\x1b[0m" if start else text

    def line(self, text: str, style: str = "") -> None:
        """One line, as it is."""
        self.file.write(self.paint(text, style) + "\n")

    def wrapped(self, text: str, style: str = "") -> None:
        """A paragraph broken at spaces to the width."""
        self.file.write("".join(self.paint(part, style) + "\n" for part in fold(text, self.width)))


def fold(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` (a longer word is cut), greedily as
    :func:`textwrap.wrap` does, but with string searches instead of its per-word loop."""
    lines: list[str] = []
    text = text.strip()
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        if cut <= 0:
            lines.append(text[:width])
            text = text[width:].lstrip()
        else:
            lines.append(text[:cut].rstrip())
            text = text[cut + 1:].lstrip()
    lines.append(text)
    return lines


def columns() -> int:
    """The terminal's width as :func:`shutil.get_terminal_size` finds it, without importing shutil."""
    try:
        wanted = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        wanted = 0
    if wanted > 0:
        return wanted
    try:
        found = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        found = 0
    return found or 80
