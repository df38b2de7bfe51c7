"""The twenty-third adversary (README and code only), on the twenty-second's fixes: a "not"
hidden from the words of a fact by what derive blanks out of the prose (an HTML element, a
code span, a link's or an image's text, a LaTeX command's argument, a footnote), or written in
another script (不是, ＮＯＴ, ɴᴏᴛ); a % inside \\verb taken for a comment; derive's own letters
kept though a qualifier beside them is hidden, in another script, or in a later paragraph; a
definition read from mathematics struck through or inside <span hidden>; a softmax proved at
three classes used as the softmax over all C; a fact narrowed to "the last example"; and a
polynomial in K of degree 300 passed as exact for K ≤ 5. Every file is the adversary's, kept
in adversary23/; its false step fails, is undecided or is not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary23"

CE_STEP = "∂L/∂o_i = p_i − y_i"  # false without Σ y = 1: C = 1, y_1 = 0 gives 0 against 1


def test_the_control_reads_the_same_derivation_and_fails_the_step():
    steps = steps_of(HERE / "base.md")
    assert steps.get("p_j = e^{o_j}/(Σ_{k=1}^{C} e^{o_k})") is Status.HOLDS
    assert steps.get(CE_STEP) is Status.FAILS


@pytest.mark.parametrize(
    "name",
    [
        *("html_not.md", "html_not2.md", "html_attr.md", "code_not.md", "link_not.md", "img_not.md"),
        *("nb_not.ipynb", "fn_not.md", "narrow.md"),
        *("tex_sl.tex", "tex_tt.tex", "tex_col.tex", "tex_color.tex", "tex_hyper.tex", "tex_fbox.tex"),
        *("tex_foot.tex", "tex_verb.tex"),
    ],
)
def test_a_fact_whose_sentence_hides_something_is_not_used(name):
    assert steps_of(HERE / name).get(CE_STEP) is Status.FAILS


@pytest.mark.parametrize("name", ["fw_not.md", "sc_not.md", "zh_not.md", "tex_zh.tex"])
def test_a_word_in_another_script_is_not_an_allowed_word(name):
    assert steps_of(HERE / name).get(CE_STEP) is Status.FAILS


@pytest.mark.parametrize("name", ["own_html.md", "own_code.md", "own_zh.md", "own_para.md", "own_para2.md"])
def test_derives_own_letters_are_not_used_when_the_prose_may_say_more_of_them(name):
    # s = softmax/2: ∂s_i/∂z_j = s_i(δ_ij − 2 s_j), not s_i(δ_ij − s_j)
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize("name", ["defhid.md", "defv.md"])
def test_mathematics_the_page_does_not_show_defines_nothing(name):
    # the visible S = Σ_k e^{z_k}: ∂S/∂z_i = e^{z_i}, not 1
    assert Status.HOLDS not in steps_of(HERE / name).values()


def test_a_softmax_of_three_classes_is_not_the_softmax_over_all_of_them():
    # p_j = e^{o_j}/Σ_{k=1}^{3} e^{o_k}: at C = 4, o = 0, Σ_{j=1}^{4} p_j = 4/3
    assert Status.HOLDS not in steps_of(HERE / "three2.md").values()


def test_a_dependence_on_k_beyond_the_largest_k_tried_is_undecided():
    # (K − 1)(K − 2)⋯(K − 300) = 0 holds at every K ≤ 256 and not at K = 301
    assert list(steps_of(HERE / "poly3.md").values()) == [Status.UNDECIDED]


# -- found while mending the above: what parts a paragraph --------------------------------------

FACT_THEN_DENIAL = (
    "The outputs are the softmax of the logits $o$:\n\n"
    "$$ p_j = \\frac{{e^{{o_j}}}}{{\\sum_{{k=1}}^{{C}} e^{{o_k}}}} $$\n\n"
    "and the loss is\n\n$$ L = -\\sum_{{j=1}}^{{C}} y_j \\log p_j $$\n\n"
    "The targets $y$ are one-hot.\n{between}\nNot really: they are soft.\n\n"
    "$$ \\frac{{\\partial L}}{{\\partial o_i}} = p_i - y_i $$\n"
)


@pytest.mark.parametrize("between", [".", "\x01", "\x03", "--", "\\."])
def test_a_line_without_words_does_not_part_a_paragraph(tmp_path, between):
    path = tmp_path / "d.md"
    path.write_text(FACT_THEN_DENIAL.format(between=between), encoding="utf-8")
    assert steps_of(path).get(CE_STEP) is Status.FAILS


def test_a_tex_comment_line_does_not_part_a_paragraph(tmp_path):
    body = FACT_THEN_DENIAL.format(between="% a comment").replace("$$", "\\[", 1).replace("$$", "\\]", 1)
    body = body.replace("$$", "\\[", 1).replace("$$", "\\]", 1).replace("$$", "\\[", 1).replace("$$", "\\]", 1)
    path = tmp_path / "d.tex"
    path.write_text("\\documentclass{article}\n\\begin{document}\n" + body + "\\end{document}\n", encoding="utf-8")
    assert steps_of(path).get(CE_STEP) is Status.FAILS


def test_the_same_fact_with_nothing_between_is_read(tmp_path):
    # the control: the fact alone in its paragraph is used, and the step holds
    path = tmp_path / "d.md"
    text = FACT_THEN_DENIAL.format(between="").replace("Not really: they are soft.\n", "")
    path.write_text(text, encoding="utf-8")
    assert steps_of(path).get(CE_STEP) is Status.HOLDS
