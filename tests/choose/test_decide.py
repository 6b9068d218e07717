"""choose's decision: the three answers the command promises, with their reasons; every cell of the
table names a source; the ranking never prefers a ruled-out candidate."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from netblame.choose import CANDIDATES, NEEDS, Arch, Constraints, Support, decide
from netblame.choose.docs import render_doc

DOCS = Path(__file__).parents[2] / "docs" / "choose.md"


def _reason(decision_reasons: tuple[str, ...], start: str) -> str:
    found = [r for r in decision_reasons if r.startswith(start)]
    assert found, f"no reason starting {start!r} in {decision_reasons}"
    return found[0]


def test_every_cell_of_every_candidate_has_a_source() -> None:
    assert {c.key for c in CANDIDATES} >= {"cilium", "calico", "flannel", "k3s-flannel", "kube-router", "antrea"}
    for candidate in CANDIDATES:
        names = [name for name, _ in candidate.cells()]
        assert set(NEEDS) <= set(names), candidate.key
        for name, cell in candidate.cells():
            assert "https://" in cell.source, f"{candidate.key}.{name} has no source URL"


def test_pi3_armv7_1g_gets_k3s_flannel_because_cilium_and_calico_have_no_32bit_images() -> None:
    d = decide(Constraints(arch=Arch.ARMV7, ram_mib=1024))
    assert d.recommended is not None and d.recommended.candidate.key == "k3s-flannel"
    assert "k3s-io/docs" in _reason(d.reasons, "runs on armv7")
    assert "covers the 512 MiB asked" in _reason(d.reasons, "1024 MiB per node")
    cilium = _reason(d.reasons, "Cilium ruled out")
    assert "no armv7 images" in cilium and "docs.cilium.io" in cilium
    assert "no armv7 images" in _reason(d.reasons, "Calico ruled out")
    assert "below the 2048 MiB asked" in _reason(d.reasons, "Flannel ranks lower")
    assert any("server 2 GB" in t for t in d.trade_offs)


def test_pi4_arm64_4g_without_needs_gets_plain_flannel_as_the_lightest() -> None:
    d = decide(Constraints(arch=Arch.ARM64, ram_mib=4096))
    assert d.recommended is not None and d.recommended.candidate.key == "flannel"
    assert "kube-flannel requests 50Mi" in _reason(d.reasons, "nothing special is needed")
    assert "instead of the distribution" in _reason(d.reasons, "k3s (bundled Flannel) ranks lower")
    assert "250Mi" in _reason(d.reasons, "kube-router ranks lower")
    assert all(a.viable for a in d.ranked), "every candidate runs on a 4 GB arm64 node"


def test_amd64_needing_l7_policy_and_encryption_gets_cilium() -> None:
    d = decide(Constraints(arch=Arch.AMD64, needs=frozenset({"l7-policy", "encryption"})))
    assert d.recommended is not None and d.recommended.candidate.key == "cilium"
    assert "docs.cilium.io/en/latest/security/policy/layer7" in _reason(d.reasons, "provides l7-policy")
    assert "WireGuard" in _reason(d.reasons, "provides encryption")
    assert "alpha" in _reason(d.reasons, "Antrea ranks lower")
    assert "Enterprise only" in _reason(d.reasons, "Calico ruled out")
    for key in ("flannel", "kube-router", "k3s-flannel", "calico"):
        assert not next(a for a in d.ranked if a.candidate.key == key).viable


def test_the_three_answers_differ() -> None:
    picks = {decide(c).recommended.candidate.key  # type: ignore[union-attr]
             for c in (Constraints(arch=Arch.ARMV7, ram_mib=1024), Constraints(arch=Arch.ARM64, ram_mib=4096),
                       Constraints(arch=Arch.AMD64, needs=frozenset({"l7-policy", "encryption"})))}
    assert len(picks) == 3


def test_old_kernel_rules_out_calico_and_cilium() -> None:
    d = decide(Constraints(kernel=(4, 19)))
    blocked = {a.candidate.key for a in d.ranked if not a.viable}
    assert blocked == {"calico", "cilium"}


def test_one_node_cluster_asks_k3s_for_a_servers_ram() -> None:
    many = decide(Constraints(arch=Arch.ARMV7, ram_mib=1024, nodes=4))
    one = decide(Constraints(arch=Arch.ARMV7, ram_mib=1024, nodes=1))
    k3s_many = next(a for a in many.ranked if a.candidate.key == "k3s-flannel")
    k3s_one = next(a for a in one.ranked if a.candidate.key == "k3s-flannel")
    assert not k3s_many.warnings
    assert k3s_one.warnings and "2048 MiB" in k3s_one.warnings[0].text


def test_nothing_fits_l7_policy_on_a_4_4_kernel() -> None:
    d = decide(Constraints(kernel=(4, 4), needs=frozenset({"l7-policy"})))
    assert d.recommended is None and d.reasons == ()
    antrea = next(a for a in d.ranked if a.candidate.key == "antrea")
    assert "older than the 4.6" in antrea.blockers[0].text


@given(arch=st.sampled_from([None, *Arch]), kernel=st.none() | st.tuples(st.integers(3, 7), st.integers(0, 20)),
       ram=st.none() | st.integers(256, 65536), needs=st.sets(st.sampled_from(NEEDS)))
def test_ranking_puts_viable_first_and_the_pick_meets_every_need(arch: Arch | None, kernel: tuple[int, int] | None,
                                                                 ram: int | None, needs: set[str]) -> None:
    d = decide(Constraints(arch=arch, kernel=kernel, ram_mib=ram, needs=frozenset(needs)))
    viable = [a.viable for a in d.ranked]
    assert viable == sorted(viable, reverse=True)
    if d.recommended is not None:
        c = d.recommended.candidate
        assert all(c.feature(n).value is not Support.NO for n in needs)
        assert arch is None or arch in c.archs.value
    # asking for more never makes a ruled-out candidate fit
    more = decide(Constraints(arch=arch, kernel=kernel, ram_mib=ram, needs=frozenset(needs) | {"encryption"}))
    for a in d.ranked:
        if not a.viable:
            assert not next(b for b in more.ranked if b.candidate.key == a.candidate.key).viable


def test_docs_page_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_doc(), \
        "docs/choose.md drifted: run `python -m netblame.choose.docs docs/choose.md`"
