"""Snapshot files: round trip, schema check, atomic write, and the typed decoder's errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.checks.node.examples import two_nodes
from netblame.errors import InputError
from netblame.live.snapshot_io import encode_snapshot, save_snapshot
from netblame.model.snapshot import Link, Namespace, Node, Snapshot
from netblame.sources.snapshot import decode_snapshot, load_snapshot


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    snap = decode_snapshot(two_nodes())
    target = tmp_path / "s.json"
    save_snapshot(snap, target)
    assert load_snapshot(target) == snap
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"], "no temporary file left behind"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=15), st.integers(68, 65535), st.booleans()), max_size=20))
def test_any_links_survive_encoding(rows: list[tuple[str, int, bool]]) -> None:
    links = tuple(Link(ifindex=i, name=n, kind="veth", mtu=m, admin_up=u, oper_state="UP", info={"x": [i, n]})
                  for i, (n, m, u) in enumerate(rows))
    snap = Snapshot(nodes=(Node(name="a", namespaces=(Namespace(id="h", role="host", links=links),)),))
    assert decode_snapshot(encode_snapshot(snap)) == snap


def test_other_schema_is_refused_with_one_line() -> None:
    with pytest.raises(InputError, match=r"schema is 'netblame/snapshot/v2'; this netblame reads") as err:
        decode_snapshot(b'{"schema": "netblame/snapshot/v2", "nodes": []}', "s.json")
    assert str(err.value).startswith("s.json: ") and "\n" not in str(err.value)


def test_missing_schema_and_non_json_are_refused() -> None:
    with pytest.raises(InputError, match="schema is None"):
        decode_snapshot(b'{"nodes": []}')
    with pytest.raises(InputError, match="not a netblame snapshot"):
        decode_snapshot(b"[1, 2")


def test_bad_field_names_where() -> None:
    data = json.loads(two_nodes())
    data["nodes"][0]["namespaces"][0]["links"][0]["mtu"] = "big"
    where = r"\$.nodes\[0\].namespaces\[0\].links\[0\].mtu"
    with pytest.raises(InputError, match=rf"Expected `int`, got `str` - at `{where}`"):
        decode_snapshot(json.dumps(data))


def test_newer_fields_are_ignored() -> None:
    data = json.loads(two_nodes())
    data["nodes"][0]["future"] = {"x": 1}
    assert decode_snapshot(json.dumps(data)).nodes[0].name == "n1"


def test_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "s.json"
    target.write_text("old")
    bad = Snapshot(nodes=(Node(name="a", namespaces=(Namespace(id="h", role="host", sysctls={"k": object()}),)),))
    with pytest.raises(TypeError):
        save_snapshot(bad, target)  # type: ignore[arg-type]
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
