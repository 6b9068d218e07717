"""Helm values wherever people write them: an umbrella chart's values with a CNI chart's values nested
under its subchart key (``cilium:``, ``flannel:``), and ``--set`` strings on a ``helm install|upgrade|template``
or ``cilium install|upgrade`` line in a script, a README snippet or a pasted command.

``--set`` follows Helm's strvals syntax (helm.sh/docs/intro/using_helm, "The Format and Limitations of
--set"): ``a.b=c``, several pairs separated by commas, ``name[0]=x`` for list items, ``{x,y}`` for a list.
Each value keeps the line of the ``--set`` it came from.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence
from typing import Any

from netblame._record import Record, record
from netblame.errors import InputError
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Origin
from netblame.sources import calico, cilium, flannel
from netblame.sources._base import Document, ReadNote
from netblame.sources._subchart import SUBCHART_KEYS
from netblame.sources._tree import Cursor
from netblame.sources._yaml import LineDict, LineList
from netblame.sources.cmdline import logical_lines

_SET_FLAGS = ("--set", "--set-string")
_KEY = re.compile(r"^([A-Za-z0-9_.\-]+?)((?:\[\d+\])*)$")


# --- --set strings -------------------------------------------------------------------------------------


@record
class HelmCommand(Record):
    """One ``helm``/``cilium`` command line: which chart, and its ``--set`` values as a lined mapping."""

    chart: str
    values: LineDict
    line: int
    value_files: tuple[str, ...] = ()
    """Files given with ``-f``/``--values``: their values apply under the --set ones, but are not in this text."""


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Lines joined across ``\\`` continuations, each with the number of its first physical line, cut where
    bash cuts them (a comment inside a continued command ends it: :func:`netblame.sources.cmdline.logical_lines`)."""
    return [(pieces[0][0], " ".join(p for _, p in pieces)) for pieces, _ in logical_lines(text)]


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)  # comments are cut already, where bash cuts them
    except ValueError:  # an unbalanced quote in a pasted fragment: split on blanks
        return line.split()


