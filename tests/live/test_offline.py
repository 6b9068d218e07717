"""Offline import of a captured lab equals the live collection of the same lab, field for field.

The capture is the script docs/offline-capture.md tells users to run, taken from that page, so the page
cannot drift from what the importer reads.
"""

from __future__ import annotations

import os
import re
import subprocess
import tarfile
from pathlib import Path

import msgspec
import pytest
from minilab import PREFIX, MiniLab

from netblame.errors import InputError
from netblame.live.live import collect_namespaces
from netblame.live.offline import import_dir

ROOT = Path(__file__).resolve().parents[2]


def _script(marker: str) -> str:
    text = (ROOT / "docs" / "offline-capture.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    return next(b for b in blocks if marker in b)


@pytest.mark.root
def test_offline_capture_imports_equal_to_live_collection(lab: MiniLab, tmp_path: Path) -> None:
    script = tmp_path / "netblame-capture.sh"
    script.write_text(_script("#!/bin/sh"))
    out = tmp_path / "cap"
    subprocess.run(["sh", str(script), str(out)], check=True, capture_output=True, cwd=tmp_path)
    ino = os.stat(f"/proc/{lab.holder_pid}/ns/net").st_ino
    wanted = {*lab.namespaces, f"netns-{ino}"}
    live = {ns.id: ns for ns in collect_namespaces(only=lambda ref: ref.id in wanted)[0]}
    # The script captured the whole machine; keep the lab's namespaces, as if the lab were all there is.
    # (On a busy machine a veth into an unnamed namespace can match several captures by structure alone.)
    mine = tmp_path / "lab"
    mine.mkdir()
    for key in wanted:
        (out / key).rename(mine / key)
    with tarfile.open(tmp_path / "lab.tar.gz", "w:gz") as tar:
        tar.add(mine, arcname="netblame-capture")
    for source in (str(mine), str(tmp_path / "lab.tar.gz")):
        offline = {ns.id: ns for ns in import_dir(source) if ns.id in wanted}
        assert set(offline) == wanted
        for key in sorted(wanted):
            # Only a live collection can see which processes hold a namespace.
            assert offline[key] == msgspec.structs.replace(live[key], holders=()), key


@pytest.mark.root
def test_per_namespace_one_liner_captures_what_the_importer_reads(lab: MiniLab, tmp_path: Path) -> None:
    ns = f"{PREFIX}n1"
    line = _script("d=capture/NS").replace("NS", ns)
    subprocess.run(["sh", "-c", line], check=True, capture_output=True, cwd=tmp_path)
    (imported,) = import_dir(str(tmp_path / "capture"))
    live = {n.id: n for n in collect_namespaces(only=lambda ref: ref.id == ns)[0]}[ns]
    assert imported.id == ns and not imported.errors
    # Alone, the capture cannot place veth peers in other namespaces, and it does not record the namespace's
    # inode; everything else is the same.
    bare = [msgspec.structs.replace(lk, peer=None) for lk in live.links]
    assert list(imported.links) == bare
    assert msgspec.structs.replace(imported, links=()) == msgspec.structs.replace(live, links=(), inode=None)


def test_import_rejects_a_directory_without_captures(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    with pytest.raises(InputError, match="no namespace captures found"):
        import_dir(str(tmp_path))


def test_import_names_the_file_that_is_not_json(tmp_path: Path) -> None:
    d = tmp_path / "host"
    d.mkdir()
    (d / "addr.json").write_text("[]")
    (d / "route4.json").write_text("Error: something went wrong\n")
    with pytest.raises(InputError, match=r"route4\.json: not valid JSON"):
        import_dir(str(tmp_path))


def test_import_rejects_a_broken_tarball(tmp_path: Path) -> None:
    bad = tmp_path / "cap.tar.gz"
    bad.write_bytes(b"\x1f\x8b not really")
    with pytest.raises(InputError, match="not a readable tarball"):
        import_dir(str(bad))
    good = tmp_path / "ok.tar.gz"
    src = tmp_path / "cap" / "host"
    src.mkdir(parents=True)
    (src / "addr.json").write_text('[{"ifindex":1,"ifname":"lo","flags":["UP"],"mtu":65536,"link_type":"loopback"}]')
    with tarfile.open(good, "w:gz") as tar:
        tar.add(tmp_path / "cap", arcname="cap")
    (ns,) = import_dir(str(good))
    assert [lk.name for lk in ns.links] == ["lo"]


def test_import_errors_inside_a_tarball_name_the_tarball(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "x").mkdir(parents=True)
    with tarfile.open(tmp_path / "empty.tar.gz", "w:gz") as tar:
        tar.add(empty, arcname="empty")
    with pytest.raises(InputError, match="no namespace captures found") as err:
        import_dir(str(tmp_path / "empty.tar.gz"))
    assert err.value.file == str(tmp_path / "empty.tar.gz")
    host = tmp_path / "cap" / "host"
    host.mkdir(parents=True)
    (host / "addr.json").write_text("[]")
    (host / "inode").write_text("not a number\n")
    with tarfile.open(tmp_path / "cap.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "cap", arcname="cap")
    with pytest.raises(InputError, match="inode number") as err:
        import_dir(str(tmp_path / "cap.tar.gz"))
    assert err.value.file == str(tmp_path / "cap.tar.gz" / "cap" / "host" / "inode")
