"""Kustomize JSON 6902 patches (``patchesJson6902``, and ``patches`` with an operation list, inline or in a
file) are applied to their target in the kustomization's local resources the way kustomize applies them, and
the patched object is what netblame reads; a patch that cannot be applied is one note, never an error."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from test_pasted_inputs import KUSTOMIZATION

from netblame.api.check import check
from netblame.sources import builtin_sources, load_paths

DATA = Path(__file__).resolve().parent.parent / "data"
FLANNEL = DATA / "kustomize" / "flannel-json6902"
CALICO = DATA / "real" / "upstream-calico-manifest-excerpt" / "calico-yaml-excerpt.yaml"


def notes(path: Path) -> list[str]:
    loaded = load_paths([str(path)], builtin_sources())
    assert not loaded.errors, [str(e) for e in loaded.errors]
    return [i.note for i in loaded.inputs if i.note]


def test_a_replaced_net_conf_is_what_flannel_runs_with() -> None:
    loaded = load_paths([str(FLANNEL)], builtin_sources())
    from netblame.api.check import assemble
    [net] = [s for s in assemble(loaded.fragments) if hasattr(s, "cnis")]
    [flannel] = net.cnis  # the unpatched kube-flannel.yml reading gives way to the patched one
    assert [p.text for p in flannel.pools] == ["10.10.0.0/16"]
    assert flannel.routing is not None and flannel.routing.value == "host-gw"
    assert flannel.pools[0].origin.file is not None and flannel.pools[0].origin.file.endswith("kustomization.yaml")
    assert any("read with JSON 6902 patch `patches[0].patch` applied" in n for n in notes(FLANNEL))


def _kustomization(tmp_path: Path, body: str) -> Path:
    shutil.copy(CALICO, tmp_path / "calico.yaml")
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - calico.yaml\n" + body)
    return tmp_path


def test_patches_json6902_from_a_file_appends_an_env_item(tmp_path: Path) -> None:
    path = _kustomization(tmp_path, """patchesJson6902:
  - target:
      group: apps
      version: v1
      kind: DaemonSet
      name: calico-node
      namespace: kube-system
    path: pool.yaml
""")
    (path / "pool.yaml").write_text("- op: add\n  path: /spec/template/spec/containers/0/env/-\n"
                                    "  value:\n    name: CALICO_IPV4POOL_CIDR\n    value: 10.20.0.0/16\n"
                                    "- op: add\n  path: /metadata/labels/app.kubernetes.io~1part-of\n  value: cni\n")
    from netblame.api.check import assemble
    loaded = load_paths([str(path)], builtin_sources())
    [net] = [s for s in assemble(loaded.fragments) if hasattr(s, "cnis")]
    assert [p.text for c in net.cnis for p in c.pools] == ["10.20.0.0/16"]
    assert any("pool.yaml" in n and "applied" in n for n in notes(path))


@pytest.mark.parametrize(("ops", "said"), [
    ("- op: frobnicate\n  path: /spec\n", "op 'frobnicate' is not one of"),
    ("- op: replace\n  path: /spec/template/spec/containers/7/env\n  value: []\n", "index 7 is past the end"),
    ("- op: remove\n  path: /data/no~1such\n", "does not exist"),
    ("- op: add\n  path: spec/x\n  value: 1\n", "is not a JSON pointer"),
    ("- op: test\n  path: /kind\n  value: Deployment\n", "not the one the test expects"),
    ("- op: copy\n  from: /spec/nothing\n  path: /spec/x\n", "nothing does not exist"),
])
def test_a_patch_that_cannot_be_applied_is_one_note(tmp_path: Path, ops: str, said: str) -> None:
    body = ("patches:\n  - target:\n      kind: DaemonSet\n      name: calico-.*\n    patch: |-\n"
            + "".join(f"      {line}\n" for line in ops.splitlines()))
    path = _kustomization(tmp_path, body)
    [note] = [n for n in notes(path) if "not applied" in n]
    assert "patches[0].patch" in note and said in note and "calico.yaml" in note and "\n" not in note
    report = check([str(path)])
    assert not report.failures and not report.errors  # the resource is still read, unpatched


def test_a_target_outside_the_local_resources_is_noted(tmp_path: Path) -> None:
    # the kustomization of test_pasted_inputs (a remote kube-flannel.yml), its patch turned into operations
    head = textwrap.dedent(KUSTOMIZATION).split("  patch: |-")[0]
    ops = ("  patch: |-\n    - op: replace\n      path: /data/net-conf.json\n"
           "      value: '{\"Network\": \"10.10.0.0/16\"}'\n")
    (tmp_path / "kustomization.yaml").write_text(head + ops)
    [note] = notes(tmp_path)
    assert "ConfigMap kube-flannel-cfg is in no local resource file" in note
