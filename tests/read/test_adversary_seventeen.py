"""The seventeenth adversary (README, code and the uncommitted diff), on the sixteenth's fixes:
a one-hot fact read from a LaTeX quote, a LaTeX list, a Markdown table cell, or a sentence cut
after "Ch."; a \\tag naming the other case; "\\forall o" on the chain rule's repeated index; a
name defined with =:, \\doteq or \\overset{!}{=} made a free number; and a paragraph of many
sentences read in quadratic time. Every file is the adversary's, kept in adversary17/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from derive.core import Status
from derive.read.derivation import read_derivation

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary17"

FALSE = {
    "f1_quote.tex": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",  # y = (1, 1): 0 against −1/2
    "f1_item.tex": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",
    "f3_abbrev.md": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",
    "f4_table.md": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",
    "f5_tag.md": "∂s_i/∂z_j = s_j(1 − s_i)",  # \tag{off-diagonal}: −1/4 against 1/4
    "f5_tag.tex": "∂s_i/∂z_j = s_j(1 − s_i)",
    "f6_forall.md": "∂L/∂z_i = (∂L/∂s_o)(∂s_o/∂z_i)",  # \forall o: not summed, and false
}


@pytest.mark.parametrize("name", sorted(FALSE))
def test_the_false_step_is_read_and_fails(name):
    assert steps_of(HERE / name).get(FALSE[name]) is Status.FAILS


@pytest.mark.parametrize("name", ["z2.md", "z3.md"])
def test_a_name_defined_by_an_unread_relation_is_never_a_free_number(name):
    # ∂/∂z_i (e^{z_i}/Z) = e^{z_i}/Z holds for a number Z, not for Z = Σ_k e^{z_k}: not read
    assert steps_of(HERE / name) == {}


def test_a_paragraph_of_many_sentences_is_read_in_linear_time(tmp_path):
    path = tmp_path / "p.md"
    path.write_text("# T\n\n$$ L = -\\sum_k y_k \\log s_k $$\n\n" + "x. " * 20000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    read_derivation(path)
    assert time.perf_counter() - start < 30  # loose (a busy machine); it took 49 s, quadratic
