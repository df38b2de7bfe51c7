"""The twenty-seventh adversary (README and code only), on the twenty-sixth's fixes: s and z
given each other's roles in two sentences ("Let $z$ be the output of the softmax." "Let $s$
be the logits of the softmax."), or s the softmax of the softmax; a fact said of a noun before
the letter ("the loss with the labels $y$ is a probability distribution") or narrowed after
its phrase ("sum to one with the targets"); a cube root counted a third of the degree of what
it holds, though it has as many zeros; and a <b hidden> left open, which a browser reopens in
the next paragraph. Every file is the adversary's, kept in adversary27/."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary27"


@pytest.mark.parametrize("name", ["a1.md", "a2.md"])
def test_a_role_given_in_its_own_sentence_must_be_derives(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize("name", ["b1.md", "b2.md"])
def test_a_fact_is_said_of_the_letter_as_subject_and_not_narrowed(name):
    assert Status.HOLDS not in steps_of(HERE / name).values()


@pytest.mark.parametrize("name", ["c1.md", "c2.md"])
def test_a_root_counts_the_zeros_of_what_it_holds(name):
    # Σ_k s_k ((k−1)⋯(k−21))^{1/3} = 0 holds at K ≤ 21 and not at K = 22
    assert list(steps_of(HERE / name).values()) == [Status.FAILS]


def test_a_formatting_element_with_attributes_left_open_hides_the_next_paragraph():
    assert Status.HOLDS not in steps_of(HERE / "d1.md").values()
