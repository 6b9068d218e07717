"""The findings table's own terminal (render/terminal.py): the same decisions and escape codes as the rich
console it replaced (rich is the oracle here), and a table whose every box line fits the width and whose
cells hold every word of each finding, in order, at any width."""

from __future__ import annotations

import io
import re
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import COLOR_SYSTEMS, Console
from rich.style import Style

import netblame
from netblame.render.report_table import render_table
from netblame.render.terminal import Terminal

ANSI = re.compile(r"\x1b\[[0-9;]*m")
STYLES = ("bold red", "yellow", "cyan", "bold", "bold green", "red", "dim")
REPORT = netblame.check(["examples/pi-cluster", "examples/pi-cluster-fixed"])


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("style", STYLES)
def test_styles_are_the_escape_codes_rich_writes(style: str) -> None:
    term = Terminal(io.StringIO(), 80, styled=True, coloured=True)
    assert term.paint("text", style) == Style.parse(style).render("text", color_system=COLOR_SYSTEMS["standard"])


@pytest.mark.parametrize("tty", [True, False])
@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1"}, {"FORCE_COLOR": ""}, {"NO_COLOR": "1"}, {"NO_COLOR": ""},
                                 {"TERM": "dumb"}, {"FORCE_COLOR": "1", "NO_COLOR": "1"}])
def test_decisions_are_the_consoles(monkeypatch: pytest.MonkeyPatch, tty: bool, env: dict[str, str]) -> None:
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setenv("COLUMNS", "97")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    stream = _Tty() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    term = Terminal.stdout()
    # the console check used before: plain text and 120 columns when stdout is not a terminal
    console = Console(file=stream, highlight=False, soft_wrap=False, width=None if tty else 120)
    assert term.width == (97 if tty else 120)
    if env.get("TERM") != "dumb":  # on a dumb terminal rich takes 80 columns; the table keeps COLUMNS
        assert term.width == console.width
    assert term.styled == (console.color_system is not None)
    assert term.coloured == (term.styled and not console.no_color)
    assert ("\x1b[" in term.paint("x", "red")) == term.coloured


def _table(width: int, styled: bool) -> str:
    out = io.StringIO()
    render_table(REPORT, Terminal(out, width, styled=styled, coloured=styled), verbose=True)
    return out.getvalue()


@given(st.integers(min_value=20, max_value=240))
def test_styles_only_add_escape_codes(width: int) -> None:
    plain = _table(width, styled=False)
    assert "\x1b" not in plain
    assert ANSI.sub("", _table(width, styled=True)) == plain


def _tables(text: str) -> list[list[str]]:
    """Each table's box lines."""
    tables: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("┏"):
            tables.append([])
        if line[:1] in "┏┃┡│├└":
            tables[-1].append(line)
    return tables


@given(st.integers(min_value=20, max_value=240))
def test_every_box_line_fits_and_every_word_is_kept(width: int) -> None:
    tables = _tables(_table(width, styled=False))
    assert len(tables) == len({f.severity for f in REPORT.findings})
    body = ""
    for box in tables:
        assert len({len(line) for line in box}) == 1
        left = len(box[0].split("┳")[0]) - 3
        assert len(box[0]) == max(width, left + 27)
        body += " ".join(line.split("│")[2].strip() for line in box if line.startswith("│")) + " "
    for finding in REPORT.findings:
        for part in (str(finding.location), finding.message, finding.fix):
            at = 0
            for word in part.split():  # each word in order (one longer than the column is cut across lines)
                found = body.find(word, at)
                assert found >= 0 or len(word) > 20, word
                at = max(at, found)


def test_lines_after_the_table_are_folded_to_the_width() -> None:
    lines = _table(40, styled=False).splitlines()
    summary = lines.index(next(line for line in lines if "input(s) read" in line))
    assert all(len(line) <= 40 for line in lines[summary:])
