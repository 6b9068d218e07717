"""The Helm charts k3s and RKE2 install through their helm-controller (k3s-io/helm-controller, API
``helm.cattle.io/v1``): a ``HelmChart`` names the chart (``spec.chart``) and carries its values as YAML text
(``spec.valuesContent``) and ``--set``-style pairs (``spec.set``); a ``HelmChartConfig`` overrides the values
of a packaged chart by name (RKE2's ``rke2-cilium``, ``rke2-canal``, ``rke2-calico``, ``rke2-flannel``).
For a CNI chart the values are read by the chart's reader, with lines of the file, and a note says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from netblame.errors import InputError
from netblame.model.cluster import CniConfig, as_cluster
from netblame.model.origin import Origin, Sourced
from netblame.sources._base import ReadNote
from netblame.sources._embedded import embedded_yaml
from netblame.sources._kube import ObjectSource, api_group, kind_of, name_of
from netblame.sources._subchart import SUBCHART_KEYS
from netblame.sources._tree import Cursor
from netblame.sources._yaml import LineDict
from netblame.sources.helm import CHART_READERS, assign
from netblame.sources.k3s import RKE2_CILIUM_IPAM

# RKE2's packaged CNI charts (docs.rke2.io/networking/basic_network_options): their HelmChartConfig names.
RKE2_CHARTS = {"rke2-cilium": "cilium", "rke2-calico": "calico", "rke2-flannel": "flannel"}


def _chart(obj: Cursor) -> str | None:
    """Which CNI chart a HelmChart installs, or a HelmChartConfig overrides."""
    if kind_of(obj) == "HelmChartConfig":
        return RKE2_CHARTS.get(name_of(obj) or "")
    chart = (obj["spec"]["chart"].text() or "").rsplit("/", 1)[-1]
    return next((c for c, keys in SUBCHART_KEYS.items() if chart in keys), None)


def _over_rke2_cilium(config: CniConfig) -> CniConfig:
    """A HelmChartConfig's values apply over the rke2-cilium chart, whose ``ipam.mode`` is kubernetes, not the
    upstream chart's cluster-pool: where the values leave the mode unset, it is RKE2's (and no pool applies)."""
    if config.ipam_mode is None or config.ipam_mode.origin.default is None:
        return config
    return dataclasses.replace(config, ipam_mode=Sourced("kubernetes", dataclasses.replace(
        config.ipam_mode.origin, default=RKE2_CILIUM_IPAM)), pools=(), block_v4=None, block_v6=None)


class HelmControllerSource(ObjectSource):
    """``HelmChart``/``HelmChartConfig`` (helm.cattle.io/v1) of a CNI chart."""

    kind = "helm-controller-chart"
    object_kinds = frozenset({"HelmChart", "HelmChartConfig"})

    def matches(self, obj: Cursor) -> bool:
        return api_group(obj) in ("helm.cattle.io", None) and _chart(obj) is not None

    def read_object(self, obj: Cursor) -> Sequence[object]:
        chart = _chart(obj)
        assert chart is not None
        label, reader = CHART_READERS[chart]
        spec = obj["spec"].mapping()
        content = spec["valuesContent"]
        docs = embedded_yaml(content) if content.value is not None else []
        values = docs[0].data if docs and isinstance(docs[0].data, LineDict) else None
        doc = docs[0] if values is not None else obj.doc
        if values is None:
            values = LineDict()
            values.line, values.key_lines = spec.line or obj.doc.line, {}
        for pair in spec["set"].mapping().value.items():
            key, value = pair
            line = spec["set"].value.line_of(key) if isinstance(spec["set"].value, LineDict) else spec.line
            try:
                assign(values, str(key), str(value), line or 1, "spec.set")
            except InputError as exc:
                raise InputError(exc.message, file=obj.doc.path, line=exc.line) from None
        root = Cursor(doc, values, "spec.valuesContent", values.line)
        config = reader(root)
        if kind_of(obj) == "HelmChartConfig" and name_of(obj) == "rke2-cilium":
            config = _over_rke2_cilium(config)
        note = ReadNote(f"{label} Helm values read from this {kind_of(obj)}'s spec.valuesContent and spec.set; "
                        "the chart's defaults fill in the rest", Origin(file=obj.doc.path, line=obj.line))
        return [as_cluster(config), note]


SOURCES = (HelmControllerSource(),)
