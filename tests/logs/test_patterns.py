"""The log-line catalogue: every pattern recognises its real example as itself, every format string it
is built from, and nothing else; a real log is summarised per pattern with counts and first lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netblame.logs import PATTERNS, Component, LogPattern, recognise, regex_from_format, summarise
from netblame.logs.docs import render_doc

DATA = Path(__file__).parent.parent / "data" / "logs"
DOCS = Path(__file__).parents[2] / "docs" / "explain.md"
INSTANTIATED = "the upstream format string, instantiated"


def test_at_least_thirty_patterns_with_unique_ids() -> None:
    ids = [p.id for p in PATTERNS]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


def test_every_component_the_command_promises_is_covered() -> None:
    covered = {p.component for p in PATTERNS}
    for wanted in (Component.KUBE_CONTROLLER_MANAGER, Component.KUBELET, Component.KUBE_PROXY, Component.FLANNEL,
                   Component.CILIUM_AGENT, Component.CILIUM_OPERATOR, Component.CALICO, Component.COREDNS):
        assert wanted in covered, wanted


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_pattern_names_its_sources(pattern: LogPattern) -> None:
    assert "https://" in pattern.source, "every pattern cites a URL"
    assert pattern.example_source.startswith(("https://", INSTANTIATED)) or "https://" in pattern.example_source
    assert pattern.meaning and pattern.next_step
    for rule in pattern.rules:
        assert re.fullmatch(r"NB\d{3}", rule)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_real_example_is_recognised_as_its_own_pattern(pattern: LogPattern) -> None:
    match = recognise(pattern.example)
    assert match is not None, pattern.example
    assert match.pattern.id == pattern.id


def _instantiate(fmt: str) -> str:
    return re.sub(r"%[-+# 0-9.]*([svdqwT])",
                  lambda m: {"d": "24", "q": '"pi-2"'}.get(m.group(1), "10.0.0.0/8"), fmt)


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_each_format_string_instantiated_is_recognised(pattern: LogPattern) -> None:
    for fmt in pattern.formats:
        match = recognise("E1201 10:00:00.000000 1 x.go:1] " + _instantiate(fmt))
        assert match is not None and match.pattern.id == pattern.id, fmt


@pytest.mark.parametrize("line", [
    "I0312 02:59:28.203235       1 event.go:291] Starting kube subnet manager",
    "level=info msg=\"Establishing connection to apiserver\" host=\"https://10.96.0.1:443\"",
    "[INFO] plugin/reload: Running configuration MD5 = c01130958998acfddd4a8e74c3ad5d68",
    "",
])
def test_ordinary_lines_are_not_recognised(line: str) -> None:
    assert recognise(line) is None


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30)


@given(literal_a=_TEXT, literal_b=_TEXT, value=_TEXT, number=st.integers(-10**6, 10**6), quoted=_TEXT)
def test_regex_from_format_matches_any_filling(literal_a: str, literal_b: str, value: str, number: int,
                                               quoted: str) -> None:
    literal_a, literal_b = literal_a.replace("%", ""), literal_b.replace("%", "")
    quoted = quoted.replace('"', "")
    fmt = f"{literal_a}%s{literal_b}%d %q end"
    line = f"{literal_a}{value}{literal_b}{number} \"{quoted}\" end"
    assert re.search(regex_from_format(fmt), line, flags=re.DOTALL)
    # a structured logger escapes the quotes of %q and of literal quotes alike
    assert re.search(regex_from_format(fmt), line.replace('"', '\\"'), flags=re.DOTALL)


def test_regex_from_format_keeps_literal_text_literal() -> None:
    rx = regex_from_format("mask (%d) and node-mask (%d) difference is greater than %d")
    assert re.search(rx, "mask (16) and node-mask (64) difference is greater than 16")
    assert not re.search(rx, "mask 16 and node-mask 64 difference is greater than 16")


def test_a_real_log_is_summarised_per_pattern_with_counts_and_first_lines() -> None:
    lines = (DATA / "kcm-flannel.log").read_text().splitlines()
    summary = summarise(lines)
    assert summary.lines_read == 12
    got = [(c.pattern.id, c.count, c.first_line) for c in summary.counts]
    assert got == [
        ("kcm-allocate-cidr-failed", 3, 1),
        ("kcm-cidr-not-available-event", 3, 2),
        ("flannel-pod-cidr-not-assigned", 3, 7),
        ("coredns-upstream-timeout", 1, 12),
    ]
    assert summary.recognised_lines == 10
    assert summary.counts[2].first_text.startswith("E0519 00:37:28.550351")


def test_docs_page_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_doc(), \
        "docs/explain.md drifted: run `python -m netblame.logs.docs docs/explain.md`"


def test_docs_page_lists_every_pattern_with_its_source() -> None:
    page = render_doc()
    for p in PATTERNS:
        assert f"`{p.id}`" in page


def _brute_force(line: str) -> str | None:
    for pattern in PATTERNS:
        if pattern.compiled().search(line):
            return pattern.id
    return None


@given(prefix=_TEXT, suffix=_TEXT, pick=st.integers(0, 10**6), filler=_TEXT)
def test_the_indexed_matcher_agrees_with_trying_every_regex(prefix: str, suffix: str, pick: int,
                                                           filler: str) -> None:
    pattern = PATTERNS[pick % len(PATTERNS)]
    fmt = pattern.formats[pick % len(pattern.formats)]
    body = re.sub(r"%[-+# 0-9.]*([svdqwT])", lambda m: filler.replace("%", "") or "x", fmt)
    for line in (prefix + body + suffix, prefix + suffix, body.replace('"', '\\"')):
        found = recognise(line)
        assert (found.pattern.id if found else None) == _brute_force(line), line
