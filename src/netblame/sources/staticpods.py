"""Control-plane pods: the static pod manifests kubeadm writes to /etc/kubernetes/manifests (or the
same pods as ``kubectl get pod -n kube-system -o yaml|json`` prints them), read for the flags on
the kube-controller-manager and kube-apiserver command lines. Each flag's value points at the line
of its argument.
"""

from __future__ import annotations

from collections.abc import Sequence

from netblame.sources import _flags
from netblame.sources._kube import ObjectSource, kind_of
from netblame.sources._tree import Cursor

COMPONENTS = ("kube-controller-manager", "kube-apiserver")


def _component(container: Cursor) -> str | None:
    """Which control-plane binary a container runs (by its command, else by its name)."""
    command = container["command"].value
    first = command[0] if isinstance(command, list) and command and isinstance(command[0], str) else ""
    binary = first.rsplit("/", 1)[-1]
    if binary in COMPONENTS:
        return binary
    name = container["name"].value
    return name if name in COMPONENTS and not first else None


def _containers(pod: Cursor) -> list[tuple[str, Cursor]]:
    spec = pod["spec"]
    if not isinstance(spec.value, dict) or not isinstance(spec["containers"].value, list):
        return []
    return [(component, c) for c in spec["containers"].items()
            if isinstance(c.value, dict) and (component := _component(c)) is not None]


class ControlPlanePodSource(ObjectSource):
    """``kind: Pod`` running kube-controller-manager or kube-apiserver."""

    kind = "control-plane-pod"
    object_kinds = frozenset({"Pod"})

    def matches(self, obj: Cursor) -> bool:
        return kind_of(obj) == "Pod" and bool(_containers(obj))

    def read_object(self, obj: Cursor) -> Sequence[object]:
        out: list[object] = []
        for component, container in _containers(obj):
            args = [*container["command"].items()[1:], *container["args"].items()]
            parsed = _flags.parse_flags(component, args)
            out.extend(parsed.notes)
            flags = parsed.last()
            fragment = _flags.controller_manager(flags) if component == "kube-controller-manager" \
                else _flags.apiserver(flags)
            if not fragment.is_empty:
                out.append(fragment)
        return out


SOURCES = (ControlPlanePodSource(),)