def _split_pairs(text: str) -> list[str]:
    """``a=b,c={x,y}`` -> ``["a=b", "c={x,y}"]``: commas inside braces belong to a list value."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    parts.append(current)
    return [p for p in parts if p]


def _lined_dict(line: int) -> LineDict:
    out = LineDict()
    out.line = line
    out.key_lines = {}
    return out


def _scalar(text: str, line: int) -> Any:
    if text.startswith("{") and text.endswith("}"):
        items = LineList(p.strip() for p in text[1:-1].split(",") if p.strip())
        items.line = line
        items.item_lines = [line] * len(items)
        return items
    return text


def assign(values: LineDict, key: str, value: str, line: int, where: str) -> None:
    """Set ``values[a][b]...`` for the dotted ``key`` (``name[0]`` indexes a list) to ``value``."""
    node: LineDict = values
    parts = key.split(".")
    for position, part in enumerate(parts):
        match = _KEY.match(part)
        if match is None:
            raise InputError(f"{where}: expected a Helm value name such as ipam.mode in --set, got {key}", line=line)
        name, indexes = match.group(1), match.group(2)
        last = position == len(parts) - 1
        node.key_lines[name] = line
        if not indexes:
            if last:
                node[name] = _scalar(value, line)
            else:
                child = node.get(name)
                if not isinstance(child, LineDict):
                    child = node[name] = _lined_dict(line)
                node = child
            continue
        items = node.get(name)
        if not isinstance(items, LineList):
            items = LineList()
            items.line, items.item_lines = line, []
            node[name] = items
        index = int(indexes.strip("[]").split("][")[0])
        while len(items) <= index:
            items.append(None)
            items.item_lines.append(line)
        if last:
            items[index] = value
        else:
            child = items[index]
            if not isinstance(child, LineDict):
                child = items[index] = _lined_dict(line)
            node = child


def _chart_of(words: list[str], start: int) -> str | None:
    """``cilium`` or ``flannel`` for a helm command installing that chart; None for another chart."""
    program = words[start].rsplit("/", 1)[-1]
    if program in ("cilium", "cilium-cli"):
        return "cilium" if len(words) > start + 1 and words[start + 1] in ("install", "upgrade") else None
    if program != "helm" or len(words) <= start + 1 or words[start + 1] not in ("install", "upgrade", "template"):
        return None
    charts = [w for w in words[start + 2:] if not w.startswith("-")]
    for chart in SUBCHART_KEYS:
        if any(w.rsplit("/", 1)[-1] in SUBCHART_KEYS[chart] for w in charts):
            return chart
    return None


def helm_commands(text: str, path: str) -> list[HelmCommand]:
    """Every helm/cilium command in ``text`` that installs a CNI chart, with its ``--set`` values."""
    if "helm" not in text and "cilium" not in text:
        return []
    found: list[HelmCommand] = []
    for line, logical in _logical_lines(text):
        words = _words(logical)
        for start in range(len(words)):
            chart = _chart_of(words, start)
            if chart is None:
                continue
            values = _lined_dict(line)
            rest = words[start + 2:]
            for i, word in enumerate(rest):
                flag, _, inline = word.partition("=")
                if flag not in _SET_FLAGS:
                    continue
                pairs = inline if inline else (rest[i + 1] if i + 1 < len(rest) else "")
                for pair in _split_pairs(pairs):
                    key, sep, value = pair.partition("=")
                    if not sep:
                        raise InputError(f"{flag} {pair}: expected name=value", file=path, line=line)
                    try:
                        assign(values, key, value, line, flag)
                    except InputError as exc:
                        raise InputError(exc.message, file=path, line=line) from None
            files = tuple(rest[i + 1] for i, w in enumerate(rest[:-1]) if w in ("-f", "--values")) + tuple(
                w.split("=", 1)[1] for w in rest if w.startswith("--values="))
            found.append(HelmCommand(chart=chart, values=values, line=line, value_files=files))
            break
    return found


# What reads each CNI chart's values: the same readers as a values file.
CHART_READERS: dict[str, tuple[str, Callable[[Cursor], CniConfig]]] = {
    "cilium": ("Cilium", cilium.read_values),
    "flannel": ("Flannel", flannel.read_chart_values),
    "calico": ("Calico tigera-operator", calico.OPERATOR_VALUES.reader),
}


def _read_command(doc: Document, command: HelmCommand) -> list[object]:
    label, reader = CHART_READERS[command.chart]
    at = Origin(file=doc.path, line=command.line)
    if command.value_files:
        # The --set values apply over the files, which are not in this text; read alone they would stand
        # for the whole configuration and the chart's defaults for the rest, which the files may change.
        return [ReadNote(f"{label} Helm values of this command come from {', '.join(command.value_files)} (-f) "
                         "with --set over them; that file is not in this one, so this command is not read: give "
                         "netblame the values file", at)]
    inner = Document(path=doc.path, text=doc.text, data=command.values, line=command.line)
    config = reader(Cursor.root(inner))
    note = ReadNote(f"{label} Helm values taken from the --set arguments of this command; "
                    "the chart's defaults fill in the rest", at)
    return [as_cluster(config), note]


class HelmSetSource:
    """``helm install|upgrade|template`` (or ``cilium install``) lines with ``--set`` values for a CNI chart."""

    kind = "helm-set-values"

    def accepts(self, doc: Document) -> bool:
        if doc.index != 0 or isinstance(doc.data, dict | list):
            return False
        try:
            return bool(helm_commands(doc.text, doc.path))
        except InputError:
            return True  # recognised: read() says what is wrong

    def read(self, doc: Document) -> Sequence[object]:
        return [item for command in helm_commands(doc.text, doc.path) for item in _read_command(doc, command)]


SOURCES = (HelmSetSource(),)
