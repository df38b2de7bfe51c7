"""The twenty-fifth adversary (README and code only), on the twenty-fourth's fixes: a line of
a form feed or a vertical tab taken for a blank line (CommonMark counts spaces and tabs only),
so that the sentence after it no longer shared the fact's paragraph; derive's own letters used
though the prose calls s twice the softmax or L half the cross-entropy in plain letters or
look-alike ones (𝑠, ѕ); a definition inside a <div hidden> that a paragraph opens (it ends the
paragraph and stays open); and a degree in K under the root of a polynomial (√(K + 1),
√(K² + 1)). Every file is the adversary's, kept in adversary25/."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary25"


def test_the_control_reads_the_fact_and_the_step():
    assert steps_of(HERE / "base.md").get("y_i² = y_i") is Status.HOLDS


@pytest.mark.parametrize("name", ["ff.md", "vt.md", "ff.ipynb"])
def test_a_line_of_a_form_feed_or_a_vertical_tab_does_not_part_a_paragraph(name):
    # soft labels: y_i = 1/2 gives 1/4 against 1/2
    assert steps_of(HERE / name).get("y_i² = y_i") is Status.FAILS


@pytest.mark.parametrize("name", ["own1.md", "own2.md", "own3.md", "own4.md"])
def test_a_sentence_that_speaks_of_the_softmax_in_other_words_keeps_derives_letters_out(name):
    # s = 2·softmax: Σ_k s_k = 2; L = CE/2: ∂L/∂z_i = (s_i − y_i)/2
    assert Status.HOLDS not in steps_of(HERE / name).values()


def test_a_definition_inside_a_div_a_paragraph_opens_is_not_used():
    # the S the page shows is twice the sum: s_i = e^{z_i}/S is false
    assert Status.HOLDS not in steps_of(HERE / "hid1.md").values()


@pytest.mark.parametrize("name", ["deg1.md", "deg5.md", "deg10.md", "deg8.md"])
def test_a_degree_under_the_root_of_a_polynomial_is_swept_past(name):
    # (K − 1)⋯(K − 22)·√(K + 1) vanishes at K ≤ 22 and not at K = 23
    assert list(steps_of(HERE / name).values()) == [Status.FAILS]
