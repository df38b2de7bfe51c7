"""Sums as people write them (issue 13, item 5): the ways to give the range, a sum with no
index, several indices at once, and ``\\sum_{i \\neq j} t_j`` meaning the sum over j ≠ i.

Each form is checked for its reading, for the misreadings it must refuse, and for a false step
that the reading makes checkable: that step must fail."""

from __future__ import annotations

import pytest
import sympy as sp

from derive.core import Status, SumExcept, check_derivation, classes_symbol, family, index
from derive.read.derivation import read_derivation
from derive.read.source import SourceError

s, z, y = family("s"), family("z"), family("y")
i, j, k = index("i"), index("j"), index("k")
K = classes_symbol("K")

HEADER = "<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nloss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n-->\n\n"


def read(tmp_path, body):
    path = tmp_path / "u.md"
    path.write_text(HEADER + body, encoding="utf-8")
    return read_derivation(path)


def sides(tmp_path, math):
    """Both sides of ``math`` (one equation) as read, and the notes of its step."""
    derivation, skipped = read(tmp_path, f"$$ {math} $$\n")
    assert not skipped, skipped
    (step,) = derivation.steps
    return step.previous, step.next, step.rule


def refused(tmp_path, math) -> str:
    try:
        derivation, skipped = read(tmp_path, f"$$ {math} $$\n")
    except SourceError as error:
        return str(error)
    assert not derivation.steps and len(skipped) == 1
    return skipped[0].reason


def statuses(tmp_path, body):
    derivation, skipped = read(tmp_path, body)
    assert not skipped, skipped
    return [verdict.status for verdict in check_derivation(derivation).verdicts]


HOLDS, FAILS = Status.HOLDS, Status.FAILS
EXP_SUM = sp.Sum(sp.exp(z[k]), (k, 1, K))


@pytest.mark.parametrize(
    "written",
    [
        r"\sum_k e^{z_k}",
        r"\sum_{k}^{K} e^{z_k}",
        r"\sum_{k=1}^K e^{z_k}",
        r"\sum_{k \in [K]} e^{z_k}",
        r"\sum_{k \in \{1,\dots,K\}} e^{z_k}",
        r"\sum_{k \in \{1, \ldots, K\}} e^{z_k}",
    ],
)
def test_every_way_of_giving_the_range_reads_as_the_sum_over_the_classes(tmp_path, written):
    left, _, note = sides(tmp_path, f"{written} = 1")
    assert left == EXP_SUM and note == ""


def test_a_listed_range_that_does_not_start_at_one_is_not_read_as_the_whole_range(tmp_path):
    assert "\\dots" in refused(tmp_path, r"\sum_{k \in \{2,\dots,K\}} e^{z_k} = 1")


def test_a_sum_without_an_index_runs_over_the_one_index_free_only_in_its_body(tmp_path):
    left, right, note = sides(tmp_path, r"s_i \sum e^{z_k} = e^{z_i}")
    assert left == s[i] * EXP_SUM and note == "read as: \\sum e^{z_k} as the sum over k"
    # i is free on the other side of the equation: the sum is over k, not over i
    left, _, note = sides(tmp_path, r"\sum y_k s_i = s_i")
    assert left == sp.Sum(y[k] * s[i], (k, 1, K)) and "the sum over k" in note


@pytest.mark.parametrize("math", [r"\sum y_k s_i = 1", r"\sum 2 = 2 K"])
def test_a_sum_without_an_index_and_no_one_candidate_is_refused(tmp_path, math):
    assert "a sum without an index" in refused(tmp_path, math)


def test_a_false_step_with_a_sum_without_an_index_fails(tmp_path):
    body = "$$ s_i \\sum e^{z_k} = e^{z_i} $$\n\n$$ s_i \\sum e^{z_k} = 2 e^{z_i} $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]
    # k free on the other side too: no index is free only in the body, so nothing is summed
    assert "a sum without an index" in refused(tmp_path, r"s_i \sum e^{z_k} = e^{z_k}")


