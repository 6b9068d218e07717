"""Finding component command lines in any text: a pasted shell line (with ``\\`` continuations and quotes),
a script, a systemd unit (``ExecStart=``, ``Environment=``), an ``/etc/default`` file, a YAML list
(a static pod's ``command:``/``args:``), an Ansible or Salt task, a Makefile recipe.

Each invocation keeps the line of every argument. Which program runs is told by the command's name
(``/usr/local/bin/k3s server``, ``kubeadm init``, ``hyperkube kubelet``), the k3s/RKE2 install one-liner
(``curl -sfL https://get.k3s.io | sh -s - server ...``) or an environment variable that carries a
component's flags (``KUBELET_EXTRA_ARGS``, ``INSTALL_K3S_EXEC``).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import shlex
from collections.abc import Iterator
from typing import Literal

import yaml

from netblame._record import Record, record

# Binaries whose flags netblame reads, by the name they run as.
DAEMONS = {
    "kube-controller-manager": "kube-controller-manager",
    "kube-apiserver": "kube-apiserver",
    "kubelet": "kubelet",
    "kube-proxy": "kube-proxy",
    "flanneld": "flanneld",
    "cilium-agent": "cilium-agent",
    "cilium-operator": "cilium-operator",
    "cilium-operator-generic": "cilium-operator",
}
# Programs with subcommands: (binary, subcommand) -> program; a missing subcommand of k3s/rke2 is "server"
# for the install script (get.k3s.io: INSTALL_K3S_EXEC without a command runs a server unless K3S_URL is set).
SUBCOMMANDS = {
    ("kubeadm", "init"): "kubeadm init",
    ("kubeadm", "join"): "kubeadm join",
    ("k3s", "server"): "k3s server",
    ("k3s", "agent"): "k3s agent",
    ("rke2", "server"): "rke2 server",
    ("rke2", "agent"): "rke2 agent",
}
# Environment variables that hold a component's flags (kubeadm's kubelet drop-in, /etc/default/kubelet,
# /etc/sysconfig/kube-*, the k3s and RKE2 install scripts).
ENV_PROGRAMS = {
    "KUBELET_EXTRA_ARGS": "kubelet",
    "KUBELET_KUBEADM_ARGS": "kubelet",
    "KUBELET_ARGS": "kubelet",
    "KUBELET_NETWORK_ARGS": "kubelet",
    "KUBELET_DNS_ARGS": "kubelet",
    "KUBE_CONTROLLER_MANAGER_ARGS": "kube-controller-manager",
    "KUBE_APISERVER_ARGS": "kube-apiserver",
    "KUBE_API_ARGS": "kube-apiserver",
    "KUBE_PROXY_ARGS": "kube-proxy",
    "INSTALL_K3S_EXEC": "k3s",
    "INSTALL_RKE2_EXEC": "rke2",
    "FLANNELD_OPTIONS": "flanneld",
}
INSTALLERS = {"get.k3s.io": "k3s", "get.rke2.io": "rke2"}
SEPARATORS = frozenset({";", "&&", "||", "|", "&", ";;"})

_PREFIX = re.compile(r"^\s*(?:ExecStart(?:Pre|Post)?=[-@:+!]*|Environment=|export\s+|RUN\s+|-\s+(?:[\w.-]+:\s+)?"
                     r"|[\w.-]+:\s+(?!\|)(?=\S))")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@record
class Token(Record):
    """One argument and the 1-based line it is on."""

    text: str
    line: int


CutWhy = Literal["comment", "escaped-blank", "skipped"]


@record
class Cut(Record):
    """Where a shell ends a command its writer meant to continue (bash, checked by running it): a comment inside
    a ``\\``-continued command (``  # --cluster-cidr=... \\``, or ``--a=b # note \\``) ends it there, the ``\\``
    inside the comment continuing nothing; and ``\\`` followed by a blank (``--a=b \\ # note``) escapes the blank
    instead of continuing the line. The lines after are then a command of their own, not arguments. In a systemd
    unit a comment line inside a continued line is ``skipped`` instead, and the line goes on."""

    line: int
    why: CutWhy
    commented: tuple[str, ...] = ()
    """Flags inside the comment: commented out, so not values."""
    orphans: tuple[Token, ...] = ()
    """The flags on the lines right after the cut, which the program does not get."""


@record
class Invocation(Record):
    """A program and the arguments it was given (its flags and their values)."""

    program: str
    line: int
    args: tuple[Token, ...]
    cut: Cut | None = None


_BREAKS = frozenset(" \t;&|()")
# A backslash before blanks (and a comment) at the end of a line: it escapes a blank, it does not continue the line.
_ESCAPED_BLANK = re.compile(r"(?<!\\)\\[ \t]+(?:#.*)?$")


def _comment_at(line: str) -> int | None:
    """Where a shell comment starts on ``line``: a ``#`` that begins a word outside quotes (``a#b``, ``"#"`` and
    ``\\ #`` are not comments)."""
    quote: str | None = None
    word_start = True
    i = 0
    while i < len(line):
        char = line[i]
        if quote is not None:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"':
                i += 1
        elif char == "\\":
            i += 1
            word_start = False
        elif char in "'\"":
            quote, word_start = char, False
        elif char == "#" and word_start:
            return i
        else:
            word_start = char in _BREAKS
        i += 1
    return None


# A systemd unit or drop-in: its own continuation rules apply (systemd.syntax(7)).
_UNIT = re.compile(r"^[ \t]*(?:\[(?:Unit|Service|Install|Socket|Timer)\][ \t]*$|ExecStart(?:Pre|Post)?=)", re.M)


def _flags_in(comment: str) -> tuple[str, ...]:
    return tuple(w for w in comment.rstrip("\\ \t").split() if w.startswith("--"))


def logical_lines(text: str) -> Iterator[tuple[list[tuple[int, str]], Cut | None]]:
    """Physical lines joined at trailing backslashes, each piece with its line number, and where a shell would
    have ended a command its writer meant to continue (:class:`Cut`). In a systemd unit a comment line after a
    continued line is skipped and the line goes on after it (systemd.syntax(7): "the comment block is ignored, so
    the continued line is concatenated with whatever follows the comment block"); in any other text bash's rules
    apply."""
    systemd = "\\" in text and bool(_UNIT.search(text))
    pending: list[tuple[int, str]] = []
    skipped: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if systemd and pending and line.lstrip().startswith(("#", ";")):
            skipped += [(number, flag) for flag in _flags_in(line.lstrip()[1:])]
            continue
        hash_at = None if systemd else _comment_at(line) if "#" in line else None
        continued = line.endswith("\\") and not line.endswith("\\\\")
        if hash_at is not None:
            cut = None
            if pending or continued:
                why: CutWhy = "escaped-blank" if _ESCAPED_BLANK.search(line) else "comment"
                cut = Cut(number, why, _flags_in(line[hash_at + 1:]))
            pending.append((number, line[:hash_at]))
            yield pending, cut
            pending = []
            continue
        if continued:
            pending.append((number, line[:-1]))
            continue
        pending.append((number, line))
        if skipped:
            yield pending, Cut(skipped[0][0], "skipped", tuple(flag for _, flag in skipped))
        else:
            yield pending, (Cut(number, "escaped-blank") if "\\" in line and _ESCAPED_BLANK.search(line) else None)
        pending, skipped = [], []
    if pending:
        yield pending, None


def _orphans(lines: list[str], cut: Cut) -> Cut:
    """``cut`` with the flags on the lines right after it (which a shell runs as a command of their own)."""
    out: list[Token] = []
    for index in range(cut.line, len(lines)):
        words = lines[index].strip().rstrip("\\").split()
        if not words or not words[0].startswith("-"):
            break
        out.extend(Token(w, index + 1) for w in words if w.startswith("-"))
    return dataclasses.replace(cut, orphans=tuple(out))


def _split(text: str) -> list[str]:
    """Shell words of ``text`` (quotes removed, ``;``/``&&``/``|`` as words of their own); a line whose
    quotes do not balance is split at blanks."""
    text = _TEMPLATE.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    hash_at = _comment_at(text) if "#" in text else None
    if hash_at is not None:  # only a # that begins a word starts a comment (shlex would take the one in a#b too)
        text = text[:hash_at]
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        return text.split()


def _tokens(pieces: list[tuple[int, str]]) -> list[Token]:
    out: list[Token] = []
    for index, (number, piece) in enumerate(pieces):
        stripped = _PREFIX.sub("", piece, count=1) if index == 0 else piece
        out.extend(Token(word, number) for word in _flow_list(stripped) or _split(stripped))
    return out


def _flow_list(text: str) -> list[str] | None:
    """The items of a YAML or JSON flow sequence (``command: ["kube-apiserver", "--flag=value"]``), if it is one."""
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        return None
    try:
        items = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return [str(i) for i in items] if isinstance(items, list) and all(isinstance(i, str) for i in items) else None


def _basename(word: str) -> str:
    name = word.rsplit("/", 1)[-1]
    name = name.split(":", 1)[0] if name.startswith(("k3s:", "rke2:")) else name  # rancher/k3s:v1.30 images
    return name.removesuffix(".exe")


def _program_at(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """The program started by ``tokens[i]`` and the index of its first argument, if one starts there."""
    word = tokens[i].text
    name = _basename(word)
    nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
    if name in DAEMONS:
        return DAEMONS[name], i + 1
    if name == "hyperkube" and nxt in DAEMONS:
        return DAEMONS[nxt], i + 2
    if (name, nxt) in SUBCOMMANDS:
        return SUBCOMMANDS[(name, nxt)], i + 2
    if "=" in word:
        var, _, _ = word.partition("=")
        if var in ENV_PROGRAMS:
            return f"env:{var}", i
    return None


def _env_invocation(var: str, token: Token) -> Invocation | None:
    program = ENV_PROGRAMS[var]
    words = [Token(w, token.line) for w in _split(token.text.partition("=")[2])]
    if program in ("k3s", "rke2"):
        sub = words[0].text if words and not words[0].text.startswith("-") else "server"
        if words and not words[0].text.startswith("-"):
            words = words[1:]
        if sub not in ("server", "agent"):
            return None
        program = f"{program} {sub}"
    return Invocation(program, token.line, tuple(words)) if words else None


def _installer(tokens: list[Token], text: str) -> Invocation | None:
    """``curl -sfL https://get.k3s.io | sh -s - server --flag ...``: the arguments after ``sh -s -``."""
    distro = next((d for host, d in INSTALLERS.items() if host in text), None)
    if distro is None:
        return None
    words = [t.text for t in tokens]
    for i in range(len(words) - 2):
        if words[i] in ("sh", "bash") and words[i + 1] == "-s" and words[i + 2] in ("-", "--"):
            rest = tokens[i + 3:]
            sub = rest[0].text if rest and rest[0].text in ("server", "agent") else "server"
            if rest and rest[0].text in ("server", "agent"):
                rest = rest[1:]
            end = next((j for j, t in enumerate(rest) if t.text in SEPARATORS), len(rest))
            return Invocation(f"{distro} {sub}", tokens[i].line, tuple(rest[:end]))
    return None


def _scan_line(tokens: list[Token], text: str) -> Iterator[Invocation]:
    installer = _installer(tokens, text)
    if installer is not None:
        yield installer
    i = 0
    while i < len(tokens):
        found = _program_at(tokens, i)
        if found is None:
            i += 1
            continue
        program, start = found
        if program.startswith("env:"):
            env = _env_invocation(program[4:], tokens[i])
            if env is not None:
                yield env
            i += 1
            continue
        end = _args_end(tokens, start, POSITIONAL.get(program, 0))
        yield Invocation(program, tokens[i].line, tuple(tokens[start:end]))
        i = max(end, i + 1)


# A word the shell or a template expands, which may stand for flags (`kubelet $KUBELET_ARGS --max-pods 50`).
_EXPANDED = re.compile(r"^(?:\$|\{\{|\{%|%\{)")
# How many bare words (not flags, not a flag's value) a program takes before its flags: `kubeadm join ENDPOINT`.
POSITIONAL = {"kubeadm join": 1}


def _args_end(tokens: list[Token], start: int, positional: int) -> int:
    """Where the arguments starting at ``start`` end: at a separator, at another program, or at a bare word that is
    no flag's value (none of these programs takes one, so "kube-proxy in iptables mode ... --probability 0.5" in
    prose is no command line)."""
    end = start
    while end < len(tokens) and tokens[end].text not in SEPARATORS and _program_at(tokens, end) is None:
        word = tokens[end].text
        before = tokens[end - 1].text if end > start else ""
        if (not word.startswith("-") and not (before.startswith("-") and "=" not in before)
                and not _EXPANDED.match(word)):
            if positional <= 0:
                break
            positional -= 1
        end += 1
    return end


_LIST_ITEM = re.compile(r"^(\s*)-\s+(.*)$")
# A line that can carry a flag: one that holds a word starting with a dash.
_FLAGISH = re.compile(r"(?:^|\s|['\"=])--?[A-Za-z]")
# A line without one of these holds no invocation: checked before a line is split into words, so that a
# large YAML dump costs a regular-expression scan, not a shell parse of every line.
_KEYWORDS = re.compile("|".join(re.escape(k) for k in sorted(
    {*DAEMONS, "hyperkube", "kubeadm", "k3s", "rke2", *ENV_PROGRAMS, *INSTALLERS}, key=len, reverse=True)))
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+-")


def _yaml_list(lines: list[str], start: int, indent: int) -> tuple[list[Token], int]:
    """The items of a YAML list that follow a program item at ``indent`` (a ``command:``/``args:`` list)."""
    out: list[Token] = []
    i = start
    while i < len(lines):
        match = _LIST_ITEM.match(lines[i])
        if match is None or len(match.group(1)) != indent:
            break
        words = _split(match.group(2))
        if len(words) != 1:
            break
        out.append(Token(words[0], i + 1))
        i += 1
    return out, i


def _args_list(lines: list[str], start: int) -> list[Token]:
    """A sibling ``args:`` list right after a ``command:`` list (a static pod writes its flags in either)."""
    if start < len(lines) and re.match(r"^\s*args:\s*$", lines[start]):
        nxt = _LIST_ITEM.match(lines[start + 1]) if start + 1 < len(lines) else None
        if nxt is not None:
            return _yaml_list(lines, start + 1, len(nxt.group(1)))[0]
    return []


def _keyword_lines(text: str) -> set[int]:
    """The 1-based lines on which a keyword stands as a word of its own (``kubelet``, not ``kubeletVersion``;
    ``rancher/k3s:v1.30`` counts, so does ``INSTALL_K3S_EXEC=``)."""
    newlines: list[int] | None = None
    out: set[int] = set()
    for match in _KEYWORDS.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before in _WORD_CHARS or (after in _WORD_CHARS and after != "." and match.group(0) not in ENV_PROGRAMS):
            continue
        if newlines is None:
            newlines = [m.start() for m in re.finditer("\n", text)]
        out.add(bisect.bisect_left(newlines, match.start()) + 1)
    return out


def invocations(text: str) -> list[Invocation]:
    """Every invocation of a known program in ``text`` that gives it at least one flag (a program's name
    alone, such as ``kineUser: kube-apiserver`` in a k0s config, is not a command line)."""
    return [i for i in _all_invocations(text) if any(t.text.startswith("-") for t in i.args)]


def _all_invocations(text: str) -> list[Invocation]:
    lines = text.splitlines()
    out: list[Invocation] = []
    skip_until = 0
    hits = _keyword_lines(text)
    for pieces, cut in logical_lines(text):
        first = pieces[0][0]
        if first <= skip_until or not any(n in hits for n, _ in pieces):
            continue
        match = _LIST_ITEM.match(pieces[0][1]) if len(pieces) == 1 else None
        if match is not None and _KEYWORDS.search(match.group(2)) and len(_split(match.group(2))) == 1:
            items, end = _yaml_list(lines, first - 1, len(match.group(1)))
            found = _program_at(items, 0) if items else None
            if found is not None and not found[0].startswith("env:"):
                args = [*items[found[1]:], *_args_list(lines, end)]
                out.append(Invocation(found[0], first, tuple(args)))
                skip_until = end
                continue
        joined = " ".join(p for _, p in pieces)
        if _FLAGISH.search(joined):  # "kubelet has sufficient memory" in a node dump is no command line
            scanned = list(_scan_line(_tokens(pieces), joined))
            if scanned and cut is not None:
                whole = cut if cut.why == "skipped" else _orphans(lines, cut)
                scanned[-1] = dataclasses.replace(scanned[-1], cut=whole)
            out.extend(scanned)
    return out
