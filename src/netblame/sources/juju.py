"""Canonical Kubernetes deployed by Juju: the ``k8s`` charm's configuration (canonical/k8s-operator
``charms/worker/k8s/charmcraft.yaml``, commit 4b94fb1c64d4521fbcbdf20aa3ec75ee591f6b6a), as people paste it:

- the options alone (``bootstrap-pod-cidr: "172.16.0.0/21"``);
- a ``juju deploy --config FILE`` file: the options under the application's name (``k8s:``);
- ``juju config k8s`` output: ``settings:`` with each option's ``value`` (and ``default``);
- a bundle: ``applications:`` (or ``services:``) whose application has ``charm: k8s`` and ``options:``;
- ``key=value`` in any other text (``juju deploy k8s --config bootstrap-pod-cidr=...``, ``juju config k8s ...``,
  a sentence in a bug report), for the ``bootstrap-`` options, whose names no other program has.

Read: ``bootstrap-pod-cidr`` (default 10.1.0.0/16), ``bootstrap-service-cidr`` (default 10.152.183.0/24),
both comma-separated with at most one range per family; ``auto`` lets the snap choose and is not checked;
``dns-cluster-domain`` (default cluster.local); and the node masks in ``kube-controller-manager-extra-args``
(space-separated ``key=value``, passed to kube-controller-manager as ``--key=value``). The charm bootstraps the
k8s snap with these values, and the snap passes no node mask of its own, so kube-controller-manager's apply.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from netblame.model.cidr import Cidr, parse_cidr
from netblame.model.cluster import ClusterNetwork
from netblame.model.distributions import DEFAULT_PODS, DEFAULT_SERVICES
from netblame.model.origin import Sourced
from netblame.sources import _flags
from netblame.sources._base import Document, ReadNote
from netblame.sources._tree import Cursor
from netblame.sources._yaml import LineDict
from netblame.sources.distros import KCM_MASK_FLAGS

CHARM = "k8s charm"
POD_KEY, SERVICE_KEY = "bootstrap-pod-cidr", "bootstrap-service-cidr"
# Options only the k8s charm has: one of them marks a mapping as its configuration.
CHARM_KEYS = frozenset({POD_KEY, SERVICE_KEY, "bootstrap-datastore", "bootstrap-node-taints"})
APP_KEYS = ("applications", "services")
# ``bootstrap-pod-cidr=10.1.0.0/16`` written on a command line or in prose (a quoted value too).
_TEXT_OPTION = re.compile(r"(?<![\w-])(bootstrap-(?:pod|service)-cidr)=[\"']?([0-9A-Fa-f.:/,]+|auto)")


def _text_options(doc: Document) -> Document | None:
    """The ``bootstrap-...-cidr=VALUE`` options written in a text that is not a mapping, as a lined mapping."""
    if doc.index != 0 or isinstance(doc.data, dict | list) or "bootstrap-" not in doc.text:
        return None
    options = LineDict()
    options.key_lines = {}
    for found in _TEXT_OPTION.finditer(doc.text):
        options[found.group(1)] = found.group(2)
        options.key_lines[found.group(1)] = doc.text.count("\n", 0, found.start()) + 1
    if not options:
        return None
    options.line = min(options.key_lines.values())
    return dataclasses.replace(doc, data=options, line=options.line)


def _options(data: object) -> tuple[str, ...] | None:
    """The path (keys) to the mapping of the charm's options inside ``data``, if it holds one."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data:
        return None
    if CHARM_KEYS & set(data):
        return ()
    settings = data.get("settings")
    if isinstance(settings, dict) and CHARM_KEYS & set(settings):
        return ("settings",)
    for apps_key in APP_KEYS:
        apps = data.get(apps_key)
        if isinstance(apps, dict):
            for name, app in apps.items():
                if isinstance(app, dict) and isinstance(app.get("options"), dict) and (
                        CHARM_KEYS & set(app["options"]) or str(app.get("charm", "")).rsplit("/", 1)[-1] == "k8s"):
                    return (apps_key, str(name), "options")
    for name, app in data.items():
        if isinstance(app, dict) and CHARM_KEYS & set(app):
            return (str(name),)
    return None


def _value(option: Cursor) -> Cursor:
    """An option's value: as written, or the ``value`` of a ``juju config`` entry (``{value, default, ...}``)."""
    if isinstance(option.value, dict) and "value" in option.value:
        return option["value"]
    if isinstance(option.value, dict):
        return Cursor(option.doc, None, option.path, option.line)  # juju config output for an option never set
    return option


def _ranges(option: Cursor, key: str, defaults: dict[int, str], what: str,
            notes: list[object]) -> tuple[Cidr, ...]:
    value = _value(option)
    if (value.text() or "").strip().lower() == "auto":
        notes.append(ReadNote(f"{key} is auto: the k8s snap chooses the range, so it is not checked",
                              value.origin()))
        return ()
    found = value.cidrs(f"{what} ({key})")
    if found:
        return found
    where = value.default_origin(f"{CHARM} {key}")
    return tuple(parse_cidr(defaults[f], where, what=what) for f in sorted(defaults))


def _kcm(option: Cursor, pods: tuple[Cidr, ...]) -> list[ClusterNetwork]:
    value = _value(option)
    flags: dict[str, Cursor] = {}
    for word in (value.text() or "").split():
        name, _, arg = word.lstrip("-").partition("=")
        if name in KCM_MASK_FLAGS:
            flags[name] = dataclasses.replace(value, value=arg, path=f"{value.path} ({name})")
    kcm = _flags.controller_manager(flags, pods) if flags else ClusterNetwork()
    return [] if kcm.is_empty else [kcm]


class K8sCharmSource:
    """The Juju ``k8s`` charm's options (deploy config, ``juju config`` output, bundle, or the options alone)."""

    kind = "k8s-charm-config"

    def accepts(self, doc: Document) -> bool:
        return _options(doc.data) is not None or _text_options(doc) is not None

    def read(self, doc: Document) -> Sequence[object]:
        doc = _text_options(doc) or doc
        path = _options(doc.data)
        assert path is not None
        options = Cursor.root(doc)
        for key in path:
            options = options[key]
        notes: list[object] = []
        pods = _ranges(options[POD_KEY], POD_KEY, DEFAULT_PODS["k8s-charm"], "a pod range", notes)
        services = _ranges(options[SERVICE_KEY], SERVICE_KEY, DEFAULT_SERVICES["k8s-charm"], "a service range",
                           notes)
        domain = _value(options["dns-cluster-domain"])
        pod_cursor = _value(options[POD_KEY])
        allocate = Sourced(True, pod_cursor.default_origin(
            f"{CHARM}: the k8s snap runs kube-controller-manager with --allocate-node-cidrs"))
        if path:
            notes.append(ReadNote(f"the k8s charm's options read from `{'.'.join(path)}`", options.origin()))
        base = ClusterNetwork(pod_cidrs=pods, service_cidrs=services, allocate_node_cidrs=allocate,
                              dns_domain=domain.sourced_text() or Sourced(
                                  "cluster.local", domain.default_origin(f"{CHARM} dns-cluster-domain")),
                              distribution=Sourced("k8s-charm", doc.origin()))
        return [base, *_kcm(options["kube-controller-manager-extra-args"], pods), *notes]


SOURCES = (K8sCharmSource(),)
