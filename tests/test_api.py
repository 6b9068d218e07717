"""The public API: a small sorted ``__all__`` that resolves, loads lazily, and the examples of
docs/api.md, which run here in order from the project's root."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import netblame

ROOT = Path(__file__).resolve().parent.parent


def test_all_is_sorted_and_every_name_resolves() -> None:
    assert netblame.__all__ == sorted(netblame.__all__)
    for name in netblame.__all__:
        assert getattr(netblame, name) is not None, name
    assert {"check", "collect", "trace", "diagnose_dns", "load_snapshot", "save_snapshot", "Report", "Finding",
            "Severity", "Snapshot", "Trace", "Disposition", "DnsReport", "NetblameError"} <= set(netblame.__all__)
    # every command's library call: plan, handoff, choose, explain on logs, map, report
    assert {"make_plan", "handoff", "choose_cni", "explain_log", "explain_line", "make_topology",
            "summarize"} <= set(netblame.__all__)
    for sub in ("netblame.choose", "netblame.topology"):  # importing the subpackages leaves the calls callable
        importlib.import_module(sub)
    assert callable(netblame.choose_cni) and callable(netblame.make_topology)


def test_every_call_stays_a_function_after_every_module_is_imported() -> None:
    """A subpackage named like a public call would replace it on the package once imported."""
    code = ("import importlib, pkgutil, types, netblame\n"
            "for m in pkgutil.walk_packages(netblame.__path__, 'netblame.'):\n"
            "    if not m.name.startswith('netblame.cli') and m.name != 'netblame.__main__':\n"
            "        importlib.import_module(m.name)\n"
            "calls = [n for n in netblame.__all__ if n[0].islower() and n != '__version__']\n"
            "print(sorted(n for n in calls if isinstance(getattr(netblame, n), types.ModuleType)\n"
            "             or not callable(getattr(netblame, n))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout.strip()
    assert out == "[]"


def test_every_exception_is_a_netblame_error() -> None:
    for name in ("InputError", "UsageError", "CollectError", "LabError"):
        assert issubclass(getattr(netblame, name), netblame.NetblameError)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        netblame.nope  # noqa: B018


def test_import_loads_nothing_else() -> None:
    code = ("import sys, netblame; print(sorted(m for m in sys.modules if m.startswith('netblame.')));"
            "print('importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")}).stdout.split("\n")
    assert out[:2] == ["[]", "False"]


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), re.S)


def test_the_api_page_examples_run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = examples()
    assert len(blocks) >= 5
    monkeypatch.chdir(ROOT)
    scope: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), scope)
    out = capsys.readouterr().out
    assert "home.arpa" in out and "--select: E501 is not a rule ID or ID prefix" in out
