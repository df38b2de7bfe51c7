"""The twenty-eighth adversary (README and code only), on the twenty-seventh's fixes: a fact
tied by "that" to another noun ("The labels $y$ with the vector that sums to one."), a clause
word after a noun taken for the start of a clause about the letter ("The loss given $y$ is
one-hot.", "The loss as $y$ is a probability distribution."), and s written as the softmax's
argument ("Let the logits $z$ be the softmax of $s$."). Beside each, the sentence a real author
writes, which must still be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from derive.core import Status

from .test_adversary_fifteen import steps_of

HERE = Path(__file__).parent / "adversary28"


@pytest.mark.parametrize("name", ["b1.md", "b2.md", "b3.md"])
def test_a_fact_said_of_another_noun_or_after_a_noun_is_no_fact(name):
    assert list(steps_of(HERE / name).values()) == [Status.FAILS]


@pytest.mark.parametrize("name", ["ok1.md", "ok2.md", "ok3.md"])
def test_a_fact_said_of_the_letter_in_a_clause_of_its_own_is_read(name):
    assert list(steps_of(HERE / name).values()) == [Status.HOLDS]


def test_s_as_the_argument_of_the_softmax_is_not_derives_softmax():
    assert Status.HOLDS not in steps_of(HERE / "a1.md").values()


def test_s_the_softmax_of_the_logits_z_keeps_derives_letters():
    assert list(steps_of(HERE / "ok4.md").values()) == [Status.HOLDS]
