"""The twenty-first adversary (README and code only), on the twentieth's fixes: a name defined
at the end of a chain taking over before the rows of its display; a heading the page does not
show (in \\iffalse, in <div hidden>) starting a new definition; a name defined through another
frozen with the other's later meaning; a fact read from a CDATA section or a declaration in
Markdown, from TeX programmed to hide it (a \\def with delimited parameters, \\csname iffalse,
a changed environment or \\emph), and hidden mathematics read as a definition; derive's own
letters used though a list item, a quote, a heading, a table, an HTML element, \\text{} or a
LaTeX environment, footnote or section says they are something else; and two inputs of long
runs of spaces that made reading quadratic. Every file is the adversary's, kept in
adversary21/; its false step fails or is not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status
from derive.read.derivation import read_derivation

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary21"
NEEDS_THE_FACT = "s_i·Σ_{k=1}^{K} y_k − y_i = s_i − y_i"  # K = 2, y = (1, 1), z = 0: 0 against −1/2


def test_a_name_named_at_the_end_of_a_row_defines_nothing_anew():
    # Σ keeps its first meaning, Σ_k e^{z_k}: Σ − Σ_k z_k = 0 is false (1 against 0 at K = 1, z = 0)
    assert steps_of(HERE / "n1.md").get("Σ − Σ_{k=1}^{K} z_k = 0") is Status.FAILS


@pytest.mark.parametrize("name", ["h1.tex", "h3.md"])
def test_a_heading_the_page_may_not_show_starts_no_new_definition(name):
    assert steps_of(HERE / name).get("f + 1 = x³ + 1") is Status.FAILS  # f = x^2: 5 against 9 at x = 2


def test_a_meaning_put_into_a_definition_is_frozen_at_its_own_place():
    # f := g + 1 where g = x, then g := 7x, h := f: h = x + 1, so h = 7x + 1 is false
    steps = steps_of(HERE / "fr1.md")
    assert steps.get("h = 7x + 1") is Status.FAILS and steps.get("f = x + 1") is Status.HOLDS


@pytest.mark.parametrize("name", ["f4.md", "f5.md"])
def test_a_fact_the_page_hides_is_not_used(name):
    assert steps_of(HERE / name).get(NEEDS_THE_FACT) is Status.FAILS


@pytest.mark.parametrize("name", ["t5.tex", "t7.tex", "t8.tex", "t9.tex", "t10.tex"])
def test_a_fact_a_program_of_tex_may_hide_is_not_used(name):
    # a document that programs TeX (\renewenvironment, \def) has no prose derive can read:
    # no fact, and since what it says of $z$ and $y$ is not read either, not derive's own
    # letters (the twenty-ninth adversary): the step is not read, and never holds
    steps = steps_of(HERE / name)
    assert Status.HOLDS not in steps.values() and steps.get(NEEDS_THE_FACT) is not Status.HOLDS


def test_mathematics_tex_may_hide_defines_nothing():
    assert steps_of(HERE / "e1.tex") == {}  # \thus \[ f := x^3 \] \hence: f is unknown


@pytest.mark.parametrize(
    "name",
    [
        "o2.md", "o3.md", "o4.md", "o5.md", "o6.md", "o8.md", "o9.md",
        "ot2.tex", "ot3.tex", "ot4.tex", "ot5.tex", "l2.md", "l3.md",
    ],
)  # fmt: skip
def test_a_description_anywhere_in_the_document_keeps_derives_own_letters_out(name):
    # "Each output $s_i$ is the logistic sigmoid of its own logit $z_i$", "the loss $L$ is the
    # squared error": ∂s_1/∂z_2 = 0 for a sigmoid, not −1/4; ∂L/∂s_i = 2(s_i − y_i), not −y_i/s_i
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize(
    "text",
    [
        "The targets are $a" + " " * 20000 + "b$ here.\n",  # _clause_words: (.*?)\s*=\s*1
        "The outputs $s" + " " * 20000 + "x$ are here.\n",  # the mention pattern
        "$$ x" + " " * 20000 + "= y $$\n",  # a definition's head: \s*&?\s*
    ],
)
def test_long_runs_of_spaces_are_read_in_linear_time(tmp_path, text):
    # each took minutes before (quadratic or worse); now a fraction of a second
    path = tmp_path / "spaces.md"
    path.write_text(text, encoding="utf-8")
    read_derivation(path)
