"""The eighteenth adversary (README, code and the last commits), on the seventeenth's fixes: a
one-hot fact read from an HTML <blockquote> or <table>, or a LaTeX displayquote; a display's own
"\\forall j \\neq i" under a case stated for i = j; the chain rule summed over an index the
document fixes ("\\text{for } o = 1", ", \\quad o = 1", "Let $o$ be the predicted class"); and a
softmax by name with a factor after "\\;" or "\\quad". Every file is the adversary's, kept in
adversary18/; its false step fails or is not read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary18"

FALSE = {
    "c4.md": "∂s_i/∂z_j = s_i(1 − s_j)",  # \forall j \neq i: −1/4 against 1/4
    "f1_htmlquote.md": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",  # y = (1, 1): 0 against −1/2
    "f2_displayquote.tex": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",
    "f6_htmltable.md": "s_i·Σ_{j=1}^{K} y_j − y_i = s_i − y_i",
    "h1.md": "∂L/∂z_i = (∂L/∂s_o)(∂s_o/∂z_i)",  # one term, o = 1, y = (0, 1): 1/2 against 0
    "h2.md": "∂L/∂z_i = (∂L/∂s_o)(∂s_o/∂z_i)",
    "h4.md": "∂L/∂z_i = (∂L/∂s_o)(∂s_o/∂z_i)",
    "h5.md": "∂L/∂z_i = (∂L/∂s_o)(∂s_o/∂z_i)",
}


@pytest.mark.parametrize("name", sorted(FALSE))
def test_the_false_step_is_read_as_written_and_fails(name):
    assert steps_of(HERE / name).get(FALSE[name]) is Status.FAILS


@pytest.mark.parametrize("name", ["s1.md", "s2.md", "s3.md"])
def test_a_softmax_named_with_a_factor_after_it_is_no_softmax(name):
    # p_j = softmax(o)_j \; c sums to c: Σ p_j = 1 must not hold (here: nothing about p is read)
    assert Status.HOLDS not in steps_of(HERE / name).values()
