#!/usr/bin/env bash
# Refresh the JavaScript that the HTML map inlines: install the pinned packages from package-lock.json
# (install scripts off), copy each one's minified browser bundle and licence into the Python package,
# and write a manifest (name, version, sha256 of every copied file). The copies are committed, so
# building or installing netblame never needs npm. Run after changing package.json; CI may re-run it
# and diff.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
assets="$here/../../src/netblame/render/assets"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --silent)
mkdir -p "$assets"
python3 - "$work/node_modules" "$assets" <<'PY'
import hashlib, json, shutil, sys
from pathlib import Path

modules, assets = Path(sys.argv[1]), Path(sys.argv[2])
# package -> the files to copy (source inside the package, name inside assets/)
wanted = {"cytoscape": [("dist/cytoscape.min.js", "cytoscape.min.js"), ("LICENSE", "cytoscape.LICENSE")]}
manifest = []
for name, files in wanted.items():
    meta = json.loads((modules / name / "package.json").read_text())
    entry = {"name": name, "version": meta["version"], "license": meta.get("license", ""), "files": {}}
    for src, dst in files:
        shutil.copyfile(modules / name / src, assets / dst)
        entry["files"][dst] = hashlib.sha256((assets / dst).read_bytes()).hexdigest()
    manifest.append(entry)
(assets / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
print("\n".join(f"{e['name']} {e['version']}" for e in manifest))
PY
