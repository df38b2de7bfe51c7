"""The chain rule written in the summation convention with no header declaring it (issue 14):
∂L/∂z_i = ∂L/∂ŷ_o · ∂ŷ_o/∂z_i means the sum over o. Only that shape is read as a sum: an index
free in a term of the right side but not in the chain's first expression, standing in exactly
two derivatives of a product, as the variable of one and in the expression of the other. Every
other placement of a lone index is read as written, and a false step stays false."""

from __future__ import annotations

import pytest

from derive.core import Status, check_derivation
from derive.read.derivation import read_derivation

HOLDS, FAILS = Status.HOLDS, Status.FAILS
HEADER = "<!-- derive\nsoftmax: s of z\nlabels: y one-hot\nloss: L = -\\sum_{k=1}^{K} y_k \\log s_k\n-->\n\n"
CHAIN = "$$ \\frac{\\partial L}{\\partial z_i} = \\frac{\\partial L}{\\partial s_o} \\frac{\\partial s_o}{\\partial z_i} $$\n"


def run(tmp_path, body: str, header: str = ""):
    # no header: derive's own letters (s the softmax of z, y, L the cross-entropy) are inferred
    path = tmp_path / "d.md"
    path.write_text(header + body, encoding="utf-8")
    derivation, skipped = read_derivation(path)
    verdicts = check_derivation(derivation).verdicts
    return [v.status for v in verdicts], [s.rule for s in derivation.steps], verdicts


def test_a_repeated_index_between_two_derivatives_is_summed_and_shown(tmp_path):
    statuses, rules, _ = run(
        tmp_path,
        "$$ \\frac{\\partial L}{\\partial z_i} = \\frac{\\partial L}{\\partial s_o} \\frac{\\partial s_o}{\\partial z_i} $$\n",
    )
    assert statuses == [HOLDS]
    assert "o repeated in a product of derivatives as the sum over o" in rules[0]


@pytest.mark.parametrize(
    "right",
    [
        # the index on the wrong side of each derivative: Σ_o ∂L/∂z_o ∂s_i/∂s_o is no chain rule
        "\\frac{\\partial L}{\\partial z_o} \\frac{\\partial s_i}{\\partial s_o}",
        # a third factor with o: not the two-factor shape, read as written (o free: fails)
        "\\frac{\\partial L}{\\partial s_o} \\frac{\\partial s_o}{\\partial z_i} y_o",
        # once only
        "\\frac{\\partial L}{\\partial s_o} s_i",
        # the index also free on the left: nothing is summed
        "\\frac{\\partial L}{\\partial s_i} \\frac{\\partial s_i}{\\partial z_i}",
    ],
)
def test_any_other_placement_of_a_lone_index_is_not_summed_and_the_step_fails(tmp_path, right):
    statuses, rules, _ = run(tmp_path, f"$$ \\frac{{\\partial L}}{{\\partial z_i}} = {right} $$\n")
    assert statuses == [FAILS], right
    assert not any("summation convention" in r for r in rules)


def test_a_false_chain_rule_in_the_convention_still_fails(tmp_path):
    # the softmax Jacobian with the wrong sign: summed, and false for every K ≥ 2
    body = (
        "$$ \\frac{\\partial L}{\\partial z_i} = \\frac{\\partial L}{\\partial s_o} \\frac{\\partial s_o}{\\partial z_i} "
        "= \\frac{\\partial L}{\\partial s_o} s_o (1 - s_i) $$\n"
    )
    statuses, _, _ = run(tmp_path, body)
    assert statuses == [HOLDS, FAILS]


def test_an_index_the_case_names_is_never_summed(tmp_path):
    body = (
        "If $i = o$, then\n\n"
        "$$ \\frac{\\partial s_o}{\\partial z_i} = \\frac{\\partial s_o}{\\partial z_o} "
        "= \\frac{\\partial s_o}{\\partial s_o} \\frac{\\partial s_o}{\\partial z_o} $$\n"
    )
    statuses, rules, _ = run(tmp_path, body)
    assert statuses == [HOLDS, HOLDS]
    assert not any("summation convention" in r for r in rules)


def test_a_header_or_words_against_it_leave_a_repeated_index_as_written(tmp_path):
    # a header declares the convention itself (summation: repeated), or it is not read
    statuses, rules, _ = run(tmp_path, CHAIN, HEADER)
    assert statuses == [FAILS] and not any("summation convention" in r for r in rules)
    for words in ("For one fixed class $o$:\n\n", "Here there is no sum over $o$.\n\n"):
        statuses, rules, _ = run(tmp_path, words + CHAIN)
        assert statuses == [FAILS], words
