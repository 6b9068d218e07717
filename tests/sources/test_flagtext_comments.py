"""Comments in pasted command lines are read the way bash reads them, and bash is the oracle: each text is run
by bash with the program replaced by a function that prints its arguments, and netblame must find the same
flags. A comment inside a ``\\``-continued command ends it (the ``\\`` inside the comment continues nothing), and
``\\`` before a blank escapes the blank instead of continuing the line; the lines after are a command of their own.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from source_helpers import Reader

from netblame.sources.cmdline import invocations

PROGRAM = "kube-controller-manager"
FORMS = {
    "commented-out flag line": (f"{PROGRAM} \\\n  --allocate-node-cidrs=true \\\n  # --cluster-cidr=10.0.0.0/8 \\\n"
                                "  --node-cidr-mask-size=24\n"),
    "comment ending in a backslash": (f"{PROGRAM} \\\n  --allocate-node-cidrs=true # pods \\\n"
                                      "  --cluster-cidr=10.0.0.0/8\n"),
    "escaped blank then comment": (f"{PROGRAM} \\\n  --cluster-cidr=10.0.0.0/8 \\ # pod range\n"
                                   "  --node-cidr-mask-size=24\n"),
    "escaped blank, two blanks": f"{PROGRAM} \\\n  --cluster-cidr=10.0.0.0/8 \\  # pods\n  --node-cidr-mask-size=24\n",
    "comment after the last flag": (f"{PROGRAM} \\\n  --cluster-cidr=10.0.0.0/8 \\\n"
                                    "  --node-cidr-mask-size=24 # per node\n"),
    "hash inside a word and quotes": f"{PROGRAM} --a=x#y \\\n  --b='#c' \\\n  --cluster-cidr=10.0.0.0/8\n",
    "plain continuation": f"{PROGRAM} \\\n  --cluster-cidr=10.0.0.0/8 \\\n  --node-cidr-mask-size=24\n",
}


def bash_flags(text: str) -> list[str]:
    """The flags bash passes to the program when it runs ``text``."""
    script = f"{PROGRAM}() {{ printf '%s\\n' \"$@\"; }}\n{text}"
    run = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=30, check=False)
    return [line for line in run.stdout.splitlines() if line.startswith("-")]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_flags_found_are_the_flags_bash_passes(form: str) -> None:
    text = FORMS[form]
    [found] = invocations(text)
    assert [t.text for t in found.args if t.text.startswith("-")] == bash_flags(text)


def test_a_commented_out_flag_is_no_value_and_the_cut_is_noted(read: Reader) -> None:
    loaded = read(kcm__sh=FORMS["commented-out flag line"])
    [note] = [i.note for i in loaded.inputs]
    assert note is not None and note.startswith("line 3: a comment ends this kube-controller-manager command")
    assert "--cluster-cidr=10.0.0.0/8 is commented out" in note and "--node-cidr-mask-size on line 4" in note
    from source_helpers import cluster_of
    net = cluster_of(loaded)
    assert net.pod_cidrs == () and net.node_mask_v4 is None  # neither the commented flag nor the orphan is read


def test_an_escaped_blank_is_noted(read: Reader) -> None:
    [note] = [i.note for i in read(kcm__sh=FORMS["escaped blank then comment"]).inputs]
    assert note is not None and "before a blank escapes the blank" in note and "line 3" in note


@pytest.mark.parametrize("form", ["comment after the last flag", "plain continuation", "hash inside a word and quotes"])
def test_nothing_is_noted_where_nothing_was_cut(read: Reader, form: str) -> None:
    assert not any(i.note for i in read(kcm__sh=FORMS[form]).inputs)


def test_helm_set_lines_are_cut_where_bash_cuts_them(read: Reader) -> None:
    from source_helpers import only_cni
    cilium = only_cni(read(install__sh="helm install cilium cilium/cilium \\\n  --set ipam.mode=kubernetes \\\n"
                                       "  # --set ipam.mode=cluster-pool \\\n  --set routingMode=native\n"))
    assert cilium.ipam_mode is not None and cilium.ipam_mode.value == "kubernetes"
    assert cilium.routing is not None and cilium.routing.origin.default is not None  # --set routingMode was cut off


UNIT = """[Service]
ExecStart=/usr/local/bin/kube-controller-manager \\
  --allocate-node-cidrs=true \\
  # --cluster-cidr=10.0.0.0/8 \\
  --node-cidr-mask-size=26
"""


def test_in_a_systemd_unit_a_comment_line_is_skipped_and_the_line_goes_on(read: Reader) -> None:
    # systemd.syntax(7): "When a comment line or lines follow a line ending with a backslash, the comment block is
    # ignored, so the continued line is concatenated with whatever follows the comment block."
    [found] = invocations(UNIT)
    assert [t.text for t in found.args] == ["--allocate-node-cidrs=true", "--node-cidr-mask-size=26"]
    loaded = read(kcm__service=UNIT)
    [note] = [i.note for i in loaded.inputs if i.note]
    assert "skipped, as systemd does" in note and "--cluster-cidr=10.0.0.0/8 is commented out" in note
    from source_helpers import cluster_of
    net = cluster_of(loaded)
    assert net.pod_cidrs == () and net.node_mask_v4 is not None and net.node_mask_v4.value == 26


def test_the_same_lines_in_a_script_end_where_bash_ends_them() -> None:
    script = UNIT.replace("[Service]\nExecStart=/usr/local/bin/", "")
    [found] = invocations(script)
    assert [t.text for t in found.args] == ["--allocate-node-cidrs=true"] == bash_flags(script)


@pytest.mark.parametrize(("text", "flags"), [
    # tests/data/rulesets/README.md: prose naming a program, with other tools' options further on
    ("running Flannel and kube-proxy in iptables mode: `statistic --probability 0.5`, `MASQUERADE --random-fully`\n",
     None),
    ("kubelet $KUBELET_EXTRA_ARGS --max-pods 50\n", ["--max-pods", "50"]),
    ("kubeadm join 192.168.1.10:6443 --token abc --discovery-token-ca-cert-hash sha256:x\n",
     ["192.168.1.10:6443", "--token", "abc", "--discovery-token-ca-cert-hash", "sha256:x"]),
    ("kube-proxy --cluster-cidr 10.244.0.0/16 --v 2 extra --healthz-port 0\n", ["--cluster-cidr", "10.244.0.0/16",
                                                                               "--v", "2"]),
])
def test_a_program_takes_no_bare_word_that_is_no_flags_value(text: str, flags: list[str] | None) -> None:
    found = invocations(text)
    assert (None if not found else [t.text for t in found[0].args if t.text != "$KUBELET_EXTRA_ARGS"]) == flags
