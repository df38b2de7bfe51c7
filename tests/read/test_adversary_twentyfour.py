"""The twenty-fourth adversary (README and code only), on the twenty-third's fixes: a fact read
from a clause whose signs and symbols were dropped ("sum to -1", "1%", "1 − 1", "¬one-hot",
"$y$ + 1"), whose allowed words tied it to something else ("the labels $y$ and the one-hot
vectors", "of the slides") or that the next sentence took back in words on no list; derive's
own letters used though a prose formula says more of them ("the softmax of $2z$", "$1 - s$",
"$L(s, y)$", "$s_1, \\dots, s_K$") or the prose calls L the log-likelihood (the cross-entropy
negated); a definition read from a processing instruction, a declaration, or after a closing
tag CommonMark leaves as text ("</span x>"); and a degree in K hidden under a root
(√K·(K−1)⋯(K−22)). Every file is the adversary's, kept in adversary24/; its false step fails or
is not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary24"
HEADER = "<!-- derive\nsoftmax: s of z\n-->\n\n"


@pytest.mark.parametrize(
    "name, step",
    [
        *((n, "∂L/∂z_i = s_i − y_i") for n in ("f7_minus1.md", "f8_percent.md", "f12_percent.tex")),
        ("f10_oneminusone.md", "∂L/∂z_i = s_i − y_i"),
        *((n, "y_i² = y_i") for n in ("f5_neg.md", "f6_emoji.md", "f9_plus1.md", "f4_and.md", "f3_slides.md")),
        ("f1_nextsentence.md", "y_i² = y_i"),
    ],
)
def test_a_fact_is_read_only_from_plain_words_in_a_paragraph_of_its_own(name, step):
    # y = (2): y_1² = 4 ≠ 2; and ∂L/∂z_i = s_i Σ_k y_k − y_i
    assert steps_of(HERE / name).get(step) is Status.FAILS


@pytest.mark.parametrize("name", ["g2_brier2.md", "g3_arctan.md", "g4_2z.md", "g5_oneminus.md", "g6_loglik.md"])
def test_derives_own_letters_are_not_used_when_the_prose_writes_more_of_them(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize("name", ["h0_ctrl.md", "h1_badclose.md", "h2_pi.md", "h4_decl.md"])
def test_a_definition_the_page_does_not_show_is_not_used(tmp_path, name):
    # S := 2Σ_k e^{z_k} hidden: with the S the page shows, s_i = 2e^{z_i}/S is false
    path = tmp_path / name
    path.write_text(HEADER + (HERE / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert steps_of(path).get("s_i = 2e^{z_i}/S") is Status.FAILS


def test_the_same_definition_shown_is_used(tmp_path):
    path = tmp_path / "shown.md"
    text = (HERE / "h0_ctrl.md").read_text(encoding="utf-8").replace("<span hidden>", "").replace("</span>", "")
    path.write_text(HEADER + text, encoding="utf-8")
    assert steps_of(path).get("s_i = 2e^{z_i}/S") is Status.HOLDS


@pytest.mark.parametrize("name", ["k1_sqrt.md", "k9_jac.md", "k3_frac.md"])
def test_a_degree_in_k_under_a_root_is_swept_past(name):
    # √K·(K − 1)⋯(K − 22)·s_i vanishes at every K ≤ 22 and not at K = 23
    assert list(steps_of(HERE / name).values()) == [Status.FAILS]


@pytest.mark.parametrize(
    "words, step_holds",
    [
        ("The labels $y$ sum to - 1.", False),
        ("The labels $y$ sum to - $1$.", False),
        ("The labels $y$ sum to 1 - 1.", False),
        ("The labels $y$ sum to one - as the slides say.", False),  # "say": on no list
        ("The labels $y$ sum to one - thus the loss simplifies.", True),
    ],
)
def test_a_dash_between_words_is_punctuation_and_before_a_number_a_sign(tmp_path, words, step_holds):
    path = tmp_path / "d.md"
    path.write_text(
        "$$ p_j = \\frac{e^{o_j}}{\\sum_{k=1}^{C} e^{o_k}} $$\n\n$$ L = -\\sum_{j=1}^{C} y_j \\log p_j $$\n\n"
        f"{words}\n\n$$ \\frac{{\\partial L}}{{\\partial o_i}} = p_i - y_i $$\n",
        encoding="utf-8",
    )
    expected = Status.HOLDS if step_holds else Status.FAILS
    assert steps_of(path).get("∂L/∂o_i = p_i − y_i") is expected
