"""The readers of pasted text never crash: on any text they either read it, pass it over, or raise one
InputError (which the loader turns into one line naming file and line)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from netblame.errors import InputError
from netblame.sources import builtin_sources, load_paths
from netblame.sources.describe_node import looks_like_describe_node
from netblame.sources.helm import helm_commands
from netblame.sources.iproute2_text import looks_like_ip_text, parse_text

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
SAMPLES = [p.read_text() for p in sorted(REAL.glob("*/*")) if p.name != "case.yaml" and p.stat().st_size < 20000]
# Lines cut from the real samples, shuffled and mutated: text that looks almost like the real thing.
LINES = st.sampled_from([line for text in SAMPLES for line in text.splitlines()] or [""])
PASTE = st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=25).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(PASTE)
def test_text_readers_never_crash(text: str) -> None:
    parse_text(text)
    looks_like_ip_text(text)
    looks_like_describe_node(text)
    try:
        helm_commands(text, "x.sh")
    except InputError as exc:
        assert exc.line is not None and "\n" not in exc.message


@settings(max_examples=60, deadline=None)
@given(PASTE)
def test_loader_gives_one_line_errors(tmp_path_factory: object, text: str) -> None:
    directory = tmp_path_factory.mktemp("paste")  # type: ignore[attr-defined]
    path = directory / "pasted.txt"
    path.write_text(text)
    loaded = load_paths([str(path)], builtin_sources())
    for error in loaded.errors:
        assert "\n" not in error.message and "Traceback" not in error.message
