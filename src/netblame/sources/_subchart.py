"""Umbrella Helm charts: a chart that depends on a CNI chart holds that chart's values under the
dependency's name (helm.sh/docs/chart_template_guide/subcharts_and_globals), e.g. ``cilium:``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from netblame._record import Record, record
from netblame.model.cluster import CniConfig, as_cluster
from netblame.sources._base import Document, ReadNote
from netblame.sources._tree import Cursor

# The subchart keys an umbrella chart gives each CNI chart (its name as a dependency, or a usual alias).
SUBCHART_KEYS: dict[str, tuple[str, ...]] = {"cilium": ("cilium",), "flannel": ("flannel", "kube-flannel"),
                                             "calico": ("tigera-operator", "calico")}


def subchart(data: object, chart: str, looks_like: Callable[[object], bool]) -> str | None:
    """The key of ``data`` (an umbrella chart's values) under which ``chart``'s values are nested."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data or looks_like(data):
        return None
    return next((key for key in SUBCHART_KEYS[chart] if looks_like(data.get(key))), None)


def subchart_note(values: Cursor, chart: str) -> ReadNote:
    """The note saying that ``chart``'s values were read from under a subchart key."""
    return ReadNote(f"{chart} Helm values read from the `{values.path}:` block of an umbrella chart's values",
                    values.origin())


@record
class ChartValuesSource(Record):
    """A CNI chart's values file, alone or nested under its subchart key in an umbrella chart's values."""

    kind: str
    chart: str
    label: str
    looks_like: Callable[[object], bool]
    reader: Callable[[Cursor], CniConfig]

    def accepts(self, doc: Document) -> bool:
        return self.looks_like(doc.data) or subchart(doc.data, self.chart, self.looks_like) is not None

    def read(self, doc: Document) -> Sequence[object]:
        key = subchart(doc.data, self.chart, self.looks_like)
        root = Cursor.root(doc)
        if key is None:
            return [as_cluster(self.reader(root))]
        return [as_cluster(self.reader(root[key])), subchart_note(root[key], self.label)]
