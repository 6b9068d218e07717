"""The import direction between netblame's packages (docs/architecture.md): files flow through
sources/ and live/ into the model, analyses are pure functions of the model, render/ only shows
and cli/ only wires arguments to the library. A back-arrow fails here."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import netblame

PACKAGE = Path(netblame.__file__).parent
ANALYSES = {"checks", "choose", "dataplane", "dns", "logs", "plan", "topology", "underlay"}
BASE = {"errors", "findings", "ipmath", "model", "_gc"}

# package -> the netblame packages it may not import
FORBIDDEN: dict[str, set[str]] = {
    "model": {"sources", "live", "api", "cli", "render", "lab", "findings", *ANALYSES},
    "sources": {"live", "api", "cli", "render", "lab", *ANALYSES},
    "live": {"api", "cli", "render", "checks", "plan", "dataplane", "choose", "logs", "underlay"},
    **{name: {"sources", "live", "api", "cli", "render", "lab"} for name in ANALYSES},
    "dns": {"sources", "live", "api", "cli", "render", "lab", "checks", "dataplane", "plan"},
    "plan": {"sources", "live", "api", "cli", "render", "lab", "checks", "dataplane", "dns"},
    "render": {"sources", "api", "cli"},
    "api": {"cli", "render"},
    "summary": {"cli", "render"},  # what report shows: a library call like api/'s
    "lab": {"api", "cli", "render", "sources", "checks", "dns", "plan"},
}


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every netblame module ``path`` imports, at any depth (lazy imports inside functions included)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)


def package_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def test_no_back_arrows() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = package_of(path)
        for line, module in imports(path):
            parts = module.split(".")
            if parts[0] != "netblame" or len(parts) < 2:
                continue
            target = parts[1]
            if target in FORBIDDEN.get(own, set()):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {own} imports {module}")
    assert wrong == []


def test_no_reaching_into_another_packages_private_modules() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = package_of(path)
        for line, module in imports(path):
            parts = module.split(".")
            if parts[0] != "netblame" or len(parts) < 3:
                continue
            private = any(p.startswith("_") for p in parts[2:])
            if private and parts[1] != own:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {own} imports {module}")
    assert wrong == []


def test_only_the_command_line_imports_it() -> None:
    wrong = [f"{path.relative_to(PACKAGE)}:{line}"
             for path in sorted(PACKAGE.rglob("*.py")) if package_of(path) not in {"cli", "__main__"}
             for line, module in imports(path) if module.startswith("netblame.cli")]
    assert wrong == []


def test_the_rule_finds_a_back_arrow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f() -> None:\n    from netblame.cli.main import cli\n")
    assert list(imports(bad)) == [(2, "netblame.cli.main")]


# Modules that read files, sockets or processes (dnspython and scapy send packets). pathlib is left out:
# PurePath only splits names.
IO_MODULES = {"os", "socket", "subprocess", "shutil", "tempfile", "select", "fcntl", "io", "dns", "scapy"}


def test_analyses_do_no_io() -> None:
    """dns/, plan/, underlay/, choose/, logs/, topology/ and the netfilter model are pure: they import no
    module that reads files, sockets or processes (choose's node facts come from live/machine_facts.py)."""
    wrong = []
    for name in ("dns", "plan", "underlay", "choose", "logs", "topology", "dataplane/netfilter"):
        for path in sorted((PACKAGE / name).rglob("*.py")):
            for line, module in imports(path):
                if module.split(".")[0] in IO_MODULES:
                    wrong.append(f"{path.relative_to(PACKAGE)}:{line}: imports {module}")
    assert wrong == []


def test_tests_use_no_private_module() -> None:
    """Tests and benchmarks import public modules only, so a private module can change freely."""
    here = Path(__file__).resolve().parent
    wrong = []
    for path in sorted([*here.rglob("*.py"), *(here.parent / "benchmarks").rglob("*.py")]):
        for line, module in imports(path):
            parts = module.split(".")
            if parts[0] == "netblame" and any(p.startswith("_") for p in parts[1:]):
                wrong.append(f"{path.name}:{line}: {module}")
    assert wrong == []


# What cli/ may import from netblame: the library calls, the public package, the renderers, errors and exit
# codes. Decoding (msgspec, orjson, json, yaml), address arithmetic (ipaddress), live reads (socket) and the
# analyses belong behind a call in api/.
CLI_MAY_IMPORT = {"netblame", "netblame.api", "netblame.render", "netblame.cli", "netblame.errors",
                  "netblame.exit_codes"}
CLI_FORBIDDEN_MODULES = {"msgspec", "orjson", "json", "yaml", "ipaddress", "socket"}
# (cli module, imported module) -> why it must stay
CLI_ALLOWED = {
    ("map.py", "netblame._gc"): "pauses the garbage collector while a large map is drawn; no analysis",
}


# The command line parses with the standard library's argparse: a framework (click some 47 ms to import,
# typer more) costs more than a whole small `check`. rich is for other commands' renderers and is imported
# only inside the function that draws, never when a cli/ module is imported.
CLI_NO_FRAMEWORK = {"click", "typer"}


def module_level_imports(path: Path) -> Iterator[tuple[int, str]]:
    """The modules ``path`` imports when it is imported (not those inside functions)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)


def test_the_command_line_uses_no_framework_and_loads_rich_lazily() -> None:
    wrong = [f"cli/{path.name}:{line}: imports {module}"
             for path in sorted((PACKAGE / "cli").rglob("*.py")) for line, module in imports(path)
             if module.split(".")[0] in CLI_NO_FRAMEWORK]
    wrong += [f"{path.relative_to(PACKAGE)}:{line}: imports {module} when imported"
              for path in sorted([*(PACKAGE / "cli").rglob("*.py"), PACKAGE / "render" / "report_table.py",
                                  PACKAGE / "render" / "terminal.py"])
              for line, module in module_level_imports(path) if module.split(".")[0] == "rich"]
    assert wrong == []


def cli_import_problems(path: Path, name: str) -> list[str]:
    wrong = []
    for line, module in imports(path):
        if (name, module) in CLI_ALLOWED:
            continue
        top = module.split(".")[0]
        library = module in CLI_MAY_IMPORT or any(module.startswith(f"{m}.") for m in CLI_MAY_IMPORT - {"netblame"})
        if top in CLI_FORBIDDEN_MODULES or (top == "netblame" and not library):
            wrong.append(f"cli/{name}:{line}: imports {module}")
    return wrong


def test_the_command_line_only_calls_the_library() -> None:
    """cli/ wires arguments to the library and a renderer: no decoding, no analysis of its own."""
    wrong = [problem for path in sorted((PACKAGE / "cli").rglob("*.py"))
             for problem in cli_import_problems(path, str(path.relative_to(PACKAGE / "cli")))]
    assert wrong == []


def test_every_cli_allowance_is_still_needed() -> None:
    used = {(str(path.relative_to(PACKAGE / "cli")), module)
            for path in (PACKAGE / "cli").rglob("*.py") for _, module in imports(path)}
    assert set(CLI_ALLOWED) <= used


def test_the_cli_rule_finds_decoding_and_analysis(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import msgspec\nfrom netblame.checks import default_registry\nfrom netblame import Report\n"
                   "from netblame.api.lab import up\n")
    assert cli_import_problems(bad, "bad.py") == ["cli/bad.py:1: imports msgspec",
                                                  "cli/bad.py:2: imports netblame.checks"]
