"""Arguments for every command, parsed by the standard library's argparse (a few milliseconds to import,
where a framework costs tens), with the surface people and scripts know kept: ``Usage: netblame check
[OPTIONS] [PATHS]...``, an ``Options:`` table on ``-h``/``--help``, and a usage error as the usage line,
a hint and one ``Error: ...`` line on standard error, exit 2.

A command is a :class:`Command`: its description, a function that declares its arguments on a
:class:`Parser`, the function that runs it, and for a group its subcommands.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

from netblame import exit_codes
from netblame.cli import _help
from netblame.cli._usage import CommandUsageError
from netblame.render.terminal import columns

Namespace = argparse.Namespace


class Command:
    """One command: ``description`` for its help page (a paragraph starting with a ``\\b`` line keeps its
    lines), ``arguments`` declares its options, ``run`` runs it, ``summary`` is its line in its group's
    table (the top level's come from :mod:`netblame.cli.commands`). A group has ``subcommands``; its
    ``run`` runs when none is named, and without one its help is shown."""

    def __init__(self, description: str, arguments: Callable[[Parser], None], run: Callable[[Namespace], None] | None,
                 *, summary: str = "", subcommands: Mapping[str, Command] | None = None) -> None:
        self.summary = summary
        self.description = description
        self.arguments = arguments
        self.run = run
        self.subcommands = subcommands or {}


class Value:
    """A converter for an option's text: ``metavar`` names it in help, ``note`` adds its range."""

    def __init__(self, convert: Callable[[str], Any], metavar: str, note: str = "") -> None:
        self.convert = convert
        self.metavar = metavar
        self.note = note

    def __call__(self, text: str) -> Any:
        return self.convert(text)


def _invalid(message: str) -> argparse.ArgumentTypeError:
    return argparse.ArgumentTypeError(message)


def integer(low: int | None = None, high: int | None = None) -> Value:
    """A whole number, optionally within ``low`` to ``high``."""
    return _number(int, "integer", low, high)


def number(low: float | None = None, high: float | None = None) -> Value:
    """A number (``5``, ``0.5``), optionally within ``low`` to ``high``."""
    return _number(float, "float", low, high)


def _number(kind: Callable[[str], Any], name: str, low: float | None, high: float | None) -> Value:
    bounds = "" if low is None and high is None else (
        f"{low:g}<=x<={high:g}" if low is not None and high is not None else
        f"x>={low:g}" if low is not None else f"x<={high:g}")

    def convert(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise _invalid(f"{text!r} is not a valid {name}.") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise _invalid(f"{text} is not in the range {bounds}.")
        return value

    return Value(convert, f"{name.upper()}{' RANGE' if bounds else ''}", bounds)


def choice(values: Sequence[str]) -> Value:
    """One of ``values``."""
    def convert(text: str) -> str:
        if text not in values:
            raise _invalid(f"{text!r} is not one of {', '.join(repr(v) for v in values)}.")
        return text

    return Value(convert, f"[{'|'.join(values)}]")


def path(*, exists: bool = False, file_okay: bool = True, dir_okay: bool = True) -> Value:
    """A path; with ``exists`` it must be there, and a file or a directory as allowed."""
    noun = "Directory" if not file_okay else "File" if not dir_okay else "Path"

    def convert(text: str) -> str:
        import os

        if not os.path.exists(text):
            if exists:
                raise _invalid(f"{noun} {text!r} does not exist.")
            return text
        if not file_okay and not os.path.isdir(text):
            raise _invalid(f"{noun} {text!r} is a file.")
        if not dir_okay and os.path.isdir(text):
            raise _invalid(f"{noun} {text!r} is a directory.")
        return text

    return Value(convert, "DIRECTORY" if not file_okay else "FILE" if not dir_okay else "PATH")


TEXT = Value(str, "TEXT")


class _Help(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: Namespace, values: Any,
                 option_string: str | None = None) -> None:
        assert isinstance(parser, Parser)
        sys.stdout.write(parser.format_help(columns()))
        sys.exit(exit_codes.OK)


class Parser(argparse.ArgumentParser):
    """argparse with the help page, usage line and errors described above, and option helpers that
    record each option's row of the help table."""

    def __init__(self, prog: str, description: str = "") -> None:
        # the help page is ours (format_help); argparse's formatter only checks metavars, and given a
        # width it does not import shutil to ask the terminal for one
        super().__init__(prog=prog, description=description, add_help=False, allow_abbrev=False,
                         exit_on_error=False, formatter_class=_formatter)
        self.rows: list[tuple[str, str]] = []
        self.valued: set[str] = set()  # option strings that take one value
        self.positionals: list[str] = []
        self.commands: dict[str, Command] = {}
        self.command_optional = False
        self.add_argument("-h", "--help", action=_Help, nargs=0, default=argparse.SUPPRESS)

    # -- declaring ----------------------------------------------------------------------------------

    def option(self, *flags: str, dest: str | None = None, value: Value = TEXT, default: Any = None,
               metavar: str | None = None, help: str = "", show_default: bool | str = False,
               required: bool = False, repeat: bool = False, nargs: int | None = None, hidden: bool = False) -> None:
        """An option taking a value (``repeat``: may be given many times, collected into a list). Its help
        shows ``default`` when ``show_default`` is true, or ``show_default`` itself when it is text;
        ``hidden`` leaves it out of the help."""
        shown = metavar or value.metavar
        if not nargs:
            self.valued.update(flags)
        self.add_argument(*flags, dest=dest or _dest(flags), type=value, default=None if repeat else default,
                          metavar=tuple(shown.split()) if nargs else shown, required=required, nargs=nargs,
                          action="append" if repeat else "store")
        extras = [f"default: {default if show_default is True else show_default}"] if show_default else []
        extras += [value.note] if value.note else []
        extras += ["required"] if required else []
        if not hidden:
            self._row(f"{', '.join(flags)} {shown}", help, extras)

    def flag(self, *flags: str, dest: str | None = None, help: str = "", hidden: bool = False) -> None:
        """An option without a value: true when given."""
        self.add_argument(*flags, dest=dest or _dest(flags), action="store_true")
        if not hidden:
            self._row(", ".join(flags), help, [])

    def switch(self, on: str, off: str, *, dest: str, default: bool | None, help: str = "") -> None:
        """A pair such as ``--df / --no-df``; the last one given wins. With ``default`` ``None``, neither
        given leaves ``None`` (the command decides, and its help says how)."""
        self.add_argument(on, dest=dest, action="store_true", default=default)
        self.add_argument(off, dest=dest, action="store_false", default=default)
        shown = [] if default is None else [f"default: {on.lstrip('-') if default else off.lstrip('-')}"]
        self._row(f"{on} / {off}", help, shown)

    def const(self, flag: str, *, dest: str, const: str, help: str = "") -> None:
        """An option without a value that stores ``const`` in ``dest`` (several may share one)."""
        self.add_argument(flag, dest=dest, action="store_const", const=const)
        self._row(flag, help, [])

    def argument(self, name: str, *, dest: str | None = None, nargs: str | None = None,
                 value: Value | None = None) -> None:
        """A positional argument: ``nargs`` ``None`` (one), ``"?"`` (optional) or ``"*"`` (any number)."""
        self.add_argument(dest or name.lower(), metavar=name, nargs=nargs, type=value or TEXT, default=None)
        self.positionals.append(name if nargs is None else f"[{name}]" if nargs == "?" else f"[{name}]...")

    def subcommands(self, commands: Mapping[str, Command], *, optional: bool = False) -> None:
        """Make this a group: ``COMMAND [ARGS]...`` follows its options."""
        self.commands = dict(commands)
        self.command_optional = optional
        self.add_argument("command_argv", nargs=argparse.REMAINDER)

    def _row(self, label: str, text: str, extras: list[str]) -> None:
        self.rows.append((label, f"{text}  [{'; '.join(extras)}]" if extras else text))

    # -- showing ------------------------------------------------------------------------------------

    def format_usage(self) -> str:
        group = "" if not self.commands else " [COMMAND] [ARGS]..." if self.command_optional else \
            " COMMAND [ARGS]..."
        return f"Usage: {self.prog} [OPTIONS]{''.join(f' {p}' for p in self.positionals)}{group}\n"

    def format_help(self, columns: int = 80) -> str:
        commands = [(name, self.commands[name].summary) for name in sorted(self.commands)]
        return _help.page(self.format_usage().rstrip("\n"), self.description or "",
                          [*self.rows, ("-h, --help", "Show this message and exit.")], commands, columns)

    # -- parsing ------------------------------------------------------------------------------------

    def parse(self, argv: Sequence[str]) -> Namespace:
        """``argv`` parsed, options and arguments in any order; :class:`CommandUsageError` when it cannot be."""
        try:
            if self.commands:
                return self.parse_args(self._values_joined(argv))
            return self.parse_intermixed_args(self._values_joined(argv))
        except argparse.ArgumentError as err:
            raise CommandUsageError(_argument_message(err), self) from None

    def _values_joined(self, argv: Sequence[str]) -> list[str]:
        """``--name -x`` as ``--name=-x``: the word after an option that takes a value is its value, even
        when it starts with a dash (argparse would take it for an option). A group stops at its
        subcommand's name, whose own parser does the same for the rest."""
        out: list[str] = []
        words = iter(argv)
        for word in words:
            if word == "--" or (self.commands and not word.startswith("-")):
                out += [word, *words]
                break
            following = next(words, None) if word in self.valued else None
            out.append(word if following is None else f"{word}={following}")
        return out

    def error(self, message: str) -> NoReturn:
        raise CommandUsageError(_parser_message(message), self)


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=_help.MAX_WIDTH)


def _dest(flags: Sequence[str]) -> str:
    return max(flags, key=len).lstrip("-").replace("-", "_")


def _argument_message(err: argparse.ArgumentError) -> str:
    if err.argument_name is None:  # newer Pythons raise these instead of calling error()
        return _parser_message(err.message)
    name = err.argument_name.split("/")[-1]
    message = err.message
    if message.startswith("expected one argument"):
        return f"Option '{name}' requires an argument."
    if found := re.match(r"expected (\d+) arguments", message):
        return f"Option '{name}' requires {found.group(1)} arguments."
    if message.startswith("ignored explicit argument"):
        return f"Option '{name}' does not take a value."
    return f"Invalid value for '{name}': {message}"


def _parser_message(message: str) -> str:
    if message.startswith("the following arguments are required: "):
        first = message.split(": ", 1)[1].split(", ", maxsplit=1)[0]
        return f"Missing {'option' if first.startswith('-') else 'argument'} '{first}'."
    if message.startswith("unrecognized arguments: "):
        extra = message.split(": ", 1)[1].split()
        options = [word for word in extra if word.startswith("-")]
        if options:
            return f"No such option '{options[0]}'."
        return f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})"
    return message


def many(values: Sequence[str] | None) -> tuple[str, ...]:
    """A repeatable option's values as a tuple (empty when not given)."""
    return tuple(values or ())
