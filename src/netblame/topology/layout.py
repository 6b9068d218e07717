"""Positions for every leaf of a view, computed here so a browser never runs a force layout.

Boxes are packed in shelves: a box's ports sit in a small grid at its top, its inner boxes in rows
below; at the top level the physical side comes first, then the node boxes in rows. Linear in the
number of vertices, deterministic, and readable for a rack of boxes (which is what a cluster is).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from netblame.topology.model import Edge, Vertex

CELL_W = 130.0
CELL_H = 70.0
PAD = 40.0
GAP = 30.0
ROLE_ORDER = {"device": 0, "vlan": 0, "bond": 0, "lan": 0, "router": 1, "bridge": 2, "veth": 3, "pods": 4}


def _order(v: Vertex) -> tuple[bool, int, str]:
    """A box's own devices first (uplink, tunnels, bridges), then the bridges' ports."""
    return (any(k == "master" for k, _ in v.details), ROLE_ORDER.get(v.role, 1), v.label)


def pack(  # noqa: PLR0915 -- two nested closures sharing the size table
vertices: Sequence[Vertex], edges: Sequence[Edge] = ()) -> dict[str, tuple[float, float]]:
    """Absolute centre of every leaf vertex (compound boxes take their size from their children)."""
    del edges  # the shelf layout does not need them; kept for a layout that would
    ids = {v.id for v in vertices}
    kind_of = {v.id: v.kind for v in vertices}
    kids: dict[str | None, list[Vertex]] = {}
    for v in vertices:
        kids.setdefault(v.parent if v.parent in ids else None, []).append(v)
    sizes: dict[str, tuple[float, float]] = {}

    def split(vid: str | None) -> tuple[list[Vertex], list[Vertex]]:
        children = kids.get(vid, [])
        leaves = sorted((c for c in children if c.id not in kids), key=_order)
        boxes = [c for c in children if c.id in kids]
        if vid is None:
            boxes.sort(key=lambda b: b.kind != "fabric")
        return leaves, boxes

    def shelf_width(boxes: list[Vertex]) -> float:
        area = sum(sizes[b.id][0] * sizes[b.id][1] for b in boxes)
        widest = max((sizes[b.id][0] for b in boxes), default=0.0)
        return max(widest, math.sqrt(area) * 1.6)

    def measure(vid: str | None) -> tuple[float, float]:
        leaves, boxes = split(vid)
        for b in boxes:
            sizes[b.id] = measure(b.id)
        if vid is not None and kind_of[vid] == "node" and boxes and leaves:  # the folded pods go under the host
            w = max(sizes[b.id][0] for b in boxes)
            h = sum(sizes[b.id][1] + GAP for b in boxes) + (CELL_H if leaves else 0.0)
            return max(w, len(leaves) * CELL_W) + PAD, h + PAD
        cols = min(len(leaves), 4 if vid is not None else 8) or 1
        rows = math.ceil(len(leaves) / cols)
        width, height = cols * CELL_W if leaves else 0.0, rows * CELL_H
        limit = max(width, shelf_width(boxes))
        x = y_row = row_h = 0.0
        for b in boxes:
            w, h = sizes[b.id]
            if x > 0 and x + w > limit:
                y_row += row_h + GAP
                x = row_h = 0.0
            x += w + GAP
            row_h = max(row_h, h)
            width = max(width, x - GAP)
        if boxes:
            height += y_row + row_h + (GAP if leaves else 0.0)
        return width + PAD, height + PAD

    positions: dict[str, tuple[float, float]] = {}

    def place(vid: str | None, left: float, top: float) -> None:
        leaves, boxes = split(vid)
        if vid is not None and kind_of[vid] == "node" and boxes and leaves:
            y = top + PAD / 2
            for b in boxes:
                place(b.id, left + PAD / 2, y)
                y += sizes[b.id][1] + GAP
            for i, leaf in enumerate(leaves):
                positions[leaf.id] = (left + PAD / 2 + (i + 0.5) * CELL_W, y + CELL_H / 2 - GAP / 2)
            return
        cols = min(len(leaves), 4 if vid is not None else 8) or 1
        inner_l, inner_t = left + PAD / 2, top + PAD / 2
        for i, leaf in enumerate(leaves):
            positions[leaf.id] = (inner_l + (i % cols + 0.5) * CELL_W, inner_t + (i // cols + 0.5) * CELL_H)
        y0 = inner_t + math.ceil(len(leaves) / cols) * CELL_H + (GAP if leaves else 0.0)
        width = sizes[vid][0] - PAD if vid is not None else max(cols * CELL_W, shelf_width(boxes))
        limit = max(width, shelf_width(boxes))
        x, y, row_h = inner_l, y0, 0.0
        for b in boxes:
            w, h = sizes[b.id]
            if x > inner_l and x - inner_l + w > limit:
                y += row_h + GAP
                x, row_h = inner_l, 0.0
            place(b.id, x, y)
            x += w + GAP
            row_h = max(row_h, h)

    measure(None)
    place(None, 0.0, 0.0)
    return positions
