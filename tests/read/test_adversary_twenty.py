"""The twentieth adversary (README and code only), on names defined anew and the nineteenth's
fixes: a definition anew reaching back over the rows before it in its display; a name defined
through another following the other's later meaning (or its unread one); an unread first
definition letting a later meaning reach back; the order of the reading passes doing the same;
f(2x) = ... taken for a definition anew; a one-hot fact read after \\end{document}, in a custom
environment that boxes its body away or \\excludecomment, in white text, in an inline <span
hidden>, in YAML front matter with a blank line; derive's own letters used though the prose
names them as $\\mathbf{s} \\in \\mathbb{R}^K$, as $\\mathcal{L}$, or says more of them in the next
sentence. Every file is the adversary's, kept in adversary20/; its false step fails or is not
read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary20"


def verdicts(name: str) -> list[tuple[str, Status]]:
    derivation, _ = read_derivation(HERE / name)
    found = check_derivation(derivation).verdicts if derivation.steps else ()
    return [(step.where.split(":")[1], v.status) for step, v in zip(derivation.steps, found)]


def test_a_definition_anew_does_not_reach_back_over_the_rows_before_it():
    # f = x^2 in force on line 12: df/dx = 3x^2 is false there (2 against 3 at x = 1)
    found = verdicts("a1.md")
    assert ("12", Status.FAILS) in found and ("12", Status.HOLDS) not in found


@pytest.mark.parametrize("name", ["a2.md", "a7.md"])
def test_a_name_defined_through_another_keeps_the_meaning_it_had_where_it_was_defined(name):
    # g = f + 1 with f = x^2: dg/dx = 2x, never 3x^2 (f's later meaning) nor 0 (f unread)
    steps = steps_of(HERE / name)
    assert steps.get("∂g/∂x = 3x²") in (None, Status.FAILS) and steps.get("∂g/∂x = 0") in (None, Status.FAILS)
    assert Status.HOLDS not in [s for text, s in steps.items() if text != "∂g/∂x = 2x"]


def test_an_unread_first_definition_leaves_the_name_unread_before_the_next_meaning():
    # section 1: f(x; θ) = θx² does not read, so df/dx = 3x^2 there is not read (only section 2's holds)
    assert verdicts("a3.md") == [("17", Status.HOLDS)]


def test_a_definition_that_reads_in_a_later_pass_is_not_overtaken_by_a_later_meaning():
    # f = g + 1 with g = x^2: df/dx = 3x^2 in section 1 fails; section 2's f := x^3 holds
    assert verdicts("a4.md") == [("11", Status.FAILS), ("17", Status.HOLDS)]


def test_a_function_at_a_point_is_no_definition_anew():
    assert steps_of(HERE / "a6.md") == {}  # f(2x) = 2x^2: f at another point, not read


def test_a_definition_anew_inside_a_notebook_cell_does_not_reach_back():
    assert Status.HOLDS not in steps_of(HERE / "e2.ipynb").values()


@pytest.mark.parametrize("name", ["b1.tex", "b2.md", "b3.md", "b4.tex", "b4b.tex", "b6.tex"])
def test_a_fact_the_page_does_not_show_is_not_used(name):
    # C = 2, p = (1/2, 1/2), y = (1, 1): p_i Σ y_j − y_i = 0 against p_i − y_i = −1/2
    # (b4, b4b define an environment: such a LaTeX document defines no names, and is not read)
    assert steps_of(HERE / name).get("p_i·Σ_{j=1}^{C} y_j − y_i = p_i − y_i") in (Status.FAILS, None)
    assert Status.HOLDS not in [s for t, s in steps_of(HERE / name).items() if t.endswith("= p_i − y_i")]


@pytest.mark.parametrize("name", ["d1.md", "d2.md", "d5.md", "d6.md"])
def test_letters_the_prose_describes_otherwise_are_not_derives(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()
