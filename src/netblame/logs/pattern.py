"""One known log line: its upstream format string, the regex built from it, where it comes from,
what it means for this cluster and what to run next.

Patterns are data (see ``catalogue_*`` modules); this module only defines their shape and how a
regex is built from a Go format string, so every pattern is derived the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache


class Component(Enum):
    """The program that writes the line."""

    KUBE_CONTROLLER_MANAGER = "kube-controller-manager"
    KUBEADM = "kubeadm"
    KUBELET = "kubelet"
    CONTAINER_RUNTIME = "container runtime (CRI)"
    CNI_PLUGIN = "CNI plugin"
    KUBE_PROXY = "kube-proxy"
    FLANNEL = "flannel"
    CILIUM_AGENT = "cilium-agent"
    CILIUM_OPERATOR = "cilium-operator"
    CALICO = "calico"
    COREDNS = "coredns"


# Go verbs that take a value; %q prints a quoted string (structured loggers escape the quotes).
_VERB = re.compile(r"%[-+# 0-9.]*[svdqwT]|%%")
_QUOTE = r'\\?"'


def _literal(text: str) -> str:
    escaped = re.escape(text)
    # a quote in the format may reach the log escaped (klog's err="... \"cni0\" ...")
    return escaped.replace('"', _QUOTE)


def regex_from_format(fmt: str) -> str:
    """A regex source matching any line that contains ``fmt`` with its verbs filled in.

    ``%d`` becomes digits, ``%q`` a (possibly escaped) quoted string, ``%s``/``%v``/``%w`` any
    text (non-greedy), so ``fmt`` itself, as upstream writes it, is the pattern's single source.
    """
    parts: list[str] = []
    pos = 0
    for verb in _VERB.finditer(fmt):
        parts.append(_literal(fmt[pos:verb.start()]))
        token = verb.group()
        if token == "%%":
            parts.append("%")
        elif token.endswith("d"):
            parts.append(r"-?\d+")
        elif token.endswith("q"):
            parts.append(_QUOTE + r".*?" + _QUOTE)
        else:
            parts.append(r".*?")
        pos = verb.end()
    parts.append(_literal(fmt[pos:]))
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class LogPattern:
    """A recognised log line.

    ``formats`` are the upstream format strings (or fixed messages) verbatim; the regex is built
    from them. ``source`` names the repository path and URL they were read from. ``example`` is a
    real line: pasted by a user (``example_source`` is the thread) or the format string
    instantiated (``example_source`` says so).
    """

    id: str
    component: Component
    formats: tuple[str, ...]
    source: str
    meaning: str
    next_step: str
    example: str
    example_source: str
    rules: tuple[str, ...] = ()

    def compiled(self) -> re.Pattern[str]:
        """One regex for all of this pattern's formats."""
        return _compile(self.formats)

    def anchors(self) -> tuple[str, ...]:
        """The longest fixed text of each format: a line that contains none of them cannot match, so
        matching checks these (a substring test) before running the regex."""
        return _anchors(self.formats)


def github(repo: str, path: str) -> str:
    """``owner/repo: path (URL)``: how a source file is cited."""
    return f"{repo}: {path} (https://github.com/{repo}/blob/HEAD/{path})"


@lru_cache(maxsize=256)
def _anchors(formats: tuple[str, ...]) -> tuple[str, ...]:
    # quotes may reach the log escaped, so an anchor never spans one
    return tuple(max(re.split(r'%[-+# 0-9.]*[svdqwT]|%%|"', f), key=len) for f in formats)


@lru_cache(maxsize=256)
def _compile(formats: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{regex_from_format(f)})" for f in formats))
