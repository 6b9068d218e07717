"""MicroK8s: which inputs come from a MicroK8s node, so that what they leave unset takes MicroK8s's defaults and
fixes name MicroK8s's own files.

MicroK8s runs each component with the flags in ``/var/snap/microk8s/current/args/<program>`` (one flag a line,
``${SNAP_DATA}`` in paths; canonical.com/microk8s/docs/configuring-services), deploys Calico from
``args/cni-network/cni.yaml`` (``CALICO_IPV4POOL_CIDR``) and, with the cilium add-on, Cilium with its CNI
configuration in the same directory. Those flags and manifests are read by their own readers (``component-flags``,
``calico-node-daemonset``, ``cilium-configmap``); this reader recognises the MicroK8s files among them by content
(the ``${SNAP...}`` paths of an args file, the ``/var/snap/microk8s/current/args/cni-network`` directory of a
manifest) and adds what MicroK8s itself decides:

- pod range 10.1.0.0/16 and service range 10.152.183.0/24 (canonical.com/microk8s/docs/change-cidr: "The default
  CIDR for pods is 10.1.0.0/16", "The default service CIDR is 10.152.183.0/24"; canonical/microk8s
  ``microk8s-resources/default-args/cni-env`` ``IPv4_CLUSTER_CIDR``/``IPv4_SERVICE_CIDR``), as defaults that any
  value read replaces;
- kube-controller-manager without ``--allocate-node-cidrs`` (``default-args/kube-controller-manager`` passes none,
  so nodes get no ``spec.podCIDR``: Calico allocates from its own pool).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import PurePath

from netblame.model.cidr import parse_cidr
from netblame.model.cluster import ClusterNetwork
from netblame.model.distributions import DEFAULT_PODS, DEFAULT_SERVICES
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import Document
from netblame.sources.cmdline import DAEMONS

CNI_DIR = "/var/snap/microk8s/current/args/cni-network"
# A line naming a MicroK8s args file with flags for it (how `netblame plan --distribution microk8s` writes edits).
_SETS_PODS = re.compile(r"--cluster-cidr|CALICO_IPV[46]POOL_CIDR")
_ARGS_EDIT = re.compile(r"^\s*/var/snap/microk8s/current/args/[\w-]+:\s+--", re.MULTILINE)


def _is_args_file(doc: Document) -> bool:
    """A MicroK8s args file: named after a program, only flags (and comments), and MicroK8s's ``${SNAP...}``."""
    if PurePath(doc.path).name not in DAEMONS or "${SNAP" not in doc.text:
        return False
    body = [line.strip() for line in doc.text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return bool(body) and all(line.startswith("--") for line in body)


def looks_like_microk8s(doc: Document) -> bool:
    """An input that comes from a MicroK8s node (its first document only: one set of defaults a file)."""
    if doc.index != 0:
        return False
    manifest = isinstance(doc.data, dict) and CNI_DIR in doc.text  # a Kubernetes object, not prose naming the path
    edits = "/var/snap/microk8s/current/args/" in doc.text and _ARGS_EDIT.search(doc.text) is not None
    return manifest or _is_args_file(doc) or edits


class MicroK8sSource:
    """The MicroK8s files among the inputs (args files, the Calico and Cilium manifests of ``args/cni-network``)."""

    kind = "microk8s"

    def accepts(self, doc: Document) -> bool:
        return looks_like_microk8s(doc)

    def read(self, doc: Document) -> Sequence[object]:
        where = Origin(file=doc.path, line=doc.line)

        def default(why: str) -> Origin:
            return dataclasses.replace(where, default=why)

        pods = parse_cidr(DEFAULT_PODS["microk8s"][4], default("MicroK8s pod range (kube-proxy --cluster-cidr, "
                                                               "cni.yaml CALICO_IPV4POOL_CIDR)"), what="a pod range")
        services = parse_cidr(DEFAULT_SERVICES["microk8s"][4], default("MicroK8s service range (kube-apiserver "
                                                                       "--service-cluster-ip-range)"),
                              what="a service range")
        allocate = Sourced(False, default("MicroK8s runs kube-controller-manager without --allocate-node-cidrs"))
        # A file that sets a range itself (kube-proxy --cluster-cidr, CALICO_IPV4POOL_CIDR, the edits `netblame
        # plan` writes) says what it is, in whatever families; MicroK8s's IPv4 default would add one it left out.
        sets_pods = bool(_SETS_PODS.search(doc.text))
        sets_services = "--service-cluster-ip-range" in doc.text
        return [ClusterNetwork(pod_cidrs=() if sets_pods else (pods,),
                               service_cidrs=() if sets_services else (services,), allocate_node_cidrs=allocate,
                               distribution=Sourced("microk8s", where))]


SOURCES = (MicroK8sSource(),)
