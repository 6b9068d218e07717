"""Umbrella Helm charts: a chart that depends on a CNI chart holds that chart's values under the
dependency's name (helm.sh/docs/chart_template_guide/subcharts_and_globals), e.g. ``cilium:``."""

from __future__ import annotations

from collections.abc import Callable

from netblame.sources._base import ReadNote
from netblame.sources._tree import Cursor

# The subchart keys an umbrella chart gives each CNI chart (its name as a dependency, or a usual alias).
SUBCHART_KEYS: dict[str, tuple[str, ...]] = {"cilium": ("cilium",), "flannel": ("flannel", "kube-flannel")}


def subchart(data: object, chart: str, looks_like: Callable[[object], bool]) -> str | None:
    """The key of ``data`` (an umbrella chart's values) under which ``chart``'s values are nested."""
    if not isinstance(data, dict) or "kind" in data or "apiVersion" in data or looks_like(data):
        return None
    return next((key for key in SUBCHART_KEYS[chart] if looks_like(data.get(key))), None)


def subchart_note(values: Cursor, chart: str) -> ReadNote:
    """The note saying that ``chart``'s values were read from under a subchart key."""
    return ReadNote(f"{chart} Helm values read from the `{values.path}:` block of an umbrella chart's values",
                    values.origin())
