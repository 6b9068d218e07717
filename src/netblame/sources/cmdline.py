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
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

from netblame._record import Record

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


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Token(Record):
    """One argument and the 1-based line it is on."""

    text: str
    line: int


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Invocation(Record):
    """A program and the arguments it was given (its flags and their values)."""

    program: str
    line: int
    args: tuple[Token, ...]


def _logical_lines(text: str) -> Iterator[list[tuple[int, str]]]:
    """Physical lines joined at trailing backslashes, each piece with its line number."""
    pending: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if line.endswith("\\") and not line.endswith("\\\\"):
            pending.append((number, line[:-1]))
            continue
        pending.append((number, line))
        yield pending
        pending = []
    if pending:
        yield pending


def _split(text: str) -> list[str]:
    """Shell words of ``text`` (quotes removed, ``;``/``&&``/``|`` as words of their own); a line whose
    quotes do not balance is split at blanks."""
    text = _TEMPLATE.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text)
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
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
        end = start
        while end < len(tokens) and tokens[end].text not in SEPARATORS and _program_at(tokens, end) is None:
            end += 1
        yield Invocation(program, tokens[i].line, tuple(tokens[start:end]))
        i = end


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
    for pieces in _logical_lines(text):
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
            out.extend(_scan_line(_tokens(pieces), joined))
    return out