def test_a_sum_without_an_index_of_zeros_is_zero_and_a_false_step_with_it_fails(tmp_path):
    # "\\sum e^{x_d} \\cdot 0 - e^{x_i} e^{x_j}" (27 of the corpus): zero whichever way it is read
    left, right, note = sides(tmp_path, r"\sum e^{z_k} \cdot 0 - e^{z_i} = -e^{z_i}")
    assert left == -sp.exp(z[i]) and "as 0 (every term is 0)" in note
    body = "$$ \\sum e^{z_k} \\cdot 0 - e^{z_i} = -e^{z_i} $$\n\n$$ \\sum e^{z_k} \\cdot 0 - e^{z_i} = e^{z_i} $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


def test_several_indices_under_one_sum_are_a_double_sum(tmp_path):
    left, _, _ = sides(tmp_path, r"\sum_{i,j} y_i s_j = 1")
    assert left == sp.Sum(sp.Sum(y[i] * s[j], (j, 1, K)), (i, 1, K))
    left2, _, _ = sides(tmp_path, r"\sum_i \sum_j y_i s_j = 1")
    assert left2 == left
    body = "$$ \\sum_{i,j} y_i s_j = 1 $$\n\n$$ \\sum_{i,j} y_i s_j = K $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


def test_a_sum_except_whose_summand_uses_the_other_index_runs_over_it(tmp_path):
    left, _, note = sides(tmp_path, r"\sum_{i \neq j} s_j = 1 - s_i")
    assert left == SumExcept(s[j], j, K, i)
    assert note == "read as: \\sum_{i \\neq j} as the sum over j ≠ i"
    body = "$$ \\sum_{i \\neq j} s_j = 1 - s_i $$\n\n$$ \\sum_{i \\neq j} s_j = 1 - s_j $$\n"
    assert statuses(tmp_path, body) == [HOLDS, FAILS]


def test_a_sum_except_over_its_own_index_is_read_as_written(tmp_path):
    left, _, note = sides(tmp_path, r"\sum_{j \neq i} s_j = 1 - s_i")
    assert left == SumExcept(s[j], j, K, i) and note == ""
    # the summand uses both indices: no choice, the sum is over the index written first
    left, _, note = sides(tmp_path, r"\sum_{i \neq j} s_i s_j = s_j (1 - s_j)")
    assert left == SumExcept(s[i] * s[j], i, K, j) and note == ""


def test_a_sum_split_at_one_index_reads_its_first_part_as_that_one_term(tmp_path):
    """``- \\sum_{j=i} y_j ... - \\sum_{j \\neq i} y_j ...``: the first part is the term j = i."""
    before, after, rule = sides(tmp_path, r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k s_k + \sum_{k \neq i} y_k s_k")
    assert after == y[i] * s[i] + SumExcept(y[k] * s[k], k, K, i)
    assert "\\sum_{k=i} as the one term k = i" in rule


@pytest.mark.parametrize(
    "math",
    [
        # alone, \sum_{k=i} could be the sum from k = i on: not read
        r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k s_k",
        # with an upper limit it is the sum from i to K, which derive does not read
        r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i}^{K} y_k s_k + \sum_{k \neq i} y_k s_k",
        # the other part leaves out a different index
        r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k s_k + \sum_{k \neq j} y_k s_k",
    ],
)
def test_a_sum_from_an_index_is_not_read_as_one_term_unless_the_rest_is_summed_beside_it(tmp_path, math):
    assert "a sum starts at a number" in refused(tmp_path, math)


@pytest.mark.parametrize(
    "math",
    [
        # the term j = i with the wrong factor
        r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k + \sum_{k \neq i} y_k s_k",
        # a dropped minus on the rest
        r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k s_k - \sum_{k \neq i} y_k s_k",
        # the split counts the term i twice
        r"\sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k s_k + \sum_{k=1}^{K} y_k s_k",
    ],
)
def test_a_false_step_with_a_split_sum_fails(tmp_path, math):
    if "k \\neq i" not in math:
        assert "a sum starts at a number" in refused(tmp_path, math)
        return
    assert statuses(tmp_path, f"$$ {math} $$\n") == [FAILS]


def test_a_true_split_holds(tmp_path):
    assert statuses(tmp_path, r"$$ \sum_{k=1}^{K} y_k s_k = \sum_{k=i} y_k s_k + \sum_{k \neq i} y_k s_k $$" "\n") == [
        HOLDS
    ]
