"""What a node's own files say about its software: the systemd version from the Debian package database
(``/var/lib/dpkg/status``, deb-control(5) stanzas: ``Package:``, ``Status:``, ``Version:``) and the
distribution from ``/etc/os-release`` (os-release(5): ``PRETTY_NAME=``, ``ID=``, ``VERSION_ID=``).

Rules whose outcome depends on the systemd release read the version from here; where the tree does not
show it, they say which version they assume.
"""

from __future__ import annotations

import re

from netblame.model.origin import Origin, Sourced

_OS_RELEASE = re.compile(r'^([A-Z_][A-Z0-9_]*)=(.*)$')


def looks_like_dpkg_status(text: str) -> bool:
    """True for dpkg's status database: stanzas that start with ``Package:`` and have ``Status:``."""
    return text.lstrip().startswith("Package: ") and "\nStatus: " in text[:4096]


def systemd_version(text: str, display: str) -> Sourced[str] | None:
    """The installed version of the ``systemd`` package (``252.22-1~deb12u1``), with its line."""
    package: str | None = None
    installed = False
    version: Sourced[str] | None = None
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if not line.strip():  # end of a stanza
            if package == "systemd" and installed and version is not None:
                return version
            package, installed, version = None, False, None
        elif line.startswith("Package: "):
            package = line[9:].strip()
        elif line.startswith("Status: "):
            installed = line.split()[-1] == "installed"
        elif line.startswith("Version: "):
            version = Sourced(line[9:].strip(), Origin(file=display, line=number))
    return None


def looks_like_os_release(text: str) -> bool:
    """True for os-release(5): only ``KEY=value`` lines (and comments), with ``ID=`` and a name."""
    keys = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _OS_RELEASE.match(line)
        if match is None:
            return False
        keys.add(match.group(1))
    return "ID" in keys and bool({"NAME", "PRETTY_NAME"} & keys)


def os_release_name(text: str, display: str) -> Sourced[str] | None:
    """``PRETTY_NAME`` (else ``NAME`` and ``VERSION_ID``) of an os-release file, with its line."""
    values: dict[str, tuple[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        match = _OS_RELEASE.match(raw.strip())
        if match is not None:
            values[match.group(1)] = (match.group(2).strip().strip("\"'"), number)
    if "PRETTY_NAME" in values:
        name, line = values["PRETTY_NAME"]
    elif "NAME" in values:
        name, line = values["NAME"]
        name = f"{name} {values.get('VERSION_ID', ('', 0))[0]}".strip()
    else:
        return None
    return Sourced(name, Origin(file=display, line=line))
