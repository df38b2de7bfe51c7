"""The twenty-sixth adversary (README and code only), on the twenty-fifth's fixes: a root of
something that is no polynomial in K (√(K + √K)) hiding the K-degree from the sweep; derive's
own letters given another meaning in allowed words ("the log of the softmax", "s denote the
logits and z the softmax of s", "the softmax of the output of the layer which takes z as
input", "the log of the cross-entropy loss") or by a prose relation derive does not check
(s_i ≈ 2e^{z_i}/Σ); a fact said of a compound subject ("the true label and $y$ sum to one");
and an unclosed <small>, which the paragraph's end closes, taken to hide a visible definition.
Every file is the adversary's, kept in adversary26/."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary26"


def test_a_root_of_what_is_no_polynomial_in_k_leaves_no_exact_label():
    # s_i (K−1)⋯(K−21) √(K + √K) = 0 holds at K ≤ 21 and not at K = 22
    assert list(steps_of(HERE / "root1.md").values()) in ([Status.FAILS], [Status.UNDECIDED])


@pytest.mark.parametrize(
    "name", ["own_log.md", "own_swap.md", "own_layer.md", "own_logL.md", "rel_approx.md", "rel_ge.md"]
)
def test_derives_own_letters_are_not_used_when_the_prose_gives_them_another_meaning(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


def test_an_element_of_the_text_left_open_is_closed_by_the_end_of_its_paragraph():
    # the redefinition S := 2Σ_k e^{z_k} after "<small>" is on the page: from there on
    # s_i = e^{z_i}/S is false, before it true
    derivation, _ = read_derivation(HERE / "hidden_anew.md")
    verdicts = check_derivation(derivation).verdicts
    assert [v.status for v in verdicts] == [Status.HOLDS, Status.FAILS]


DOCUMENT = (
    "$$ p_j = \\frac{{e^{{o_j}}}}{{\\sum_{{k=1}}^{{C}} e^{{o_k}}}} $$\n\n$$ L = -\\sum_{{j=1}}^{{C}} y_j \\log p_j $$\n\n"
    "{words}\n\n$$ \\frac{{\\partial L}}{{\\partial o_i}} = p_i - y_i $$\n"
)


@pytest.mark.parametrize(
    "words, holds",
    [
        ("The true label and $y$ sum to one.", False),
        ("The loss with $y$ is a probability distribution.", False),
        ("The labels $y$ sum to one.", True),
        ("Here the targets $y$ are one-hot.", True),
    ],
)
def test_a_fact_is_said_of_the_letter_alone(tmp_path, words, holds):
    path = tmp_path / "d.md"
    path.write_text(DOCUMENT.format(words=words), encoding="utf-8")
    assert steps_of(path).get("∂L/∂o_i = p_i − y_i") is (Status.HOLDS if holds else Status.FAILS)
